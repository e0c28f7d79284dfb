//! MariaDB's SQL dialect (`Dialect::Mysql`), ahead of its backend: the
//! server itself checks every statement mortise builds for it.
//!
//! - Every golden case (and the reference schema): its DDL runs twice (each
//!   statement is `IF NOT EXISTS`) in a database of its own, then the server
//!   prepares every other statement, which checks its syntax, its tables
//!   and its columns.
//! - Chinook as upstream's MySQL script creates it (not mortise): the
//!   `chinook_mysql` case's statements prepare against it.
//!
//! Needs `MYSQL_URL` (`mysql://root@127.0.0.1:3306/test`); without it the
//! tests say so loudly and pass without running.

use std::path::{Path, PathBuf};

use mortise_build::sql::Dialect;
use sqlx::{AssertSqlSafe, Connection, Executor, MySqlConnection, SqlSafeStr};

fn mysql_url(test: &str) -> Option<String> {
    match std::env::var("MYSQL_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED {test}: MYSQL_URL is not set; MariaDB tests need a server (see README) ***\n"
            );
            None
        }
    }
}

/// `url` with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{database}")
}

/// A new, empty database `name` (dropped first if a run left it), and a
/// connection to it.
async fn fresh_database(url: &str, name: &str) -> MySqlConnection {
    let mut admin = MySqlConnection::connect(url)
        .await
        .expect("connect to MYSQL_URL");
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`"
    )))
    .execute(&mut admin)
    .await
    .expect("create a database of the test's own");
    MySqlConnection::connect(&with_database(url, name))
        .await
        .expect("connect to the new database")
}

async fn drop_database(url: &str, name: &str) {
    let mut admin = MySqlConnection::connect(url)
        .await
        .expect("connect to MYSQL_URL");
    sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`")))
        .execute(&mut admin)
        .await
        .expect("drop the test's database");
}

/// The golden cases' folders, and the reference schema's.
fn schemas() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/generate");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("the generator's golden cases")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|dir| dir.join("schema.yaml").is_file())
        .map(|dir| (dir.file_name().unwrap().to_string_lossy().into_owned(), dir))
        .collect();
    out.sort();
    out.push((
        "reference".to_owned(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    ));
    out
}

fn statements(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("schema.yaml")).expect("schema.yaml");
    mortise_build::dialect_statements_in(dir, &text, "schema.yaml", Dialect::Mysql)
        .unwrap_or_else(|e| panic!("{} should be valid:\n{e}", dir.display()))
}

/// Every statement but the DDL prepared on `conn`: the failures, each
/// with its name, the server's message and the statement.
async fn prepare_all(conn: &mut MySqlConnection, statements: &[(String, String)]) -> Vec<String> {
    let mut failures = Vec::new();
    let prepared = statements.iter().filter(|(name, _)| name != "CREATE_SQL");
    for (name, sql) in prepared {
        if let Err(e) = conn
            .prepare(AssertSqlSafe(sql.clone()).into_sql_str())
            .await
        {
            failures.push(format!("{name}: {e}\n    {sql}"));
        }
    }
    failures
}

