//! The adapter seam: everything the generated code does differently per
//! database driver, and nothing else.
//!
//! The emitters (`table`, `association`) write each generated function once,
//! in terms of these operations: run a statement and read one row, an
//! optional row, the first row or every row; execute and count; loop over
//! rows; bind values and arrays of keys; run statements atomically. A
//! [`Driver`] renders each operation for its crate: whether functions are
//! `async`, what the connection parameter is, how a statement is prepared,
//! bound and run, how a row is decoded, how a savepoint or transaction is
//! opened, and the error type. Which statements run (one writable `WITH`,
//! or several in a savepoint) is the SQL dialect's choice, not the driver's.
//!
//! A new driver is a new module here, one line in [`driver`], and its tests.

mod postgres;
mod postgres_client;
mod rusqlite;
mod sqlx;
mod sqlx_mysql;
mod sqlx_postgres;
mod sqlx_sqlite;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::Backend;
use crate::ir::{Column, Enum, FieldType, PostgresParam, Schema};

/// The adapter of `backend`.
pub(super) fn driver(backend: Backend) -> Box<dyn Driver> {
    match backend {
        Backend::Rusqlite => Box::new(rusqlite::Rusqlite),
        Backend::Postgres => Box::new(postgres::Postgres::SYNC),
        Backend::TokioPostgres => Box::new(postgres::Postgres::ASYNC),
        Backend::SqlxPostgres => Box::new(sqlx_postgres::SqlxPostgres),
        Backend::SqlxMysql => Box::new(sqlx_mysql::SqlxMysql),
        Backend::SqlxSqlite => Box::new(sqlx_sqlite::SqlxSqlite),
    }
}

/// A statement to run: the path of its constant; the path of
/// `mortise_support` from where the code stands (rusqlite reads a
/// statement's one row through it); whether it binds an array of keys
/// (rusqlite registers its `rarray` module for those); and, for positional
/// placeholders (MySQL's `?`) that are not simply the arguments in order,
/// which argument each one binds.
pub(super) struct Statement {
    pub(super) sql: TokenStream,
    pub(super) support: TokenStream,
    pub(super) binds_array: bool,
    pub(super) order: Option<Vec<usize>>,
}

impl Statement {
    /// A statement that binds each of its parameters once, in order, as
    /// every statement of a row by its key does (`get`, `update`, ...).
    pub(super) fn in_order(sql: TokenStream, support: &TokenStream) -> Statement {
        Statement {
            sql,
            support: support.clone(),
            binds_array: false,
            order: None,
        }
    }

    /// A statement binding plain values, whose SQL (as built) is `text`.
    pub(super) fn plain(sql: TokenStream, text: &str, support: &TokenStream) -> Statement {
        Statement {
            order: crate::sql::bind_order(text),
            ..Statement::in_order(sql, support)
        }
    }

    /// A statement binding an array of keys, whose SQL (as built) is `text`.
    pub(super) fn with_array(sql: TokenStream, text: &str, support: &TokenStream) -> Statement {
        Statement {
            binds_array: true,
            ..Statement::plain(sql, text, support)
        }
    }

    /// The arguments, in the order the statement's placeholders bind them
    /// (`args` are in parameter order).
    pub(super) fn ordered(&self, args: &[TokenStream]) -> Vec<TokenStream> {
        match &self.order {
            Some(order) => order.iter().map(|n| args[n - 1].clone()).collect(),
            None => args.to_vec(),
        }
    }
}

/// Which rows of a query the code reads, and how. `read` is a function
/// from a row reference to `Result<T>` (`Movie::from_row`).
pub(super) enum Fetch {
    /// Exactly one row: `T`.
    One(Read),
    /// At most one row (a key lookup): `Option<T>`.
    Optional { read: TokenStream },
    /// The first row of several, if any: `Option<T>`.
    First { read: TokenStream },
    /// Every row: `Vec<T>`.
    All { read: TokenStream },
}

