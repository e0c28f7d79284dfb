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
    bare_join_schema, composite, cycle, hostile, join_schema, keys, owner_target, polymorphic,
    prefixed, real_types, reference, types,
};

pub use crate::__q_tokio_postgres as q;

/// The backend's name, for messages.
pub const NAME: &str = "tokio-postgres";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "postgres";
/// How many random sequences each model-based test runs.
pub const MODEL_CASES: u32 = 500;
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
        let client = runtime.block_on(async {
            match &*self.0 {
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
        });
        Db {
            client: RefCell::new(client),
            runtime,
            place: Arc::clone(&self.0),
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
