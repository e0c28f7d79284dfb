//! The golden case `movie_queries`: queries of the user's own, from `.sql`
//! files, on every backend: typed parameters, a table's rows that preload,
//! row structs of a query's own (outer joins nullable), an array parameter
//! of 100,000 ids in one statement, writes with `RETURNING` and counts.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_queries {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use movie_queries::{actors, characters, collections, movies, queries, Rating};

        /// Four movies (one without a year), three actors (one in no movie),
        /// two characters.
        fn database(test: &str) -> Option<(Db, Vec<movies::Movie>, Vec<actors::Actor>)> {
            let db = Db::fresh(test)?;
            q!(db, movie_queries::create_all()).unwrap();
            let mut films = Vec::new();
            for (title, released, rating) in [
                ("Alien", Some(1979), Some(Rating::R)),
                ("Arrival", Some(2016), Some(Rating::Pg)),
                ("Brave", Some(2012), Some(Rating::G)),
                ("Untitled", None, None),
            ] {
                let new = movies::NewMovie { title: title.into(), tagline: None, released, rating };
                films.push(q!(db, movies::Movie::insert(&new)).unwrap());
            }
            let mut people = Vec::new();
            for (name, born) in [("Amy Adams", Some((1974, 8, 20))), ("Sigourney Weaver", Some((1949, 10, 8))), ("Nobody", None)] {
                let born = born.map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
                let new = actors::NewActor { name: name.into(), born };
                people.push(q!(db, actors::Actor::insert(&new)).unwrap());
            }
            q!(db, movies::actors::insert(films[0].id, &[people[1].id])).unwrap();
            q!(db, movies::actors::insert(films[1].id, &[people[0].id])).unwrap();
            for (name, movie) in [("Ripley", &films[0]), ("Louise Banks", &films[1])] {
                let new = characters::NewCharacter { name: name.into(), movie_id: movie.id };
                q!(db, characters::Character::insert(&new)).unwrap();
            }
            Some((db, films, people))
        }

        fn titles(movies: &[movies::Movie]) -> Vec<&str> {
            movies.iter().map(|m| m.title.as_str()).collect()
        }

        #[test]
        fn a_query_returns_a_tables_rows_which_preload() {
            let Some((db, films, _)) = database("queries_rows") else { return };
            let mut recent = q!(db, queries::recent_movies(2000, 10)).unwrap();
            assert_eq!(titles(&recent), ["Arrival", "Brave"], "{NAME}");
            assert_eq!(recent[0], films[1], "every column read, in the struct's order");
            // The rows are the table's struct: every association preloads them.
            q!(db, movies::actors::preload(recent.iter_mut())).unwrap();
            let cast = recent[0].actors.get().unwrap();
            assert_eq!(cast.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Amy Adams"]);
            assert!(recent[1].actors.get().unwrap().is_empty());
            // LIMIT is a parameter too.
            assert_eq!(titles(&q!(db, queries::recent_movies(1900, 1)).unwrap()), ["Arrival"]);

            let found = q!(db, queries::movie_by_title("Brave")).unwrap();
            assert_eq!(found.as_ref(), Some(&films[2]));
            assert_eq!(q!(db, queries::movie_by_title("Missing")).unwrap(), None);
        }

        #[test]
        fn a_list_parameter_is_one_array_however_long() {
            let Some((db, films, _)) = database("queries_arrays") else { return };
            // 100,000 ids: more than either backend takes as separate
            // parameters (SQLite 32,766, PostgreSQL 65,535).
            let mut ids: Vec<i64> = (1_000_000..1_100_000).collect();
            ids.push(films[2].id);
            ids.push(films[0].id);
            db.reset_selects();
            let found = q!(db, queries::movies_by_ids(&ids)).unwrap();
            db.check_selects(1, "100,000 ids in one statement");
            assert_eq!(titles(&found), ["Alien", "Brave"], "{NAME}");
            assert!(q!(db, queries::movies_by_ids(&[])).unwrap().is_empty());
            // The statement has exactly one parameter.
            let sql = queries::MOVIES_BY_IDS_SQL;
            let placeholder = if NAME.contains("postgres") { "$" } else { "?" };
            assert_eq!(sql.matches(placeholder).count(), 1, "{sql}");
            // NOT IN a list (one parameter, never chunked: a negation split
            // into chunks would keep rows another chunk excludes): NULL
            // ratings are kept by the query's own `IS NULL`.
            let not_pg = q!(db, queries::movies_not_rated(&["PG".to_owned(), "R".to_owned()])).unwrap();
            assert_eq!(titles(&not_pg), ["Brave", "Untitled"]);
            // An empty list excludes nothing.
            assert_eq!(q!(db, queries::movies_not_rated(&[])).unwrap().len(), 4);
        }

        #[test]
        fn a_querys_own_row_has_its_columns_types_and_nullability() {
            let Some((db, films, _)) = database("queries_own_rows") else { return };
            let sizes = q!(db, queries::cast_sizes()).unwrap();
            let sizes: Vec<(i64, &str, i64)> = sizes.iter().map(|r| (r.id, r.title.as_str(), r.actors)).collect();
            assert_eq!(sizes, [
                (films[0].id, "Alien", 1),
                (films[1].id, "Arrival", 1),
                (films[2].id, "Brave", 0),
                (films[3].id, "Untitled", 0),
            ], "{NAME}");

            let with_movie = q!(db, queries::characters_with_movie("A%")).unwrap();
            let with_movie: Vec<(&str, &str, Option<i32>)> = with_movie
                .iter()
                .map(|r| (r.name.as_str(), r.movie_title.as_str(), r.released))
                .collect();
            assert_eq!(with_movie, [("Ripley", "Alien", Some(1979)), ("Louise Banks", "Arrival", Some(2016))]);

            // An outer join: the actor in no movie has no title.
            let everyone = q!(db, queries::actors_with_movies()).unwrap();
            let everyone: Vec<(&str, Option<&str>)> = everyone.iter().map(|r| (r.name.as_str(), r.title.as_deref())).collect();
            assert_eq!(everyone, [("Amy Adams", Some("Arrival")), ("Nobody", None), ("Sigourney Weaver", Some("Alien"))]);

            // An enum column (read as text on PostgreSQL), nullable.
            let ratings = q!(db, queries::ratings()).unwrap();
            let ratings: Vec<(&str, Option<Rating>)> = ratings.iter().map(|r| (r.title.as_str(), r.rated)).collect();
            assert_eq!(ratings, [("Alien", Some(Rating::R)), ("Arrival", Some(Rating::Pg)), ("Brave", Some(Rating::G)), ("Untitled", None)]);

            let oldest = q!(db, queries::oldest_born("Sigourney Weaver")).unwrap().unwrap();
            assert_eq!(oldest.born, chrono::NaiveDate::from_ymd_opt(1974, 8, 20));
            assert_eq!(oldest.actors, 2);
            // No row matches: min is NULL, count 0.
            let none = q!(db, queries::oldest_born("")).unwrap().unwrap();
            assert_eq!((none.actors, none.born.is_some()), (3, true));
        }

        #[test]
        fn writes_return_their_rows_or_count_them() {
            let Some((db, films, _)) = database("queries_writes") else { return };
            // `UPDATE ... RETURNING` (on MariaDB, which has no RETURNING on
            // UPDATE, the rows locked, updated and read back by key).
            let renamed = q!(db, queries::rename_movie("Alien³", Some("The bitch is back"), films[0].id)).unwrap().unwrap();
            assert_eq!((renamed.title.as_str(), renamed.tagline.as_deref(), renamed.released), ("Alien³", Some("The bitch is back"), Some(1979)));
            assert_eq!(q!(db, movies::Movie::get(films[0].id)).unwrap(), Some(renamed.clone()), "{NAME}");
            // A nullable column's parameter is an Option: None writes NULL.
            let cleared = q!(db, queries::rename_movie("Alien", None, films[0].id)).unwrap().unwrap();
            assert_eq!(cleared.tagline, None);
            assert_eq!(q!(db, queries::rename_movie("x", None, -1)).unwrap(), None);
            // The rows as the UPDATE left them, which its WHERE no longer finds.
            let ids: Vec<i64> = films.iter().map(|f| f.id).collect();
            let mut moved = q!(db, queries::rerelease(Some(2013), &ids)).unwrap();
            moved.sort_by_key(|r| r.id);
            let moved: Vec<(&str, Option<i32>, Option<Rating>)> = moved.iter().map(|r| (r.title.as_str(), r.released, r.rating)).collect();
            assert_eq!(moved, [("Alien", Some(2013), Some(Rating::R)), ("Brave", Some(2013), Some(Rating::G))], "{NAME}");
            assert!(q!(db, queries::rerelease(Some(2013), &ids)).unwrap().is_empty());
            assert!(q!(db, queries::rerelease(Some(2100), &[])).unwrap().is_empty());
            let years: Vec<Option<i32>> = q!(db, movies::Movie::all()).unwrap().iter().map(|m| m.released).collect();
            assert_eq!(years, [Some(2013), Some(2016), Some(2013), None]);

            let added = q!(db, queries::add_actor("Tom Skerritt", chrono::NaiveDate::from_ymd_opt(1933, 8, 25))).unwrap().unwrap();
            assert_eq!(q!(db, actors::Actor::get(added.id)).unwrap(), Some(added.clone()));
            let unborn = q!(db, queries::add_actor("Unknown", None)).unwrap().unwrap();
            assert_eq!(unborn.born, None);

            // Characters of deleted movies go too (on_delete is the
            // database's here: the query is the user's own DELETE).
            db.exec("DELETE FROM characters; DELETE FROM movies_actors");
            assert_eq!(q!(db, queries::delete_movies_before(2014)).unwrap(), 2);
            assert_eq!(q!(db, queries::delete_movies_before(2014)).unwrap(), 0);
            let left: Vec<String> = q!(db, movies::Movie::all()).unwrap().into_iter().map(|m| m.title).collect();
            assert_eq!(left, ["Arrival", "Untitled"]);
        }

        #[test]
        fn array_parameters_are_bound_as_their_column_is() {
            let Some((db, _, _)) = database("queries_array_columns") else { return };
            for name in ["classics", "empty"] {
                let new = collections::NewCollection { name: name.into(), titles: vec![] };
                q!(db, collections::Collection::insert(&new)).unwrap();
            }
            let titles = ["Alien".to_owned(), "Brave".to_owned()];
            assert_eq!(q!(db, queries::set_titles(&titles, "classics")).unwrap(), 1, "{NAME}");
            let stored = q!(db, collections::Collection::all()).unwrap();
            assert_eq!(stored[0].titles, titles);
            // Compared with the column: the same list, in the same order.
            let found = q!(db, queries::collections_with_titles(&titles)).unwrap();
            assert_eq!(found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["classics"]);
            let found = q!(db, queries::collections_with_titles(&[])).unwrap();
            assert_eq!(found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["empty"]);
        }
    };
}
