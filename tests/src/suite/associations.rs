//! Every association reader of the reference schema: list/get, count,
//! one-query preloads (nested, empty, 100,000 owners, repeated owners),
//! through paths, self-references, and `on_delete`.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_associations {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use $crate::suite::names;
        use reference::{Loaded, actors, characters, comments, distributors, movies, posts, tags, users};

        /// A fresh database with the reference schema (the other areas' too).
        pub(super) fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, reference::create_all()).unwrap();
            Some(db)
        }

        pub(super) fn movie(db: &Db, title: &str) -> movies::Movie {
            let new = movies::NewMovie { title: title.into(), ..Default::default() };
            q!(db, movies::Movie::insert(&new)).unwrap()
        }

        pub(super) fn actor(db: &Db, name: &str) -> actors::Actor {
            q!(db, actors::Actor::insert(&actors::NewActor { name: name.into() })).unwrap()
        }

        fn character(db: &Db, name: &str, movie: &movies::Movie) -> characters::Character {
            let new = characters::NewCharacter { name: name.into(), movie_id: movie.id };
            q!(db, characters::Character::insert(&new)).unwrap()
        }

        fn distributor(db: &Db, name: &str, movie: &movies::Movie) -> distributors::Distributor {
            let new = distributors::NewDistributor { name: name.into(), movie_id: movie.id };
            q!(db, distributors::Distributor::insert(&new)).unwrap()
        }

        pub(super) fn user(db: &Db, name: &str) -> users::User {
            let new = users::NewUser { name: name.into(), email: None };
            q!(db, users::User::insert(&new)).unwrap()
        }

        fn post(db: &Db, title: &str, author: Option<&users::User>) -> posts::Post {
            let new = posts::NewPost {
                title: title.into(),
                body: "b".into(),
                author_id: author.map(|a| a.id),
                ..Default::default()
            };
            q!(db, posts::Post::insert(&new)).unwrap()
        }

        pub(super) fn links(db: &Db, table: &str) -> Vec<(i64, i64)> {
            db.pairs(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))
        }

        #[test]
        fn has_many_list_count_and_preload_including_owners_without_rows() {
            let Some(db) = database("has_many") else { return };
            let rpo = movie(&db, "Ready Player One");
            let hackers = movie(&db, "Hackers");
            let empty = movie(&db, "Empty");
            for name in ["Wade Watts", "Art3mis", "Aech"] {
                character(&db, name, &rpo);
            }
            character(&db, "Zero Cool", &hackers);

            let listed = q!(db, movies::characters::list(rpo.id)).unwrap();
            assert_eq!(
                names(&listed, |c| &c.name),
                ["Wade Watts", "Art3mis", "Aech"],
                "key order without preload_order"
            );
            assert_eq!(q!(db, movies::characters::count(rpo.id)).unwrap(), 3);
            assert_eq!(q!(db, movies::characters::count(empty.id)).unwrap(), 0);
            assert!(q!(db, movies::characters::list(empty.id)).unwrap().is_empty());

            let mut all = q!(db, movies::Movie::all()).unwrap();
            assert!(all.iter().all(|m| m.characters == Loaded::NotLoaded));
            db.reset_selects();
            q!(db, movies::characters::preload(all.iter_mut())).unwrap();
            db.check_selects(1, "one query for every owner");
            assert_eq!(all[0].characters.get().unwrap(), &listed);
            assert_eq!(names(all[1].characters.get().unwrap(), |c| &c.name), ["Zero Cool"]);
            assert_eq!(
                all[2].characters,
                Loaded::Loaded(Vec::new()),
                "an owner without rows gets an empty list"
            );
        }

        #[test]
        fn has_one_and_belongs_to() {
            let Some(db) = database("has_one") else { return };
            let rpo = movie(&db, "Ready Player One");
            let hackers = movie(&db, "Hackers");
            let netflix = distributor(&db, "Netflix", &rpo);
            let wade = character(&db, "Wade Watts", &rpo);

            assert_eq!(q!(db, movies::distributor::get(rpo.id)).unwrap().as_ref(), Some(&netflix));
            assert_eq!(q!(db, movies::distributor::get(hackers.id)).unwrap(), None);
            assert_eq!(q!(db, movies::distributor::count(rpo.id)).unwrap(), 1);

            let mut all = q!(db, movies::Movie::all()).unwrap();
            q!(db, movies::distributor::preload(all.iter_mut())).unwrap();
            assert_eq!(all[0].distributor, Loaded::Loaded(Some(Box::new(netflix))));
            assert_eq!(all[1].distributor, Loaded::Loaded(None));

            assert_eq!(q!(db, characters::movie::get(wade.movie_id)).unwrap().as_ref(), Some(&rpo));
            let mut cast = q!(db, characters::Character::all()).unwrap();
            db.reset_selects();
            q!(db, characters::movie::preload(cast.iter_mut())).unwrap();
            db.check_selects(1, "one query for every owner");
            assert_eq!(cast[0].movie.iter().next(), Some(&rpo));
        }

        #[test]
        fn belongs_to_with_a_null_key_loads_none() {
            let Some(db) = database("null_key") else { return };
            let ann = user(&db, "Ann");
            let signed = post(&db, "t", Some(&ann));
            let anonymous = post(&db, "t", None);
            let mut both = [signed, anonymous];
            q!(db, posts::author::preload(both.iter_mut())).unwrap();
            assert_eq!(both[0].author.iter().next().map(|u| u.name.as_str()), Some("Ann"));
            assert_eq!(both[1].author, Loaded::Loaded(None));
        }

        #[test]
        fn many_to_many_in_both_directions_honours_preload_order() {
            let Some(db) = database("m2m_order") else { return };
            let rpo = movie(&db, "Ready Player One");
            let hackers = movie(&db, "Hackers");
            let tye = actor(&db, "Tye Sheridan");
            let olivia = actor(&db, "Olivia Cooke");
            let angelina = actor(&db, "Angelina Jolie");
            assert_eq!(q!(db, movies::actors::insert(rpo.id, &[tye.id, olivia.id, tye.id])).unwrap(), 2);
            assert_eq!(q!(db, movies::actors::insert(hackers.id, &[angelina.id])).unwrap(), 1);
            // The back-reference reads the same join table from the other side.
            assert_eq!(q!(db, actors::movies::insert(olivia.id, &[hackers.id])).unwrap(), 1);

            // `preload_order: [name asc]`, whatever the insertion order.
            let cast = q!(db, movies::actors::list(rpo.id)).unwrap();
            assert_eq!(names(&cast, |a| &a.name), ["Olivia Cooke", "Tye Sheridan"]);
            assert_eq!(q!(db, movies::actors::count(hackers.id)).unwrap(), 2);
            assert_eq!(q!(db, actors::movies::count(olivia.id)).unwrap(), 2);
            let films = q!(db, actors::movies::list(olivia.id)).unwrap();
            assert_eq!(
                names(&films, |m| &m.title),
                ["Ready Player One", "Hackers"],
                "key order on the side without preload_order"
            );
        }

        #[test]
        fn nested_preload_is_one_query_per_level() {
            let Some(db) = database("nested") else { return };
            let movies_: Vec<_> = (0..20).map(|i| movie(&db, &format!("movie {i}"))).collect();
            let actors_: Vec<_> = (0..30).map(|i| actor(&db, &format!("actor {i:02}"))).collect();
            for (i, movie) in movies_.iter().enumerate() {
                let cast: Vec<i64> = actors_.iter().skip(i).step_by(7).map(|a| a.id).collect();
                q!(db, movies::actors::insert(movie.id, &cast)).unwrap();
            }
            character(&db, "Wade Watts", &movies_[0]);
            distributor(&db, "Netflix", &movies_[1]);

            let mut all = q!(db, movies::Movie::all()).unwrap();
            db.reset_selects();
            q!(db, movies::actors::preload(all.iter_mut())).unwrap();
            q!(db, actors::movies::preload(all.iter_mut().flat_map(|m| m.actors.iter_mut()))).unwrap();
            q!(db, movies::characters::preload(
                all.iter_mut()
                    .flat_map(|m| m.actors.iter_mut())
                    .flat_map(|a| a.movies.iter_mut()),
            ))
            .unwrap();
            q!(db, movies::distributor::preload(all.iter_mut())).unwrap();
            db.check_selects(4, "one query per level");

            for movie in &all {
                let cast = movie.actors.get().unwrap();
                let expected = q!(db, movies::actors::list(movie.id)).unwrap();
                assert_eq!(
                    cast.iter().map(|a| a.id).collect::<Vec<_>>(),
                    expected.iter().map(|a| a.id).collect::<Vec<_>>()
                );
                for actor in cast {
                    let films = actor.movies.get().unwrap();
                    let expected = q!(db, actors::movies::list(actor.id)).unwrap();
                    assert_eq!(
                        films.iter().map(|m| m.id).collect::<Vec<_>>(),
                        expected.iter().map(|m| m.id).collect::<Vec<_>>()
                    );
                    for film in films {
                        let expected = q!(db, movies::characters::list(film.id)).unwrap();
                        assert_eq!(film.characters, Loaded::Loaded(expected));
                    }
                }
            }
            let distributors: Vec<Option<&str>> = all
                .iter()
                .take(3)
                .map(|m| m.distributor.get().unwrap().as_ref().map(|d| d.name.as_str()))
                .collect();
            assert_eq!(distributors, [None, Some("Netflix"), None]);
        }

        #[test]
        fn an_empty_owner_list_runs_no_query() {
            let Some(db) = database("empty_owners") else { return };
            let mut none: Vec<movies::Movie> = Vec::new();
            db.assert_no_query("no owners, no query", || {
                q!(db, movies::actors::preload(none.iter_mut())).unwrap();
                q!(db, movies::characters::preload(none.iter_mut())).unwrap();
                q!(db, movies::distributor::preload(none.iter_mut())).unwrap();
                q!(db, actors::movies::preload(std::iter::empty())).unwrap();
            });
        }

        #[test]
        fn repeated_owners_each_get_their_rows() {
            let Some(db) = database("repeated_owners") else { return };
            let rpo = movie(&db, "Ready Player One");
            character(&db, "Wade Watts", &rpo);
            distributor(&db, "Warner Bros.", &rpo);
            let tye = actor(&db, "Tye Sheridan");
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();
            // Thrice, between a movie without rows listed twice.
            let none = movie(&db, "Nothing Yet");
            let mut thrice = [rpo.clone(), none.clone(), rpo.clone(), none, rpo];
            q!(db, movies::characters::preload(thrice.iter_mut())).unwrap();
            q!(db, movies::actors::preload(thrice.iter_mut())).unwrap();
            q!(db, movies::distributor::preload(thrice.iter_mut())).unwrap();
            for (position, movie) in thrice.iter().enumerate() {
                let (characters, actors, distributor): (&[&str], &[&str], _) = match position % 2 {
                    0 => (&["Wade Watts"], &["Tye Sheridan"], Some("Warner Bros.")),
                    _ => (&[], &[], None),
                };
                assert_eq!(names(movie.characters.get().unwrap(), |c| &c.name), characters);
                assert_eq!(names(movie.actors.get().unwrap(), |a| &a.name), actors);
                let got = movie.distributor.get().unwrap().as_ref().map(|d| d.name.as_str());
                assert_eq!(got, distributor, "the has_one row, at {position}");
            }
            // The first of each key first takes the rows, the repeats copy
            // them: in either order of a movie with rows and one without.
            let mut first_without = [thrice[1].clone(), thrice[0].clone(), thrice[1].clone(), thrice[0].clone()];
            q!(db, movies::characters::preload_first(first_without.iter_mut(), 5)).unwrap();
            let counts: Vec<usize> = first_without.iter().map(|m| m.characters.get().unwrap().len()).collect();
            assert_eq!(counts, [0, 1, 0, 1]);
        }

        #[test]
        fn a_preload_of_100_000_owners_is_one_query() {
            let Some(db) = database("preload_100k") else { return };
            // One statement each (a recursive CTE both databases run); the
            // movies with ids 1000, 2000, ... get one character each.
            db.exec(if NAME == "sqlx-mysql" {
                // MariaDB writes the CTE after INSERT, and stops recursing at
                // 1,000 levels unless told otherwise.
                "SET SESSION max_recursive_iterations = 100000; \
                 INSERT INTO movies (title) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000) \
                 SELECT 'm' || i FROM s; \
                 INSERT INTO characters (name, movie_id) SELECT 'c' || id, id FROM movies WHERE id % 1000 = 0"
            } else {
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000) \
                 INSERT INTO movies (title) SELECT 'm' || i FROM s; \
                 INSERT INTO characters (name, movie_id) SELECT 'c' || id, id FROM movies WHERE id % 1000 = 0"
            });
            let mut all = q!(db, movies::Movie::all()).unwrap();
            assert_eq!(all.len(), 100_000);
            db.reset_selects();
            q!(db, movies::characters::preload(all.iter_mut())).unwrap();
            db.check_selects(1, "one query for 100,000 owners");
            let with_rows = all.iter().filter(|m| !m.characters.get().unwrap().is_empty()).count();
            assert_eq!(with_rows, 100);
            let thousandth = all.iter().find(|m| m.id == 1000).unwrap();
            assert_eq!(names(thousandth.characters.get().unwrap(), |c| &c.name), ["c1000"]);
        }

        #[test]
        fn self_reference_in_both_directions() {
            let Some(db) = database("self_reference") else { return };
            let (ann, bob, cat) = (user(&db, "Ann"), user(&db, "Bob"), user(&db, "Cat"));
            q!(db, users::friends::insert(ann.id, &[bob.id, cat.id])).unwrap();
            q!(db, users::friends::insert(bob.id, &[ann.id])).unwrap();
            assert_eq!(
                links(&db, "friendships"),
                [(ann.id, bob.id), (ann.id, cat.id), (bob.id, ann.id)]
            );

            let mut everyone = q!(db, users::User::all()).unwrap();
            q!(db, users::friends::preload(everyone.iter_mut())).unwrap();
            let friends = |u: &users::User| names(u.friends.get().unwrap(), |f| &f.name);
            assert_eq!(friends(&everyone[0]), ["Bob", "Cat"]);
            assert_eq!(friends(&everyone[1]), ["Ann"]);
            assert!(friends(&everyone[2]).is_empty(), "links are directed: Cat named nobody");

            assert_eq!(
                q!(db, users::friends::replace(ann.id, &[ann.id])).unwrap(),
                reference::Changes { added: 1, removed: 2 }
            );
            assert_eq!(names(&q!(db, users::friends::list(ann.id)).unwrap(), |f| &f.name), ["Ann"]);
            assert_eq!(q!(db, users::friends::count(bob.id)).unwrap(), 1);
        }

        #[test]
        fn has_many_through_a_path_is_distinct_and_ordered() {
            let Some(db) = database("through") else { return };
            let (ann, bob, cat) = (user(&db, "Ann"), user(&db, "Bob"), user(&db, "Cat"));
            let (first, second, quiet) = (
                post(&db, "first", Some(&ann)),
                post(&db, "second", Some(&ann)),
                post(&db, "quiet", Some(&bob)),
            );
            let comment = |on: &posts::Post, by: Option<&users::User>| {
                let new = comments::NewComment {
                    body: "!".into(),
                    post_id: on.id,
                    author_id: by.map(|u| u.id),
                };
                q!(db, comments::Comment::insert(&new)).unwrap()
            };
            // Cat comments twice on `first`: she is listed once. An anonymous comment adds no one.
            comment(&first, Some(&cat));
            comment(&first, Some(&bob));
            comment(&first, Some(&cat));
            comment(&first, None);
            comment(&second, Some(&ann));

            let commenters = q!(db, posts::comments_authors::list(first.id)).unwrap();
            assert_eq!(names(&commenters, |u| &u.name), ["Bob", "Cat"], "distinct, in preload_order (name)");
            assert_eq!(q!(db, posts::comments_authors::count(first.id)).unwrap(), 2);

            let mut all = q!(db, posts::Post::all()).unwrap();
            db.reset_selects();
            q!(db, posts::comments_authors::preload(all.iter_mut())).unwrap();
            db.check_selects(1, "a path of two hops is still one query");
            let by_post: Vec<Vec<String>> = all
                .iter()
                .map(|p| p.comments_authors.iter().map(|u| u.name.clone()).collect())
                .collect();
            assert_eq!(by_post, [vec!["Bob", "Cat"], vec!["Ann"], vec![]]);
            assert_eq!(all[2].id, quiet.id);

            // Through a has_many then a many_to_many: every tag on a user's posts.
            let tag = |name: &str| q!(db, tags::Tag::insert(&tags::NewTag { name: name.into() })).unwrap().id;
            let (rust, sql) = (tag("rust"), tag("sql"));
            q!(db, posts::tags::insert(first.id, &[rust, sql])).unwrap();
            q!(db, posts::tags::insert(second.id, &[rust])).unwrap();
            assert_eq!(names(&q!(db, users::post_tags::list(ann.id)).unwrap(), |t| &t.name), ["rust", "sql"]);
            assert!(q!(db, users::post_tags::list(bob.id)).unwrap().is_empty());
        }

        /// `on_delete` with the database's foreign keys enforced, or not: the
        /// generated delete does the work itself either way.
        fn on_delete(db: &Db) {
            let rpo = movie(db, "Ready Player One");
            let other = movie(db, "Hackers");
            character(db, "Wade Watts", &rpo);
            character(db, "Zero Cool", &other);
            distributor(db, "Netflix", &rpo);
            let tye = actor(db, "Tye");
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();
            q!(db, movies::actors::insert(other.id, &[tye.id])).unwrap();

            assert!(q!(db, movies::Movie::delete(rpo.id)).unwrap());
            assert_eq!(
                names(&q!(db, characters::Character::all()).unwrap(), |c| &c.name),
                ["Zero Cool"],
                "delete_all: children"
            );
            assert!(q!(db, distributors::Distributor::all()).unwrap().is_empty(), "delete_all: the has_one row");
            assert_eq!(links(db, "movies_actors"), [(other.id, tye.id)], "delete_all: join rows only");
            assert_eq!(q!(db, actors::Actor::all()).unwrap().len(), 1, "never the targets");

            // nilify_all keeps the children, without their key.
            let ann = user(db, "Ann");
            let post = post(db, "t", Some(&ann));
            assert!(q!(db, users::User::delete(ann.id)).unwrap());
            assert_eq!(q!(db, posts::Post::get(post.id)).unwrap().unwrap().author_id, None);
        }

        #[test]
        fn deleting_an_owner_applies_on_delete_under_foreign_keys() {
            let Some(db) = database("on_delete_fk") else { return };
            on_delete(&db);
        }

        #[test]
        fn deleting_an_owner_applies_on_delete_without_foreign_keys() {
            let Some(db) = database("on_delete_no_fk") else { return };
            db.foreign_keys(false);
            on_delete(&db);
        }

        #[test]
        fn a_failed_owner_delete_leaves_its_children() {
            let Some(db) = database("failed_delete") else { return };
            let rpo = movie(&db, "Ready Player One");
            character(&db, "Wade Watts", &rpo);
            let tye = actor(&db, "Tye");
            q!(db, movies::actors::insert(rpo.id, &[tye.id])).unwrap();
            // Make the owner's own DELETE (the last thing `delete` does) fail.
            db.refuse_deletes("movies");
            assert!(q!(db, movies::Movie::delete(rpo.id)).is_err());
            assert_eq!(
                q!(db, movies::characters::count(rpo.id)).unwrap(),
                1,
                "the on_delete cleanup was rolled back"
            );
            assert_eq!(links(&db, "movies_actors"), [(rpo.id, tye.id)]);
        }
    };
}
