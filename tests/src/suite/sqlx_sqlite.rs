//! The suite's adapter for the `sqlx-sqlite` backend: SQLite in memory (or
//! in a temporary file where several connections share it), foreign keys
//! on (sqlx's default), every SELECT counted by SQLite's trace hook. A
//! `sqlx::SqliteConnection` is driven by a runtime of the test's own, each
//! generated call run to completion with `block_on`.

use std::cell::{RefCell, RefMut};
use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AssertSqlSafe, Connection as _, Sqlite, SqliteConnection};
use tokio::runtime::Runtime;

pub use super::sqlx_handle::Handle;
use super::sqlx_handle::Tx as SqlxTx;

pub use crate::sqlite_sqlx::{
    arrays, association_writes, bare_join_schema, chinook, composite, custom_types, cycle,
    defaults, derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema,
    key_types, keys, movie_queries, owner_target, polymorphic, real_types, reference, sql_types,
    types,
};

pub use crate::__q_sqlx_sqlite as q;
pub use crate::{
    __generated_client_sqlx_sqlite as generated_client,
    __in_transaction_sqlx_sqlite as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "sqlx-sqlite";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "sqlite";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 500;
/// Whether a failing statement fails the caller's whole transaction (in
/// SQLite it undoes only itself).
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = false;
/// What every generated function returns in its `Err`.
pub type Error = sqlx::Error;
/// The caller's transaction, a handle for `q!` like [`Db`].
pub type Tx<'a> = SqlxTx<'a, Sqlite>;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_foreign_key_violation())
}

/// Calls a generated function of this backend and waits for it:
/// `q!(db, module::function(args))` passes `&mut SqliteConnection` first;
/// `q!(db, row.update())` a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_sqlx_sqlite {
    ($h:expr, $row:ident . update ()) => {
        $h.block_on($row.update(&mut *$h.c()))
    };
    ($h:expr, $row:ident . $field:ident . update ()) => {
        $h.block_on($row.$field.update(&mut *$h.c()))
    };
    ($h:expr, $($f:ident)::+ ( $($a:expr),* $(,)? )) => {
        $h.block_on($($f)::+(&mut *$h.c(), $($a),*))
    };
}

/// The connection the tests and benchmarks give the generated code: the
/// `Db`'s own (sqlx keeps each statement prepared on its connection; a
/// database in memory has no second connection).
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_sqlx_sqlite {
    ($db:expr, $schema:ident) => {
        &$db
    };
}

/// Runs `$body` in a transaction of `$h`'s connection, bound to `$tx` (a
/// handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_sqlx_sqlite {
    ($h:expr, $tx:ident => $body:expr) => {{
        let mut conn = $h.c();
        let $tx = $h.handle($h.block_on(sqlx::Connection::begin(&mut *conn)).unwrap());
        $body;
        $h.block_on($tx.into_inner().commit()).unwrap();
    }};
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

/// A connection to a test database, with the runtime that drives it.
pub struct Db {
    conn: RefCell<SqliteConnection>,
    runtime: Runtime,
    selects: &'static AtomicUsize,
    file: Option<Arc<TempFile>>,
}

/// Opens more connections to a [`Db::shared`] database, from any thread.
#[derive(Clone)]
pub struct Opener(Arc<TempFile>);

impl Opener {
    pub fn open(&self) -> Db {
        Db::open(Some(Arc::clone(&self.0)), false)
    }
}

/// Counts the SELECT statements SQLite starts (`SQLITE_TRACE_STMT`; `sql`
/// is the statement's text) into the counter `count` points to.
unsafe extern "C" fn count_select(
    _event: c_uint,
    count: *mut c_void,
    _statement: *mut c_void,
    sql: *mut c_void,
) -> c_int {
    // SAFETY: SQLite passes the statement's text, NUL-terminated, and the
    // context given to `sqlite3_trace_v2`: a counter that is never freed.
    let sql = unsafe { CStr::from_ptr(sql as *const c_char) };
    if sql.to_bytes().trim_ascii_start().starts_with(b"SELECT") {
        unsafe { &*(count as *const AtomicUsize) }.fetch_add(1, Ordering::Relaxed);
    }
    0
}

impl Db {
    /// A connection to `file` (a new database in memory without one),
    /// SELECTs counted; `wal` puts the file in WAL mode.
    fn open(file: Option<Arc<TempFile>>, wal: bool) -> Db {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let options = match &file {
            Some(file) => SqliteConnectOptions::new()
                .filename(&file.0)
                .create_if_missing(true)
                .busy_timeout(Duration::from_secs(30)),
            None => SqliteConnectOptions::new().in_memory(true),
        };
        let options = if wal {
            options.journal_mode(SqliteJournalMode::Wal)
        } else {
            options
        };
        let mut conn = runtime
            .block_on(SqliteConnection::connect_with(&options))
            .unwrap();
        // Never freed: SQLite may call the hook until the connection's own
        // thread has closed it, after `Db` is gone.
        let selects: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        runtime.block_on(async {
            let mut handle = conn.lock_handle().await.unwrap();
            // SAFETY: the handle is a live connection; the hook and its
            // counter live as long as the program.
            unsafe {
                libsqlite3_sys::sqlite3_trace_v2(
                    handle.as_raw_handle().as_ptr(),
                    libsqlite3_sys::SQLITE_TRACE_STMT as c_uint,
                    Some(count_select),
                    selects as *const AtomicUsize as *mut c_void,
                );
            }
        });
        Db {
            conn: RefCell::new(conn),
            runtime,
            selects,
            file,
        }
    }

