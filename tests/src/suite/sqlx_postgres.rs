//! The suite's adapter for the `sqlx-postgres` backend: the same databases
//! as [`super::postgres`], a `sqlx::PgConnection` driven by a runtime of the
//! test's own, each generated call run to completion with `block_on` (tests
//! that need calls in flight together run them on several threads, each
//! with its own runtime and connection).
//!
//! A generated call that must be atomic opens a savepoint inside the
//! caller's transaction (`Connection::begin`), so its failure undoes only
//! itself, as on SQLite. sqlx has no statement hook: SELECT counts are
//! checked on SQLite only.

use std::cell::{RefCell, RefMut};
use std::future::Future;
use std::sync::Arc;

use sqlx::{AssertSqlSafe, Connection as _, PgConnection, Postgres};
use tokio::runtime::Runtime;

pub use super::sqlx_handle::Handle;
use super::sqlx_handle::Tx as SqlxTx;

pub use super::postgres::Raw;
use super::postgres::{Place, RawRow, short};
use crate::pg_support::{ChinookDatabase, TestSchema};

pub use crate::pg_sqlx::chinook_pg as chinook;
pub use crate::pg_sqlx::{
    arrays, association_writes, bare_join_schema, composite, custom_types, cycle, defaults,
    derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema, key_types, keys,
    movie_queries, owner_target, polymorphic, prefixed, real_types, reference, sql_types, types,
};

pub use crate::__q_sqlx_postgres as q;
pub use crate::{
    __generated_client_sqlx_postgres as generated_client,
    __in_transaction_sqlx_postgres as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "sqlx-postgres";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "postgres";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 500;
/// Whether a failing generated call fails the caller's whole transaction:
/// not here, its savepoint is rolled back and the transaction goes on.
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = false;
/// What every generated function returns in its `Err`.
pub type Error = sqlx::Error;
/// The caller's transaction, a handle for `q!` like [`Db`].
pub type Tx<'a> = SqlxTx<'a, Postgres>;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_foreign_key_violation())
}

/// Calls a generated function of this backend and waits for it:
/// `q!(db, module::function(args))` passes `&mut PgConnection` first;
/// `q!(db, row.update())` a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_sqlx_postgres {
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
/// to `$db`'s database, driven by `$db`'s runtime (sqlx prepares each
/// statement once per connection by itself).
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_sqlx_postgres {
    ($db:expr, $schema:ident) => {
        $db.handle($db.connect())
    };
}

/// Runs `$body` in a transaction of `$h`'s connection, bound to `$tx` (a
/// handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_sqlx_postgres {
    ($h:expr, $tx:ident => $body:expr) => {{
        let mut conn = $h.c();
        let $tx = $h.handle($h.block_on(sqlx::Connection::begin(&mut *conn)).unwrap());
        $body;
        $h.block_on($tx.into_inner().commit()).unwrap();
    }};
}

/// A connection to a test database, with the runtime that drives it.
pub struct Db {
    conn: RefCell<PgConnection>,
    runtime: Runtime,
    place: Arc<Place>,
}

/// Opens more connections to a test database, from any thread.
#[derive(Clone)]
pub struct Opener(Arc<Place>);

impl Opener {
    pub fn open(&self) -> Db {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let conn = runtime.block_on(connect(&self.0));
        Db {
            conn: RefCell::new(conn),
            runtime,
            place: Arc::clone(&self.0),
        }
    }
}

/// A new connection to `place` (in its schema, for a test schema).
async fn connect(place: &Place) -> PgConnection {
    match place {
        Place::Schema(schema) => {
            let mut conn = PgConnection::connect(schema.url())
                .await
                .expect("connect to DATABASE_URL");
            let search_path = format!("SET search_path TO \"{}\"", schema.name());
            sqlx::raw_sql(AssertSqlSafe(search_path))
                .execute(&mut conn)
                .await
                .unwrap();
            conn
        }
        Place::Chinook(chinook) => PgConnection::connect(chinook.url())
            .await
            .expect("connect to the Chinook copy"),
    }
}

impl Db {
    pub fn fresh(test: &str) -> Option<Db> {
        let schema = TestSchema::new(&format!("pgx_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Schema(schema))).open())
    }

    pub fn shared(test: &str) -> Option<Db> {
        Db::fresh(test)
    }

    pub fn chinook(test: &str) -> Option<Db> {
        let chinook = ChinookDatabase::load(&format!("pgx_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Chinook(chinook))).open())
    }

    pub fn opener(&self) -> Opener {
        Opener(Arc::clone(&self.place))
    }

    /// A new connection to this database, driven by this runtime.
    pub fn connect(&self) -> PgConnection {
        self.runtime.block_on(connect(&self.place))
    }

    /// `conn` (driven by this runtime), a handle for `q!`.
    pub fn handle<T>(&self, conn: T) -> Handle<'_, T> {
        Handle::new(conn, &self.runtime)
    }

    /// The connection, for [`q!`](crate::__q_sqlx_postgres).
    pub fn c(&self) -> RefMut<'_, PgConnection> {
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
}

impl Raw for Db {
    type Error = sqlx::Error;
    type Row = sqlx::postgres::PgRow;

    fn try_exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        let mut conn = self.c();
        let batch = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        self.block_on(batch.execute(&mut *conn)).map(drop)
    }

    fn rows(&self, sql: &str) -> Vec<sqlx::postgres::PgRow> {
        let mut conn = self.c();
        let query = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        self.block_on(query.fetch_all(&mut *conn))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl RawRow for sqlx::postgres::PgRow {
    fn integer(&self, index: usize) -> i64 {
        use sqlx::Row as _;
        self.try_get::<i64, _>(index)
            .or_else(|_| self.try_get::<i32, _>(index).map(i64::from))
            .unwrap_or_else(|_| self.get::<i16, _>(index).into())
    }

    fn text(&self, index: usize) -> String {
        sqlx::Row::get(self, index)
    }
}

/// What a sqlx user writes compiles: a pool's connection and a transaction
/// coerce to the `&mut PgConnection` every function takes, and the calls'
/// futures are `Send` (they can be spawned on a multi-threaded runtime).
#[allow(dead_code)]
async fn as_a_user_writes_it(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
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
