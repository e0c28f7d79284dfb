//! The golden case `key_types`: associations joined on date, time,
//! datetime, timestamp, uuid, binary and text columns. Each preload sends its keys as one
//! array (rusqlite's `rarray`, PostgreSQL's typed arrays, JSON arrays on
//! sqlx-sqlite and MariaDB), so each backend's way of writing those keys
//! must meet the column as its driver stored it, to the microsecond.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_key_types {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use key_types::{notes, slots};

        use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

        /// Slot `i`: keys with fractional seconds, a uuid whose bytes differ
        /// in more than the last one, bytes that are not text, and text
        /// that is not ASCII.
        fn slot(i: u32) -> slots::NewSlot {
            let day = NaiveDate::from_ymd_opt(2024, 2, 27 + i).unwrap();
            let clock = NaiveTime::from_hms_micro_opt(9 + i, 30, 15, 250_000 * i + 7).unwrap();
            let wall = day.and_time(clock);
            slots::NewSlot {
                label: format!("slot {i}"),
                day,
                clock,
                moment: Utc.from_utc_datetime(&wall) + chrono::Duration::minutes(i64::from(i) * 61),
                wall,
                r#ref: uuid::Uuid::from_u128((0xfeed_u128 << (8 * i + 64)) | u128::from(i)),
                tag: vec![0, 0xff, b'\'', u8::try_from(i).unwrap(), 0x80],
                code: format!("Schlüssel {i} \"q\" 'é'"),
            }
        }

        /// A note linked to `slot` by each of its five keys, or to none.
        fn note(label: &str, slot: Option<&slots::Slot>) -> notes::NewNote {
            notes::NewNote {
                label: label.into(),
                slot_day: slot.map(|s| s.day),
                slot_clock: slot.map(|s| s.clock),
                slot_moment: slot.map(|s| s.moment),
                slot_wall: slot.map(|s| s.wall),
                slot_ref: slot.map(|s| s.r#ref),
                slot_tag: slot.map(|s| s.tag.clone()),
                slot_code: slot.map(|s| s.code.clone()),
            }
        }

        #[test]
        fn associations_join_on_every_key_type() {
            let Some(db) = Db::fresh("key_types") else { return };
            q!(db, key_types::create_all()).unwrap();
            joins_on_every_key(&db);
        }

        /// The same on tables made by hand (`tests/data/key_types/`): other
        /// column orders and spellings of the types, and on MariaDB text
        /// keys that compare without case (`utf8mb4_unicode_ci`).
        #[test]
        fn associations_join_on_every_key_type_of_tables_made_by_hand() {
            let Some(db) = Db::fresh("key_types_by_hand") else { return };
            db.exec(&$crate::suite::script("key_types", SCRIPTS));
            joins_on_every_key(&db);
        }

        /// Three slots, four notes (two on the first slot by each key, one
        /// on the second, one on none), read back through every association.
        fn joins_on_every_key(db: &Db) {
            let stored: Vec<slots::Slot> =
                (0..3).map(|i| q!(db, slots::Slot::insert(&slot(i))).unwrap()).collect();
            assert_eq!(q!(db, slots::Slot::all()).unwrap(), stored, "{NAME}: keys read back as written");
            for (label, owner) in [("a", Some(0)), ("b", Some(0)), ("c", Some(1)), ("d", None)] {
                q!(db, notes::Note::insert(&note(label, owner.map(|i| &stored[i])))).unwrap();
            }
            let labels = |notes: &[notes::Note]| $crate::suite::names(notes, |n| &n.label);
            let wanted: [&[&str]; 3] = [&["a", "b"], &["c"], &[]];

            // has_many, one owner at a time: a single key bound alone.
            assert_eq!(labels(&q!(db, slots::day_notes::list(stored[0].day)).unwrap()), ["a", "b"]);
            assert_eq!(labels(&q!(db, slots::clock_notes::list(stored[1].clock)).unwrap()), ["c"]);
            assert_eq!(labels(&q!(db, slots::moment_notes::list(stored[0].moment)).unwrap()), ["a", "b"]);
            assert_eq!(labels(&q!(db, slots::wall_notes::list(stored[1].wall)).unwrap()), ["c"]);
            assert_eq!(labels(&q!(db, slots::ref_notes::list(stored[0].r#ref)).unwrap()), ["a", "b"]);
            assert_eq!(labels(&q!(db, slots::tag_notes::list(&stored[1].tag)).unwrap()), ["c"]);
            assert_eq!(labels(&q!(db, slots::code_notes::list(&stored[0].code)).unwrap()), ["a", "b"]);

            // has_many preloaded: every owner's key in one array.
            let mut owners = q!(db, slots::Slot::all()).unwrap();
            q!(db, slots::day_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::clock_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::moment_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::wall_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::ref_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::tag_notes::preload(owners.iter_mut())).unwrap();
            q!(db, slots::code_notes::preload(owners.iter_mut())).unwrap();
            for (owner, wanted) in owners.iter().zip(wanted) {
                let loaded = [
                    ("day", &owner.day_notes),
                    ("clock", &owner.clock_notes),
                    ("moment", &owner.moment_notes),
                    ("wall", &owner.wall_notes),
                    ("ref", &owner.ref_notes),
                    ("tag", &owner.tag_notes),
                    ("code", &owner.code_notes),
                ];
                for (key, notes) in loaded {
                    assert_eq!(labels(notes.get().expect("preloaded")), wanted, "{NAME}: {} by {key}", owner.label);
                }
            }
            assert_eq!(q!(db, slots::moment_notes::counts(owners.iter())).unwrap(), [2, 1, 0], "{NAME}");

            // belongs_to preloaded: the notes' keys in one array.
            let mut notes = q!(db, notes::Note::all()).unwrap();
            q!(db, notes::by_day::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_clock::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_moment::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_wall::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_ref::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_tag::preload(notes.iter_mut())).unwrap();
            q!(db, notes::by_code::preload(notes.iter_mut())).unwrap();
            let owner_of = [Some("slot 0"), Some("slot 0"), Some("slot 1"), None];
            for (note, wanted) in notes.iter().zip(owner_of) {
                let loaded = [
                    ("day", &note.by_day),
                    ("clock", &note.by_clock),
                    ("moment", &note.by_moment),
                    ("wall", &note.by_wall),
                    ("ref", &note.by_ref),
                    ("tag", &note.by_tag),
                    ("code", &note.by_code),
                ];
                for (key, slot) in loaded {
                    let slot = slot.get().expect("preloaded").as_deref().map(|s| s.label.as_str());
                    assert_eq!(slot, wanted, "{NAME}: note {} by {key}", note.label);
                }
            }
        }
    };
}
