//! Writes through associations (`association_writes`, `composite`, the
//! reference schema): `create` of children and of linked rows with the
//! association's `where` and `defaults`, a has_one's one row (also under
//! concurrent callers), `attach`/`detach`, failures that write nothing, and
//! reading what a preload filled (`row`, `rows`).

#[macro_export]
#[doc(hidden)]
macro_rules! suite_writes {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::sync::Barrier;
        use association_writes::{NotPreloaded, authors, badges, groups, memberships, posts, profiles, tags};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, association_writes::create_all()).unwrap();
            Some(db)
        }

        fn author(db: &Db, name: &str) -> authors::Author {
            q!(db, authors::Author::insert(&authors::NewAuthor { name: name.into() })).unwrap()
        }

        fn new_post(title: &str, author: Option<i64>) -> posts::NewPost {
            posts::NewPost { title: title.into(), published: true, rating: Some(5), author_id: author }
        }

        fn post(db: &Db, title: &str, published: bool, author: Option<i64>) -> posts::Post {
            let new = posts::NewPost { published, ..new_post(title, author) };
            q!(db, posts::Post::insert(&new)).unwrap()
        }

        fn author_of(db: &Db, post: i64) -> Option<i64> {
            let found = db.int(&format!("SELECT coalesce(author_id, -1) FROM posts WHERE id = {post}"));
            (found >= 0).then_some(found)
        }

        #[test]
        fn create_makes_a_child_with_the_owners_key_and_the_associations_values() {
            let Some(db) = database("create_child") else { return };
            let (ann, bob) = (author(&db, "Ann"), author(&db, "Bob"));
            // `new` names Bob: the owner's key wins.
            let made = q!(db, authors::posts::create(ann.id, &new_post("hello", Some(bob.id)))).unwrap();
            assert_eq!(made.author_id, Some(ann.id));
            assert_eq!((made.title.as_str(), made.published, made.rating), ("hello", true, Some(5)));
            assert_eq!(made.inserted_at, made.updated_at, "timestamps set");
            assert_eq!(q!(db, posts::Post::get(made.id)).unwrap(), Some(made.clone()), "returned as stored");

            // `drafts` has `where: { published: false }` and `defaults: { rating: 1 }`.
            let draft = q!(db, authors::drafts::create(ann.id, &new_post("draft", None))).unwrap();
            assert_eq!((draft.published, draft.rating, draft.author_id), (false, Some(1), Some(ann.id)));
            let drafts = q!(db, authors::drafts::list(ann.id)).unwrap();
            assert_eq!(drafts.iter().map(|p| p.id).collect::<Vec<_>>(), [draft.id], "one of the association's");
            assert_eq!(q!(db, authors::posts::count(ann.id)).unwrap(), 2);
            assert_eq!(q!(db, authors::posts::count(bob.id)).unwrap(), 0);

            // A missing owner is refused by its foreign key, and nothing is written.
            let error = q!(db, authors::posts::create(999, &new_post("x", None))).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!(db.count("posts"), 2);
        }

        #[test]
        fn a_has_one_creates_its_row_once() {
            let Some(db) = database("create_one") else { return };
            let (ann, bob) = (author(&db, "Ann"), author(&db, "Bob"));
            let new = profiles::NewProfile { bio: "first".into(), author_id: bob.id };
            let first = q!(db, authors::profile::create(ann.id, &new)).unwrap().expect("Ann had none");
            assert_eq!((first.author_id, first.bio.as_str()), (ann.id, "first"));
            let again = profiles::NewProfile { bio: "second".into(), ..new };
            assert_eq!(q!(db, authors::profile::create(ann.id, &again)).unwrap(), None, "Ann has one");
            assert_eq!(db.strings("SELECT bio FROM profiles"), ["first"], "nothing written");
            assert!(q!(db, authors::profile::create(bob.id, &again)).unwrap().is_some(), "Bob had none");

            // A UUID key the call makes; `new` holds only the foreign key it ignores.
            let badge = q!(db, authors::badge::create(ann.id, &badges::NewBadge { label: "gold".into(), author_id: None }))
                .unwrap()
                .expect("Ann had no badge");
            assert!(!badge.id.is_nil());
            assert_eq!(badge.author_id, Some(ann.id));
            assert_eq!(q!(db, authors::badge::get(ann.id)).unwrap(), Some(badge));
        }

        #[test]
        fn attach_and_detach_move_children_within_the_associations_where() {
            let Some(db) = database("attach") else { return };
            let (ann, bob) = (author(&db, "Ann"), author(&db, "Bob"));
            let loose = post(&db, "loose", false, None);
            let bobs = post(&db, "bob's", false, Some(bob.id));
            let published = post(&db, "published", true, None);

            // GORM's Append of existing rows: keys that match no row don't count.
            assert_eq!(q!(db, authors::posts::attach(ann.id, &[loose.id, bobs.id, 999])).unwrap(), 2);
            assert_eq!((author_of(&db, loose.id), author_of(&db, bobs.id)), (Some(ann.id), Some(ann.id)));
            assert_eq!(q!(db, authors::posts::attach(ann.id, &[])).unwrap(), 0);
            // `drafts` only moves unpublished posts.
            assert_eq!(q!(db, authors::drafts::attach(bob.id, &[published.id, loose.id])).unwrap(), 1);
            assert_eq!((author_of(&db, published.id), author_of(&db, loose.id)), (None, Some(bob.id)));

            // Detach leaves the rows, without an owner; other owners' children are left alone.
            assert_eq!(q!(db, authors::posts::detach(ann.id, &[loose.id, bobs.id])).unwrap(), 1);
            assert_eq!((author_of(&db, loose.id), author_of(&db, bobs.id)), (Some(bob.id), None));
            assert_eq!(q!(db, authors::drafts::detach_all(bob.id)).unwrap(), 1);
            assert_eq!(q!(db, authors::posts::detach_all(bob.id)).unwrap(), 0);
            assert_eq!(author_of(&db, loose.id), None);
            assert_eq!(db.count("posts"), 3, "no row deleted");

            // A has_one attaches a row only while the owner has none.
            let new = |label: &str| badges::NewBadge { label: label.into(), author_id: None };
            let ann_badge = q!(db, authors::badge::create(ann.id, &new("a"))).unwrap().unwrap();
            let bob_badge = q!(db, authors::badge::create(bob.id, &new("b"))).unwrap().unwrap();
            assert!(!q!(db, authors::badge::attach(ann.id, bob_badge.id)).unwrap(), "Ann has one");
            assert!(q!(db, authors::badge::attach(ann.id, ann_badge.id)).unwrap(), "her own, again");
            assert!(q!(db, authors::badge::detach(ann.id)).unwrap());
            assert!(!q!(db, authors::badge::detach(ann.id)).unwrap(), "none left");
            assert!(q!(db, authors::badge::attach(ann.id, bob_badge.id)).unwrap(), "moved from Bob");
            assert_eq!(q!(db, authors::badge::get(bob.id)).unwrap(), None);
            assert_eq!(q!(db, authors::badge::get(ann.id)).unwrap().map(|b| b.label), Some("b".to_owned()));
            assert_eq!(db.count("badges"), 2);

            // A NOT NULL foreign key has `attach` (no `detach`).
            let profile = q!(db, authors::profile::create(bob.id, &profiles::NewProfile { bio: "b".into(), author_id: 0 }))
                .unwrap()
                .unwrap();
            assert!(q!(db, authors::profile::attach(ann.id, profile.id)).unwrap());
            assert_eq!(q!(db, authors::profile::get(ann.id)).unwrap().map(|p| p.id), Some(profile.id));
            assert!(!q!(db, authors::profile::attach(ann.id, 999)).unwrap(), "no such row");
        }

        #[test]
        fn create_links_new_rows_in_one_call() {
            let Some(db) = database("create_linked") else { return };
            let ann = author(&db, "Ann");
            // `public_tags` has `where: { public: true }` and `defaults: { kind: author }`.
            let made = q!(db, authors::public_tags::create(ann.id, &[
                tags::NewTag { name: "rust".into(), public: false, kind: None },
                tags::NewTag { name: "sql".into(), public: false, kind: Some("topic".into()) },
            ]))
            .unwrap();
            assert_eq!(
                made.iter().map(|t| (t.name.as_str(), t.public, t.kind.as_deref())).collect::<Vec<_>>(),
                [("rust", true, Some("author")), ("sql", true, Some("author"))]
            );
            assert_eq!(q!(db, authors::public_tags::list(ann.id)).unwrap(), made);
            assert!(q!(db, authors::public_tags::create(ann.id, &[])).unwrap().is_empty());
            assert_eq!(db.count("author_tags"), 2);

            // Over a join schema: each new row with its link's values.
            let edges = q!(db, authors::groups::create(ann.id, &[
                (groups::NewGroup { name: "readers".into() }, authors::groups::Link::default()),
                (groups::NewGroup { name: "admins".into() }, authors::groups::Link { role: "admin".into(), note: Some("founder".into()) }),
            ]))
            .unwrap();
            assert_eq!(
                edges.iter().map(|e| (e.target.name.as_str(), e.link.role.as_str(), e.link.note.as_deref())).collect::<Vec<_>>(),
                [("readers", "member", None), ("admins", "admin", Some("founder"))]
            );
            assert!(edges.iter().all(|e| e.link.author_id == ann.id && e.link.group_id == e.target.id));
            let listed: Vec<memberships::Membership> =
                q!(db, authors::groups::list_edges(ann.id)).unwrap().into_iter().map(|e| e.link).collect();
            assert_eq!(listed, edges.iter().map(|e| e.link.clone()).collect::<Vec<_>>(), "as stored");
        }

        #[test]
        fn a_create_that_fails_half_way_writes_nothing() {
            let Some(db) = Db::fresh("create_fails") else { return };
            q!(db, reference::create_all()).unwrap();
            use reference::{posts, tags};
            let new = posts::NewPost { title: "t".into(), body: "b".into(), ..Default::default() };
            let post = q!(db, posts::Post::insert(&new)).unwrap();
            // `tags.name` is unique: the second row fails after the first was inserted.
            let twice = [tags::NewTag { name: "same".into() }, tags::NewTag { name: "same".into() }];
            assert!(q!(db, posts::tags::create(post.id, &twice)).is_err());
            assert_eq!((db.count("tags"), db.count("posts_tags")), (0, 0), "all or none");
            // A missing owner: the rows went in, the link failed; none stays.
            let one = [tags::NewTag { name: "one".into() }];
            let error = q!(db, posts::tags::create(999, &one)).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!((db.count("tags"), db.count("posts_tags")), (0, 0));
            let made = q!(db, posts::tags::create(post.id, &one)).unwrap();
            assert_eq!(q!(db, posts::tags::list(post.id)).unwrap(), made);
        }

        #[test]
        fn composite_keys_create_attach_and_detach() {
            let Some(db) = Db::fresh("writes_composite") else { return };
            q!(db, composite::create_all()).unwrap();
            use composite::{bins, items, warehouses, workers};
            let house = q!(db, warehouses::Warehouse::insert(&warehouses::NewWarehouse {
                region: "eu".into(), code: 7, name: "Main".into(),
            }))
            .unwrap();
            let bin = q!(db, warehouses::bins::create(&house.region, house.code, &bins::NewBin {
                label: "A1".into(), warehouse_region: "us".into(), warehouse_code: 0,
            }))
            .unwrap();
            assert_eq!((bin.warehouse_region.as_str(), bin.warehouse_code, bin.label.as_str()), ("eu", 7, "A1"));

            let item = q!(db, items::Item::insert(&items::NewItem { sku: "x".into(), bin_warehouse_region: None, bin_warehouse_code: None, bin_label: None })).unwrap();
            assert_eq!(q!(db, bins::items::attach(&bin.warehouse_region, bin.warehouse_code, &bin.label, &[item.id])).unwrap(), 1);
            assert_eq!(q!(db, bins::items::list(&bin.warehouse_region, bin.warehouse_code, &bin.label)).unwrap().len(), 1);
            assert_eq!(q!(db, bins::items::detach(&bin.warehouse_region, bin.warehouse_code, &bin.label, &[item.id])).unwrap(), 1);
            assert!(q!(db, bins::items::list(&bin.warehouse_region, bin.warehouse_code, &bin.label)).unwrap().is_empty());

            // A join schema to a composite key, with a value of its own.
            let worker = q!(db, workers::Worker::insert(&workers::NewWorker { name: "Wu".into() })).unwrap();
            let edges = q!(db, workers::bins::create(worker.id, &[(
                bins::NewBin { label: "B2".into(), warehouse_region: "eu".into(), warehouse_code: 7 },
                workers::bins::Link { hours: 3 },
            )]))
            .unwrap();
            assert_eq!((edges[0].target.label.as_str(), edges[0].link.hours), ("B2", 3));
            assert_eq!(q!(db, workers::bins::list(worker.id)).unwrap(), [edges[0].target.clone()]);
        }

        #[test]
        fn preloaded_rows_read_through_row_and_rows() {
            let Some(db) = database("accessors") else { return };
            let (ann, bob) = (author(&db, "Ann"), author(&db, "Bob"));
            let badge = q!(db, authors::badge::create(ann.id, &badges::NewBadge { label: "gold".into(), author_id: None }))
                .unwrap()
                .unwrap();
            let draft = q!(db, authors::drafts::create(ann.id, &new_post("d", None))).unwrap();
            let mut people = vec![ann, bob];
            assert_eq!(people[0].badge.row(), Err(NotPreloaded), "not preloaded is not \"no row\"");
            assert_eq!(people[0].drafts.rows().map(<[_]>::len), Err(NotPreloaded));
            assert_eq!(people[0].drafts.iter().count(), 0, "iter stays lenient, for nested preloads");
            q!(db, authors::badge::preload(people.iter_mut())).unwrap();
            q!(db, authors::drafts::preload(people.iter_mut())).unwrap();
            assert_eq!(people[0].badge.row(), Ok(Some(&badge)));
            assert_eq!(people[1].badge.row(), Ok(None));
            assert_eq!(people[0].drafts.rows(), Ok(&[draft][..]));
            assert_eq!(people[1].drafts.rows().map(<[_]>::len), Ok(0));
            assert!(NotPreloaded.to_string().contains("preload"));
            // Equality compares what was preloaded too (documented).
            let fresh = q!(db, authors::Author::get(people[1].id)).unwrap().unwrap();
            assert_ne!(fresh, people[1]);
        }

        #[test]
        fn concurrent_creates_and_attaches_of_a_has_one_leave_one_row() {
            let Some(db) = Db::shared("has_one_race") else { return };
            q!(db, association_writes::create_all()).unwrap();
            let owners: Vec<i64> = (0..4).map(|i| author(&db, &format!("a{i}")).id).collect();
            // A loose badge per attaching caller and owner: attach moves a
            // badge, so two owners must never be offered the same one.
            let loose: Vec<uuid::Uuid> = (0..16)
                .map(|i| {
                    let new = badges::NewBadge { label: format!("loose{i}"), author_id: None };
                    q!(db, badges::Badge::insert(&new)).unwrap().id
                })
                .collect();
            let connections: Vec<Db> = (0..8).map(|_| db.opener().open()).collect();
            let start = Barrier::new(8);
            // Each owner: four callers create its badge, four attach one of theirs.
            let outcomes: Vec<Result<Vec<bool>, String>> = std::thread::scope(|scope| {
                let threads: Vec<_> = connections
                    .into_iter()
                    .enumerate()
                    .map(|(i, db)| {
                        let (start, owners, loose) = (&start, &owners, &loose);
                        scope.spawn(move || {
                            start.wait();
                            let mut won = Vec::new();
                            for (n, &owner) in owners.iter().enumerate() {
                                let outcome = if i % 2 == 0 {
                                    let new = badges::NewBadge { label: format!("{i}"), author_id: None };
                                    q!(db, authors::badge::create(owner, &new)).map(|b| b.is_some())
                                } else {
                                    q!(db, authors::badge::attach(owner, loose[(i / 2) * 4 + n]))
                                };
                                won.push(outcome.map_err(|e| format!("caller {i}, owner {owner}: {e}"))?);
                            }
                            Ok(won)
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().expect("no thread panics")).collect()
            });
            let outcomes: Vec<Vec<bool>> = outcomes.into_iter().collect::<Result<_, _>>().unwrap();
            for (n, owner) in owners.iter().enumerate() {
                let winners = outcomes.iter().filter(|won| won[n]).count();
                assert_eq!(winners, 1, "owner {owner}: one caller wrote its row");
                assert_eq!(db.int(&format!("SELECT count(*) FROM badges WHERE author_id = {owner}")), 1);
            }
        }
    };
}
