//! The many_to_many link helpers of the reference schema (GORM's append,
//! delete, replace, clear): the join table stays a set, failures change
//! nothing, and the helpers compose with the caller's transaction.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_links {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use $crate::suite::names;
        use super::associations::{actor, database, links, movie};
        use reference::{Changes, chat_group_users, chat_groups, movies, posts, tags, users};

        #[test]
        fn link_helpers_keep_the_join_table_a_set() {
            let Some(db) = database("links_set") else { return };
            let new = posts::NewPost { title: "t".into(), body: "b".into(), ..Default::default() };
            let post = q!(db, posts::Post::insert(&new)).unwrap();
            let tag = |name: &str| q!(db, tags::Tag::insert(&tags::NewTag { name: name.into() })).unwrap().id;
            let (rust, sql, yaml, go) = (tag("rust"), tag("sql"), tag("yaml"), tag("go"));

            // Append: repeated ids in one call are fine, existing links are left alone.
            assert_eq!(q!(db, posts::tags::insert(post.id, &[rust, sql, rust])).unwrap(), 2);
            assert_eq!(q!(db, posts::tags::insert(post.id, &[sql, yaml])).unwrap(), 1);
            assert_eq!(q!(db, posts::tags::insert(post.id, &[sql])).unwrap(), 0);
            assert_eq!(q!(db, posts::tags::insert(post.id, &[])).unwrap(), 0);
            assert_eq!(q!(db, posts::tags::count(post.id)).unwrap(), 3);
            assert_eq!(
                names(&q!(db, posts::tags::list(post.id)).unwrap(), |t| &t.name),
                ["rust", "sql", "yaml"]
            );
            assert_eq!(links(&db, "posts_tags"), [(post.id, rust), (post.id, sql), (post.id, yaml)]);

            // Delete unlinks only, and never deletes tags.
            assert_eq!(q!(db, posts::tags::delete(post.id, &[yaml, go])).unwrap(), 1);
            assert_eq!(q!(db, tags::Tag::all()).unwrap().len(), 4);

            // Replace writes only the difference and says what it was.
            assert_eq!(
                q!(db, posts::tags::replace(post.id, &[sql, go, go])).unwrap(),
                Changes { added: 1, removed: 1 }
            );
            assert_eq!(names(&q!(db, posts::tags::list(post.id)).unwrap(), |t| &t.name), ["go", "sql"]);
            assert_eq!(
                q!(db, posts::tags::replace(post.id, &[go, sql])).unwrap(),
                Changes::default(),
                "nothing to do"
            );
            assert_eq!(
                q!(db, posts::tags::replace(post.id, &[])).unwrap(),
                Changes { added: 0, removed: 2 }
            );
            assert_eq!(q!(db, posts::tags::count(post.id)).unwrap(), 0);
            assert_eq!(
                q!(db, posts::tags::replace(post.id, &[sql, rust])).unwrap(),
                Changes { added: 2, removed: 0 }
            );

            assert_eq!(q!(db, posts::tags::clear(post.id)).unwrap(), 2);
            assert_eq!(q!(db, posts::tags::clear(post.id)).unwrap(), 0);
            assert_eq!(q!(db, tags::Tag::all()).unwrap().len(), 4, "targets are never deleted");
        }

        #[test]
        fn a_link_to_a_missing_row_fails_and_changes_nothing() {
            let Some(db) = database("links_missing") else { return };
            let rpo = movie(&db, "Ready Player One");
            let (tye, olivia) = (actor(&db, "Tye"), actor(&db, "Olivia"));
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();
            let before = links(&db, "movies_actors");

            let error = q!(db, movies::actors::insert(rpo.id, &[olivia.id, 999])).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!(links(&db, "movies_actors"), before, "one statement: all or nothing");
            // replace deletes, then inserts: the failed insert undoes the delete.
            let error = q!(db, movies::actors::replace(rpo.id, &[olivia.id, 999])).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!(links(&db, "movies_actors"), before);
            assert!(
                q!(db, movies::actors::insert(12345, &[tye.id])).is_err(),
                "a missing owner too"
            );
            assert!(q!(db, movies::actors::replace(12345, &[tye.id])).is_err());
            assert_eq!(links(&db, "movies_actors"), before);
        }

        #[test]
        fn helpers_roll_back_with_the_callers_transaction() {
            let Some(mut db) = database("links_rollback") else { return };
            let rpo = movie(&db, "Ready Player One");
            let (tye, olivia) = (actor(&db, "Tye"), actor(&db, "Olivia"));
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();

            // The caller rolls back: everything inside goes, helpers included.
            let tx = db.begin();
            assert_eq!(
                q!(tx, movies::actors::replace(rpo.id, &[olivia.id])).unwrap(),
                Changes { added: 1, removed: 1 }
            );
            assert_eq!(q!(tx, movies::actors::insert(rpo.id, &[tye.id])).unwrap(), 1);
            assert_eq!(q!(tx, movies::actors::count(rpo.id)).unwrap(), 2, "seen inside");
            assert_eq!(q!(tx, movies::actors::clear(rpo.id)).unwrap(), 2);
            tx.rollback();
            assert_eq!(links(&db, "movies_actors"), [(rpo.id, tye.id)]);

            // The caller commits: everything stays.
            let tx = db.begin();
            q!(tx, movies::actors::replace(rpo.id, &[olivia.id])).unwrap();
            tx.commit();
            assert_eq!(links(&db, "movies_actors"), [(rpo.id, olivia.id)]);
        }

        #[test]
        fn a_failed_replace_inside_the_callers_transaction_fails_as_a_statement_does() {
            // Inside the caller's transaction, replace writes nothing of its
            // own and behaves as one statement of the database: on SQLite (a
            // savepoint of its own) its failure undoes only itself and the
            // caller's transaction goes on; on PostgreSQL (no savepoint, a
            // round trip less each way) its failure fails the caller's
            // transaction, as any failing statement does there, so nothing
            // of that transaction can be committed.
            let Some(mut db) = database("links_savepoint") else { return };
            let rpo = movie(&db, "Ready Player One");
            let (tye, olivia) = (actor(&db, "Tye"), actor(&db, "Olivia"));
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();

            let tx = db.begin();
            q!(tx, movies::actors::insert(rpo.id, &[olivia.id])).unwrap();
            assert!(q!(tx, movies::actors::replace(rpo.id, &[999])).is_err());
            let count = q!(tx, movies::actors::count(rpo.id));
            if FAILED_STATEMENT_FAILS_TRANSACTION {
                assert!(count.is_err(), "{NAME}: the caller's transaction has failed");
                tx.rollback();
                assert_eq!(links(&db, "movies_actors"), [(rpo.id, tye.id)], "{NAME}: nothing of it stays");
            } else {
                assert_eq!(count.unwrap(), 2, "{NAME}: the caller's earlier work stands");
                tx.commit();
                assert_eq!(links(&db, "movies_actors"), [(rpo.id, tye.id), (rpo.id, olivia.id)]);
            }
        }

        #[test]
        fn join_schema_links_get_defaults_and_timestamps() {
            let Some(db) = database("links_join_schema") else { return };
            let ann = q!(db, users::User::insert(&users::NewUser { name: "Ann".into(), email: None })).unwrap();
            let group = |name: &str| {
                q!(db, chat_groups::ChatGroup::insert(&chat_groups::NewChatGroup { name: name.into() })).unwrap()
            };
            let (rust, sql) = (group("rust"), group("sql"));
            // Stored times are whole microseconds: compare with the same.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            assert_eq!(q!(db, users::chat_groups::insert(ann.id, &[rust.id, sql.id])).unwrap(), 2);
            let rows = q!(db, chat_group_users::ChatGroupUser::all()).unwrap();
            assert_eq!(rows.len(), 2);
            for row in &rows {
                assert_eq!(row.role, "member", "the column's default");
                assert!(row.inserted_at >= before && row.inserted_at == row.updated_at);
            }
            assert_eq!(q!(db, chat_groups::users::count(rust.id)).unwrap(), 1);
            assert_eq!(
                q!(db, users::chat_groups::replace(ann.id, &[sql.id])).unwrap(),
                Changes { added: 0, removed: 1 }
            );
            let mut groups = q!(db, chat_groups::ChatGroup::all()).unwrap();
            q!(db, chat_groups::users::preload(groups.iter_mut())).unwrap();
            assert!(groups[0].users.get().unwrap().is_empty());
            assert_eq!(names(groups[1].users.get().unwrap(), |u| &u.name), ["Ann"]);
        }
    };
}
