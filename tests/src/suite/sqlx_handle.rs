//! What the sqlx adapters (`sqlx_postgres`, `mariadb`, `sqlx_sqlite`) share:
//! a connection or transaction with the runtime that drives it, a handle
//! for `q!`, whatever the database.

use std::cell::{RefCell, RefMut};
use std::future::Future;

use sqlx::Database;
use tokio::runtime::Runtime;

/// What a handle holds: a connection, or a transaction on one.
pub trait AsConnection {
    type Connection;
    fn connection(&mut self) -> &mut Self::Connection;
}

impl AsConnection for sqlx::PgConnection {
    type Connection = Self;
    fn connection(&mut self) -> &mut Self {
        self
    }
}

impl AsConnection for sqlx::MySqlConnection {
    type Connection = Self;
    fn connection(&mut self) -> &mut Self {
        self
    }
}

impl AsConnection for sqlx::SqliteConnection {
    type Connection = Self;
    fn connection(&mut self) -> &mut Self {
        self
    }
}

impl<DB: Database> AsConnection for sqlx::Transaction<'_, DB> {
    type Connection = DB::Connection;
    fn connection(&mut self) -> &mut DB::Connection {
        self
    }
}

/// A connection or a transaction with the runtime that drives it, a handle
/// for `q!` like an adapter's `Db`.
pub struct Handle<'r, T> {
    conn: RefCell<T>,
    runtime: &'r Runtime,
}

impl<'r, T: AsConnection> Handle<'r, T> {
    pub fn c(&self) -> RefMut<'_, T::Connection> {
        RefMut::map(self.conn.borrow_mut(), T::connection)
    }
}

impl<'r, T> Handle<'r, T> {
    pub fn new(conn: T, runtime: &'r Runtime) -> Handle<'r, T> {
        Handle {
            conn: RefCell::new(conn),
            runtime,
        }
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Another connection (or transaction) driven by the same runtime.
    pub fn handle<U>(&self, conn: U) -> Handle<'r, U> {
        Handle {
            conn: RefCell::new(conn),
            runtime: self.runtime,
        }
    }

    pub fn into_inner(self) -> T {
        self.conn.into_inner()
    }
}

/// The caller's transaction, a handle for `q!` like an adapter's `Db`.
pub struct Tx<'a, DB: Database> {
    tx: RefCell<sqlx::Transaction<'a, DB>>,
    runtime: &'a Runtime,
}

impl<'a, DB: Database> Tx<'a, DB> {
    pub fn new(tx: sqlx::Transaction<'a, DB>, runtime: &'a Runtime) -> Tx<'a, DB> {
        Tx {
            tx: RefCell::new(tx),
            runtime,
        }
    }

    pub fn c(&self) -> RefMut<'_, DB::Connection> {
        RefMut::map(self.tx.borrow_mut(), AsConnection::connection)
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
