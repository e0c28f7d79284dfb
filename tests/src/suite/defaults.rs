//! Schema values (golden cases `defaults` and `hostile_literals`): a column's
//! `default` is the same value in the database's DDL and in the `New...`
//! struct's `Default`; `default_sql` columns are filled by the database; text
//! that tries to leave its SQL string stays one value.

/// Golden case `hostile_literals` on `$db`, an empty database:
/// `create_all` beside a `canary` table that injected SQL would drop.
/// PostgreSQL runs it under both `standard_conforming_strings`
/// (`tests/postgres_only.rs` turns it off).
#[macro_export]
#[doc(hidden)]
macro_rules! hostile_literals_create {
    ($db:expr) => {{
        let db = $db;
        db.exec("CREATE TABLE canary (x INTEGER)");
        q!(db, hostile_literals::create_all()).unwrap();
        assert_eq!(
            db.count("canary"),
            0,
            "{NAME}: create_all leaves other tables alone"
        );
    }};
}

/// The rest of the story on a database made by `hostile_literals_create!`:
/// the texts as defaults, a `where`-filtered association, links writing
/// `join_where` and `join_defaults` values; the canary still there.
#[macro_export]
#[doc(hidden)]
macro_rules! hostile_literals_use {
    ($db:expr) => {{
        use hostile_literals::{notes, owners, tags};
        let db = $db;
        const PAYLOAD: &str = "\\'); DROP TABLE canary; SELECT (1 --";
        const FILTER: &str = "\\' OR 1=1 --";
        let ann = q!(
            db,
            owners::Owner::insert(&owners::NewOwner { name: "ann".into() })
        )
        .unwrap();
        let bob = q!(
            db,
            owners::Owner::insert(&owners::NewOwner { name: "bob".into() })
        )
        .unwrap();
        // The DDL's default is the text as written, as is `Default`'s.
        db.exec(&format!("INSERT INTO notes (owner_id) VALUES ({})", ann.id));
        let stored = q!(db, notes::Note::all()).unwrap();
        assert_eq!(stored[0].body, PAYLOAD, "{NAME}: the DDL default");
        assert_eq!(notes::NewNote::default().body, PAYLOAD);
        assert_eq!(stored[0].fenced, notes::NewNote::default().fenced);
        let note = |owner: i64, body: &str| notes::NewNote {
            body: body.into(),
            owner_id: owner,
            ..Default::default()
        };
        let flagged = q!(db, notes::Note::insert(&note(ann.id, FILTER))).unwrap();
        q!(db, notes::Note::insert(&note(ann.id, "plain"))).unwrap();
        q!(db, notes::Note::insert(&note(bob.id, FILTER))).unwrap();
        let listed = q!(db, owners::flagged::list(ann.id)).unwrap();
        assert_eq!(
            listed,
            [flagged],
            "{NAME}: `where` keeps ann's flagged note only"
        );
        assert_eq!(q!(db, owners::flagged::count(bob.id)).unwrap(), 1);

        // Links write the `join_where` and `join_defaults` texts as they are.
        let tag = q!(db, tags::Tag::insert(&tags::NewTag { name: "t".into() })).unwrap();
        let other = q!(db, tags::Tag::insert(&tags::NewTag { name: "u".into() })).unwrap();
        assert_eq!(q!(db, owners::tags::insert(ann.id, &[tag.id])).unwrap(), 1);
        let edge = q!(
            db,
            owners::tags::link(bob.id, other.id, &owners::tags::Link::default())
        )
        .unwrap()
        .expect("a new link");
        assert_eq!((edge.kind.as_str(), edge.note.as_str()), (FILTER, PAYLOAD));
        assert_eq!(
            db.strings("SELECT kind || '|' || note FROM note_tags ORDER BY owner_id"),
            [format!("{FILTER}|{PAYLOAD}"), format!("{FILTER}|{PAYLOAD}")]
        );
        assert_eq!(q!(db, owners::tags::list(ann.id)).unwrap(), [tag]);
        assert_eq!(db.count("canary"), 0, "{NAME}: the canary is still there");
    }};
}

