//! The suite's adapter for the `sqlx-mysql` backend on MariaDB: each test
//! works in a fresh database of the server at `MYSQL_URL` (dropped
//! afterwards), or in a fresh copy of upstream's Chinook. A
//! `sqlx::MySqlConnection` is driven by a runtime of the test's own, each
//! generated call run to completion with `block_on`.
//!
//! The suite's own SQL quotes names with `"`: its sessions set
//! `ANSI_QUOTES` (the generated statements quote with backticks, which
//! read the same under either mode). The server counts the statements a
//! session sends (`Questions`): `assert_no_query` checks that none went.

use std::cell::{RefCell, RefMut};
use std::future::Future;
use std::sync::Arc;

use sqlx::{AssertSqlSafe, Connection as _, MySql, MySqlConnection};
use tokio::runtime::Runtime;

pub use super::sqlx_handle::Handle;
use super::sqlx_handle::Tx as SqlxTx;

use crate::maria_support::{TestDatabase, connect};

pub use crate::maria::chinook_mysql as chinook;
pub use crate::maria::{
    arrays, association_writes, bare_join_schema, composite, custom_types, cycle, defaults,
    derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema, key_types, keys,
    movie_queries, owner_target, polymorphic, prefixed, real_types, reference, sql_types, types,
};

pub use crate::__q_sqlx_mysql as q;
pub use crate::{
    __generated_client_sqlx_mysql as generated_client,
    __in_transaction_sqlx_mysql as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "sqlx-mysql";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "mysql";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 500;
/// Whether a failing generated call fails the caller's whole transaction:
/// not here, its savepoint is rolled back and the transaction goes on.
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = false;
/// What every generated function returns in its `Err`.
pub type Error = sqlx::Error;
/// The caller's transaction, a handle for `q!` like [`Db`].
pub type Tx<'a> = SqlxTx<'a, MySql>;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_foreign_key_violation())
}

/// Calls a generated function of this backend and waits for it:
/// `q!(db, module::function(args))` passes `&mut MySqlConnection` first;
/// `q!(db, row.update())` a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_sqlx_mysql {
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

/// The connection the benchmarks give the generated code: a new connection
/// to `$db`'s database, driven by `$db`'s runtime.
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_sqlx_mysql {
    ($db:expr, $schema:ident) => {
        $db.handle($db.connect())
    };
}

/// Runs `$body` in a transaction of `$h`'s connection, bound to `$tx` (a
/// handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_sqlx_mysql {
    ($h:expr, $tx:ident => $body:expr) => {{
        let mut conn = $h.c();
        let $tx = $h.handle($h.block_on(sqlx::Connection::begin(&mut *conn)).unwrap());
        $body;
        $h.block_on($tx.into_inner().commit()).unwrap();
    }};
}

/// A connection to a test database, with the runtime that drives it.
pub struct Db {
    conn: RefCell<MySqlConnection>,
    runtime: Runtime,
    database: Arc<TestDatabase>,
}

/// Opens more connections to a test database, from any thread.
#[derive(Clone)]
pub struct Opener(Arc<TestDatabase>);

impl Opener {
    pub fn open(&self) -> Db {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let conn = runtime.block_on(connect(&self.0.url()));
        Db {
            conn: RefCell::new(conn),
            runtime,
            database: Arc::clone(&self.0),
        }
    }
}

/// `test`, cut so that database names stay under MariaDB's 64 characters
/// with their unique suffix.
fn short(test: &str) -> &str {
    &test[..test.len().min(24)]
}

impl Db {
    /// A fresh empty database, or `None` (after a loud message) without `MYSQL_URL`.
    pub fn fresh(test: &str) -> Option<Db> {
        let database = TestDatabase::new(&format!("my_{}", short(test)))?;
        Some(Opener(Arc::new(database)).open())
    }

    /// The same as [`Db::fresh`]: every MariaDB database takes several connections.
    pub fn shared(test: &str) -> Option<Db> {
        Db::fresh(test)
    }

    /// A fresh copy of upstream's Chinook, dropped afterwards.
    pub fn chinook(test: &str) -> Option<Db> {
        let database = TestDatabase::chinook(&format!("my_{}", short(test)))?;
        Some(Opener(Arc::new(database)).open())
    }

    pub fn opener(&self) -> Opener {
        Opener(Arc::clone(&self.database))
    }

    /// A new connection to this database, driven by this runtime.
    pub fn connect(&self) -> MySqlConnection {
        self.runtime.block_on(connect(&self.database.url()))
    }