    /// A fresh empty database in memory.
    pub fn fresh(_test: &str) -> Option<Db> {
        Some(Db::open(None, false))
    }

    /// A fresh empty database that other connections can open
    /// ([`Db::opener`]): a temporary file in WAL mode, where a connection
    /// waits up to 30 s for another's write lock.
    pub fn shared(test: &str) -> Option<Db> {
        let path = std::env::temp_dir().join(format!(
            "mortise-suite-sqlx-{test}-{}-{}.sqlite",
            std::process::id(),
            crate::pg_support::fresh_schema("f")
        ));
        Some(Db::open(Some(Arc::new(TempFile(path))), true))
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
            "mortise-chinook-sqlx-{test}-{}.sqlite",
            std::process::id()
        ));
        std::fs::copy(&source, &path).unwrap();
        Some(Db::open(Some(Arc::new(TempFile(path))), false))
    }

    /// A new connection to this database (only for file databases),
    /// driven by this runtime.
    pub fn connect(&self) -> SqliteConnection {
        let file = self.file.as_ref().expect("a database in a file");
        let options = SqliteConnectOptions::new()
            .filename(&file.0)
            .busy_timeout(Duration::from_secs(30));
        self.block_on(SqliteConnection::connect_with(&options))
            .unwrap()
    }

    /// `conn` (driven by this runtime), a handle for `q!`.
    pub fn handle<T>(&self, conn: T) -> Handle<'_, T> {
        Handle::new(conn, &self.runtime)
    }

    /// The connection, for [`q!`](crate::__q_sqlx_sqlite).
    pub fn c(&self) -> RefMut<'_, SqliteConnection> {
        self.conn.borrow_mut()
    }

    /// Runs `future` (a generated call) to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The caller's transaction.
    pub fn begin(&mut self) -> Tx<'_> {
        let runtime = &self.runtime;
        let tx = runtime.block_on(self.conn.get_mut().begin()).unwrap();
        Tx::new(tx, runtime)
    }

    /// Runs `sql` (one or more statements), which may fail.
    pub fn try_exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        let mut conn = self.c();
        let batch = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        self.block_on(batch.execute(&mut *conn)).map(drop)
    }

    /// Runs `sql` (one or more statements), which must succeed.
    pub fn exec(&self, sql: &str) {
        self.try_exec(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The rows of `sql`.
    pub fn rows(&self, sql: &str) -> Vec<sqlx::sqlite::SqliteRow> {
        let mut conn = self.c();
        let query = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        self.block_on(query.fetch_all(&mut *conn))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The integer in the first column of `sql`'s first row.
    pub fn int(&self, sql: &str) -> i64 {
        sqlx::Row::get(&self.rows(sql)[0], 0)
    }

    /// The first two (integer) columns of every row of `sql`.
    pub fn pairs(&self, sql: &str) -> Vec<(i64, i64)> {
        self.rows(sql)
            .iter()
            .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
            .collect()
    }

    /// The first (text) column of every row of `sql`.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        self.rows(sql)
            .iter()
            .map(|r| sqlx::Row::get(r, 0))
            .collect()
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
        self.selects.swap(0, Ordering::Relaxed);
    }

    /// Asserts that `expected` SELECTs ran since the last reset or check.
    pub fn check_selects(&self, expected: usize, what: &str) {
        assert_eq!(
            self.selects.swap(0, Ordering::Relaxed),
            expected,
            "SELECTs: {what}"
        );
    }

    /// Runs `f`, which must run no SELECT.
    pub fn assert_no_query<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        self.reset_selects();
        let out = f();
        self.check_selects(0, what);
        out
    }
}

/// What a sqlx user writes compiles: a pool's connection and a transaction
/// coerce to the `&mut SqliteConnection` every function takes, and the
/// calls' futures are `Send`.
#[allow(dead_code)]
async fn as_a_user_writes_it(pool: &sqlx::SqlitePool) -> Result<(), sqlx::Error> {
    use reference::movies;
    fn send<F: Future + Send>(future: F) -> F {
        future
    }
    let mut conn = pool.acquire().await?;
    let mut all = send(movies::Movie::all(&mut conn)).await?;
    let mut tx = conn.begin().await?;
    send(movies::actors::preload(&mut tx, all.iter_mut())).await?;
    send(movies::actors::replace(&mut tx, 1, &[2, 3])).await?;
    tx.commit().await
}
