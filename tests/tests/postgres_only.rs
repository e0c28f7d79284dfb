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
        let new = entries::NewEntry { note: "n".into(), account_id: account.id, ..Default::default() };
        q!(db, entries::Entry::insert(&new)).unwrap();
        let warning = entries::NewEntry { kind: prefixed::EntryKind::Warning, ..new };
        let warning = q!(db, entries::Entry::insert(&warning)).unwrap();
        assert_eq!(q!(db, accounts::warnings::list(account.id)).unwrap(), [warning]);
        // The enum's type is in the default prefix's schema.
        assert_eq!(
            db.strings("SELECT typnamespace::regnamespace::text FROM pg_type WHERE typname = 'entry_kind'"),
            ["mortise_prefixed_app"]
        );
        let label = q!(db, labels::Label::insert(&labels::NewLabel { name: "l".into() })).unwrap();
        assert_eq!(q!(db, accounts::labels::insert(account.id, &[label.id])).unwrap(), 1);
        let mut all = q!(db, accounts::Account::all()).unwrap();
        q!(db, accounts::entries::preload(all.iter_mut())).unwrap();
        q!(db, accounts::labels::preload(all.iter_mut())).unwrap();
        assert_eq!((all[0].entries.iter().count(), all[0].labels.iter().count()), (2, 1));

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

/// How many named statements the session of `$h` (a handle of the
/// adapter) has prepared. Asked with the simple protocol, which prepares
/// nothing itself.
macro_rules! prepared_statements {
    ($h:expr, sync) => {{
        let rows = $h
            .c()
            .simple_query("SELECT count(*) FROM pg_prepared_statements")
            .unwrap();
        simple_count(&rows)
    }};
    ($h:expr, async) => {{
        let client = $h.c();
        let rows = $h
            .block_on(client.simple_query("SELECT count(*) FROM pg_prepared_statements"))
            .unwrap();
        simple_count(&rows)
    }};
}

fn simple_count(rows: &[postgres::SimpleQueryMessage]) -> i64 {
    rows.iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => row.get(0).map(|v| v.parse().unwrap()),
            _ => None,
        })
        .expect("a count")
}

/// A transaction of `$client` (a borrowed `Cached`) as a handle of `$h`'s adapter.
macro_rules! transaction_of {
    ($h:expr, $client:ident, sync) => {
        mortise_tests::suite::postgres::Handle::of($client.transaction().unwrap())
    };
    ($h:expr, $client:ident, async) => {
        $h.handle($h.block_on($client.transaction()).unwrap())
    };
}