#[tokio::test(flavor = "current_thread")]
async fn every_statement_of_every_case_creates_and_prepares_on_mariadb() {
    let Some(url) = mysql_url("every_statement_of_every_case_creates_and_prepares_on_mariadb")
    else {
        return;
    };
    let mut failures = Vec::new();
    for (case, dir) in schemas() {
        let statements = statements(&dir);
        let database = format!("mortise_dialect_{case}");
        let mut conn = fresh_database(&url, &database).await;
        let mut created = true;
        for round in 1..=2 {
            for (_, sql) in statements.iter().filter(|(name, _)| name == "CREATE_SQL") {
                if let Err(e) = sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                    .execute(&mut conn)
                    .await
                {
                    failures.push(format!("{case}: CREATE_SQL (run {round}): {e}\n    {sql}"));
                    created = false;
                }
            }
        }
        if created {
            let prepared = prepare_all(&mut conn, &statements).await;
            failures.extend(prepared.into_iter().map(|f| format!("{case}: {f}")));
        }
        conn.close().await.ok();
        drop_database(&url, &database).await;
    }
    assert!(
        failures.is_empty(),
        "{} statement(s) MariaDB refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn chinook_statements_prepare_on_upstreams_mysql_chinook() {
    let Some(url) = mysql_url("chinook_statements_prepare_on_upstreams_mysql_chinook") else {
        return;
    };
    let database = "mortise_chinook_upstream";
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/chinook/Chinook_MySql.sql"),
    )
    .expect("shared/data/chinook/Chinook_MySql.sql beside the repository");
    // The script creates and uses a database named `Chinook`: ours instead,
    // as its README says.
    let script = script.replace("`Chinook`", &format!("`{database}`"));
    let mut admin = MySqlConnection::connect(&url)
        .await
        .expect("connect to MYSQL_URL");
    sqlx::raw_sql(AssertSqlSafe(script))
        .execute(&mut admin)
        .await
        .expect("upstream's Chinook_MySql.sql loads");
    let tracks: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM `{database}`.`PlaylistTrack`"
    )))
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(tracks, 8715, "the script loaded every link");

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/generate/chinook_mysql");
    let mut conn = MySqlConnection::connect(&with_database(&url, database))
        .await
        .expect("connect to the Chinook database");
    let failures = prepare_all(&mut conn, &statements(&dir)).await;
    conn.close().await.ok();
    drop_database(&url, database).await;
    assert!(
        failures.is_empty(),
        "{} statement(s) MariaDB refused on upstream's Chinook:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `generate` for MariaDB refuses a key, unique column or foreign key
/// whose columns add up to more than InnoDB's 3,072 bytes: the server
/// itself refuses exactly the tables it does (error case
/// `key_too_long_on_mysql`, which holds keys just under, at, and over the
/// limit), running the DDL the other backends' check lets through.
#[tokio::test(flavor = "current_thread")]
async fn mariadb_refuses_exactly_the_keys_generate_refuses_as_too_long() {
    let Some(url) = mysql_url("mariadb_refuses_exactly_the_keys_generate_refuses_as_too_long")
    else {
        return;
    };
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/errors/key_too_long_on_mysql");
    let text = std::fs::read_to_string(dir.join("schema.yaml")).expect("schema.yaml");
    let table_named = |text: &str, before: &str, after: &str| -> Option<String> {
        let (_, rest) = text.split_once(before)?;
        Some(rest.split_once(after)?.0.to_owned())
    };
    let refused_by_generate: Vec<String> = {
        let errors =
            mortise_build::dialect_statements_in(&dir, &text, "schema.yaml", Dialect::Mysql)
                .expect_err("generate refuses the case")
                .to_string();
        let mut tables: Vec<String> = errors
            .lines()
            .filter_map(|line| table_named(line, " of table ", " takes "))
            .collect();
        tables.sort();
        tables
    };
    assert!(refused_by_generate.len() >= 3, "{refused_by_generate:?}");

    let ir = mortise_build::check(&text, "schema.yaml").expect("good for SQLite and PostgreSQL");
    let database = "mortise_key_lengths";
    let mut conn = fresh_database(&url, database).await;
    let mut refused_by_server = Vec::new();
    let mut created = 0;
    for sql in mortise_build::sql::create_statements(Dialect::Mysql, &ir) {
        let Some(table) = table_named(&sql, "CREATE TABLE IF NOT EXISTS `", "`") else {
            continue;
        };
        match sqlx::raw_sql(AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
        {
            Ok(_) => created += 1,
            Err(e) => {
                let number = e
                    .as_database_error()
                    .and_then(|d| d.code())
                    .map(|c| c.into_owned());
                assert!(
                    e.to_string().contains("max key length is 3072 bytes"),
                    "{table}: refused for another reason ({number:?}): {e}\n{sql}"
                );
                refused_by_server.push(table);
            }
        }
    }
    conn.close().await.ok();
    drop_database(&url, database).await;
    refused_by_server.sort();
    assert_eq!(refused_by_server, refused_by_generate);
    assert!(created >= 3, "the tables at or under the limit are made");
}
