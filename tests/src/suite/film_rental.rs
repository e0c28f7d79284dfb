//! A database mortise did not create, shaped like the classic film-rental
//! sample (Sakila, Pagila): `tests/data/film_rental/<backend>.sql` makes it
//! (smallint keys, an identity key, a domain, an enum and an array on
//! PostgreSQL, numeric(p,s), char(20), timestamp and timestamptz columns
//! with defaults, a store and its staff that reference each other, join
//! tables with their own last_update), and the golden case `film_rental`
//! describes it. Every association preloads what direct SQL returns; every
//! described column reads as stored; inserts read the database's defaults
//! back; the link helpers write the script's join tables.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_film_rental {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::collections::BTreeMap;

        use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
        use rust_decimal::Decimal;
        use film_rental::MpaaRating;
        use film_rental::{actor, category, customer, film, film_actor, language, payment, staff, store};

        /// The database, made by its own script (not by `create_all`).
        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            db.exec(&$crate::suite::script("film_rental", SCRIPTS));
            Some(db)
        }

        fn on_postgres() -> bool {
            SCRIPTS == "postgres"
        }

        /// Each key's partners, sorted, from `(key, partner)` pairs.
        fn grouped(pairs: Vec<(i64, i64)>) -> BTreeMap<i64, Vec<i64>> {
            let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for (key, partner) in pairs {
                groups.entry(key).or_default().push(partner);
            }
            groups.values_mut().for_each(|partners| partners.sort_unstable());
            groups
        }

        /// Asserts that each owner's loaded keys are its partners in
        /// `expected` (in key order), and that every owner `expected` names
        /// was among the owners.
        fn same(what: &str, loaded: Vec<(i64, Vec<i64>)>, expected: &BTreeMap<i64, Vec<i64>>) {
            assert!(!expected.is_empty(), "{what}: the script made rows");
            for (owner, keys) in &loaded {
                let wanted = expected.get(owner).cloned().unwrap_or_default();
                assert_eq!(keys, &wanted, "{what} of {owner}");
            }
            for owner in expected.keys() {
                assert!(loaded.iter().any(|(o, _)| o == owner), "{what}: owner {owner} was loaded");
            }
        }

        fn at(date: (i32, u32, u32), time: (u32, u32, u32)) -> NaiveDateTime {
            NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap().and_hms_opt(time.0, time.1, time.2).unwrap()
        }

        fn decimal(text: &str) -> Decimal {
            text.parse().unwrap()
        }

        fn instant(text: &str) -> DateTime<Utc> {
            text.parse().unwrap()
        }

        /// A `timestamp` the database set to its `now()`: the wall clock of
        /// the session's time zone, within a day of UTC's.
        fn is_now(stamp: NaiveDateTime) -> bool {
            (Utc::now().naive_utc() - stamp).num_hours().abs() <= 15
        }

        #[test]
        fn the_script_made_every_table_in_the_tests_own_database() {
            let Some(db) = database("film_rental_made") else { return };
            assert_eq!(
                db.table_names(),
                ["actor", "category", "customer", "film", "film_actor", "film_category", "language", "payment", "staff", "store"]
            );
            for (table, rows) in [
                ("language", 6), ("category", 16), ("actor", 200), ("film", 100), ("film_actor", 587),
                ("film_category", 109), ("store", 3), ("staff", 6), ("customer", 60), ("payment", 300),
            ] {
                assert_eq!(db.count(table), rows, "{table}");
            }
            if on_postgres() {
                // CREATE TYPE and CREATE DOMAIN landed in the test's schema
                // (the first of search_path), and film uses them.
                assert_eq!(
                    db.strings(
                        "SELECT typname::text || ' ' || typtype::text FROM pg_type \
                         WHERE typnamespace = current_schema()::regnamespace AND typtype IN ('d', 'e') ORDER BY 1"
                    ),
                    ["mpaa_rating e", "year d"]
                );
                assert_eq!(
                    db.strings(
                        "SELECT attname::text || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute \
                         WHERE attrelid = 'film'::regclass AND attname IN ('release_year', 'rating', 'special_features', 'rental_rate') \
                         ORDER BY attnum"
                    ),
                    ["release_year year", "rental_rate numeric(4,2)", "rating mpaa_rating", "special_features text[]"]
                );
            }
        }

        #[test]
        fn queries_read_the_script_made_tables() {
            let Some(db) = database("film_rental_queries") else { return };
            use film_rental::queries;
            // `*` is the struct's columns by name, whatever the script's order.
            let mut films = q!(db, queries::films_by_ids(&[3, 1, 999])).unwrap();
            let by_key: Vec<film::Film> = [1, 3].into_iter().map(|id| q!(db, film::Film::get(id)).unwrap().unwrap()).collect();
            assert_eq!(films, by_key, "{NAME}");
            // The rows preload as the table's own do.
            q!(db, film::actors::preload(films.iter_mut())).unwrap();
            let expected = grouped(db.pairs("SELECT film_id, actor_id FROM film_actor WHERE film_id IN (1, 3)"));
            same("queries::films_by_ids, actors", films.iter().map(|f| (f.film_id.into(), f.actors.get().unwrap().iter().map(|a| a.actor_id.into()).collect())).collect(), &expected);

            // An enum parameter, a LEFT JOIN count with films that have no actor.
            let rated = q!(db, queries::films_rated(MpaaRating::Pg13)).unwrap();
            let counts: Vec<(i64, i64)> = rated.iter().map(|r| (r.film_id.into(), r.actors)).collect();
            let direct = db.pairs(
                "SELECT f.film_id, count(fa.actor_id) FROM film f LEFT JOIN film_actor fa ON fa.film_id = f.film_id \
                 WHERE CAST(f.rating AS TEXT) = 'PG-13' GROUP BY f.film_id ORDER BY f.film_id",
            );
            assert!(!direct.is_empty(), "the script has PG-13 films");
            assert_eq!(counts, direct, "{NAME}");
            assert!(rated.iter().all(|r| r.rating == Some(MpaaRating::Pg13)));

            // UPDATE ... RETURNING * on the script's table: smallint keys, an
            // enum filter, columns in the script's order.
            let shorter: Vec<i64> = db
                .pairs("SELECT film_id, rental_duration FROM film \
                        WHERE CAST(rating AS TEXT) = 'PG-13' AND rental_duration < 6 ORDER BY film_id")
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            assert!(!shorter.is_empty(), "the script has short PG-13 rentals");
            let mut lengthened = q!(db, queries::lengthen_rentals(6, MpaaRating::Pg13)).unwrap();
            lengthened.sort_by_key(|f| f.film_id);
            assert_eq!(lengthened.iter().map(|f| i64::from(f.film_id)).collect::<Vec<_>>(), shorter, "{NAME}");
            for film in &lengthened {
                assert_eq!(film.rental_duration, 6);
                assert_eq!(q!(db, film::Film::get(film.film_id)).unwrap().as_ref(), Some(film), "{NAME}: every column as stored");
            }
            assert!(q!(db, queries::lengthen_rentals(6, MpaaRating::Pg13)).unwrap().is_empty());
        }

        #[test]
        fn every_association_preloads_what_direct_sql_returns() {
            let Some(db) = database("film_rental_preloads") else { return };

            let mut languages = q!(db, language::Language::all()).unwrap();
            q!(db, language::films::preload(languages.iter_mut())).unwrap();
            q!(db, language::original_films::preload(languages.iter_mut())).unwrap();
            let of = |l: &language::Language, films: &[film::Film]| -> (i64, Vec<i64>) {
                (l.language_id.into(), films.iter().map(|f| f.film_id.into()).collect())
            };
            same("language.films", languages.iter().map(|l| of(l, l.films.get().unwrap())).collect(),
                &grouped(db.pairs("SELECT language_id, film_id FROM film")));
            same("language.original_films", languages.iter().map(|l| of(l, l.original_films.get().unwrap())).collect(),
                &grouped(db.pairs("SELECT original_language_id, film_id FROM film WHERE original_language_id IS NOT NULL")));

            let mut films = q!(db, film::Film::all()).unwrap();
            assert_eq!(films.len(), 100);
            db.reset_selects();
            q!(db, film::actors::preload(films.iter_mut())).unwrap();
            db.check_selects(1, "one query for 100 films' actors");
            q!(db, film::actors::preload_edges(films.iter_mut())).unwrap();
            q!(db, film::categories::preload(films.iter_mut())).unwrap();
            q!(db, film::language::preload(films.iter_mut())).unwrap();
            q!(db, film::original_language::preload(films.iter_mut())).unwrap();
            let film_actors = grouped(db.pairs("SELECT film_id, actor_id FROM film_actor"));
            assert_eq!(film_actors.len(), 97, "films 25, 50 and 75 have no actor");
            assert_eq!(films[24].actors.get().map(Vec::len), Some(0), "loaded, empty");
            same("film.actors",
                films.iter().map(|f| (f.film_id.into(), f.actors.iter().map(|a| a.actor_id.into()).collect())).collect(),
                &film_actors);
            same("film.actors_edges",
                films.iter().map(|f| (f.film_id.into(), f.actors_edges.iter().map(|e| {
                    assert_eq!((e.link.film_id, e.link.actor_id), (f.film_id, e.target.actor_id));
                    assert_eq!(e.link.last_update, at((2006, 2, 15), (5, 5, 3)));
                    e.target.actor_id.into()
                }).collect())).collect(),
                &film_actors);
            same("film.categories",
                films.iter().map(|f| (f.film_id.into(), f.categories.iter().map(|c| c.category_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT film_id, category_id FROM film_category")));
            for f in &films {
                let language = f.language.iter().next().expect("every film has a language");
                assert_eq!(language.language_id, f.language_id);
                let original = f.original_language.get().expect("loaded").as_deref().map(|l| l.language_id);
                assert_eq!(original, f.original_language_id, "film {}", f.film_id);
            }
            assert_eq!(
                films.iter().filter(|f| f.original_language.iter().next().is_some()).count() as i64,
                db.int("SELECT count(*) FROM film WHERE original_language_id IS NOT NULL")
            );

            let mut actors = q!(db, actor::Actor::all()).unwrap();
            assert_eq!(actors.len(), 200);
            db.reset_selects();
            q!(db, actor::films::preload(actors.iter_mut())).unwrap();
            db.check_selects(1, "one query for 200 actors' films");
            q!(db, actor::categories::preload(actors.iter_mut())).unwrap();
            same("actor.films",
                actors.iter().map(|a| (a.actor_id.into(), a.films.iter().map(|f| f.film_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT actor_id, film_id FROM film_actor")));
            same("actor.categories (through films)",
                actors.iter().map(|a| (a.actor_id.into(), a.categories.iter().map(|c| c.category_id.into()).collect())).collect(),
                &grouped(db.pairs(
                    "SELECT DISTINCT fa.actor_id, fc.category_id FROM film_actor fa JOIN film_category fc ON fc.film_id = fa.film_id"
                )));
            // Nested: the films of each actor, then their language.
            q!(db, film::language::preload(actors.iter_mut().flat_map(|a| a.films.iter_mut()))).unwrap();
            for a in &actors {
                for f in a.films.iter() {
                    assert_eq!(f.language.iter().next().map(|l| l.language_id), Some(f.language_id));
                }
            }

            let mut categories = q!(db, category::Category::all()).unwrap();
            q!(db, category::films::preload(categories.iter_mut())).unwrap();
            same("category.films",
                categories.iter().map(|c| (c.category_id.into(), c.films.iter().map(|f| f.film_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT category_id, film_id FROM film_category")));

            let mut stores = q!(db, store::Store::all()).unwrap();
            q!(db, store::manager::preload(stores.iter_mut())).unwrap();
            q!(db, store::staff::preload(stores.iter_mut())).unwrap();
            q!(db, store::customers::preload(stores.iter_mut())).unwrap();
            same("store.manager",
                stores.iter().map(|s| (s.store_id.into(), s.manager.iter().map(|m| m.staff_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT store_id, manager_staff_id FROM store")));
            same("store.staff",
                stores.iter().map(|s| (s.store_id.into(), s.staff.iter().map(|m| m.staff_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT store_id, staff_id FROM staff")));
            same("store.customers",
                stores.iter().map(|s| (s.store_id.into(), s.customers.iter().map(|c| c.customer_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT store_id, customer_id FROM customer")));
            // Around the cycle: each store's manager's store.
            q!(db, staff::store::preload(stores.iter_mut().flat_map(|s| s.manager.iter_mut()))).unwrap();
            for s in &stores {
                let manager = s.manager.iter().next().unwrap();
                assert_eq!(manager.store.iter().next().map(|st| st.store_id), Some(manager.store_id));
            }

            let mut members = q!(db, staff::StaffMember::all()).unwrap();
            q!(db, staff::store::preload(members.iter_mut())).unwrap();
            q!(db, staff::managed_store::preload(members.iter_mut())).unwrap();
            q!(db, staff::payments::preload(members.iter_mut())).unwrap();
            same("staff.store",
                members.iter().map(|m| (m.staff_id.into(), m.store.iter().map(|s| s.store_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT staff_id, store_id FROM staff")));
            same("staff.managed_store",
                members.iter().map(|m| (m.staff_id.into(), m.managed_store.iter().map(|s| s.store_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT manager_staff_id, store_id FROM store")));
            same("staff.payments",
                members.iter().map(|m| (m.staff_id.into(), m.payments.iter().map(|p| p.payment_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT staff_id, payment_id FROM payment")));

            let mut customers = q!(db, customer::Customer::all()).unwrap();
            q!(db, customer::store::preload(customers.iter_mut())).unwrap();
            q!(db, customer::payments::preload(customers.iter_mut())).unwrap();
            same("customer.store",
                customers.iter().map(|c| (c.customer_id.into(), c.store.iter().map(|s| s.store_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT customer_id, store_id FROM customer")));
            same("customer.payments",
                customers.iter().map(|c| (c.customer_id.into(), c.payments.iter().map(|p| p.payment_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT customer_id, payment_id FROM payment")));
            assert_eq!(customers[59].payments.iter().count(), 0, "customer 60 paid nothing");

            let mut payments = q!(db, payment::Payment::all()).unwrap();
            q!(db, payment::customer::preload(payments.iter_mut())).unwrap();
            q!(db, payment::staff::preload(payments.iter_mut())).unwrap();
            same("payment.customer",
                payments.iter().map(|p| (p.payment_id.into(), p.customer.iter().map(|c| c.customer_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT payment_id, customer_id FROM payment")));
            same("payment.staff",
                payments.iter().map(|p| (p.payment_id.into(), p.staff.iter().map(|s| s.staff_id.into()).collect())).collect(),
                &grouped(db.pairs("SELECT payment_id, staff_id FROM payment")));

            // The one-owner readers agree with the preloads.
            let listed: Vec<i16> = q!(db, film::actors::list(100)).unwrap().iter().map(|a| a.actor_id).collect();
            assert_eq!(listed.iter().map(|&a| i64::from(a)).collect::<Vec<_>>(), film_actors[&100]);
            assert_eq!(q!(db, film::actors::count(100)).unwrap(), film_actors[&100].len() as u64);
            assert_eq!(q!(db, staff::managed_store::get(2)).unwrap().map(|s| s.store_id), Some(2));
            assert_eq!(q!(db, staff::managed_store::get(5)).unwrap(), None, "staff 5 manages no store");
            assert_eq!(q!(db, store::manager::get(3)).unwrap().map(|m| m.staff_id), Some(3));
        }

        #[test]
        fn get_and_all_read_every_described_column_as_stored() {
            let Some(db) = database("film_rental_columns") else { return };
            let films = q!(db, film::Film::all()).unwrap();
            let ids: Vec<i64> = films.iter().map(|f| f.film_id.into()).collect();
            assert_eq!(ids, (1..=100).collect::<Vec<i64>>(), "in key order");
            let one = q!(db, film::Film::get(1)).unwrap().unwrap();
            assert_eq!(one, films[0]);
            assert_eq!(
                (one.title.as_str(), one.description.as_deref(), one.release_year, one.language_id, one.original_language_id),
                ("FILM 001", Some("A story numbered 1"), Some(2001), 2, None)
            );
            assert_eq!((one.rental_duration, one.rental_rate, one.length), (4, decimal("2.99"), Some(53)));
            assert_eq!((one.replacement_cost, one.last_update), (decimal("10.99"), at((2006, 2, 15), (5, 4, 42))));
            // 34 and 85 are multiples of 17: no year (NULL in the domain column).
            let f34 = q!(db, film::Film::get(34)).unwrap().unwrap();
            assert_eq!((f34.release_year, f34.length, f34.replacement_cost), (None, Some(144), decimal("22.99")));
            let f85 = &films[84];
            assert_eq!((f85.release_year, f85.original_language_id, f85.rental_duration), (None, Some(2), 3));
            // The enum: the script's type on PostgreSQL, checked text on SQLite.
            assert_eq!((one.rating, f34.rating, f85.rating), (Some(MpaaRating::Pg), Some(MpaaRating::Nc17), Some(MpaaRating::G)));
            for rating in MpaaRating::ALL {
                let sql = format!("SELECT count(*) FROM film WHERE rating = '{}'", rating.as_str());
                assert_eq!(films.iter().filter(|f| f.rating == Some(rating)).count() as i64, db.int(&sql), "{rating}");
            }
            assert_eq!(films.iter().filter(|f| f.rating.is_some()).count(), 100);
            assert_eq!(films[9].description, None);
            // text[]: the script's arrays (JSON text on SQLite), NULL every fourth film.
            let features = |f: &film::Film| f.special_features.clone().map(|v| v.join(","));
            assert_eq!(
                (features(&one), features(&films[1]), features(&films[2]), features(&films[3])),
                (Some("Trailers".to_owned()), Some("Commentaries,Deleted Scenes".to_owned()), Some("Trailers,Behind the Scenes".to_owned()), None)
            );
            let trailers = films.iter().filter(|f| f.special_features.as_ref().is_some_and(|v| v.iter().any(|s| s == "Trailers"))).count();
            let sql = if on_postgres() { "'Trailers' = ANY(special_features)" } else { "special_features LIKE '%\"Trailers\"%'" };
            assert_eq!(trailers as i64, db.int(&format!("SELECT count(*) FROM film WHERE {sql}")));
            assert_eq!((films[22].length, films[98].rental_rate), (None, decimal("0.99")));
            for (count, sql) in [
                (films.iter().filter(|f| f.release_year.is_none()).count(), "release_year IS NULL"),
                (films.iter().filter(|f| f.description.is_none()).count(), "description IS NULL"),
                (films.iter().filter(|f| f.length.is_none()).count(), "length IS NULL"),
                (films.iter().filter(|f| f.release_year == Some(2009)).count(), "release_year = 2009"),
                (films.iter().filter(|f| f.rental_rate == decimal("4.99")).count(), "rental_rate = 4.99"),
                (films.iter().filter(|f| f.replacement_cost > decimal("25")).count(), "replacement_cost > 25"),
            ] {
                assert_eq!(count as i64, db.int(&format!("SELECT count(*) FROM film WHERE {sql}")), "{sql}");
            }

            // char(20): PostgreSQL pads, SQLite keeps what was written.
            let english = q!(db, language::Language::get(1)).unwrap().unwrap();
            let expected = if on_postgres() { format!("{:<20}", "English") } else { "English".to_owned() };
            assert_eq!(english.name, expected);
            assert_eq!(english.last_update, at((2006, 2, 15), (10, 2, 19)));
            let names: Vec<String> = q!(db, language::Language::all()).unwrap().iter().map(|l| l.name.trim_end().to_owned()).collect();
            assert_eq!(names, ["English", "Italian", "Japanese", "Mandarin", "French", "German"]);

            let actors = q!(db, actor::Actor::all()).unwrap();
            assert_eq!((actors[0].first_name.as_str(), actors[0].last_name.as_str()), ("NICK", "WAHLBERG"));
            assert_eq!(actors[199].last_update, at((2006, 2, 15), (4, 37, 53)));
            assert_eq!(q!(db, category::Category::get(14)).unwrap().unwrap().name, "Sci-Fi");

            let members = q!(db, staff::StaffMember::all()).unwrap();
            let mike = &members[0];
            assert_eq!((mike.email.as_deref(), mike.active, mike.store_id), (Some("mike@sakilastaff.com"), true, 1));
            assert_eq!(mike.picture.as_deref(), Some(&[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][..]));
            assert_eq!(mike.password.as_deref(), Some("6e6fdf956d04289354dcf1619e28fe77"));
            assert_eq!((members[4].email.as_deref(), members[4].store_id), (None, 2));
            assert_eq!((members[5].active, members[5].password.as_deref(), members[5].picture.as_deref()), (false, None, None));

            let customers = q!(db, customer::Customer::all()).unwrap();
            let first = &customers[0];
            assert_eq!((first.first_name.as_str(), first.store_id, first.activebool), ("FIRST1", 2, true));
            assert_eq!(first.create_date, NaiveDate::from_ymd_opt(2006, 2, 15).unwrap());
            assert_eq!(first.last_update, Some(instant("2006-02-15T10:57:20Z")));
            assert_eq!((customers[6].email.as_deref(), customers[8].activebool, customers[12].last_update), (None, false, None));
            assert_eq!(
                customers.iter().filter(|c| c.last_update.is_none()).count() as i64,
                db.int("SELECT count(*) FROM customer WHERE last_update IS NULL")
            );

            let payment = q!(db, payment::Payment::get(1)).unwrap().unwrap();
            assert_eq!((payment.customer_id, payment.staff_id, payment.amount), (2, 2, decimal("3.99")));
            assert_eq!(payment.payment_date, instant("2007-02-14T21:58:59.996577Z"));
            let payments = q!(db, payment::Payment::all()).unwrap();
            assert_eq!(payments.len(), 300);
            assert_eq!((payments[2].amount, payments[299].amount), (decimal("10.99"), decimal("0.99")));
            assert_eq!(payments[299].payment_date, instant("2007-02-22T14:21:59.996577Z"));
            let total: Decimal = payments.iter().map(|p| p.amount).sum();
            let expected: Vec<String> = db.strings(match SCRIPTS {
                "postgres" => "SELECT sum(amount)::text FROM payment",
                "mysql" => "SELECT CAST(sum(amount) AS CHAR) FROM payment",
                _ => "SELECT printf('%.2f', sum(amount)) FROM payment",
            });
            assert_eq!(total, decimal(&expected[0]));
        }

        #[test]
        fn inserts_and_updates_on_script_made_tables_read_the_databases_defaults_back() {
            let Some(db) = database("film_rental_inserts") else { return };
            let new = actor::NewActor { actor_id: 201, first_name: "UMA".into(), last_name: "WOOD".into() };
            let uma = q!(db, actor::Actor::insert(&new)).unwrap();
            assert!(is_now(uma.last_update), "last_update from the database: {}", uma.last_update);
            assert_eq!(q!(db, actor::Actor::get(201)).unwrap().as_ref(), Some(&uma));

            let new = film::NewFilm {
                film_id: 101,
                title: "NEW FILM".into(),
                release_year: Some(2155),
                language_id: 3,
                original_language_id: Some(6),
                ..Default::default()
            };
            assert_eq!((new.rental_duration, new.rental_rate, new.replacement_cost), (3, decimal("4.99"), decimal("19.99")));
            assert_eq!(new.rating, Some(MpaaRating::G));
            let mut made = q!(db, film::Film::insert(&new)).unwrap();
            assert!(is_now(made.last_update));
            assert_eq!((made.release_year, made.rental_rate, made.description.as_deref()), (Some(2155), decimal("4.99"), None));
            assert_eq!(q!(db, film::Film::get(101)).unwrap().as_ref(), Some(&made));
            assert_eq!(made.rating, Some(MpaaRating::G), "the schema's default, written by the insert");
            assert_eq!(db.int("SELECT count(*) FROM film WHERE film_id = 101 AND special_features IS NULL"), 1);
            // An array written by update, read by the script's SQL too.
            made.special_features = Some(vec!["Deleted Scenes".into(), "Behind the Scenes".into()]);
            assert!(q!(db, made.update()).unwrap());
            assert_eq!(q!(db, film::Film::get(101)).unwrap().as_ref(), Some(&made));
            let second = match SCRIPTS {
                "postgres" => "SELECT special_features[2] FROM film WHERE film_id = 101",
                "mysql" => "SELECT JSON_VALUE(special_features, '$[1]') FROM film WHERE film_id = 101",
                _ => "SELECT special_features ->> '$[1]' FROM film WHERE film_id = 101",
            };
            assert_eq!(db.strings(second), ["Behind the Scenes"]);
            // An enum value written by update, and NULL.
            made.rating = Some(MpaaRating::Pg13);
            assert!(q!(db, made.update()).unwrap());
            let rating_sql = if on_postgres() { "SELECT rating::text FROM film WHERE film_id = 101" } else { "SELECT rating FROM film WHERE film_id = 101" };
            assert_eq!(db.strings(rating_sql), ["PG-13"]);
            made.rating = None;
            assert!(q!(db, made.update()).unwrap());
            assert_eq!(db.int("SELECT count(*) FROM film WHERE film_id = 101 AND rating IS NULL"), 1);
            assert_eq!(q!(db, film::Film::get(101)).unwrap().unwrap().rating, None);
            // An update writes the domain column; the domain's CHECK refuses a year out of range.
            made.release_year = Some(1901);
            made.length = Some(i16::MAX);
            assert!(q!(db, made.update()).unwrap());
            assert_eq!(q!(db, film::Film::get(101)).unwrap().unwrap().release_year, Some(1901));
            made.release_year = Some(1900);
            assert!(q!(db, made.update()).is_err(), "year's CHECK");
            assert_eq!(db.int("SELECT release_year FROM film WHERE film_id = 101"), 1901);

            // A customer: create_date and a timestamptz from the database.
            let new = customer::NewCustomer {
                customer_id: 61,
                first_name: "ZOE".into(),
                last_name: "ROE".into(),
                store_id: 3,
                ..Default::default()
            };
            assert!(new.activebool);
            let zoe = q!(db, customer::Customer::insert(&new)).unwrap();
            let today = Utc::now().date_naive();
            assert!((zoe.create_date - today).num_days().abs() <= 1, "CURRENT_DATE: {}", zoe.create_date);
            let stamped = zoe.last_update.expect("the default");
            assert!((Utc::now() - stamped).num_minutes().abs() <= 5, "now(): {stamped}");
            assert_eq!(q!(db, customer::Customer::get(61)).unwrap().as_ref(), Some(&zoe));

            // A payment: its key from the identity (after the script's 300), its date from now().
            let new = payment::NewPayment { amount: decimal("123.45"), customer_id: 61, staff_id: 6 };
            let paid = q!(db, payment::Payment::insert(&new)).unwrap();
            assert_eq!((paid.payment_id, paid.amount), (301, decimal("123.45")));
            assert!((Utc::now() - paid.payment_date).num_minutes().abs() <= 5);
            assert_eq!(q!(db, payment::Payment::get(301)).unwrap().as_ref(), Some(&paid));
            assert_eq!(q!(db, customer::payments::list(61)).unwrap(), vec![paid]);

            // Around the cycle: a new staff member at store 1 becomes the
            // manager of a new store, then moves there.
            let new = staff::NewStaffMember {
                staff_id: 7,
                first_name: "Eva".into(),
                last_name: "Lind".into(),
                username: "eva".into(),
                store_id: 1,
                ..Default::default()
            };
            let mut eva = q!(db, staff::StaffMember::insert(&new)).unwrap();
            assert!(eva.active && is_now(eva.last_update));
            let shop = q!(db, store::Store::insert(&store::NewStore { store_id: 4, manager_staff_id: 7 })).unwrap();
            assert!(is_now(shop.last_update));
            eva.store_id = 4;
            assert!(q!(db, eva.update()).unwrap());
            assert_eq!(q!(db, staff::managed_store::get(7)).unwrap().as_ref(), Some(&shop));
            assert_eq!(q!(db, store::staff::list(4)).unwrap().iter().map(|s| s.staff_id).collect::<Vec<_>>(), [7]);
            // SQLite's script defers this key to COMMIT, which outside a
            // transaction ends the INSERT ... RETURNING: its error, no row.
            let refused = q!(db, store::Store::insert(&store::NewStore { store_id: 5, manager_staff_id: 99 }));
            assert!(fk_violation(&refused.unwrap_err()), "store.manager_staff_id references staff");
            assert_eq!(db.count("store"), 4);
            assert_eq!(q!(db, store::Store::get(5)).unwrap(), None);
        }

        #[test]
        fn link_helpers_write_the_scripts_join_tables() {
            let Some(db) = database("film_rental_links") else { return };
            let script_stamp = at((2006, 2, 15), (5, 5, 3));
            let before = db.count("film_actor");
            // Film 2's actors, from SQL.
            let current: Vec<i16> = db.pairs("SELECT film_id, actor_id FROM film_actor WHERE film_id = 2 ORDER BY 2")
                .into_iter().map(|(_, a)| a as i16).collect();
            assert!(!current.is_empty());
            let newcomer = (1..=200).find(|a| !current.contains(a)).unwrap();
            assert_eq!(q!(db, film::actors::insert(2, &[newcomer, current[0], newcomer])).unwrap(), 1, "one new link");
            let link = q!(db, film_actor::FilmActor::get(newcomer, 2)).unwrap().unwrap();
            assert!(is_now(link.last_update), "the script's DEFAULT now(): {}", link.last_update);
            let kept = q!(db, film_actor::FilmActor::get(current[0], 2)).unwrap().unwrap();
            assert_eq!(kept.last_update, script_stamp, "an existing link is left as it is");

            // `link`: one join row, returned with the database's last_update.
            let another = (1..=200).find(|a| !current.contains(a) && *a != newcomer).unwrap();
            let linked = q!(db, film::actors::link(2, another)).unwrap().expect("a new link");
            assert_eq!((linked.film_id, linked.actor_id), (2, another));
            assert!(is_now(linked.last_update));
            assert_eq!(q!(db, film::actors::link(2, another)).unwrap(), None, "already linked");
            assert_eq!(q!(db, film::actors::count(2)).unwrap(), current.len() as u64 + 2);

            // `replace` from the actor's side: keeps one, adds two, removes the rest.
            let actor_films: Vec<i16> = q!(db, actor::films::list(newcomer)).unwrap().iter().map(|f| f.film_id).collect();
            assert_eq!(actor_films.iter().filter(|&&f| f == 2).count(), 1);
            let wanted = [99, 2, 98];
            let fresh = wanted.iter().filter(|f| !actor_films.contains(f)).count();
            let changes = q!(db, actor::films::replace(newcomer, &wanted)).unwrap();
            assert_eq!((changes.added, changes.removed), (fresh, actor_films.len() + fresh - wanted.len()));
            let expected = grouped(db.pairs(&format!("SELECT actor_id, film_id FROM film_actor WHERE actor_id = {newcomer}")));
            let listed: Vec<i64> = q!(db, actor::films::list(newcomer)).unwrap().iter().map(|f| f.film_id.into()).collect();
            assert_eq!(listed, [2, 98, 99]);
            assert_eq!(listed, expected[&i64::from(newcomer)]);
            let edges = q!(db, actor::films::list_edges(newcomer)).unwrap();
            assert_eq!(edges.iter().map(|e| e.link.film_id).collect::<Vec<_>>(), [2, 98, 99]);
            assert!(edges.iter().all(|e| is_now(e.link.last_update)));

            // `delete` unlinks, never deletes actors or films.
            assert_eq!(q!(db, film::actors::delete(2, &[newcomer, another, 200])).unwrap(), 2 + usize::from(current.contains(&200)));
            assert_eq!(db.count("actor"), 200);
            let without_200 = i64::from(current.contains(&200));
            // +1 insert, +1 link, the replace's difference, -2 (and 200's) unlinked.
            assert_eq!(db.count("film_actor"), before + 1 + 1 + (3 - actor_films.len() as i64) - 2 - without_200);

            // film_category, the other join schema: clear and insert.
            let categories = q!(db, film::categories::count(22)).unwrap();
            assert_eq!(categories as i64, db.int("SELECT count(*) FROM film_category WHERE film_id = 22"));
            assert_eq!(q!(db, film::categories::clear(22)).unwrap(), categories as usize);
            assert_eq!(q!(db, film::categories::insert(22, &[16, 1])).unwrap(), 2);
            let rows = q!(db, category::films::list_edges(16)).unwrap();
            let link = rows.iter().find(|e| e.target.film_id == 22).expect("film 22 in Travel");
            assert!(is_now(link.link.last_update));
            assert_eq!(db.int("SELECT count(*) FROM film_category WHERE film_id = 22"), 2);

            // A link to a film the script never made is refused by its foreign key.
            let refused = q!(db, film::actors::insert(101, &[1])).unwrap_err();
            assert!(fk_violation(&refused));
            // The script's ON DELETE RESTRICT keeps an actor with films.
            let refused = q!(db, actor::Actor::delete(1)).unwrap_err();
            // (SQLite reports a RESTRICT action as SQLITE_CONSTRAINT_TRIGGER, with the foreign key's message.)
            let restricted = fk_violation(&refused) || (!on_postgres() && refused.to_string().contains("FOREIGN KEY constraint failed"));
            assert!(restricted, "film_actor.actor_id ON DELETE RESTRICT: {refused:?}");
            assert_eq!(db.count("actor"), 200);
        }
    };
}
