//! The reference schema's `create_all` and every CRUD function of every table.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_crud {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use super::associations::database;
        use reference::{actors, characters, chat_group_users, chat_groups, distributors};
        use reference::{languages, movies, posts, tags, users};


        #[test]
        fn create_all_creates_every_table_and_join_table_and_can_run_again() {
            let Some(db) = database("crud_create_all") else { return };
            q!(db, reference::create_all()).unwrap();
            let expected = [
                "actors",
                "characters",
                "chat_group_users",
                "chat_groups",
                "comments",
                "distributors",
                "friendships",
                "languages",
                "movies",
                "movies_actors",
                "posts",
                "posts_tags",
                "tags",
                "user_languages",
                "users",
            ];
            assert_eq!(db.table_names(), expected);
        }

        #[test]
        fn create_all_makes_tables_that_reference_each_other_and_can_run_again() {
            use cycle::{staff, stores};
            let db = $crate::open_or_skip!(fresh("crud_cycle"));
            q!(db, cycle::create_all()).unwrap();
            q!(db, cycle::create_all()).unwrap();
            let store = q!(db, stores::Store::insert(&stores::NewStore { name: "Lethbridge".into(), manager_id: None })).unwrap();
            let mike = q!(db, staff::StaffMember::insert(&staff::NewStaffMember { name: "Mike".into(), store_id: store.id })).unwrap();
            let mut store = store;
            store.manager_id = Some(mike.id);
            assert!(q!(db, store.update()).unwrap());

            // Both keys hold, whichever table was created first.
            let stray = staff::NewStaffMember { name: "Jon".into(), store_id: store.id + 100 };
            assert!(fk_violation(&q!(db, staff::StaffMember::insert(&stray)).unwrap_err()));
            let mut unmanaged = store.clone();
            unmanaged.manager_id = Some(mike.id + 100);
            assert!(fk_violation(&q!(db, unmanaged.update()).unwrap_err()));

            // And they stay after create_all runs again on the filled tables.
            q!(db, cycle::create_all()).unwrap();
            assert!(fk_violation(&q!(db, staff::StaffMember::insert(&stray)).unwrap_err()));
            let mut stores = q!(db, stores::Store::all()).unwrap();
            q!(db, stores::manager::preload(stores.iter_mut())).unwrap();
            q!(db, stores::staff::preload(stores.iter_mut())).unwrap();
            assert_eq!(stores[0].manager.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Mike"]);
            assert_eq!(stores[0].staff.iter().map(|m| m.id).collect::<Vec<_>>(), [mike.id]);
        }

        #[test]
        fn create_all_is_atomic() {
            let db = $crate::open_or_skip!(fresh("crud_atomic"));
            // A view in the way: its table's CREATE TABLE IF NOT EXISTS
            // passes, the table's index then fails (views have none).
            db.exec("CREATE VIEW \"characters\" AS SELECT 1 AS x");
            assert!(q!(db, reference::create_all()).is_err());
            if NAME == "sqlx-mysql" {
                // MariaDB commits each CREATE by itself (its DDL is not
                // transactional, as `create_all`'s doc says): what was made
                // stays, and a run after the obstacle is gone makes the rest.
                db.exec("DROP VIEW \"characters\"");
                q!(db, reference::create_all()).unwrap();
                assert!(db.table_names().contains(&"characters".to_owned()));
            } else {
                assert!(db.table_names().is_empty(), "nothing of the schema is left behind");
            }
        }

        #[test]
        fn movies_insert_get_all_update_delete() {
            let Some(db) = database("crud_movies") else { return };
            let new = movies::NewMovie {
                title: "Ready Player One".into(),
                tagline: None,
                released: Some(2018),
            };
            let mut movie = q!(db, movies::Movie::insert(&new)).unwrap();
            assert_eq!(movie.title, "Ready Player One");
            assert_eq!(movie.released, Some(2018));
            let hackers = movies::NewMovie {
                title: "Hackers".into(),
                ..Default::default()
            };
            let other = q!(db, movies::Movie::insert(&hackers)).unwrap();
            assert!(other.id > movie.id);

            assert_eq!(q!(db, movies::Movie::get(movie.id)).unwrap(), Some(movie.clone()));
            assert_eq!(q!(db, movies::Movie::get(-1)).unwrap(), None);
            assert_eq!(q!(db, movies::Movie::all()).unwrap(), [movie.clone(), other.clone()]);

            movie.tagline = Some("A better reality awaits".into());
            assert!(q!(db, movie.update()).unwrap());
            assert_eq!(q!(db, movies::Movie::get(movie.id)).unwrap(), Some(movie.clone()));

            assert!(q!(db, movies::Movie::delete(movie.id)).unwrap());
            assert!(!q!(db, movies::Movie::delete(movie.id)).unwrap(), "already gone");
            assert_eq!(q!(db, movies::Movie::all()).unwrap(), std::slice::from_ref(&other));

            // Updating a row that no longer exists reports it.
            assert!(!q!(db, movie.update()).unwrap());
        }

        #[test]
        fn characters_and_distributors_belong_to_a_movie() {
            let Some(db) = database("crud_characters") else { return };
            let new = movies::NewMovie {
                title: "Ready Player One".into(),
                ..Default::default()
            };
            let movie = q!(db, movies::Movie::insert(&new)).unwrap();
            let new = characters::NewCharacter {
                name: "Wade Watts".into(),
                movie_id: movie.id,
            };
            let mut wade = q!(db, characters::Character::insert(&new)).unwrap();
            assert_eq!(wade.movie_id, movie.id);
            wade.name = "Parzival".into();
            assert!(q!(db, wade.update()).unwrap());
            let stored = q!(db, characters::Character::get(wade.id)).unwrap().unwrap();
            assert_eq!(stored.name, "Parzival");
            assert_eq!(
                q!(db, characters::Character::all()).unwrap(),
                std::slice::from_ref(&wade)
            );

            let new = distributors::NewDistributor {
                name: "Netflix".into(),
                movie_id: movie.id,
            };
            let netflix = q!(db, distributors::Distributor::insert(&new)).unwrap();
            assert_eq!(
                q!(db, distributors::Distributor::all()).unwrap(),
                std::slice::from_ref(&netflix)
            );

            // A key to a movie that does not exist is refused, and nothing is written.
            let orphan = characters::NewCharacter {
                name: "Nobody".into(),
                movie_id: movie.id + 100,
            };
            let error = q!(db, characters::Character::insert(&orphan)).unwrap_err();
            assert!(fk_violation(&error), "{error}");
            assert_eq!(q!(db, characters::Character::all()).unwrap().len(), 1);

            // `on_delete: cascade` on the belongs_to is in the DDL.
            assert!(q!(db, movies::Movie::delete(movie.id)).unwrap());
            assert!(q!(db, characters::Character::all()).unwrap().is_empty());
            assert!(q!(db, distributors::Distributor::get(netflix.id)).unwrap().is_none());
            assert!(!q!(db, characters::Character::delete(wade.id)).unwrap());
        }

        #[test]
        fn actors_tags_languages_and_chat_groups_round_trip() {
            let Some(db) = database("crud_round_trip") else { return };
            let new = actors::NewActor { name: "Tye Sheridan".into() };
            let mut actor = q!(db, actors::Actor::insert(&new)).unwrap();
            actor.name = "Tye K. Sheridan".into();
            assert!(q!(db, actor.update()).unwrap());
            assert_eq!(q!(db, actors::Actor::all()).unwrap(), std::slice::from_ref(&actor));
            assert!(q!(db, actors::Actor::delete(actor.id)).unwrap());

            let rust = tags::NewTag { name: "rust".into() };
            let tag = q!(db, tags::Tag::insert(&rust)).unwrap();
            // `unique: true` on the field: a second "rust" tag is an error value, not a panic.
            assert!(q!(db, tags::Tag::insert(&rust)).is_err());
            assert_eq!(q!(db, tags::Tag::get(tag.id)).unwrap(), Some(tag.clone()));
            assert!(q!(db, tags::Tag::delete(tag.id)).unwrap());

            let new = languages::NewLanguage { name: "ZH".into() };
            let mut language = q!(db, languages::Language::insert(&new)).unwrap();
            language.name = "EN".into();
            assert!(q!(db, language.update()).unwrap());
            assert_eq!(q!(db, languages::Language::get(language.id)).unwrap(), Some(language));

            let new = chat_groups::NewChatGroup { name: "rustaceans".into() };
            let group = q!(db, chat_groups::ChatGroup::insert(&new)).unwrap();
            assert_eq!(
                q!(db, chat_groups::ChatGroup::all()).unwrap(),
                std::slice::from_ref(&group)
            );
            assert!(q!(db, chat_groups::ChatGroup::delete(group.id)).unwrap());
        }

        #[test]
        fn posts_take_the_schema_default() {
            let Some(db) = database("crud_posts") else { return };
            let new = posts::NewPost {
                title: "Hello".into(),
                body: "World".into(),
                ..Default::default()
            };
            assert!(!new.published, "`default: false` is the New struct's default");
            let mut post = q!(db, posts::Post::insert(&new)).unwrap();
            assert!(!post.published);
            post.published = true;
            assert!(q!(db, post.update()).unwrap());
            assert!(q!(db, posts::Post::get(post.id)).unwrap().unwrap().published);
            assert!(q!(db, posts::Post::delete(post.id)).unwrap());
        }

        #[test]
        fn users_with_optional_unique_email() {
            let Some(db) = database("crud_users") else { return };
            let user = |name: &str, email: Option<&str>| users::NewUser {
                name: name.into(),
                email: email.map(Into::into),
            };
            let ann = q!(db, users::User::insert(&user("Ann", None))).unwrap();
            // NULLs do not collide under UNIQUE.
            let bob = q!(db, users::User::insert(&user("Bob", None))).unwrap();
            let mut cat = q!(db, users::User::insert(&user("Cat", Some("cat@example.com")))).unwrap();
            assert!(q!(db, users::User::insert(&user("Cat 2", Some("cat@example.com")))).is_err());
            cat.email = Some("cat@example.org".into());
            assert!(q!(db, cat.update()).unwrap());
            assert_eq!(q!(db, users::User::all()).unwrap(), [ann, bob, cat]);
        }

        #[test]
        fn join_schema_rows_get_timestamps() {
            let Some(db) = database("crud_timestamps") else { return };
            let new = users::NewUser { name: "Ann".into(), email: None };
            let user = q!(db, users::User::insert(&new)).unwrap();
            let new = chat_groups::NewChatGroup { name: "rust".into() };
            let group = q!(db, chat_groups::ChatGroup::insert(&new)).unwrap();
            // Stored times are whole microseconds: compare with the same.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let new = chat_group_users::NewChatGroupUser {
                user_id: user.id,
                chat_group_id: group.id,
                ..Default::default()
            };
            assert_eq!(new.role, "member", "`default: member` is the New struct's default");
            let mut member = q!(db, chat_group_users::ChatGroupUser::insert(&new)).unwrap();
            assert!(member.inserted_at >= before);
            assert_eq!(member.inserted_at, member.updated_at);
            assert_eq!(
                q!(db, chat_group_users::ChatGroupUser::get(member.id)).unwrap(),
                Some(member.clone())
            );

            std::thread::sleep(std::time::Duration::from_millis(2));
            member.role = "admin".into();
            let inserted_at = member.inserted_at;
            assert!(q!(db, member.update()).unwrap());
            assert!(member.updated_at > inserted_at, "update sets updated_at");
            assert_eq!(member.inserted_at, inserted_at, "update leaves inserted_at alone");
            assert_eq!(
                q!(db, chat_group_users::ChatGroupUser::get(member.id)).unwrap(),
                Some(member.clone()),
                "what update set is what is stored"
            );

            // The pair is unique: the join schema's unique index.
            assert!(q!(db, chat_group_users::ChatGroupUser::insert(&new)).is_err());
            assert!(q!(db, chat_group_users::ChatGroupUser::delete(member.id)).unwrap());
            assert!(q!(db, chat_group_users::ChatGroupUser::all()).unwrap().is_empty());
        }
    };
}
