//! The suite's adapter for the rusqlite backend: SQLite in memory (or in a
//! temporary file where several connections share it), foreign keys on,
//! every SELECT counted by the trace hook.

use std::path::PathBuf;
use std::sync::Arc;

use rusqlite::Connection;

use crate::sqlite_support::Selects;

pub use crate::chinook;
pub use crate::{
    arrays, association_writes, bare_join_schema, composite, custom_types, cycle, defaults,
    derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema, key_types, keys,
    movie_queries, owner_target, polymorphic, real_types, sql_types, types,
};
pub use generated as reference;

pub use crate::__q_rusqlite as q;
pub use crate::{
    __generated_client_rusqlite as generated_client, __in_transaction_rusqlite as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "rusqlite";
/// The folder of `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "sqlite";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 1000;
/// Whether a failing statement fails the caller's whole transaction (in
/// PostgreSQL it does; in SQLite it undoes only itself).
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = false;
/// What every generated function returns in its `Err`.
pub type Error = rusqlite::Error;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// Calls a generated function of this backend: `q!(db, module::function(args))`
/// passes `&Connection` first; `q!(db, row.update())` a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_rusqlite {
    ($h:expr, $row:ident . update ()) => {
        $row.update(&*$h.c())
    };
    ($h:expr, $row:ident . $field:ident . update ()) => {
        $row.$field.update(&*$h.c())
    };
    ($h:expr, $($f:ident)::+ ( $($a:expr),* $(,)? )) => {
        $($f)::+(&*$h.c(), $($a),*)
    };
}

/// A temporary database file, removed with its WAL files when the last
/// connection to it is gone.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A connection to a test database.
pub struct Db {
    conn: Connection,
    selects: Selects,
    file: Option<Arc<TempFile>>,
}

/// Opens more connections to a [`Db::shared`] database, from any thread.
#[derive(Clone)]
pub struct Opener(Arc<TempFile>);

impl Opener {
    pub fn open(&self) -> Db {
        Db::on_file(Arc::clone(&self.0))
    }
}

impl Db {
    fn with(mut conn: Connection, file: Option<Arc<TempFile>>) -> Db {
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let selects = Selects::count_on(&mut conn);
        Db {
            conn,
            selects,
            file,
        }
    }

    /// A fresh empty database in memory.
    pub fn fresh(_test: &str) -> Option<Db> {
        Some(Db::with(Connection::open_in_memory().unwrap(), None))
    }

    /// A fresh empty database that other connections can open
    /// ([`Db::opener`]): a temporary file in WAL mode, where a connection
    /// waits up to 30 s for another's write lock.
    pub fn shared(test: &str) -> Option<Db> {
        let path = std::env::temp_dir().join(format!(
            "mortise-suite-{test}-{}-{}.sqlite",
            std::process::id(),
            crate::pg_support::fresh_schema("f")
        ));
        let db = Db::on_file(Arc::new(TempFile(path)));
        db.exec("PRAGMA journal_mode = WAL");
        Some(db)
    }

    fn on_file(file: Arc<TempFile>) -> Db {
        let conn = Connection::open(&file.0).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .unwrap();
        Db::with(conn, Some(file))
    }

    /// More connections to this database; only for [`Db::shared`] ones.
    pub fn opener(&self) -> Opener {
        Opener(Arc::clone(
            self.file.as_ref().expect("a Db::shared database"),
        ))
    }

    /// A private copy of `shared/data/chinook/Chinook_Sqlite.sqlite` (the
    /// shared file is never written).
    pub fn chinook(test: &str) -> Option<Db> {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook/Chinook_Sqlite.sqlite");
        assert!(
            source.is_file(),
            "Chinook is missing at {}: the tests need the shared/ folder beside the repository",
            source.display()
        );
        let path = std::env::temp_dir().join(format!(
            "mortise-chinook-{test}-{}.sqlite",
            std::process::id()
        ));
        std::fs::copy(&source, &path).unwrap();
        let file = Arc::new(TempFile(path));
        Some(Db::with(Connection::open(&file.0).unwrap(), Some(file)))
    }

    /// The connection, for [`q!`](crate::__q_rusqlite).
    pub fn c(&self) -> &Connection {
        &self.conn
    }

    /// Runs `sql` (one or more statements), which may fail.
    pub fn try_exec(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.execute_batch(sql)
    }

    /// Runs `sql` (one or more statements).
    pub fn exec(&self, sql: &str) {
        self.conn
            .execute_batch(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The integer in the first column of `sql`'s first row.
    pub fn int(&self, sql: &str) -> i64 {
        self.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The first two (integer) columns of every row of `sql`.
    pub fn pairs(&self, sql: &str) -> Vec<(i64, i64)> {
        let mut statement = self.conn.prepare(sql).unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// The first (text) column of every row of `sql`.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        let mut statement = self.conn.prepare(sql).unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// How many rows `table` has.
    pub fn count(&self, table: &str) -> i64 {
        self.int(&format!("SELECT count(*) FROM \"{table}\""))
    }

    /// Chinook's SQL, as written (SQLite's names).
    pub fn chinook_sql(&self, sql: &str) -> String {
        sql.to_owned()
    }

    /// The database's tables, by name.
    pub fn table_names(&self) -> Vec<String> {
        self.strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    }

    /// Turns foreign key enforcement on or off for this connection.
    pub fn foreign_keys(&self, on: bool) {
        self.exec(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        });
    }

    /// Makes every DELETE from `table` fail (a trigger).
    pub fn refuse_deletes(&self, table: &str) {
        self.exec(&format!(
            "CREATE TRIGGER refuse_{table} BEFORE DELETE ON \"{table}\" \
             BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ));
    }

    /// Starts counting SELECTs afresh.
    pub fn reset_selects(&self) {
        self.selects.take();
    }

    /// Asserts that `expected` SELECTs ran since the last reset or check.
    pub fn check_selects(&self, expected: usize, what: &str) {
        assert_eq!(self.selects.take(), expected, "SELECTs: {what}");
    }

    /// Runs `f`, which must run no SELECT.
    pub fn assert_no_query<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        self.selects.take();
        let out = f();
        assert_eq!(self.selects.take(), 0, "SELECTs: {what}");
        out
    }

    /// The caller's transaction.
    pub fn begin(&mut self) -> Tx<'_> {
        Tx(self.conn.unchecked_transaction().unwrap())
    }
}

/// The client the benchmarks give the generated code: the connection
/// itself (rusqlite caches each statement with `prepare_cached`).
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_rusqlite {
    ($db:expr, $schema:ident) => {
        &$db
    };
}

/// Runs `$body` in a transaction of `$h`'s connection, bound to `$tx` (a
/// handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_rusqlite {
    ($h:expr, $tx:ident => $body:expr) => {{
        let $tx = $crate::suite::sqlite::Tx::of($h.c().unchecked_transaction().unwrap());
        $body;
        $tx.commit();
    }};
}

/// The caller's transaction, a handle for `q!` like [`Db`].
pub struct Tx<'a>(rusqlite::Transaction<'a>);

impl<'a> Tx<'a> {
    pub fn of(tx: rusqlite::Transaction<'a>) -> Tx<'a> {
        Tx(tx)
    }

    pub fn c(&self) -> &rusqlite::Transaction<'_> {
        &self.0
    }

    pub fn commit(self) {
        self.0.commit().unwrap()
    }

    pub fn rollback(self) {
        self.0.rollback().unwrap()
    }
}
