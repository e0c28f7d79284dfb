//! The suite's adapter for the `tokio-postgres` (async) backend: the same
//! databases as [`super::postgres`], an async client driven by a runtime of
//! the test's own, each generated call run to completion with `block_on`
//! (tests that need calls in flight together run them on several threads,
//! each with its own runtime and client).

use std::cell::{RefCell, RefMut};
use std::future::Future;
use std::sync::Arc;

use tokio::runtime::Runtime;

pub use super::postgres::Raw;
use super::postgres::{Place, short};
use crate::pg_support::{ChinookDatabase, TestSchema, async_client};

pub use crate::pg_async::chinook_pg as chinook;
pub use crate::pg_async::{
    arrays, association_writes, bare_join_schema, composite, custom_types, cycle, defaults,
    derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema, key_types, keys,
    movie_queries, owner_target, polymorphic, prefixed, real_types, reference, sql_types, types,
};

pub use crate::__q_tokio_postgres as q;
pub use crate::{
    __generated_client_tokio_postgres as generated_client,
    __in_transaction_tokio_postgres as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "tokio-postgres";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "postgres";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 500;
/// Whether a failing statement fails the caller's whole transaction (in
/// PostgreSQL it does; in SQLite it undoes only itself).
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = true;
/// What every generated function returns in its `Err`.
pub type Error = tokio_postgres::Error;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    error.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION)
}

/// Calls a generated function of this backend and waits for it:
/// `q!(db, module::function(args))` passes the client first (as `&mut`,
/// which `replace` needs and the others take as `&`); `q!(db, row.update())`
/// a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_tokio_postgres {
    ($h:expr, $row:ident . update ()) => {
        $h.block_on($row.update(&*$h.c()))
    };
    ($h:expr, $row:ident . $field:ident . update ()) => {
        $h.block_on($row.$field.update(&*$h.c()))
    };
    ($h:expr, $($f:ident)::+ ( $($a:expr),* $(,)? )) => {
        $h.block_on($($f)::+(&mut *$h.c(), $($a),*))
    };
}

/// The client the benchmarks give the generated code: a new connection to
/// `$db`'s database, driven by `$db`'s runtime, in `$schema::Cached`, which
/// prepares each statement once.
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_tokio_postgres {
    ($db:expr, $schema:ident) => {
        $db.handle($schema::Cached::new($db.connect()))
    };
}

/// Runs `$body` in a transaction of `$h`'s client (a `tokio_postgres::Client`
/// or a generated `Cached`), bound to `$tx` (a handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_tokio_postgres {
    ($h:expr, $tx:ident => $body:expr) => {{
        let mut client = $h.c();
        let $tx = $h.handle($h.block_on(client.transaction()).unwrap());
        $body;
        $h.block_on($tx.into_inner().commit()).unwrap();
    }};
}

/// A client of any type (a generated `Cached`, a transaction) with the
/// runtime that drives it, a handle for `q!` like [`Db`].
pub struct Handle<'r, T> {
    client: RefCell<T>,
    runtime: &'r Runtime,
}

impl<'r, T> Handle<'r, T> {
    pub fn c(&self) -> RefMut<'_, T> {
        self.client.borrow_mut()
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Another client driven by the same runtime.
    pub fn handle<U>(&self, client: U) -> Handle<'r, U> {
        Handle {
            client: RefCell::new(client),
            runtime: self.runtime,
        }
    }

    pub fn into_inner(self) -> T {
        self.client.into_inner()
    }
}

/// A connection to a test database, with the runtime that drives it.
pub struct Db {
    client: RefCell<tokio_postgres::Client>,
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
        let client = runtime.block_on(connect(&self.0));
        Db {
            client: RefCell::new(client),
            runtime,
            place: Arc::clone(&self.0),
        }
    }
}

/// A new connection to `place`, its connection task spawned on the current runtime.
async fn connect(place: &Place) -> tokio_postgres::Client {
    match place {
        Place::Schema(schema) => async_client(schema.url(), schema.name()).await,
        Place::Chinook(chinook) => {
            let (client, connection) =
                tokio_postgres::connect(chinook.url(), tokio_postgres::NoTls)
                    .await
                    .expect("connect to the Chinook copy");
            tokio::spawn(connection);
            client
        }
    }
}

impl Db {
    pub fn fresh(test: &str) -> Option<Db> {
        let schema = TestSchema::new(&format!("pga_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Schema(schema))).open())
    }

    pub fn shared(test: &str) -> Option<Db> {
        Db::fresh(test)
    }

    pub fn chinook(test: &str) -> Option<Db> {
        let chinook = ChinookDatabase::load(&format!("pga_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Chinook(chinook))).open())
    }

    pub fn opener(&self) -> Opener {
        Opener(Arc::clone(&self.place))
    }

    /// A new connection to this database, driven by this runtime.
    pub fn connect(&self) -> tokio_postgres::Client {
        self.runtime.block_on(connect(&self.place))
    }

    /// `client` (driven by this runtime), a handle for `q!`.
    pub fn handle<T>(&self, client: T) -> Handle<'_, T> {
        Handle {
            client: RefCell::new(client),
            runtime: &self.runtime,
        }
    }

    /// The client, for [`q!`](crate::__q_tokio_postgres).
    pub fn c(&self) -> RefMut<'_, tokio_postgres::Client> {
        self.client.borrow_mut()
    }

    /// Runs `future` (a generated call) to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn begin(&mut self) -> Tx<'_> {
        let runtime = &self.runtime;
        let tx = runtime
            .block_on(self.client.get_mut().transaction())
            .unwrap();
        Tx {
            tx: RefCell::new(tx),
            runtime,
        }
    }
}

impl Raw for Db {
    type Error = tokio_postgres::Error;
    type Row = tokio_postgres::Row;

    fn try_exec(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        let client = self.c();
        self.block_on(client.batch_execute(sql))
    }

    fn rows(&self, sql: &str) -> Vec<tokio_postgres::Row> {
        let client = self.c();
        self.block_on(client.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// The caller's transaction, a handle for `q!` like [`Db`].
pub struct Tx<'a> {
    tx: RefCell<tokio_postgres::Transaction<'a>>,
    runtime: &'a Runtime,
}

impl<'a> Tx<'a> {
    pub fn c(&self) -> RefMut<'_, tokio_postgres::Transaction<'a>> {
        self.tx.borrow_mut()
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn commit(self) {
        self.runtime
            .block_on(self.tx.into_inner().commit())
            .unwrap()
    }

    pub fn rollback(self) {
        self.runtime
            .block_on(self.tx.into_inner().rollback())
            .unwrap()
    }
}
