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

/// Chinook (`shared/data/chinook/Chinook_PostgreSql.sql`, beside the
/// repository) loaded by `psql` into a database of its own, dropped when this
/// value is. The script creates tables without a schema prefix, so it gets a
/// database rather than a schema.
pub struct ChinookDatabase {
    server_url: String,
    name: String,
    url: String,
}

impl ChinookDatabase {
    /// `None` (after a loud message) when `DATABASE_URL` is not set.
    pub fn load(test: &str) -> Option<ChinookDatabase> {
        let test = format!("chinook_{test}");
        let server_url = database_url(&test)?;
        let name = fresh_schema(&test);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook/Chinook_PostgreSql.sql");
        let script = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "Chinook's script is missing at {}: {e}; the tests need the shared/ folder beside the repository",
                path.display()
            )
        });
        let script = chinook_script(&script, &name);
        // Made before the script runs, so a failed load is dropped too.
        let database = ChinookDatabase {
            url: with_database(&server_url, &name),
            server_url,
            name,
        };
        psql(&database.server_url, &script);
        Some(database)
    }

    /// The server's URL naming this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (`mortise_chinook_<test>_<pid>_<n>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A sync client into this database.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the Chinook copy")
    }
}

impl Drop for ChinookDatabase {
    fn drop(&mut self) {
        // FORCE: a test's async connection task may still hold a session.
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let (url, name) = (self.server_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || -> Result<(), postgres::Error> {
            postgres::Client::connect(&url, postgres::NoTls)?.batch_execute(&sql)
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            // Panicking again while a failed test unwinds would abort: say it instead.
            failure if std::thread::panicking() => {
                eprintln!("*** could not drop database {name}: {failure:?} ***")
            }
            failure => panic!("could not drop database {name}: {failure:?}"),
        }
    }
}

/// An empty database of its own on the server, dropped when this value is:
/// for what reads a whole database (`mortise pull`), where a schema of the
/// shared test database would show the other tests' schemas too.
pub struct TestDatabase {
    server_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// `None` (after a loud message) when `DATABASE_URL` is not set.
    pub fn new(test: &str) -> Option<TestDatabase> {
        let server_url = database_url(test)?;
        let name = fresh_schema(test);
        run_sync(&server_url, &format!("CREATE DATABASE \"{name}\""));
        Some(TestDatabase {
            url: with_database(&server_url, &name),
            server_url,
            name,
        })
    }

    /// The server's URL naming this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A sync client into this database.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let url = self.server_url.clone();
        let dropped = std::thread::spawn(move || -> Result<(), postgres::Error> {
            postgres::Client::connect(&url, postgres::NoTls)?.batch_execute(&sql)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("*** could not drop database {}: {dropped:?} ***", self.name);
        }
    }
}

/// Chinook's script aimed at database `name`: its opening lines drop, create
/// and connect to `chinook`, which would be shared by every test.
fn chinook_script(script: &str, name: &str) -> String {
    let mut script = script.to_owned();
    for (line, ours) in [
        (
            "DROP DATABASE IF EXISTS chinook;",
            format!("DROP DATABASE IF EXISTS \"{name}\";"),
        ),
        (
            "CREATE DATABASE chinook;",
            format!("CREATE DATABASE \"{name}\";"),
        ),
        ("\\c chinook;", format!("\\c {name}")),
    ] {
        assert_eq!(
            script.matches(line).count(),
            1,
            "Chinook's script should contain `{line}` once"
        );
        script = script.replacen(line, &ours, 1);
    }
    script
}

/// `url` (`postgres://user@host:port/db?options`) naming database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let (base, options) = url.split_once('?').unwrap_or((url, ""));
    let scheme = base.find("://").expect("DATABASE_URL is a postgres:// URL") + 3;
    let server = match base[scheme..].find('/') {
        Some(slash) => &base[..scheme + slash],
        None => base,
    };
    if options.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{options}")
    }
}

/// Runs `script` with `psql` against `url`, stopping at the first error. Its
/// output (notices) is shown only when it fails.
fn psql(url: &str, script: &str) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run psql (the PostgreSQL client must be installed)");
    // Written from a thread of its own, so psql never waits on a full output pipe.
    let mut stdin = child.stdin.take().unwrap();
    let script = script.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let output = child.wait_with_output().expect("wait for psql");
    let written = writer.join().expect("psql's input thread");
    assert!(
        output.status.success(),
        "psql failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("write the script to psql");
}