/// Each owner's target ids, in the order preload gives them.
macro_rules! target_ids {
    ($owners:expr) => {
        $owners
            .iter()
            .map(|o| {
                (
                    o.owner_id,
                    o.targets.iter().map(|t| t.target_id).collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
}

/// The generated `Cached` client on a database made by its own script:
/// each statement prepared once and reused (a plain client prepares none),
/// every kind of call reads and writes as a plain client does, statements
/// prepared in a transaction that rolls back stay usable, and a
/// transaction shares the cache.
macro_rules! cached_story {
    ($($backend:ident)::+, $flavour:tt) => {{
        use $($backend)::+::*;
        use owner_target::{owners, targets};
        let Some(db) = Db::fresh("cached") else { return };
        db.exec(&mortise_tests::suite::script("owner_target", SCRIPTS));
        let cached = generated_client!(db, owner_target);
        let links_of_1 = || db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" WHERE "OwnerId" = 1 ORDER BY 2"#);

        // Reads: the same rows as a plain client, each statement prepared once.
        let mut plain = q!(db, owners::Owner::all()).unwrap();
        q!(db, owners::targets::preload(plain.iter_mut())).unwrap();
        assert_eq!(prepared_statements!(db, $flavour), 0, "{NAME}: a plain client prepares nothing");
        let mut owners = q!(cached, owners::Owner::all()).unwrap();
        q!(cached, owners::targets::preload(owners.iter_mut())).unwrap();
        assert_eq!(target_ids!(owners), target_ids!(plain), "{NAME}: cached reads read the same");
        assert_eq!(prepared_statements!(cached, $flavour), 2, "{NAME}: all and preload, once each");
        for _ in 0..3 {
            q!(cached, owners::targets::preload(owners.iter_mut())).unwrap();
            let mut targets = q!(cached, targets::Target::all()).unwrap();
            q!(cached, targets::owners::preload(targets.iter_mut())).unwrap();
        }
        assert_eq!(prepared_statements!(cached, $flavour), 4, "{NAME}: reused, not prepared again");
        let first = q!(cached, owners::Owner::get(1)).unwrap().expect("owner 1");
        assert_eq!(first.name, plain[0].name);
        assert!(q!(cached, owners::Owner::get(-1)).unwrap().is_none());
        let linked: Vec<i64> = plain[0].targets.iter().map(|t| t.target_id).collect();
        assert_eq!(q!(cached, owners::targets::count(1)).unwrap(), linked.len() as u64);

        // Writes in a transaction that is dropped: nothing stays.
        let before = links_of_1();
        {
            let mut client = cached.c();
            let tx = transaction_of!(cached, client, $flavour);
            let owner = q!(tx, owners::Owner::insert(&owners::NewOwner { owner_id: 1001, name: "new".into() })).unwrap();
            assert_eq!(q!(tx, owners::targets::replace(owner.owner_id, &[1, 2, 3])).unwrap().added, 3);
            assert_eq!(q!(tx, owners::targets::delete(1, &linked)).unwrap(), linked.len());
            assert_eq!(q!(tx, owners::targets::count(1)).unwrap(), 0);
        }
        assert_eq!(links_of_1(), before, "{NAME}: rolled back");
        assert_eq!(db.count("Owner"), 1000, "{NAME}: the insert rolled back");

        // A transaction that commits.
        in_transaction!(cached, tx => {
            q!(tx, owners::targets::clear(1)).unwrap();
            assert_eq!(q!(tx, owners::targets::insert(1, &[9, 7, 8])).unwrap(), 3);
        });
        assert_eq!(links_of_1(), vec![(1, 7), (1, 8), (1, 9)], "{NAME}: committed");
        // Outside a transaction, replace opens its own, with the cache, and
        // runs the statements the dropped transaction prepared.
        let prepared = prepared_statements!(cached, $flavour);
        let changes = q!(cached, owners::targets::replace(1, &[8, 10])).unwrap();
        assert_eq!((changes.added, changes.removed), (1, 2));
        assert_eq!(links_of_1(), vec![(1, 8), (1, 10)], "{NAME}: prepared in a rolled-back transaction, run after it");
        assert_eq!(prepared_statements!(cached, $flavour), prepared, "{NAME}: replace's statements reused");
    }};
}

#[test]
fn a_cached_client_prepares_each_statement_once_on_postgres() {
    cached_story!(mortise_tests::suite::postgres, sync);
}

#[test]
fn a_cached_client_prepares_each_statement_once_on_tokio_postgres() {
    cached_story!(mortise_tests::suite::tokio_postgres, async);
}

/// A domain over integer (`year` in `tests/data/film_rental/postgres.sql`)
/// is read and written as its base type: PostgreSQL describes a domain
/// column's values by the base type's OID (RowDescription says INT4), so
/// `FromSql for i32` reads it. A parameter is another matter: a statement
/// prepared without types gets the domain itself as the parameter's type,
/// which `ToSql for i32` refuses; the generated code names INT4 (typed
/// statements, and `Cached`'s `prepare_typed`), which the server casts to
/// the domain, checking its CHECK.
#[test]
fn a_domain_over_integer_reads_and_writes_as_its_base_type() {
    use mortise_tests::suite::postgres::*;
    use postgres::types::{Kind, Type};
    let Some(db) = Db::fresh("film_rental_domain") else {
        return;
    };
    db.exec(&mortise_tests::suite::script("film_rental", SCRIPTS));
    let rows = db.rows("SELECT release_year FROM film WHERE film_id = 1");
    assert_eq!(
        rows[0].columns()[0].type_(),
        &Type::INT4,
        "RowDescription: the base type"
    );
    assert_eq!(rows[0].get::<_, Option<i32>>(0), Some(2001));

    let untyped = db
        .c()
        .prepare("UPDATE film SET release_year = $1 WHERE film_id = 1")
        .unwrap();
    let parameter = &untyped.params()[0];
    assert_eq!(parameter.name(), "year");
    assert_eq!(parameter.kind(), &Kind::Domain(Type::INT4));
    let refused = db.c().execute(&untyped, &[&2002_i32]).unwrap_err();
    assert!(
        refused.to_string().contains("error serializing parameter"),
        "i32 is not the domain's Rust type: {refused}"
    );

    // The generated code, on a plain client and on a Cached one.
    use film_rental::film::Film;
    let mut film = q!(db, Film::get(1)).unwrap().unwrap();
    film.release_year = Some(2002);
    assert!(q!(db, film.update()).unwrap());
    let mut cached = film_rental::Cached::new(db.connect());
    let mut again = Film::get(&mut cached, 1).unwrap().unwrap();
    assert_eq!(again.release_year, Some(2002));
    again.release_year = Some(1800);
    let refused = again.update(&mut cached).unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::CHECK_VIOLATION),
        "the domain's CHECK"
    );
}

/// A query's `IN (:ids)` with 100,000 ids is ONE statement on PostgreSQL:
/// it scans the table as often as the same query with one id does
/// (`pg_stat_xact_user_tables` counts this transaction's scans as they
/// happen), where a statement per id, or per chunk of ids, would scan it
/// again each time.
#[test]
fn a_query_list_of_100000_ids_is_one_statement_on_postgres() {
    use mortise_tests::pg::movie_queries::{self as schema, movies, queries};
    fn scans(tx: &mut postgres::Transaction<'_>) -> i64 {
        tx.query_one(
            "SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables \
             WHERE relname = 'movies' AND schemaname = current_schema()",
            &[],
        )
        .unwrap()
        .get(0)
    }
    let Some(test) = mortise_tests::pg_support::TestSchema::new("queries_one_statement") else {
        return;
    };
    let mut client = test.connect();
    schema::create_all(&mut client).unwrap();
    for title in ["a", "b", "c"] {
        let new = movies::NewMovie {
            title: title.into(),
            ..Default::default()
        };
        movies::Movie::insert(&mut client, &new).unwrap();
    }
    let mut tx = client.transaction().unwrap();
    let start = scans(&mut tx);
    assert_eq!(queries::movies_by_ids(&mut tx, &[1]).unwrap().len(), 1);
    let one_id = scans(&mut tx) - start;
    assert!(one_id >= 1);

    let ids: Vec<i64> = (1..=100_000).collect();
    let before = scans(&mut tx);
    assert_eq!(queries::movies_by_ids(&mut tx, &ids).unwrap().len(), 3);
    assert_eq!(
        scans(&mut tx) - before,
        one_id,
        "100,000 ids scan movies as often as one id does"
    );
}

/// The Chinook queries the suite shares with PostgreSQL are renamed by
/// `snake_case_sql`; a wrong rename would fail there with a confusing error.
#[test]
fn snake_case_sql_renames_identifiers() {
    assert_eq!(
        mortise_tests::suite::snake_case_sql("SELECT pt.PlaylistId, TrackId FROM PlaylistTrack pt"),
        "select pt.playlist_id, track_id from playlist_track pt"
    );
}