/// How the one row of [`Fetch::One`] becomes a value.
pub(super) enum Read {
    /// A function from a row reference to `Result<T>`.
    With(TokenStream),
    /// The first `n` columns: one value, or a tuple of them.
    Columns(usize),
}

/// A statement run: `prelude` (statements, e.g. preparing it) then `value`,
/// an expression whose type is `Result<T>` when `fallible`, else `T`.
pub(super) struct Call {
    pub(super) prelude: TokenStream,
    pub(super) value: TokenStream,
    pub(super) fallible: bool,
}

impl Call {
    /// The value, its error passed on with `?`.
    pub(super) fn unwrapped(&self) -> TokenStream {
        let value = &self.value;
        if self.fallible {
            quote!(#value?)
        } else {
            value.clone()
        }
    }

    /// The call as statements, its value bound to `pattern` (`let
    /// pattern = value?;`), or dropped when `pattern` is `None`.
    pub(super) fn bind(&self, pattern: Option<TokenStream>) -> TokenStream {
        let (prelude, value) = (&self.prelude, self.unwrapped());
        match pattern {
            Some(pattern) => quote!(#prelude let #pattern = #value;),
            None => quote!(#prelude #value;),
        }
    }

    /// The call as a function body's tail: the prelude, then a `Result`.
    pub(super) fn tail(&self) -> TokenStream {
        let (prelude, value) = (&self.prelude, &self.value);
        if self.fallible {
            quote!(#prelude #value)
        } else {
            quote!(#prelude ::std::result::Result::Ok(#value))
        }
    }
}

/// What a bound value is, for drivers that convert it (rusqlite's decimals)
/// or name its SQL type (PostgreSQL's typed statements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bound {
    pub(super) ty: FieldType,
    pub(super) nullable: bool,
    /// A PostgreSQL parameter type other than `ty`'s (`sql_type:`).
    pub(super) postgres: Option<PostgresParam>,
    /// Of the user's `rust_type:`, which converts itself.
    pub(super) custom: bool,
}

impl Bound {
    /// A value of `column`.
    pub(super) fn column(column: &Column) -> Bound {
        Bound {
            ty: column.ty,
            nullable: column.nullable,
            postgres: column.sql_type.postgres_param,
            custom: column.rust_type.is_some(),
        }
    }

    /// A key of `column`, one owner's or row's (never NULL).
    pub(super) fn key(column: &Column) -> Bound {
        Bound {
            nullable: false,
            ..Bound::column(column)
        }
    }

    /// A value that is never NULL: a timestamp, a new UUID.
    pub(super) fn value(ty: FieldType) -> Bound {
        Bound {
            ty,
            nullable: false,
            postgres: None,
            custom: false,
        }
    }
}

/// Where a statement's arrays of keys come from.
pub(super) enum Keys<'a> {
    /// One owner's key, from the function's parameters (one per key column).
    Params(&'a [&'a Ident]),
    /// An iterator expression over the owners' keys (tuples for a composite
    /// key), of type `key_type`.
    Iter {
        keys: TokenStream,
        key_type: TokenStream,
    },
    /// A slice parameter of keys (tuples for a composite key).
    Slice(&'a Ident),
    /// A slice parameter of single values (a query's `IN (:ids)`), bound
    /// under its own name: the array shadows the slice.
    Array(&'a Ident),
    /// A local vector of keys (flat tuples for a composite key), whose
    /// arrays are named after it: several of these bind in one statement.
    Local(&'a Ident),
}

/// Arrays of keys bound as statement arguments: `let` statements, then the
/// arguments (already bound, in the statement's order).
pub(super) struct Arrays {
    pub(super) prelude: TokenStream,
    pub(super) args: Vec<TokenStream>,
}

/// One database driver's way of writing the generated code. `support` is
/// the path of the generated `mortise_support` module from where the code
/// stands (`super::mortise_support` in a table's module).
pub(super) trait Driver {
    /// The crate's name, as `Backend::name` gives it.
    fn name(&self) -> &'static str;

    /// The connection parameter's name (`db`, `client`).
    fn db(&self) -> Ident;

    /// The connection parameter; `atomic` when the function opens a
    /// transaction (some drivers need `&mut` for it). `support` names the
    /// path to `mortise_support`, where a driver's own client trait lives.
    fn db_param(&self, support: &TokenStream, atomic: bool) -> TokenStream;

    /// `async` or nothing.
    fn asyncness(&self) -> TokenStream;

    /// `.await` or nothing, after a call that talks to the database.
    fn awaited(&self) -> TokenStream;

    /// The result type of every generated function.
    fn result(&self, ok: TokenStream) -> TokenStream;

    /// The type a row is read from (functions take `&Row`).
    fn row(&self) -> TokenStream;

    /// `value` as a statement argument.
    fn bind(&self, bound: Bound, value: TokenStream) -> TokenStream;

    /// `value`, a field of a row (or `New...`, `Link`) struct holding
    /// `column`, as a statement argument; `support` is the path of
    /// `mortise_support`, where a driver may convert it.
    fn bind_column(
        &self,
        support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        let _ = support;
        self.bind(Bound::column(column), value)
    }

    /// `value`, a key of `column` (never NULL), as a statement argument;
    /// `support` is the path of `mortise_support`, where a driver may
    /// convert it.
    fn bind_key(&self, support: &TokenStream, column: &Column, value: TokenStream) -> TokenStream {
        let _ = support;
        self.bind(Bound::key(column), value)
    }

    /// Column `index` of `row` as the Rust type of `column`, errors passed on.
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream;

    /// Column `index` of `row`, of an inferred type, errors passed on.
    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream;

    /// Runs a query and reads its rows as `fetch` says.
    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call;

    /// Runs a statement: the number of rows it changed, of the driver's own
    /// integer type (compare it with `0`, or see [`Driver::usize`]).
    fn execute(&self, db: &Ident, statement: &Statement, args: &[TokenStream]) -> Call;

    /// A count [`Driver::execute`] returned, as `usize`; `None` when it is one.
    fn usize(&self, count: TokenStream) -> Option<TokenStream>;

    /// Runs a query whose rows the code reads one by one: the prelude, and
    /// the head of a loop that binds each row to `found` (a `&Row`).
    fn rows(
        &self,
        db: &Ident,
        statement: &Statement,
        args: &[TokenStream],
    ) -> (TokenStream, TokenStream);

    /// Runs `body` atomically (a savepoint or transaction, which nests in
    /// the caller's), on the connection `body` is given, and returns `Ok` of
    /// its value. `body` gives its statements (errors passed on with `?`)
    /// and its value: an expression of their results, which must not use
    /// the connection (the transaction may be gone by then).
    fn atomic(
        &self,
        support: &TokenStream,
        body: &dyn Fn(&Ident) -> (TokenStream, TokenStream),
    ) -> TokenStream;

    /// Keys as the arrays a statement binds for them; `types` are those of
    /// one key's columns.
    fn arrays(&self, support: &TokenStream, keys: Keys<'_>, types: &[FieldType]) -> Arrays;

    /// `create_all`, which runs `CREATE_SQL`, with its doc.
    fn create_all(&self) -> TokenStream;

    /// The driver's items of the generated `mortise_support` module, around
    /// the driver-neutral `shared` ones; `None` when nothing needs one.
    fn support(&self, schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream>;

    /// Items of `mortise_support` the file's root re-exports for its users
    /// (`pub use mortise_support::…;`), or nothing.
    fn exports(&self) -> TokenStream;

    /// Attributes of each module whose functions run statements (a table's,
    /// with its associations' inside it, and `queries`), or nothing.
    fn module_attributes(&self) -> TokenStream {
        TokenStream::new()
    }

    /// The driver's traits for a schema enum (at the file's root, beside
    /// it): how it is bound and read.
    fn enum_conversions(&self, e: &Enum) -> TokenStream;
}