    /// `conn` (driven by this runtime), a handle for `q!`.
    pub fn handle<T>(&self, conn: T) -> Handle<'_, T> {
        Handle::new(conn, &self.runtime)
    }

    /// The connection, for [`q!`](crate::__q_sqlx_mysql).
    pub fn c(&self) -> RefMut<'_, MySqlConnection> {
        self.conn.borrow_mut()
    }

    /// Runs `future` (a generated call) to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn begin(&mut self) -> Tx<'_> {
        let runtime = &self.runtime;
        let tx = runtime.block_on(self.conn.get_mut().begin()).unwrap();
        Tx::new(tx, runtime)
    }

    /// Runs `sql` (one or more statements).
    pub fn try_exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        let mut conn = self.c();
        let batch = sqlx::raw_sql(AssertSqlSafe(suite_sql(sql)));
        self.block_on(batch.execute(&mut *conn)).map(drop)
    }

    /// Runs `sql` (one or more statements), which must succeed.
    pub fn exec(&self, sql: &str) {
        self.try_exec(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The rows of `sql`.
    pub fn rows(&self, sql: &str) -> Vec<sqlx::mysql::MySqlRow> {
        let mut conn = self.c();
        let query = sqlx::raw_sql(AssertSqlSafe(suite_sql(sql)));
        self.block_on(query.fetch_all(&mut *conn))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The integer in the first column of `sql`'s first row.
    pub fn int(&self, sql: &str) -> i64 {
        integer(&self.rows(sql)[0], 0)
    }

    /// The first two (integer) columns of every row of `sql`.
    pub fn pairs(&self, sql: &str) -> Vec<(i64, i64)> {
        self.rows(sql)
            .iter()
            .map(|r| (integer(r, 0), integer(r, 1)))
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

    /// Chinook's SQL: this copy names things as SQLite's does (PascalCase).
    pub fn chinook_sql(&self, sql: &str) -> String {
        sql.to_owned()
    }

    /// The database's tables, by name.
    pub fn table_names(&self) -> Vec<String> {
        self.strings(
            "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' \
             ORDER BY CAST(table_name AS BINARY)",
        )
    }

    /// Off: foreign keys are not checked for this session.
    pub fn foreign_keys(&self, on: bool) {
        self.exec(if on {
            "SET FOREIGN_KEY_CHECKS = 1"
        } else {
            "SET FOREIGN_KEY_CHECKS = 0"
        });
    }

    /// Makes every DELETE from `table` fail (a trigger).
    pub fn refuse_deletes(&self, table: &str) {
        self.exec(&format!(
            "CREATE TRIGGER refuse_{table} BEFORE DELETE ON \"{table}\" FOR EACH ROW \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'"
        ));
    }

    /// How many statements this session has sent (the server's count,
    /// which includes the statement that asks).
    fn questions(&self) -> i64 {
        let rows = self.rows("SHOW SESSION STATUS LIKE 'Questions'");
        let value: String = sqlx::Row::get(&rows[0], 1);
        value.parse().expect("a count")
    }

    /// Runs `f`, which must send no statement to the server.
    pub fn assert_no_query<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        let before = self.questions();
        let out = f();
        let after = self.questions();
        assert_eq!(after - before, 1, "{what}: statements were sent");
        out
    }

    /// The driver cannot count SELECTs alone: nothing to reset.
    pub fn reset_selects(&self) {}

    /// The driver cannot count SELECTs alone: SQLite checks the counts.
    pub fn check_selects(&self, _expected: usize, _what: &str) {}
}

/// The suite's own SQL (written for SQLite and PostgreSQL) as MariaDB
/// reads it: a cast to text is a cast to `CHAR`. (Its sessions take `"`
/// names and `||`: see `maria_support::connect`.)
fn suite_sql(sql: &str) -> String {
    sql.replace(" AS TEXT)", " AS CHAR)")
}

/// Column `index` of `row`, an integer of any width.
fn integer(row: &sqlx::mysql::MySqlRow, index: usize) -> i64 {
    use sqlx::Row as _;
    row.try_get::<i64, _>(index)
        .or_else(|_| row.try_get::<i32, _>(index).map(i64::from))
        .or_else(|_| row.try_get::<i16, _>(index).map(i64::from))
        .or_else(|_| row.try_get::<i8, _>(index).map(i64::from))
        .unwrap_or_else(|_| {
            let value = row.get::<u64, _>(index);
            i64::try_from(value).expect("an i64")
        })
}

/// What a sqlx user writes compiles: a pool's connection and a transaction
/// coerce to the `&mut MySqlConnection` every function takes, and the
/// calls' futures are `Send`.
#[allow(dead_code)]
async fn as_a_user_writes_it(pool: &sqlx::MySqlPool) -> Result<(), sqlx::Error> {
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
