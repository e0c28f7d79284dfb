//! `mortise check --database`: every statement of the golden case
//! `movie_queries` (its tables' CRUD, its associations' SQL, its queries)
//! prepared against a live database. A database made as the schema says
//! takes them all; one made by a script that differs (a column missing, a
//! column renamed) is reported statement by statement, queries located in
//! their `.sql` file. On SQLite always; on PostgreSQL with `DATABASE_URL`.

use std::path::PathBuf;

use mortise_tests::pg_support::TestSchema;

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/generate/movie_queries/schema.yaml")
}

/// The tables as the schema describes them, except `movies.tagline`
/// (missing) and `actors.born` (named `birth_date`).
const DIFFERENT: &str = "
    CREATE TABLE movies (id INTEGER PRIMARY KEY, title TEXT NOT NULL, released INTEGER, rating TEXT);
    CREATE TABLE characters (id INTEGER PRIMARY KEY, name TEXT NOT NULL, movie_id BIGINT NOT NULL REFERENCES movies (id));
    CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, birth_date DATE);
    CREATE TABLE movies_actors (movie_id BIGINT NOT NULL, actor_id BIGINT NOT NULL, PRIMARY KEY (movie_id, actor_id));
";

/// What the report must say about [`DIFFERENT`].
fn assert_reports_the_differences(report: &str) {
    // The schema's own statements, by constant.
    assert!(
        report.contains("refuses `movies::INSERT_SQL` of table movies"),
        "{report}"
    );
    assert!(
        report.contains("refuses `actors::GET_SQL` of table actors"),
        "{report}"
    );
    // The queries, located at their name in their file.
    assert!(
        report.contains("queries/movies.sql:25:10: error:"),
        "{report}"
    );
    assert!(report.contains("refuses query rename_movie"), "{report}");
    assert!(report.contains("refuses query add_actor"), "{report}");
    // What the database takes is not reported.
    assert!(!report.contains("cast_sizes"), "{report}");
    assert!(!report.contains("characters::INSERT_SQL"), "{report}");
}

#[test]
fn sqlite_takes_the_statements_of_a_database_made_as_the_schema_says() {
    let dir = std::env::temp_dir().join(format!("mortise-check-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.sqlite");
    let bad = dir.join("bad.sqlite");
    let _ = std::fs::remove_file(&good);
    let _ = std::fs::remove_file(&bad);

    let db = rusqlite::Connection::open(&good).unwrap();
    mortise_tests::movie_queries::create_all(&db).unwrap();
    drop(db);
    mortise_build::check_database(&schema(), good.to_str().unwrap())
        .unwrap_or_else(|e| panic!("{e}"));

    let db = rusqlite::Connection::open(&bad).unwrap();
    db.execute_batch(DIFFERENT).unwrap();
    drop(db);
    let report = mortise_build::check_database(&schema(), bad.to_str().unwrap())
        .expect_err("a database without movies.tagline")
        .to_string();
    assert_reports_the_differences(&report);
    assert!(report.contains("no such column: tagline"), "{report}");

    let missing =
        mortise_build::check_database(&schema(), dir.join("none.sqlite").to_str().unwrap())
            .expect_err("no such file")
            .to_string();
    assert!(missing.contains("no SQLite database at"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn postgres_takes_the_statements_of_a_database_made_as_the_schema_says() {
    let Some(good) = TestSchema::new("check_database_good") else {
        return;
    };
    let mut client = good.connect();
    mortise_tests::pg::movie_queries::create_all(&mut client).unwrap();
    let url = |schema: &TestSchema| {
        format!(
            "{}?options=-c%20search_path%3D{}",
            schema.url(),
            schema.name()
        )
    };
    mortise_build::check_database(&schema(), &url(&good)).unwrap_or_else(|e| panic!("{e}"));

    let Some(bad) = TestSchema::new("check_database_bad") else {
        return;
    };
    bad.connect().batch_execute(DIFFERENT).unwrap();
    let report = mortise_build::check_database(&schema(), &url(&bad))
        .expect_err("a database without movies.tagline")
        .to_string();
    assert_reports_the_differences(&report);
    assert!(
        report.contains("column \"tagline\" does not exist"),
        "{report}"
    );
}
