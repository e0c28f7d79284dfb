//! The golden case `arrays`: `Vec<T>` columns of every element type,
//! written and read by the generated code (PostgreSQL arrays; JSON text on
//! SQLite), by other programs (raw SQL), and as the DDL's defaults.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_arrays {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use arrays::{films, studios};

        use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
        use rust_decimal::Decimal;

        fn database(test: &str) -> Option<(Db, studios::Studio)> {
            let db = Db::fresh(test)?;
            q!(db, arrays::create_all()).unwrap();
            let studio = q!(db, studios::Studio::insert(&studios::NewStudio {
                name: "s".into(),
                regions: vec!["eu".into(), "us".into()],
            }))
            .unwrap();
            Some((db, studio))
        }

        /// Every element type at its edges: empty lists, text with quotes
        /// and backslashes, extreme numbers, sub-second times.
        fn full(studio: &studios::Studio) -> films::NewFilm {
            let day = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
            let late = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
            let micro = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap();
            films::NewFilm {
                title: "full".into(),
                special_features: vec!["Behind the Scenes".into(), "\"quoted\", 'single' \\ back".into(), String::new(), "ünï {c,o}".into()],
                notes: Some(vec![]),
                counts: vec![i64::MIN, 0, i64::MAX],
                ranks: Some(vec![i32::MIN, i32::MAX]),
                shelves: vec![i16::MIN, i16::MAX],
                scores: Some(vec![f64::MAX, f64::MIN_POSITIVE, -0.0, 0.1]),
                ratios: None,
                flags: vec![],
                blobs: Some(vec![vec![], vec![0, 255, 1]]),
                ids: vec![uuid::Uuid::nil(), uuid::Uuid::from_u128(u128::MAX)],
                days: vec![day, late],
                times: vec![NaiveTime::MIN, micro],
                instants: vec![Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(), late.and_time(micro).and_utc()],
                stamps: vec![day.and_time(micro), late.and_hms_opt(0, 0, 0).unwrap()],
                documents: Some(vec![serde_json::json!({"a": [1, "two"]}), serde_json::json!(null), serde_json::json!("x")]),
                prices: vec!["-79228162514264337593543950335".parse().unwrap(), "0.0000000000000000000000000001".parse().unwrap(), "1.50".parse().unwrap()],
                studio_id: Some(studio.id),
            }
        }

        #[test]
        fn arrays_of_every_type_round_trip() {
            let Some((db, studio)) = database("arrays_round_trip") else { return };
            assert_eq!(studio.regions, ["eu", "us"]);
            let new = full(&studio);
            let mut stored = q!(db, films::Film::insert(&new)).unwrap();
            assert_eq!((&stored.special_features, &stored.counts, &stored.prices), (&new.special_features, &new.counts, &new.prices));
            assert_eq!(stored.prices[2].to_string(), "1.50", "{NAME}: the decimal's scale is kept");
            let read = q!(db, films::Film::get(stored.id)).unwrap().unwrap();
            assert_eq!(read, stored, "{NAME}");
            assert_eq!((read.notes.as_deref(), read.ratios.as_deref()), (Some(&[][..]), None), "{NAME}: an empty list is not NULL");

            // Update to other lists, NULL and back; through the client the
            // generated code is given (on PostgreSQL, statements prepared once).
            let cached = generated_client!(db, arrays);
            stored.special_features = vec!["Commentaries".into()];
            stored.notes = None;
            stored.ratios = Some(vec![f32::MAX, -f32::MIN_POSITIVE]);
            stored.flags = vec![true, false, true];
            stored.documents = None;
            assert!(q!(cached, stored.update()).unwrap());
            assert_eq!(q!(cached, films::Film::get(stored.id)).unwrap().as_ref(), Some(&stored), "{NAME}");

            // A preload reads them too.
            let mut studios = q!(db, studios::Studio::all()).unwrap();
            q!(db, studios::films::preload(studios.iter_mut())).unwrap();
            assert_eq!(studios[0].films.get().unwrap().as_slice(), [stored], "{NAME}");
        }

        #[test]
        fn the_ddl_defaults_are_the_rust_defaults() {
            let Some((db, _studio)) = database("arrays_defaults") else { return };
            let rust = films::NewFilm { title: "rust".into(), ..Default::default() };
            assert_eq!(rust.special_features, ["Trailers", "Deleted Scenes"]);
            assert_eq!(rust.shelves, [1, i16::MIN, i16::MAX]);
            assert_eq!(rust.ratios, Some(vec![0.1, 2.5]));
            assert_eq!(rust.prices, ["19.99", "0.5", "12345678901234567890.125"].map(|d| d.parse::<Decimal>().unwrap()));
            assert_eq!(rust.instants, [Utc.with_ymd_and_hms(2024, 1, 31, 12, 30, 0).unwrap()]);
            // A row another program writes gets the DDL's defaults.
            db.exec("INSERT INTO films (title) VALUES ('raw')");
            let raw = q!(db, films::Film::all()).unwrap().pop().unwrap();
            let inserted = q!(db, films::Film::insert(&rust)).unwrap();
            let columns = |f: &films::Film| (
                f.special_features.clone(), f.counts.clone(), f.shelves.clone(), f.ratios.clone(), f.flags.clone(),
                f.ids.clone(), f.days.clone(), f.times.clone(), f.instants.clone(), f.stamps.clone(), f.prices.clone(),
            );
            assert_eq!(columns(&raw), columns(&inserted), "{NAME}");
            assert_eq!((raw.notes, raw.blobs, raw.documents), (None, None, None));
        }

        #[test]
        fn arrays_other_programs_write_are_read() {
            let Some((db, studio)) = database("arrays_raw") else { return };
            if SCRIPTS == "sqlite" {
                // JSON text, as any program writes it (spaces, escapes).
                db.exec(&format!(
                    "INSERT INTO films (title, special_features, ranks, studio_id) \
                     VALUES ('raw', '[ \"a\" , \"b\\u00e9\\\"\" ]', '[1,2]', {})",
                    studio.id
                ));
            } else if NAME == "sqlx-mysql" {
                // The same JSON text; MariaDB's string literal doubles each backslash.
                db.exec(&format!(
                    "INSERT INTO films (title, special_features, ranks, studio_id) \
                     VALUES ('raw', '[ \"a\" , \"b\\\\u00e9\\\\\"\" ]', '[1,2]', {})",
                    studio.id
                ));
            } else {
                db.exec(&format!(
                    "INSERT INTO films (title, special_features, ranks, studio_id) \
                     VALUES ('raw', '{{a,\"bé\\\"\"}}', ARRAY[1, 2], {})",
                    studio.id
                ));
            }
            let film = q!(db, films::Film::all()).unwrap().pop().unwrap();
            assert_eq!((film.special_features, film.ranks), (vec!["a".to_owned(), "bé\"".to_owned()], Some(vec![1, 2])), "{NAME}");
            // Stored as the database's own form: JSON text on SQLite, an array on PostgreSQL.
            let written = q!(db, films::Film::insert(&films::NewFilm { title: "w".into(), ..Default::default() })).unwrap();
            let json = SCRIPTS == "sqlite" || NAME == "sqlx-mysql";
            let sql = if json { "SELECT special_features FROM films WHERE id = " } else { "SELECT array_to_string(special_features, '|') FROM films WHERE id = " };
            let text = db.strings(&format!("{sql}{}", written.id));
            let expected = if json { "[\"Trailers\",\"Deleted Scenes\"]" } else { "Trailers|Deleted Scenes" };
            assert_eq!(text, [expected]);
        }

        #[test]
        fn a_value_that_is_no_list_of_the_type_is_an_error_when_read() {
            let Some((db, _studio)) = database("arrays_bad") else { return };
            if SCRIPTS == "sqlite" {
                db.exec("INSERT INTO films (title, ranks) VALUES ('not json', '[1,')");
                assert!(q!(db, films::Film::all()).is_err());
                db.exec("DELETE FROM films; INSERT INTO films (title, ranks) VALUES ('too big', '[1, 3000000000]')");
                assert!(q!(db, films::Film::all()).is_err());
            } else if NAME == "sqlx-mysql" {
                // MariaDB's JSON column refuses text that is not JSON itself.
                assert!(db.try_exec("INSERT INTO films (title, ranks) VALUES ('not json', '[1,')").is_err());
                db.exec("INSERT INTO films (title, ranks) VALUES ('too big', '[1, 3000000000]')");
                assert!(q!(db, films::Film::all()).is_err());
            } else {
                // A NULL element has no place in a `Vec<i32>`.
                db.exec("INSERT INTO films (title, ranks) VALUES ('null element', ARRAY[1, NULL])");
                assert!(q!(db, films::Film::all()).is_err());
            }
        }
    };
}