#[macro_export]
#[doc(hidden)]
macro_rules! suite_defaults {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use defaults::{gadgets, parts};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, defaults::create_all()).unwrap();
            Some(db)
        }

        /// A time the database set "now": within a minute of the test's clock
        /// (SQLite's CURRENT_TIMESTAMP has whole seconds).
        fn is_now(at: chrono::DateTime<chrono::Utc>) -> bool {
            (chrono::Utc::now() - at).num_seconds().abs() < 60
        }

        #[test]
        fn the_ddl_defaults_are_the_rust_defaults() {
            let Some(db) = database("ddl_defaults") else { return };
            db.exec("INSERT INTO gadgets (name) VALUES ('raw')");
            let stored = q!(db, gadgets::Gadget::all()).unwrap().remove(0);
            let rust = gadgets::NewGadget::default();
            assert_eq!(
                (stored.count, stored.big, stored.ratio, stored.price, stored.fee, stored.code),
                (rust.count, rust.big, rust.ratio, rust.price, rust.fee, rust.code),
                "{NAME}"
            );
            assert_eq!(
                (stored.day, stored.clock, stored.moment, &stored.doc, &stored.note),
                (rust.day, rust.clock, rust.moment, &rust.doc, &rust.note),
                "{NAME}"
            );
            // MariaDB returns CHAR(n) without its trailing spaces.
            let grade = if NAME == "sqlx-mysql" { rust.grade.trim_end() } else { rust.grade.as_str() };
            assert_eq!(
                (stored.small, stored.single, stored.grade.as_str(), stored.wall),
                (rust.small, rust.single, grade, rust.wall),
                "{NAME}"
            );
            assert_eq!((rust.small, rust.single, rust.grade.as_str()), (i16::MIN, 0.1_f32, "ab "));
            assert_eq!(rust.wall.to_string(), "2024-02-29 23:59:59.500");
            // Every digit and the scale as written (MariaDB's DECIMAL(38, 10):
            // every value with its 10 places), the instant in UTC.
            let (price, fee) = match NAME {
                "sqlx-mysql" => (stored.price.normalize(), stored.fee.map(|f| f.round_dp(2))),
                _ => (stored.price, stored.fee),
            };
            assert_eq!(price.to_string(), "12345678901234567890.125");
            assert_eq!(fee.map(|f| f.to_string()).as_deref(), Some("0.50"));
            assert_eq!(stored.moment.to_rfc3339(), "2024-02-29T23:30:00+00:00");
            assert_eq!(stored.code.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
            assert_eq!(stored.doc, serde_json::json!({"tags": ["a\\b"], "n": 1.5}));
            assert_eq!((rust.count, rust.big), (i32::MIN, i64::MAX));
            assert!(is_now(stored.stamped), "{NAME}: default_sql filled `stamped`");
            // A `where` on a typed value matches what the driver stores.
            let matching = format!("SELECT count(*) FROM gadgets WHERE day = {}", match NAME {
                "rusqlite" | "sqlx-sqlite" | "sqlx-mysql" => "'2024-02-29'",
                _ => "'2024-02-29'::DATE",
            });
            assert_eq!(db.int(&matching), 1);
        }

        #[test]
        fn where_values_match_what_the_driver_stores() {
            use defaults::readings;
            let Some(db) = database("where_values") else { return };
            let new = gadgets::NewGadget { name: "g".into(), ..Default::default() };
            let gadget = q!(db, gadgets::Gadget::insert(&new)).unwrap();
            let wall = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
                .unwrap()
                .and_hms_milli_opt(23, 59, 59, 500)
                .unwrap();
            let reading = |single: f32, wall: chrono::NaiveDateTime, grade: &str| {
                readings::NewReading { single, wall, grade: grade.into(), gadget_id: gadget.id }
            };
            let exact = q!(db, readings::Reading::insert(&reading(0.1, wall, "ab"))).unwrap();
            let later = wall + chrono::Duration::milliseconds(1);
            for other in [reading(0.2, wall, "ab"), reading(0.1, later, "ab"), reading(0.1, wall, "abc")] {
                q!(db, readings::Reading::insert(&other)).unwrap();
            }
            assert_eq!(q!(db, gadgets::exact::list(gadget.id)).unwrap(), [exact], "{NAME}");
        }

        #[test]
        fn default_sql_columns_are_filled_by_the_database() {
            let Some(db) = database("default_sql") else { return };
            // `NewGadget` has no `stamped`: insert leaves it to the database
            // and reads it back.
            let new = gadgets::NewGadget { name: "g".into(), ..Default::default() };
            let mut gadget = q!(db, gadgets::Gadget::insert(&new)).unwrap();
            assert!(is_now(gadget.stamped), "{NAME}: {}", gadget.stamped);
            assert_eq!(q!(db, gadgets::Gadget::get(gadget.id)).unwrap(), Some(gadget.clone()));
            // An update writes it like any column.
            gadget.stamped = chrono::DateTime::from_timestamp(86_400, 0).unwrap();
            assert!(q!(db, gadget.update()).unwrap());
            assert_eq!(q!(db, gadgets::Gadget::get(gadget.id)).unwrap(), Some(gadget.clone()));

            // The join schema's NOT NULL `last_update` is the database's too.
            let part = |label: &str| parts::NewPart { label: label.into() };
            let bolt = q!(db, parts::Part::insert(&part("bolt"))).unwrap();
            let nut = q!(db, parts::Part::insert(&part("nut"))).unwrap();
            assert_eq!(q!(db, gadgets::parts::insert(gadget.id, &[bolt.id])).unwrap(), 1);
            let edge = q!(db, gadgets::parts::link(gadget.id, nut.id)).unwrap().expect("a new link");
            assert!(is_now(edge.last_update), "{NAME}: {}", edge.last_update);
            let edges = q!(db, gadgets::parts::list_edges(gadget.id)).unwrap();
            assert_eq!(edges.len(), 2);
            assert!(edges.iter().all(|e| is_now(e.link.last_update)));
        }

        #[test]
        fn schema_text_stays_one_value() {
            let Some(db) = Db::fresh("hostile_literals") else { return };
            $crate::hostile_literals_create!(&db);
            $crate::hostile_literals_use!(&db);
        }
    };
}
