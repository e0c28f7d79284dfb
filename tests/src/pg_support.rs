//! PostgreSQL test databases: each test works in a schema of its own, made
//! fresh and dropped afterwards, so tests run in parallel and leave nothing.
//!
//! Tests read the server's URL from `DATABASE_URL` (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`); without it they print a loud
//! message and pass without running. `.ci/run` always sets it.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The server's URL, or `None` after saying loudly that the test is skipped.
pub fn database_url(test: &str) -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "\n*** SKIPPED {test}: DATABASE_URL is not set; PostgreSQL tests need a server (see README) ***\n"
            );
            None
        }
    }
}

/// A fresh schema name, unique to this process and call.
pub fn fresh_schema(test: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "mortise_{}_{}_{}",
        test,
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh schema on the server, dropped (with everything in it) when this
/// value is. Creating and dropping run on a plain thread of their own, so the
/// guard works in sync and in async (tokio) tests alike.
pub struct TestSchema {
    url: String,
    name: String,
}

impl TestSchema {
    /// `None` (after a loud message) when `DATABASE_URL` is not set.
    pub fn new(test: &str) -> Option<TestSchema> {
        let url = database_url(test)?;
        let name = fresh_schema(test);
        run_sync(&url, &format!("CREATE SCHEMA \"{name}\""));
        Some(TestSchema { url, name })
    }

    /// A sync client whose `search_path` is this schema.
    pub fn connect(&self) -> postgres::Client {
        let mut client =
            postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to DATABASE_URL");
        client
            .batch_execute(&format!("SET search_path TO \"{}\"", self.name))
            .unwrap();
        client
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        run_sync(
            &self.url,
            &format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name),
        );
    }
}

/// Runs `sql` with a sync client on a thread of its own (the sync driver
/// cannot run inside a tokio runtime).
fn run_sync(url: &str, sql: &str) {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let mut client =
            postgres::Client::connect(&url, postgres::NoTls).expect("connect to DATABASE_URL");
        client.batch_execute(&sql).expect("schema setup");
    })
    .join()
    .expect("schema setup thread");
}

/// An async client into schema `schema` (its connection task runs on the
/// current tokio runtime).
pub async fn async_client(url: &str, schema: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to DATABASE_URL");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("SET search_path TO \"{schema}\""))
        .await
        .unwrap();
    client
}
