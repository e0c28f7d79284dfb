//! `replace_many`: `replace` for many owners in one pass, checked against
//! direct SQL on the join table: overlapping sets, an empty set, owners not
//! listed, repeated targets and owners, composite keys, a join schema
//! (`join_where`, `join_defaults`, timestamps), a failure half-way, the
//! caller's transaction, a database mortise did not create, and writers
//! racing over overlapping owners.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_replace_many {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::collections::BTreeSet;
        use super::associations::{actor, database, links, movie};
        use reference::{Changes, posts, tags};

        /// A post and `n` tags `t0`, `t1`, ...
        fn post_and_tags(db: &Db, n: usize) -> (i64, Vec<i64>) {
            let new = posts::NewPost { title: "t".into(), body: "b".into(), ..Default::default() };
            let post = q!(db, posts::Post::insert(&new)).unwrap();
            let tags = (0..n)
                .map(|i| q!(db, tags::Tag::insert(&tags::NewTag { name: format!("t{i}") })).unwrap().id)
                .collect();
            (post.id, tags)
        }

        /// `pairs` sorted, as `links` reads them.
        fn sorted(mut pairs: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
            pairs.sort_unstable();
            pairs.dedup();
            pairs
        }

        #[test]
        fn each_listed_owner_ends_with_exactly_its_set_and_the_others_keep_theirs() {
            let Some(db) = database("replace_many") else { return };
            let (p1, t) = post_and_tags(&db, 6);
            let [p2, p3, p4] = [0, 0, 0].map(|n| post_and_tags(&db, n).0);
            q!(db, posts::tags::insert(p1, &[t[0], t[1], t[2]])).unwrap();
            q!(db, posts::tags::insert(p2, &[t[1], t[2]])).unwrap();
            q!(db, posts::tags::insert(p3, &[t[3]])).unwrap();
            q!(db, posts::tags::insert(p4, &[t[4], t[5]])).unwrap();

            // Overlapping sets, a repeated target, an empty set (clears p2);
            // p4 is not listed.
            let sets = [(p1, vec![t[1], t[2], t[3], t[3]]), (p2, vec![]), (p3, vec![t[0], t[1], t[3]])];
            let changes = q!(db, posts::tags::replace_many(&sets)).unwrap();
            assert_eq!(changes, Changes { added: 3, removed: 3 }, "p1 +t3 -t0, p2 -t1 -t2, p3 +t0 +t1");
            let expected = sorted(vec![
                (p1, t[1]), (p1, t[2]), (p1, t[3]),
                (p3, t[0]), (p3, t[1]), (p3, t[3]),
                (p4, t[4]), (p4, t[5]),
            ]);
            assert_eq!(links(&db, "posts_tags"), expected);
            assert_eq!(
                q!(db, posts::tags::replace_many(&sets)).unwrap(),
                Changes::default(),
                "nothing to do"
            );
            assert_eq!(q!(db, posts::tags::replace_many(&[] as &[(i64, Vec<i64>)])).unwrap(), Changes::default());

            // An owner listed twice gets the union of its sets; slices do as well as vectors.
            let twice: [(i64, &[i64]); 3] = [(p1, &[t[0]]), (p4, &[t[4]]), (p1, &[t[5], t[0]])];
            assert_eq!(
                q!(db, posts::tags::replace_many(&twice)).unwrap(),
                Changes { added: 2, removed: 4 }
            );
            let expected = sorted(vec![
                (p1, t[0]), (p1, t[5]),
                (p3, t[0]), (p3, t[1]), (p3, t[3]),
                (p4, t[4]),
            ]);
            assert_eq!(links(&db, "posts_tags"), expected);
            assert_eq!(db.count("tags"), 6, "targets are never deleted");
        }

        #[test]
        fn a_missing_row_half_way_fails_and_changes_nothing() {
            let Some(db) = database("replace_many_missing") else { return };
            let (rpo, hackers) = (movie(&db, "Ready Player One"), movie(&db, "Hackers"));
            let (tye, olivia) = (actor(&db, "Tye"), actor(&db, "Olivia"));
            q!(db, reference::movies::actors::insert(rpo.id, &[tye.id])).unwrap();
            q!(db, reference::movies::actors::insert(hackers.id, &[olivia.id])).unwrap();
            let before = links(&db, "movies_actors");

            // The first owner's set is fine, the second links a missing actor.
            let sets = [(rpo.id, vec![olivia.id]), (hackers.id, vec![tye.id, 999])];
            let error = q!(db, reference::movies::actors::replace_many(&sets)).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!(links(&db, "movies_actors"), before, "the deletes are undone too");
            // A missing owner with a set fails; with an empty set it has nothing to do.
            let sets = [(rpo.id, vec![]), (12345, vec![tye.id])];
            assert!(q!(db, reference::movies::actors::replace_many(&sets)).is_err());
            assert_eq!(links(&db, "movies_actors"), before);
            let sets = [(12345, vec![])];
            assert_eq!(q!(db, reference::movies::actors::replace_many(&sets)).unwrap(), Changes::default());
        }

        #[test]
        fn inside_the_callers_transaction() {
            let Some(mut db) = database("replace_many_tx") else { return };
            let (p1, t) = post_and_tags(&db, 3);
            let p2 = post_and_tags(&db, 0).0;
            q!(db, posts::tags::insert(p1, &[t[0]])).unwrap();
            let before = links(&db, "posts_tags");

            let tx = db.begin();
            let sets = [(p1, vec![t[1]]), (p2, vec![t[1], t[2]])];
            assert_eq!(q!(tx, posts::tags::replace_many(&sets)).unwrap(), Changes { added: 3, removed: 1 });
            assert_eq!(q!(tx, posts::tags::count(p2)).unwrap(), 2, "seen inside");
            tx.rollback();
            assert_eq!(links(&db, "posts_tags"), before);

            let tx = db.begin();
            q!(tx, posts::tags::replace_many(&sets)).unwrap();
            tx.commit();
            assert_eq!(links(&db, "posts_tags"), sorted(vec![(p1, t[1]), (p2, t[1]), (p2, t[2])]));

            // A failure inside: a statement's failure, as `replace`'s is.
            let tx = db.begin();
            q!(tx, posts::tags::insert(p1, &[t[2]])).unwrap();
            assert!(q!(tx, posts::tags::replace_many(&[(p1, vec![999])])).is_err());
            let count = q!(tx, posts::tags::count(p1));
            if FAILED_STATEMENT_FAILS_TRANSACTION {
                assert!(count.is_err(), "{NAME}: the caller's transaction has failed");
                tx.rollback();
                assert_eq!(links(&db, "posts_tags"), sorted(vec![(p1, t[1]), (p2, t[1]), (p2, t[2])]));
            } else {
                assert_eq!(count.unwrap(), 2, "{NAME}: only replace_many is undone");
                tx.commit();
                assert_eq!(
                    links(&db, "posts_tags"),
                    sorted(vec![(p1, t[1]), (p1, t[2]), (p2, t[1]), (p2, t[2])])
                );
            }
        }

        #[test]
        fn composite_keys_on_either_side() {
            use composite::{assignments, bins, suppliers, warehouses, workers};
            let Some(db) = Db::fresh("replace_many_composite") else { return };
            q!(db, composite::create_all()).unwrap();
            for (region, code) in [("eu", 1), ("eu", 2), ("us", 1)] {
                let new = warehouses::NewWarehouse { region: region.into(), code, name: format!("{region}-{code}") };
                q!(db, warehouses::Warehouse::insert(&new)).unwrap();
            }
            for (region, code, label) in [("eu", 1, "a"), ("eu", 1, "b"), ("eu", 2, "a"), ("us", 1, "a")] {
                let new = bins::NewBin { label: label.into(), warehouse_region: region.into(), warehouse_code: code };
                q!(db, bins::Bin::insert(&new)).unwrap();
            }
            let supplier = |name: &str| q!(db, suppliers::Supplier::insert(&suppliers::NewSupplier { name: name.into() })).unwrap().id;
            let (acme, bolt) = (supplier("acme"), supplier("bolt"));
            let worker = |name: &str| q!(db, workers::Worker::insert(&workers::NewWorker { name: name.into() })).unwrap().id;
            let (ann, bob) = (worker("Ann"), worker("Bob"));
            let supplier_links = || {
                db.strings("SELECT supplier_id || ' ' || warehouse_region || '/' || warehouse_code FROM warehouse_suppliers ORDER BY 1")
            };

            // A composite target: ("eu", 1) must not match ("eu", 2) or ("us", 1).
            q!(db, suppliers::warehouses::insert(acme, &[("eu", 1), ("us", 1)])).unwrap();
            let sets = [(acme, vec![("eu", 2), ("us", 1)]), (bolt, vec![("eu", 1)])];
            assert_eq!(
                { let c = q!(db, suppliers::warehouses::replace_many(&sets)).unwrap(); (c.added, c.removed) },
                (2, 1)
            );
            assert_eq!(supplier_links(), [format!("{acme} eu/2"), format!("{acme} us/1"), format!("{bolt} eu/1")]);

            // A composite owner.
            let sets = [(("eu", 1), vec![acme]), (("eu", 2), vec![])];
            assert_eq!(
                { let c = q!(db, warehouses::suppliers::replace_many(&sets)).unwrap(); (c.added, c.removed) },
                (1, 2)
            );
            assert_eq!(supplier_links(), [format!("{acme} eu/1"), format!("{acme} us/1")]);

            // A join schema between a three-column key and a single one: the
            // join row's default (hours 8) and timestamp are set.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let sets = [(ann, vec![("eu", 1, "a"), ("eu", 1, "b")]), (bob, vec![("eu", 1, "a"), ("us", 1, "a")])];
            assert_eq!({ let c = q!(db, workers::bins::replace_many(&sets)).unwrap(); (c.added, c.removed) }, (4, 0));
            let rows = q!(db, assignments::Assignment::all()).unwrap();
            assert_eq!(rows.len(), 4);
            assert!(rows.iter().all(|r| r.hours == 8 && r.assigned_at >= before));
            let sets = [(("eu", 1, "a"), vec![bob]), (("us", 1, "a"), vec![])];
            assert_eq!({ let c = q!(db, bins::workers::replace_many(&sets)).unwrap(); (c.added, c.removed) }, (0, 2));
            let stored = db.strings(
                "SELECT worker_id || ' ' || bin_region || '/' || bin_code || '/' || bin_label FROM assignments ORDER BY 1",
            );
            assert_eq!(stored, [format!("{ann} eu/1/b"), format!("{bob} eu/1/a")]);
        }

        #[test]
        fn a_join_schema_keeps_its_associations_apart() {
            use join_schema::{memberships, people, projects};
            let Some(db) = Db::fresh("replace_many_join_schema") else { return };
            q!(db, join_schema::create_all()).unwrap();
            let project = |name: &str| q!(db, projects::Project::insert(&projects::NewProject { name: name.into() })).unwrap().id;
            let person = |name: &str| q!(db, people::Person::insert(&people::NewPerson { name: name.into() })).unwrap().id;
            let (mortise, ecto) = (project("mortise"), project("ecto"));
            let (ann, bob, cy) = (person("Ann"), person("Bob"), person("Cy"));
            q!(db, projects::members::insert(mortise, &[ann, bob])).unwrap();
            q!(db, projects::reviewers::insert(mortise, &[cy])).unwrap();

            // Reviewers only: members (kind `member`) stay, new rows are
            // reviewers at position 100 (join_defaults) with a creation time.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let sets = [(mortise, vec![ann]), (ecto, vec![bob, cy])];
            assert_eq!(
                { let c = q!(db, projects::reviewers::replace_many(&sets)).unwrap(); (c.added, c.removed) },
                (3, 1)
            );
            let stored = q!(db, memberships::Membership::all()).unwrap();
            assert!(stored.iter().filter(|m| m.kind == "reviewer").all(|m| m.created_at >= before));
            let mut rows: Vec<_> = stored.into_iter().map(|m| (m.project_id, m.person_id, m.kind, m.position)).collect();
            rows.sort();
            let row = |project, person, kind: &str, position| (project, person, kind.to_owned(), position);
            // A pair may be both a member and a reviewer (one row per kind).
            let mut expected = vec![
                row(mortise, ann, "member", 0),
                row(mortise, bob, "member", 0),
                row(mortise, ann, "reviewer", 100),
                row(ecto, bob, "reviewer", 100),
                row(ecto, cy, "reviewer", 100),
            ];
            expected.sort();
            assert_eq!(rows, expected);
            // Members only: the reviewers stay.
            assert_eq!(
                { let c = q!(db, projects::members::replace_many(&[(mortise, vec![bob]), (ecto, vec![])])).unwrap(); (c.added, c.removed) },
                (0, 1)
            );
            assert_eq!(db.count("memberships"), 4);
        }

        #[test]
        fn on_a_database_mortise_did_not_create() {
            use owner_target::{owners, targets};
            let Some(db) = Db::fresh("replace_many_owner_target") else { return };
            db.exec(&$crate::suite::script("owner_target", SCRIPTS));
            let all = db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" ORDER BY 1, 2"#);
            // 200 owners (every fifth), each now linked to targets near its id.
            let listed: Vec<i64> = (1..=1_000).step_by(5).collect();
            let sets: Vec<(i64, Vec<i64>)> = listed
                .iter()
                .map(|&o| (o, (0..(o % 9)).map(|k| 1 + (o * 7 + k * 13) % 200).collect()))
                .collect();
            let mut expected: Vec<(i64, i64)> = all.iter().copied().filter(|(o, _)| !listed.contains(o)).collect();
            expected.extend(sets.iter().flat_map(|(o, ts)| ts.iter().map(move |t| (*o, *t))));
            let expected = sorted(expected);
            let was: BTreeSet<(i64, i64)> = all.iter().copied().collect();
            let now: BTreeSet<(i64, i64)> = expected.iter().copied().collect();
            let changes = q!(db, owners::targets::replace_many(&sets)).unwrap();
            assert_eq!(
                (changes.added, changes.removed),
                (now.difference(&was).count(), was.difference(&now).count())
            );
            assert_eq!(db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" ORDER BY 1, 2"#), expected);
            // The other direction: targets as owners.
            let sets = [(3, vec![1, 2]), (4, vec![])];
            q!(db, targets::owners::replace_many(&sets)).unwrap();
            assert_eq!(db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" WHERE "TargetId" IN (3, 4) ORDER BY 1"#), [(1, 3), (2, 3)]);
        }

        #[test]
        fn writers_replacing_overlapping_owners_in_random_orders_end_in_a_serial_order() {
            // Eight connections, each running rounds of replace_many over
            // about half of 12 posts in an order of its own (and `insert`
            // between them): no deadlock, no error, and the end state is
            // what some serial order of the calls leaves.
            let Some(db) = Db::shared("replace_many_race") else { return };
            q!(db, reference::create_all()).unwrap();
            let (first, tag_ids) = post_and_tags(&db, 30);
            let post_ids: Vec<i64> = std::iter::once(first).chain((1..12).map(|_| post_and_tags(&db, 0).0)).collect();
            // Writer `writer`'s sets in round `round`: shuffled owners, each
            // with a shuffled third of the tags.
            let shuffle = |mut ids: Vec<i64>, seed: u64| {
                let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
                for i in (1..ids.len()).rev() {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ids.swap(i, (x % (i as u64 + 1)) as usize);
                }
                ids
            };
            let sets = |writer: u64, round: u64| -> Vec<(i64, Vec<i64>)> {
                let owners: Vec<i64> = post_ids.iter().copied().filter(|p| (*p as u64 + writer + round) % 2 == 0).collect();
                shuffle(owners, writer * 100 + round)
                    .into_iter()
                    .map(|p| {
                        let mine = tag_ids.iter().copied().filter(|t| (*t as u64 + p as u64 + writer) % 3 == 0).collect();
                        (p, shuffle(mine, writer * 1_000 + round + p as u64))
                    })
                    .collect()
            };
            let connections: Vec<Db> = (0..8).map(|_| db.opener().open()).collect();
            let start = std::sync::Barrier::new(8);
            let rounds = 15u64;
            let failures: Vec<String> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .zip(0u64..)
                    .map(|(db, writer)| {
                        let (start, sets, post_ids, tag_ids) = (&start, &sets, &post_ids, &tag_ids);
                        scope.spawn(move || {
                            start.wait();
                            let mut failures = Vec::new();
                            for round in 0..rounds {
                                if let Err(e) = q!(db, posts::tags::replace_many(&sets(writer, round))) {
                                    failures.push(format!("writer {writer}, round {round}: {e}"));
                                }
                                // An append racing the others' replace_many.
                                let post = post_ids[((writer + round) % 12) as usize];
                                if let Err(e) = q!(db, posts::tags::insert(post, &tag_ids[..3])) {
                                    failures.push(format!("writer {writer}, round {round}, insert: {e}"));
                                }
                            }
                            failures
                        })
                    })
                    .collect();
                threads.into_iter().flat_map(|t| t.join().expect("no thread panics")).collect()
            });
            assert!(failures.is_empty(), "{} failed: {:#?}", failures.len(), &failures[..failures.len().min(3)]);
            // In a serial order, each post ends as the last call that wrote it
            // left it: some writer's replace_many set, or one plus an append.
            for post in &post_ids {
                let state: BTreeSet<i64> = db
                    .pairs(&format!("SELECT tag_id, post_id FROM posts_tags WHERE post_id = {post}"))
                    .into_iter()
                    .map(|(tag, _)| tag)
                    .collect();
                let append: BTreeSet<i64> = tag_ids[..3].iter().copied().collect();
                let possible = (0..8u64).flat_map(|writer| (0..rounds).map(move |round| (writer, round))).any(|(writer, round)| {
                    sets(writer, round).into_iter().filter(|(p, _)| p == post).any(|(_, set)| {
                        let set: BTreeSet<i64> = set.into_iter().collect();
                        state == set || state == set.union(&append).copied().collect()
                    })
                }) || state == append;
                assert!(possible, "post {post}: {state:?} is the end of no serial order");
            }
        }
    };
}
