//! Several connections writing the same links at once: sixteen appending
//! overlapping links to one owner (in one order, and in random orders),
//! `replace` racing `insert`, an owner's `delete` racing a child's insert,
//! eight linking the same pair of a join schema; and eight running one
//! `UPDATE … RETURNING` query on overlapping rows. Each thread has a connection of its own
//! (on tokio-postgres, a runtime and a client of its own), all to one
//! database: on SQLite a file in WAL mode where writers wait for each
//! other (busy timeout), on PostgreSQL a schema.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_concurrency {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::collections::BTreeSet;
        use std::sync::Barrier;
        use reference::{posts, tags};

        fn database(test: &str) -> Option<Db> {
            let db = Db::shared(test)?;
            q!(db, reference::create_all()).unwrap();
            Some(db)
        }

        /// A post and `n` tags `t0`, `t1`, ...
        fn post_and_tags(db: &Db, n: usize) -> (i64, Vec<i64>) {
            let new = posts::NewPost { title: "t".into(), body: "b".into(), ..Default::default() };
            let post = q!(db, posts::Post::insert(&new)).unwrap();
            let tags = (0..n)
                .map(|i| q!(db, tags::Tag::insert(&tags::NewTag { name: format!("t{i}") })).unwrap().id)
                .collect();
            (post.id, tags)
        }

        /// `ids` in an order of their own: a xorshift shuffle from `seed`.
        fn shuffled(mut ids: Vec<i64>, seed: u64) -> Vec<i64> {
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for i in (1..ids.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ids.swap(i, (x % (i as u64 + 1)) as usize);
            }
            ids
        }

        fn link_set(db: &Db, post: i64) -> BTreeSet<i64> {
            db.pairs(&format!("SELECT tag_id, post_id FROM posts_tags WHERE post_id = {post}"))
                .into_iter()
                .map(|(tag, _)| tag)
                .collect()
        }

        #[test]
        fn sixteen_connections_appending_overlapping_links_store_each_once() {
            let Some(db) = database("appends") else { return };
            let (post, tag_ids) = post_and_tags(&db, 40);
            // Opened here, so that no thread can fail before the barrier.
            let connections: Vec<Db> = (0..16).map(|_| db.opener().open()).collect();
            let start = Barrier::new(16);
            // Connection i links tags 3i..3i+10 (mod 40), five times over.
            let added: usize = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .enumerate()
                    .map(|(i, db)| {
                        let mine: Vec<i64> = (0..10).map(|k| tag_ids[(i * 3 + k) % 40]).collect();
                        let start = &start;
                        scope.spawn(move || {
                            start.wait();
                            (0..5).map(|_| q!(db, posts::tags::insert(post, &mine)).unwrap()).sum::<usize>()
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().expect("no thread panics")).sum()
            });
            let expected: BTreeSet<i64> = (0..16usize)
                .flat_map(|i| (0..10).map(move |k| (i * 3 + k) % 40))
                .map(|k| tag_ids[k])
                .collect();
            assert_eq!(link_set(&db, post), expected);
            assert_eq!(added, expected.len(), "each link was new exactly once");
            assert_eq!(db.count("posts_tags") as usize, expected.len(), "no duplicates");
        }

        #[test]
        fn replace_racing_insert_ends_in_a_serial_order() {
            let Some(db) = database("race") else { return };
            let (post, ids) = post_and_tags(&db, 8);
            let replacement: Vec<i64> = ids[..4].to_vec();
            let appended: Vec<i64> = ids[3..].to_vec();
            let only_replace: BTreeSet<i64> = replacement.iter().copied().collect();
            let replace_then_insert: BTreeSet<i64> = replacement.iter().chain(&appended).copied().collect();
            // Opened here, so that no thread can fail outside the rounds.
            let workers_db = [db.opener().open(), db.opener().open()];
            // Each round: this thread resets the links, both connections
            // start together, then this thread reads what they left. Nothing
            // panics inside the rounds (a panic would leave the others
            // waiting at a barrier): failures are collected, then asserted.
            let (start, done) = (Barrier::new(3), Barrier::new(3));
            let rounds = 50;
            let mut seen = BTreeSet::new();
            let mut failures = Vec::new();
            std::thread::scope(|scope| {
                let worker = |replace: bool, db: Db| {
                    let (start, done) = (&start, &done);
                    let (replacement, appended) = (&replacement, &appended);
                    scope.spawn(move || {
                        let mut failures = Vec::new();
                        for round in 0..rounds {
                            start.wait();
                            let outcome = if replace {
                                q!(db, posts::tags::replace(post, replacement)).map(|_| ())
                            } else {
                                q!(db, posts::tags::insert(post, appended)).map(|_| ())
                            };
                            if let Err(e) = outcome {
                                failures.push(format!("round {round}: replace {replace}: {e}"));
                            }
                            done.wait();
                        }
                        failures
                    })
                };
                let [replacer, inserter] = workers_db;
                let workers = [worker(true, replacer), worker(false, inserter)];
                for round in 0..rounds {
                    let cleared = q!(db, posts::tags::clear(post));
                    let reset = cleared.and_then(|_| q!(db, posts::tags::insert(post, &ids[6..])));
                    if let Err(e) = reset {
                        failures.push(format!("round {round}: reset: {e}"));
                    }
                    start.wait();
                    done.wait();
                    let state = link_set(&db, post);
                    if state != only_replace && state != replace_then_insert {
                        failures.push(format!("round {round}: {state:?} is no serial order"));
                    }
                    seen.insert(state == only_replace);
                }
                for worker in workers {
                    failures.extend(worker.join().expect("no worker panics"));
                }
            });
            assert!(failures.is_empty(), "{failures:#?}");
            eprintln!(
                "{NAME}: serial orders seen: insert-then-replace {}, replace-then-insert {}",
                seen.contains(&true),
                seen.contains(&false)
            );
        }

        #[test]
        fn sixteen_connections_linking_overlapping_sets_in_random_orders_never_fail() {
            // Each call links about two thirds of 40 tags, in an order of its
            // own: without a common order PostgreSQL's writers deadlock.
            let Some(db) = database("random_orders") else { return };
            let (post, tag_ids) = post_and_tags(&db, 40);
            let connections: Vec<Db> = (0..16).map(|_| db.opener().open()).collect();
            let start = Barrier::new(16);
            let rounds = 40u64;
            let failures: Vec<String> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .zip(0u64..)
                    .map(|(db, writer)| {
                        let (start, tag_ids) = (&start, &tag_ids);
                        scope.spawn(move || {
                            start.wait();
                            let mut failures = Vec::new();
                            for round in 0..rounds {
                                let mine: Vec<i64> = tag_ids
                                    .iter()
                                    .copied()
                                    .filter(|id| (*id as u64 + writer + round) % 3 != 0)
                                    .collect();
                                let mine = shuffled(mine, writer * 1_000 + round);
                                if let Err(e) = q!(db, posts::tags::insert(post, &mine)) {
                                    failures.push(format!("writer {writer}, round {round}: {e}"));
                                }
                            }
                            failures
                        })
                    })
                    .collect();
                threads.into_iter().flat_map(|t| t.join().expect("no thread panics")).collect()
            });
            assert!(failures.is_empty(), "{} of {} calls failed: {:#?}", failures.len(), 16 * rounds, &failures[..failures.len().min(3)]);
            assert_eq!(link_set(&db, post), tag_ids.iter().copied().collect::<BTreeSet<i64>>());
        }

        #[test]
        fn sixteen_callers_transactions_replacing_overlapping_sets_end_in_a_serial_order() {
            // Each of 16 connections runs rounds of a transaction of its
            // own that replaces the links of two posts (the first, then the
            // second, as a caller who orders its locks does) with sets that
            // overlap other writers' and come in orders of their own, then
            // commits. Whatever the interleaving, the end state must be one
            // a serial order of those transactions gives: both posts as the
            // last transaction of one writer left them.
            let Some(db) = database("replace_in_transactions") else { return };
            let (first, tag_ids) = post_and_tags(&db, 40);
            let (second, _) = post_and_tags(&db, 0);
            q!(db, posts::tags::insert(first, &tag_ids[..20])).unwrap();
            q!(db, posts::tags::insert(second, &tag_ids[20..])).unwrap();
            // Writer `writer`'s sets in round `round`: about two thirds and
            // three quarters of the tags, shuffled.
            let sets = |writer: u64, round: u64| -> [Vec<i64>; 2] {
                let pick = |modulus: u64, shift: u64, seed: u64| {
                    let ids = tag_ids.iter().copied().filter(|id| (*id as u64 + shift) % modulus != 0).collect();
                    shuffled(ids, seed)
                };
                [pick(3, writer + round, writer * 1_000 + round), pick(4, 2 * writer + round, writer * 1_000 + round + 500)]
            };
            let connections: Vec<Db> = (0..16).map(|_| db.opener().open()).collect();
            let start = Barrier::new(16);
            let rounds = 10u64;
            let failures: Vec<String> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .zip(0u64..)
                    .map(|(mut db, writer)| {
                        let (start, sets) = (&start, &sets);
                        scope.spawn(move || {
                            start.wait();
                            let mut failures = Vec::new();
                            for round in 0..rounds {
                                let [mine_first, mine_second] = sets(writer, round);
                                let tx = db.begin();
                                let mut written = q!(tx, posts::tags::replace(first, &mine_first));
                                if written.is_ok() {
                                    written = q!(tx, posts::tags::replace(second, &mine_second));
                                }
                                match written {
                                    Ok(_) => tx.commit(),
                                    Err(e) => {
                                        failures.push(format!("writer {writer}, round {round}: {e}"));
                                        tx.rollback();
                                    }
                                }
                            }
                            failures
                        })
                    })
                    .collect();
                threads.into_iter().flat_map(|t| t.join().expect("no thread panics")).collect()
            });
            assert!(failures.is_empty(), "{} of {} transactions failed: {:#?}", failures.len(), 16 * rounds, &failures[..failures.len().min(3)]);
            // A serial order runs each writer's rounds in turn: the last
            // transaction of that order is some writer's last round.
            let state = [link_set(&db, first), link_set(&db, second)];
            let serial_ends: Vec<u64> = (0..16)
                .filter(|&writer| {
                    let [a, b] = sets(writer, rounds - 1);
                    state == [a.into_iter().collect(), b.into_iter().collect()]
                })
                .collect();
            assert!(!serial_ends.is_empty(), "{state:?} is the end of no serial order");
        }

        #[test]
        fn an_owner_delete_racing_a_child_insert_ends_in_a_serial_order() {
            use reference::users;
            // users.posts is `nilify_all` and posts.author_id's foreign key
            // has no ON DELETE action: `delete` itself must find every post,
            // including one whose insert commits while the delete waits.
            let Some(db) = database("delete_race") else { return };
            let mut other = db.opener().open();
            for round in 0..5 {
                let user = q!(db, users::User::insert(&users::NewUser { name: format!("u{round}"), email: None })).unwrap();
                let inserted = Barrier::new(2);
                let (deleted, child) = std::thread::scope(|scope| {
                    let (inserted, other) = (&inserted, &mut other);
                    let child = scope.spawn(move || {
                        let tx = other.begin();
                        let new = posts::NewPost { title: "t".into(), body: "b".into(), author_id: Some(user.id), ..Default::default() };
                        let post = q!(tx, posts::Post::insert(&new));
                        inserted.wait();
                        // The delete now waits for this transaction.
                        std::thread::sleep(std::time::Duration::from_millis(150));
                        post.map(|post| {
                            tx.commit();
                            post.id
                        })
                    });
                    inserted.wait();
                    let deleted = q!(db, users::User::delete(user.id));
                    (deleted, child.join().expect("no thread panics"))
                });
                // The serial order: the insert, then the delete, which
                // leaves the post without an author.
                let post = child.expect("the post insert commits first");
                assert!(deleted.expect("the delete sees the new post and nulls its author"));
                let author = db.int(&format!("SELECT count(author_id) FROM posts WHERE id = {post}"));
                assert_eq!(author, 0, "round {round}: the post keeps no author");
            }
        }

        #[test]
        fn eight_connections_updating_the_same_rows_with_returning_lose_no_update() {
            use movie_queries::{movies, queries};
            // `rerelease` raises the year of a movie released before it
            // (UPDATE ... WHERE released < :year RETURNING ...; on MariaDB
            // locked, updated and read back by key). Raising is `max`, so
            // every serial order ends with each movie at the highest year a
            // call gave it; a lost update (two calls comparing with the same
            // old year) would leave a lower one. One movie per call: several
            // rows per UPDATE lock in scan order, and PostgreSQL then answers
            // overlapping calls with deadlocks, whoever wrote the SQL.
            let Some(db) = Db::shared("update_returning") else { return };
            q!(db, movie_queries::create_all()).unwrap();
            let ids: Vec<i64> = (0..6)
                .map(|i| {
                    let new = movies::NewMovie { title: format!("m{i}"), tagline: None, released: Some(1900), rating: None };
                    q!(db, movies::Movie::insert(&new)).unwrap().id
                })
                .collect();
            let connections: Vec<Db> = (0..8).map(|_| db.opener().open()).collect();
            let start = Barrier::new(8);
            // Connection i, call k: a movie of its shuffled list, raised to
            // a year no other call uses (higher or lower than the others').
            type Call = (i32, i64, Vec<(i64, Option<i32>)>);
            let calls: Vec<Call> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .enumerate()
                    .map(|(i, db)| {
                        let (start, order) = (&start, shuffled(ids.clone(), i as u64 + 1));
                        scope.spawn(move || {
                            start.wait();
                            (0..24)
                                .map(|k| {
                                    let year = 1901 + 8 * ((k * 7 + i * 5) % 24) as i32 + i as i32;
                                    let id = order[k % order.len()];
                                    let rows = q!(db, queries::rerelease(Some(year), &[id])).unwrap();
                                    (year, id, rows.into_iter().map(|r| (r.id, r.released)).collect())
                                })
                                .collect::<Vec<Call>>()
                        })
                    })
                    .collect();
                threads.into_iter().flat_map(|t| t.join().expect("no thread panics")).collect()
            });
            for (year, id, rows) in &calls {
                assert!(rows.len() <= 1, "{NAME}");
                for (row, released) in rows {
                    assert_eq!(row, id, "{NAME}: a call returns the movie it was given");
                    assert_eq!(*released, Some(*year), "{NAME}: a call returns its own update, and no other's");
                }
            }
            let end: Vec<(i64, Option<i32>)> = q!(db, movies::Movie::all()).unwrap().iter().map(|m| (m.id, m.released)).collect();
            for (id, released) in end {
                let highest = calls.iter().filter(|(_, given, _)| *given == id).map(|(year, ..)| *year).max().unwrap();
                assert_eq!(released, Some(highest), "{NAME}: movie {id} ends at the highest year it was given");
                // That call found the movie lower, whenever it ran.
                let (.., rows) = calls.iter().find(|(year, ..)| *year == highest).unwrap();
                assert_eq!(rows.len(), 1, "{NAME}: the highest year's call returned movie {id}");
            }
        }

        #[test]
        fn eight_connections_linking_one_pair_of_a_join_schema_write_one_row() {
            use join_schema::{people, projects};
            let Some(db) = Db::shared("link_race") else { return };
            q!(db, join_schema::create_all()).unwrap();
            let project = q!(db, projects::Project::insert(&projects::NewProject { name: "mortise".into() })).unwrap();
            let ann = q!(db, people::Person::insert(&people::NewPerson { name: "Ann".into() })).unwrap();
            // Opened here, so that no thread can fail before the barrier.
            let connections: Vec<Db> = (0..8).map(|_| db.opener().open()).collect();
            let start = Barrier::new(8);
            let stored: Vec<_> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .zip(0..)
                    .map(|(db, position)| {
                        let start = &start;
                        scope.spawn(move || {
                            let values = projects::members::Link { position, ..Default::default() };
                            start.wait();
                            q!(db, projects::members::link(project.id, ann.id, &values)).unwrap()
                        })
                    })
                    .collect();
                threads.into_iter().flat_map(|t| t.join().expect("no thread panics")).collect()
            });
            assert_eq!(stored.len(), 1, "one link written, the others found it");

            let mut all = q!(db, projects::Project::all()).unwrap();
            q!(db, projects::members::preload_edges(all.iter_mut())).unwrap();
            let edges = all[0].members_edges.get().unwrap();
            assert_eq!(edges.len(), 1);
            assert_eq!(edges[0].link, stored[0]);
            assert_eq!(edges[0].target.name, "Ann");
            assert_eq!(q!(db, projects::members::list_edges(project.id)).unwrap(), edges.clone());
            let reviewer = projects::reviewers::Link::default();
            let row = q!(db, projects::reviewers::link(project.id, ann.id, &reviewer))
                .unwrap()
                .expect("a reviewer row beside the member row");
            assert_eq!((row.kind.as_str(), row.position), ("reviewer", 100));
        }
    };
}
