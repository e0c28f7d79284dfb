//! What only SQLite has: a statement that fails half-way and keeps what it
//! wrote. A trigger's `RAISE(FAIL)` keeps the rows its statement wrote
//! before it fired (and, outside a transaction, commits them); PostgreSQL
//! undoes a failed statement whole. The join-table helpers stay atomic
//! against a failing trigger of every `RAISE` kind.

use generated::{actors, movies};
use rusqlite::Connection;

const KINDS: [&str; 3] = ["ABORT", "FAIL", "ROLLBACK"];

/// A database where a movie can have at most four actors: a trigger
/// raises `kind` on the fifth link; a movie and six actors.
fn database(kind: &str) -> (Connection, i64, Vec<i64>) {
    let db = Connection::open_in_memory().unwrap();
    generated::create_all(&db).unwrap();
    db.execute_batch(&format!(
        "CREATE TRIGGER at_most_four BEFORE INSERT ON movies_actors \
         WHEN (SELECT count(*) FROM movies_actors WHERE movie_id = NEW.movie_id) >= 4 \
         BEGIN SELECT RAISE({kind}, 'at most four actors'); END;"
    ))
    .unwrap();
    let movie = movies::Movie::insert(
        &db,
        &movies::NewMovie {
            title: "m".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let actors = (0..6)
        .map(|i| {
            actors::Actor::insert(
                &db,
                &actors::NewActor {
                    name: format!("a{i}"),
                },
            )
            .unwrap()
            .id
        })
        .collect();
    (db, movie.id, actors)
}

fn links(db: &Connection) -> i64 {
    db.query_row("SELECT count(*) FROM movies_actors", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_link_insert_that_a_trigger_fails_links_nothing() {
    for kind in KINDS {
        let (db, movie, actors) = database(kind);
        let error = movies::actors::insert(&db, movie, &actors).unwrap_err();
        assert!(
            error.to_string().contains("at most four"),
            "{kind}: {error}"
        );
        assert_eq!(links(&db), 0, "RAISE({kind}) left links behind");
        // The connection is usable, and a set the trigger allows links whole.
        assert_eq!(
            movies::actors::insert(&db, movie, &actors[..4]).unwrap(),
            4,
            "{kind}"
        );
        assert_eq!(links(&db), 4);
    }
}

#[test]
fn a_replace_that_a_trigger_fails_changes_nothing() {
    for kind in KINDS {
        let (db, movie, actors) = database(kind);
        movies::actors::insert(&db, movie, &actors[..2]).unwrap();
        assert!(
            movies::actors::replace(&db, movie, &actors).is_err(),
            "{kind}"
        );
        let kept: Vec<i64> = movies::actors::list(&db, movie)
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(
            kept,
            actors[..2].to_vec(),
            "RAISE({kind}) changed the links"
        );
    }
}

#[test]
fn inside_the_callers_transaction_a_failed_link_insert_leaves_the_rest_of_it() {
    // ABORT and FAIL undo only the helper's savepoint; ROLLBACK ends the
    // caller's transaction, as SQLite documents for it, so it is left out.
    for kind in ["ABORT", "FAIL"] {
        let (mut db, movie, actors) = database(kind);
        let tx = db.transaction().unwrap();
        movies::actors::insert(&tx, movie, &actors[..1]).unwrap();
        assert!(movies::actors::insert(&tx, movie, &actors).is_err());
        tx.commit().unwrap();
        assert_eq!(links(&db), 1, "RAISE({kind}): the caller's own link stays");
    }
}

/// The query plan of `sql` for the keys 1 to 1,000, one line per step.
fn plan(db: &Connection, sql: &str) -> Vec<String> {
    let keys: rusqlite::vtab::array::Array =
        std::rc::Rc::new((1..=1000).map(rusqlite::types::Value::Integer).collect());
    let mut statement = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    statement
        .query_map([keys], |row| row.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn join_table_preloads_look_targets_up_by_key_whatever_the_join_tables_indexes() {
    use mortise_tests::owner_target::{owners, targets};
    // SQLite's planner may otherwise scan the targets and probe the join
    // table once per target and owner key (11x slower on this data). Both
    // key orders of the join table's primary key, with and without an
    // index on its other column.
    let script = mortise_tests::suite::script("owner_target", "sqlite");
    let key_orders = [
        r#"PRIMARY KEY ("TargetId", "OwnerId")"#,
        r#"PRIMARY KEY ("OwnerId", "TargetId")"#,
    ];
    for key in key_orders {
        for (index, index_sql) in [
            ("no other index", ""),
            (
                "owner index",
                r#"CREATE INDEX "OwnerTargetOwner" ON "OwnerTarget" ("OwnerId");"#,
            ),
            (
                "target index",
                r#"CREATE INDEX "OwnerTargetTarget" ON "OwnerTarget" ("TargetId");"#,
            ),
        ] {
            let db = Connection::open_in_memory().unwrap();
            rusqlite::vtab::array::load_module(&db).unwrap();
            db.execute_batch(&script.replace(key_orders[0], key))
                .unwrap();
            db.execute_batch(index_sql).unwrap();
            db.execute_batch("ANALYZE").unwrap();
            for (direction, sql) in [
                ("owners -> targets", owners::targets::SELECT_SQL),
                ("targets -> owners", targets::owners::SELECT_SQL),
            ] {
                let steps = plan(&db, sql);
                assert!(
                    steps
                        .iter()
                        .any(|s| s.starts_with("SEARCH t USING INTEGER PRIMARY KEY")),
                    "{key}, {index}, {direction}: the target is not looked up by key: {steps:#?}"
                );
                assert!(
                    !steps.iter().any(|s| s.starts_with("SCAN t")),
                    "{key}, {index}, {direction}: the targets are scanned: {steps:#?}"
                );
            }
        }
    }
}

/// An existing join table whose target column takes NULL (SQLite lets a
/// NULL into a composite primary key that is not an `INTEGER PRIMARY
/// KEY`), keyed target-first with no owner index, as `owner_target` is.
fn owner_target_with_a_null_link() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        r#"CREATE TABLE "Owner" ("OwnerId" INTEGER PRIMARY KEY, "Name" TEXT NOT NULL);
           CREATE TABLE "Target" ("TargetId" INTEGER PRIMARY KEY, "Name" TEXT NOT NULL);
           CREATE TABLE "OwnerTarget" ("TargetId" INTEGER, "OwnerId" INTEGER, PRIMARY KEY ("TargetId", "OwnerId"));
           INSERT INTO "Owner" VALUES (1, 'o1'), (2, 'o2');
           INSERT INTO "Target" VALUES (1, 't1'), (2, 't2'), (3, 't3');
           INSERT INTO "OwnerTarget" VALUES (NULL, 1), (1, 1), (2, 1), (NULL, 2), (1, 2);"#,
    )
    .unwrap();
    db
}

fn owner_target_links(db: &Connection) -> Vec<(Option<i64>, i64)> {
    let mut statement = db
        .prepare(r#"SELECT "TargetId", "OwnerId" FROM "OwnerTarget" ORDER BY 2, 1"#)
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_join_row_with_a_null_key_stays_through_replace_many_as_through_replace() {
    use mortise_tests::owner_target::owners;
    // `replace_many` names the rows to delete as the owners' links EXCEPT
    // the wanted pairs; a NULL key equals none of them, so the row stays,
    // as `replace` (a `NOT IN` of one owner's targets) leaves it.
    let db = owner_target_with_a_null_link();
    let changes = owners::targets::replace_many(&db, &[(1, vec![2, 3])]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 1));
    let by_replace = owner_target_with_a_null_link();
    owners::targets::replace(&by_replace, 1, &[2, 3]).unwrap();
    let expected = [
        (None, 1),
        (Some(2), 1),
        (Some(3), 1),
        (None, 2),
        (Some(1), 2),
    ];
    assert_eq!(owner_target_links(&db), expected);
    assert_eq!(owner_target_links(&by_replace), expected);
}
