//! The few PostgreSQL behaviours that SQLite does not have, on both
//! PostgreSQL drivers; everything else is in the behaviour suite
//! (`tests/behaviour.rs`). Needs `DATABASE_URL`.

use mortise_tests::pg_support::{ChinookDatabase, database_url};

/// One story of golden case `prefixed` through a backend's adapter.
macro_rules! prefixed_story {
    ($($backend:ident)::+) => {{
        use $($backend)::+::*;
        use prefixed::{accounts, entries, labels};
        let Some(db) = Db::fresh("prefixed") else { return };
        // These two schemas are the test's own (it writes nowhere else outside its schema).
        db.exec(
            "DROP SCHEMA IF EXISTS mortise_prefixed_app CASCADE; \
             DROP SCHEMA IF EXISTS mortise_prefixed_audit CASCADE",
        );
        q!(db, prefixed::create_all()).unwrap();
        let account = q!(db, accounts::Account::insert(&accounts::NewAccount { name: "a".into() })).unwrap();
        let new = entries::NewEntry { note: "n".into(), account_id: account.id };
        q!(db, entries::Entry::insert(&new)).unwrap();
        let label = q!(db, labels::Label::insert(&labels::NewLabel { name: "l".into() })).unwrap();
        assert_eq!(q!(db, accounts::labels::insert(account.id, &[label.id])).unwrap(), 1);
        let mut all = q!(db, accounts::Account::all()).unwrap();
        q!(db, accounts::entries::preload(all.iter_mut())).unwrap();
        q!(db, accounts::labels::preload(all.iter_mut())).unwrap();
        assert_eq!((all[0].entries.iter().count(), all[0].labels.iter().count()), (1, 1));

        let placed = db.strings(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables \
             WHERE table_schema LIKE 'mortise_prefixed_%' ORDER BY 1",
        );
        let expected = [
            "mortise_prefixed_app.account_labels",
            "mortise_prefixed_app.accounts",
            "mortise_prefixed_app.labels",
            "mortise_prefixed_audit.entries",
        ];
        assert_eq!(placed, expected, "{NAME}: each table in its prefix's schema");
        assert!(q!(db, accounts::Account::delete(account.id)).unwrap());
        assert_eq!(db.int("SELECT count(*) FROM mortise_prefixed_audit.entries"), 0, "{NAME}: on_delete across schemas");
        db.exec("DROP SCHEMA mortise_prefixed_app CASCADE; DROP SCHEMA mortise_prefixed_audit CASCADE");
    }};
}

/// Schema prefixes are PostgreSQL schemas (SQLite has none and leaves them
/// out). Their names are fixed, so the two drivers take turns in one test.
#[test]
fn schema_prefixes_are_postgres_schemas_on_both_drivers() {
    (|| prefixed_story!(mortise_tests::suite::postgres))();
    (|| prefixed_story!(mortise_tests::suite::tokio_postgres))();
}

/// Golden case `hostile_literals` on sessions with
/// `standard_conforming_strings = off`, where a backslash in a plain '...'
/// string escapes the next character: literals from the schema still mean
/// their text (E'...'), so `create_all` drops no table, and (on tables made
/// with the setting on) a `where` matches only its value and links write
/// their values as they are.
macro_rules! without_standard_strings {
    ($($backend:ident)::+) => {{
        use $($backend)::+::*;
        let off = |db: &Db| {
            db.exec("SET standard_conforming_strings = off");
            assert_eq!(db.strings("SHOW standard_conforming_strings"), ["off"]);
        };
        let Some(db) = Db::fresh("scs_off_create") else { return };
        off(&db);
        mortise_tests::hostile_literals_create!(&db);
        mortise_tests::hostile_literals_use!(&db);

        let Some(db) = Db::fresh("scs_off_use") else { return };
        mortise_tests::hostile_literals_create!(&db);
        off(&db);
        mortise_tests::hostile_literals_use!(&db);
    }};
}

#[test]
fn schema_literals_are_safe_without_standard_conforming_strings() {
    (|| without_standard_strings!(mortise_tests::suite::postgres))();
    (|| without_standard_strings!(mortise_tests::suite::tokio_postgres))();
}

/// The harness's Chinook copy (a database of its own, loaded by psql) is
/// dropped with its guard, even while a client is still connected.
#[test]
fn a_chinook_copy_is_dropped_with_its_guard() {
    let Some(chinook) = ChinookDatabase::load("guard") else {
        return;
    };
    let _still_connected = chinook.connect();
    let name = chinook.name().to_owned();
    drop(chinook);
    let url = database_url("guard").expect("set above");
    let mut server = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let left: i64 = server
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "database {name} is still there");
}
