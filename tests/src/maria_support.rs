//! MariaDB test databases: each test works in a database of its own, made
//! fresh and dropped afterwards, so tests run in parallel and leave nothing.
//!
//! Tests read the server's URL from `MYSQL_URL` (e.g.
//! `mysql://root@127.0.0.1:3306/test`); without it they print a loud
//! message and pass without running. `.ci/run` always sets it.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{AssertSqlSafe, Connection as _, MySqlConnection};

/// The server's URL, or `None` after saying loudly that the test is skipped.
pub fn mysql_url(test: &str) -> Option<String> {
    match std::env::var("MYSQL_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "\n*** SKIPPED {test}: MYSQL_URL is not set; MariaDB tests need a server (see README) ***\n"
            );
            None
        }
    }
}

/// A fresh database on the server, dropped (with everything in it) when
/// this value is. Creating and dropping run on a thread of their own with
/// a runtime of their own, so the guard works in sync and async tests alike.
pub struct TestDatabase {
    url: String,
    name: String,
}

impl TestDatabase {
    /// `None` (after a loud message) when `MYSQL_URL` is not set.
    pub fn new(test: &str) -> Option<TestDatabase> {
        let url = mysql_url(test)?;
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "mortise_{}_{}_{}",
            test,
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        run_sync(
            &url,
            format!("DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`"),
        );
        Some(TestDatabase { url, name })
    }

    /// A fresh database holding upstream's Chinook (`Chinook_MySql.sql`,
    /// which names its database `Chinook`: this one's name instead).
    pub fn chinook(test: &str) -> Option<TestDatabase> {
        let url = mysql_url(test)?;
        let database = TestDatabase::new(test)?;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook/Chinook_MySql.sql");
        let script = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .replace("`Chinook`", &format!("`{}`", database.name));
        run_sync(&url, script);
        Some(database)
    }

    /// This database's URL.
    pub fn url(&self) -> String {
        with_database(&self.url, &self.name)
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        run_sync(
            &self.url,
            format!("DROP DATABASE IF EXISTS `{}`", self.name),
        );
    }
}

/// A new connection to `url`, whose session reads the suite's own SQL as
/// SQLite and PostgreSQL do: `"name"` as a name (`ANSI_QUOTES`), `||` as
/// concatenation (`PIPES_AS_CONCAT`); the server's other settings stay.
/// The generated statements read the same under either mode.
pub async fn connect(url: &str) -> MySqlConnection {
    let mut conn = MySqlConnection::connect(url)
        .await
        .expect("connect to MYSQL_URL");
    sqlx::raw_sql("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES,PIPES_AS_CONCAT')")
        .execute(&mut conn)
        .await
        .expect("set the session's sql_mode");
    conn
}

/// Runs `sql` (a batch) on a thread of its own, which must succeed.
fn run_sync(url: &str, sql: String) {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut conn = MySqlConnection::connect(&url)
                .await
                .expect("connect to MYSQL_URL");
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .expect("run the setup batch");
            conn.close().await.ok();
        });
    })
    .join()
    .expect("the setup thread");
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{database}")
}
