//! The golden case `real_types`: the types existing databases use, written
//! by the generated code and by other programs (raw SQL, in the forms they
//! write: on SQLite, any storage class and several text forms).

#[macro_export]
#[doc(hidden)]
macro_rules! suite_real_types {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;

        use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
        use rust_decimal::Decimal;

        fn at(h: u32, m: u32, s: u32, milli: u32) -> NaiveDateTime {
            NaiveDate::from_ymd_opt(2006, 2, 15).unwrap().and_hms_milli_opt(h, m, s, milli).unwrap()
        }

        fn decimal(text: &str) -> Decimal {
            text.parse().unwrap()
        }

        #[test]
        fn integers_and_floats_of_every_width_round_trip() {
            use real_types::numbers::{NewNumber, Number};
            let db = $crate::open_or_skip!(fresh("widths"));
            q!(db, real_types::create_all()).unwrap();
            let defaults = NewNumber::default();
            assert_eq!((defaults.level, defaults.scale), (-2, Some(1.5)));
            let lowest = NewNumber {
                small: i16::MIN,
                small_n: Some(i16::MAX),
                medium: i32::MIN,
                big: i64::MIN,
                single: f32::MAX,
                single_n: Some(f32::MIN_POSITIVE),
                double: f64::MAX,
                level: i16::MAX,
                scale: None,
            };
            let highest = NewNumber {
                small: i16::MAX,
                small_n: None,
                medium: i32::MAX,
                big: i64::MAX,
                single: -0.1,
                single_n: None,
                double: f64::MIN_POSITIVE,
                ..defaults
            };
            let mut low = q!(db, Number::insert(&lowest)).unwrap();
            let high = q!(db, Number::insert(&highest)).unwrap();
            assert_eq!(q!(db, Number::get(low.id)).unwrap().as_ref(), Some(&low));
            assert_eq!(q!(db, Number::get(high.id)).unwrap().as_ref(), Some(&high));
            assert_eq!((low.small, low.small_n, low.level), (i16::MIN, Some(i16::MAX), i16::MAX));
            assert_eq!((low.single, low.single_n, low.double), (f32::MAX, Some(f32::MIN_POSITIVE), f64::MAX));
            assert_eq!((high.small, high.medium, high.big, high.single), (i16::MAX, i32::MAX, i64::MAX, -0.1));
            assert_eq!((high.level, high.scale), (-2, Some(1.5)));
            low.small_n = None;
            low.single_n = Some(f32::MIN);
            assert!(q!(db, low.update()).unwrap());
            assert_eq!(q!(db, Number::get(low.id)).unwrap(), Some(low));

            // A row another program writes gets the DDL's defaults.
            db.exec("INSERT INTO numbers (small, medium, big, single, \"double\") VALUES (-7, 7, 70, 0.25, 0.5)");
            let other = q!(db, Number::all()).unwrap().pop().unwrap();
            assert_eq!((other.small, other.small_n, other.level, other.scale), (-7, None, -2, Some(1.5)));
            assert_eq!((other.single, other.double), (0.25, 0.5));

            if SCRIPTS == "sqlite" {
                // SQLite stores any integer in a SMALLINT column: one that does not fit
                // is an error when read, never a wrapped value.
                db.exec("INSERT INTO numbers (small, medium, big, single, double) VALUES (32768, 0, 0, 0, 0)");
                assert!(q!(db, Number::all()).is_err());
            }
        }

        #[test]
        fn timestamps_with_and_without_a_time_zone_round_trip() {
            use real_types::moments::{Moment, NewMoment};
            let db = $crate::open_or_skip!(fresh("moments"));
            if SCRIPTS == "sqlite" {
                // An existing database: declared DATETIME (NUMERIC affinity), SQLite
                // keeps integers as integers and text as text.
                db.exec(
                    "CREATE TABLE moments (id INTEGER PRIMARY KEY AUTOINCREMENT, \
                     wall DATETIME NOT NULL, wall_n DATETIME, zoned DATETIME NOT NULL, zoned_n DATETIME, day DATE)",
                );
            }
            q!(db, real_types::create_all()).unwrap();
            let new = NewMoment {
                wall: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap().and_hms_micro_opt(23, 59, 58, 123_456).unwrap(),
                wall_n: None,
                // Both databases keep whole microseconds.
                zoned: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
                zoned_n: Some(DateTime::UNIX_EPOCH),
                day: NaiveDate::from_ymd_opt(2024, 2, 29),
            };
            let mut moment = q!(db, Moment::insert(&new)).unwrap();
            assert_eq!((moment.wall, moment.zoned, moment.day), (new.wall, new.zoned, new.day));
            assert_eq!(q!(db, Moment::get(moment.id)).unwrap().as_ref(), Some(&moment));
            // The first second of year 1, which both databases hold.
            moment.wall_n = Some(NaiveDate::from_ymd_opt(1, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
            moment.zoned_n = None;
            assert!(q!(db, moment.update()).unwrap());
            assert_eq!(q!(db, Moment::get(moment.id)).unwrap().as_ref(), Some(&moment));
            assert!(q!(db, Moment::delete(moment.id)).unwrap());

            // Rows other programs write, in the text forms the databases take
            // (MariaDB's DATETIME takes no offset: it holds UTC as written).
            db.exec(if NAME == "sqlx-mysql" {
                "INSERT INTO moments (wall, zoned, day) VALUES \
                 ('2006-02-15 05:03:42', '2006-02-15 05:03:42', '2006-02-15'), \
                 ('2006-02-15T05:03:42.5', '2006-02-15T05:03:42', NULL), \
                 ('2006-02-15 05:03:42.123', '2006-02-15 05:03:42.000', NULL)"
            } else {
                "INSERT INTO moments (wall, zoned, day) VALUES \
                 ('2006-02-15 05:03:42', '2006-02-15 05:03:42+00:00', '2006-02-15'), \
                 ('2006-02-15T05:03:42.5', '2006-02-15T05:03:42Z', NULL), \
                 ('2006-02-15 05:03:42.123', '2006-02-15T07:03:42+02:00', NULL)"
            });
            let day = NaiveDate::from_ymd_opt(2006, 2, 15);
            let mut expected = vec![
                (at(5, 3, 42, 0), at(5, 3, 42, 0).and_utc(), day),
                (at(5, 3, 42, 500), at(5, 3, 42, 0).and_utc(), None),
                (at(5, 3, 42, 123), at(5, 3, 42, 0).and_utc(), None),
            ];
            if SCRIPTS == "sqlite" {
                // SQLite keeps what was written: an offset on a timestamp is
                // converted to UTC, no offset on a datetime means UTC, an integer
                // is Unix seconds, a date with a time is that date.
                db.exec(
                    "INSERT INTO moments (wall, zoned, day) VALUES \
                     ('2006-02-15T07:03:42+02:00', '2006-02-15 05:03:42', '2006-02-15 05:03:42'), \
                     (1139979822, '2006-02-15T05:03:42.250', '2006-02-15T23:59:59Z'), \
                     ('2006-02-15 05:03:42Z', 1139979822, 1139979822)",
                );
                assert_eq!(
                    db.strings("SELECT typeof(wall) || ' ' || typeof(zoned) FROM moments ORDER BY id DESC LIMIT 2"),
                    ["text integer", "integer text"]
                );
                expected.extend([
                    (at(5, 3, 42, 0), at(5, 3, 42, 0).and_utc(), day),
                    (at(5, 3, 42, 0), at(5, 3, 42, 250).and_utc(), day),
                    (at(5, 3, 42, 0), at(5, 3, 42, 0).and_utc(), day),
                ]);
            }
            let read: Vec<_> = q!(db, Moment::all()).unwrap().into_iter().map(|m| (m.wall, m.zoned, m.day)).collect();
            assert_eq!(read, expected);

            if SCRIPTS == "sqlite" {
                // What is none of these forms is an error, not a guess.
                db.exec("DELETE FROM moments; INSERT INTO moments (wall, zoned, day) VALUES ('2006-02-15 05:03:42', 0, '2006-02-15')");
                assert!(q!(db, Moment::all()).is_ok());
                db.exec("UPDATE moments SET day = 'today'");
                assert!(q!(db, Moment::all()).is_err(), "not a date");
                db.exec("UPDATE moments SET day = NULL, wall = '15/02/2006'");
                assert!(q!(db, Moment::all()).is_err(), "not a timestamp");
                db.exec("UPDATE moments SET wall = '2006-02-15 05:03:42', zoned = 'noon'");
                assert!(q!(db, Moment::all()).is_err(), "not a datetime");
            }
        }

        #[test]
        fn decimals_read_from_every_storage_class() {
            use real_types::amounts::{Amount, NewAmount};
            let db = $crate::open_or_skip!(fresh("amounts"));
            if SCRIPTS == "sqlite" {
                // An existing database: a DECIMAL column (NUMERIC affinity: SQLite
                // stores numbers, even '2.25', as INTEGER or REAL), and a column
                // without a type, which stores any value as given.
                db.exec(
                    "CREATE TABLE amounts (id INTEGER PRIMARY KEY AUTOINCREMENT, \
                     label TEXT NOT NULL, amount DECIMAL(20, 4) NOT NULL, amount_n)",
                );
            }
            q!(db, real_types::create_all()).unwrap();
            db.exec(
                "INSERT INTO amounts (label, amount, amount_n) VALUES \
                 ('zero', 0, 0), ('real', 1.5, 0.1), ('text', '2.25', '-3'), \
                 ('null', 7, NULL)",
            );
            if SCRIPTS == "sqlite" {
                assert_eq!(
                    db.strings("SELECT typeof(amount) || ' ' || typeof(amount_n) FROM amounts ORDER BY id"),
                    ["integer integer", "real real", "real text", "integer null"]
                );
            }
            let read: Vec<_> = q!(db, Amount::all()).unwrap().into_iter().map(|a| (a.amount, a.amount_n)).collect();
            assert_eq!(
                read,
                [
                    (decimal("0"), Some(decimal("0"))),
                    (decimal("1.5"), Some(decimal("0.1"))),
                    (decimal("2.25"), Some(decimal("-3"))),
                    (decimal("7"), None),
                ]
            );

            // 15 significant digits: what SQLite's DECIMAL column (NUMERIC affinity)
            // keeps; the TEXT columns of mortise's own DDL keep every digit.
            let new = NewAmount {
                label: "exact".into(),
                amount: decimal("-98765432.1054321"),
                amount_n: Some(decimal("-0.001")),
            };
            let mut amount = q!(db, Amount::insert(&new)).unwrap();
            // MariaDB's DECIMAL(38, 10) gives every value its 10 places.
            let stored = if NAME == "sqlx-mysql" { amount.amount.normalize() } else { amount.amount };
            assert_eq!(stored.to_string(), "-98765432.1054321", "decimals are exact");
            assert_eq!(q!(db, Amount::get(amount.id)).unwrap().as_ref(), Some(&amount));
            amount.amount_n = None;
            assert!(q!(db, amount.update()).unwrap());
            assert_eq!(q!(db, Amount::get(amount.id)).unwrap(), Some(amount));

            if SCRIPTS == "sqlite" {
                db.exec("INSERT INTO amounts (label, amount) VALUES ('bad', 'twelve')");
                assert!(q!(db, Amount::all()).is_err(), "not a decimal: an error");
            }
        }

        #[test]
        fn fixed_length_text_keeps_what_the_database_returns() {
            use real_types::cities::{City, NewCity};
            use real_types::countries::{Country, NewCountry};
            let db = $crate::open_or_skip!(fresh("chars"));
            q!(db, real_types::create_all()).unwrap();
            let country = |code: &str, iso3: Option<&str>| NewCountry {
                code: code.into(),
                name: format!("country {code}"),
                iso3: iso3.map(Into::into),
            };
            let fr = q!(db, Country::insert(&country("FR", Some("FRA")))).unwrap();
            assert_eq!((fr.code.as_str(), fr.iso3.as_deref()), ("FR", Some("FRA")));
            // PostgreSQL pads a shorter value with spaces and returns them; SQLite
            // stores the text as given; MariaDB pads it and returns it without
            // the trailing spaces.
            let u = q!(db, Country::insert(&country("U", Some("US")))).unwrap();
            let padded = SCRIPTS != "sqlite" && NAME != "sqlx-mysql";
            let refuses_longer = SCRIPTS != "sqlite";
            assert_eq!(
                (u.code.as_str(), u.iso3.as_deref()),
                if padded { ("U ", Some("US ")) } else { ("U", Some("US")) }
            );
            // PostgreSQL and MariaDB compare CHARACTER(n) without the padding:
            // both spellings find it.
            assert_eq!(q!(db, Country::get(&u.code)).unwrap().as_ref(), Some(&u));
            if refuses_longer {
                assert_eq!(q!(db, Country::get("U ")).unwrap().map(|c| c.code), Some(u.code.clone()));
                assert_eq!(q!(db, Country::get("U")).unwrap().as_ref(), Some(&u));
            }
            // A longer value: PostgreSQL and MariaDB refuse it, SQLite (TEXT
            // affinity) keeps it.
            assert_eq!(q!(db, Country::insert(&country("FRA", None))).is_err(), refuses_longer);

            // A key of fixed-length text, bound alone and in arrays.
            for (name, code) in [("Paris", &fr.code), ("Lyon", &fr.code), ("Boston", &u.code)] {
                q!(db, City::insert(&NewCity { name: name.into(), country_code: code.clone() })).unwrap();
            }
            let names = |cities: &[City]| $crate::suite::names(cities, |c| &c.name);
            assert_eq!(names(&q!(db, real_types::countries::cities::list(&fr.code)).unwrap()), ["Paris", "Lyon"]);
            let mut countries = q!(db, Country::all()).unwrap();
            q!(db, real_types::countries::cities::preload(countries.iter_mut())).unwrap();
            let loaded: Vec<Vec<String>> = countries
                .iter()
                .map(|c| match &c.cities {
                    real_types::Loaded::Loaded(cities) => names(cities),
                    real_types::Loaded::NotLoaded => panic!("preloaded"),
                })
                .collect();
            let expected_loaded: Vec<Vec<&str>> = if refuses_longer {
                vec![vec!["Paris", "Lyon"], vec!["Boston"]]
            } else {
                // SQLite also kept "FRA", which has no city.
                vec![vec!["Paris", "Lyon"], vec![], vec!["Boston"]]
            };
            assert_eq!(loaded, expected_loaded);
        }
    };
}
