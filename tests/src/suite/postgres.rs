//! The suite's adapter for the `postgres` (sync) backend: each test works in
//! a fresh schema of the server at `DATABASE_URL` (dropped afterwards), or
//! in a fresh copy of Chinook (a database of its own). The driver has no
//! statement hook: SELECT counts are checked on SQLite only.

use std::cell::{RefCell, RefMut};
use std::sync::Arc;

use crate::pg_support::{ChinookDatabase, TestSchema};

pub use crate::pg::chinook_pg as chinook;
pub use crate::pg::{
    arrays, association_writes, bare_join_schema, composite, custom_types, cycle, defaults,
    derives, embeds, enums, film_rental, hostile, hostile_literals, join_schema, key_types, keys,
    movie_queries, owner_target, polymorphic, prefixed, real_types, reference, sql_types, types,
};

pub use crate::__q_postgres as q;
pub use crate::{
    __generated_client_postgres as generated_client, __in_transaction_postgres as in_transaction,
};

/// The backend's name, for messages.
pub const NAME: &str = "postgres";
/// The `tests/data/<database>/` scripts this backend runs.
pub const SCRIPTS: &str = "postgres";
/// How many random sequences each model-based test runs (each step is a
/// few round trips to the server).
pub const MODEL_CASES: u32 = 500;
/// Whether a failing statement fails the caller's whole transaction (in
/// PostgreSQL it does; in SQLite it undoes only itself).
pub const FAILED_STATEMENT_FAILS_TRANSACTION: bool = true;
/// What every generated function returns in its `Err`.
pub type Error = postgres::Error;

/// Whether `error` is a foreign key refusing a row.
pub fn fk_violation(error: &Error) -> bool {
    error.code() == Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION)
}

/// Calls a generated function of this backend: `q!(db, module::function(args))`
/// passes `&mut impl GenericClient` first; `q!(db, row.update())` a row's `update`.
#[macro_export]
#[doc(hidden)]
macro_rules! __q_postgres {
    ($h:expr, $row:ident . update ()) => {
        $row.update(&mut *$h.c())
    };
    ($h:expr, $row:ident . $field:ident . update ()) => {
        $row.$field.update(&mut *$h.c())
    };
    ($h:expr, $($f:ident)::+ ( $($a:expr),* $(,)? )) => {
        $($f)::+(&mut *$h.c(), $($a),*)
    };
}

/// The client the benchmarks give the generated code: a new connection to
/// `$db`'s database in `$schema::Cached`, which prepares each statement once.
#[macro_export]
#[doc(hidden)]
macro_rules! __generated_client_postgres {
    ($db:expr, $schema:ident) => {
        $crate::suite::postgres::Handle::of($schema::Cached::new($db.connect()))
    };
}

/// Runs `$body` in a transaction of `$h`'s client (a `postgres::Client` or
/// a generated `Cached`), bound to `$tx` (a handle for `q!`), then commits it.
#[macro_export]
#[doc(hidden)]
macro_rules! __in_transaction_postgres {
    ($h:expr, $tx:ident => $body:expr) => {{
        let mut client = $h.c();
        let $tx = $crate::suite::postgres::Handle::of(client.transaction().unwrap());
        $body;
        $tx.into_inner().commit().unwrap();
    }};
}

/// A client of any type (a generated `Cached`, a transaction), a handle for
/// `q!` like [`Db`].
pub struct Handle<T>(RefCell<T>);

impl<T> Handle<T> {
    pub fn of(client: T) -> Handle<T> {
        Handle(RefCell::new(client))
    }

    pub fn c(&self) -> RefMut<'_, T> {
        self.0.borrow_mut()
    }

    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

/// Where a test's database is: a schema (dropped with the last connection
/// to it) or a Chinook copy (dropped likewise).
pub(crate) enum Place {
    Schema(TestSchema),
    Chinook(ChinookDatabase),
}

/// A connection to a test database.
pub struct Db {
    client: RefCell<postgres::Client>,
    place: Arc<Place>,
}

/// Opens more connections to a test database, from any thread.
#[derive(Clone)]
pub struct Opener(Arc<Place>);

impl Opener {
    pub fn open(&self) -> Db {
        let client = match &*self.0 {
            Place::Schema(schema) => schema.connect(),
            Place::Chinook(chinook) => chinook.connect(),
        };
        Db {
            client: RefCell::new(client),
            place: Arc::clone(&self.0),
        }
    }
}

impl Db {
    /// A fresh empty schema, or `None` (after a loud message) without `DATABASE_URL`.
    pub fn fresh(test: &str) -> Option<Db> {
        let schema = TestSchema::new(&format!("pg_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Schema(schema))).open())
    }

    /// The same as [`Db::fresh`]: every PostgreSQL database takes several connections.
    pub fn shared(test: &str) -> Option<Db> {
        Db::fresh(test)
    }

    /// A fresh copy of Chinook loaded by psql, dropped afterwards.
    pub fn chinook(test: &str) -> Option<Db> {
        let chinook = ChinookDatabase::load(&format!("pg_{}", short(test)))?;
        Some(Opener(Arc::new(Place::Chinook(chinook))).open())
    }

    pub fn opener(&self) -> Opener {
        Opener(Arc::clone(&self.place))
    }

    /// A new connection to this database.
    pub fn connect(&self) -> postgres::Client {
        match &*self.place {
            Place::Schema(schema) => schema.connect(),
            Place::Chinook(chinook) => chinook.connect(),
        }
    }

    /// The client, for [`q!`](crate::__q_postgres).
    pub fn c(&self) -> RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }

    pub fn begin(&mut self) -> Tx<'_> {
        Tx(RefCell::new(self.client.get_mut().transaction().unwrap()))
    }
}

impl Raw for Db {
    type Error = postgres::Error;
    type Row = postgres::Row;

    fn try_exec(&self, sql: &str) -> Result<(), postgres::Error> {
        self.c().batch_execute(sql)
    }

    fn rows(&self, sql: &str) -> Vec<postgres::Row> {
        self.c()
            .query(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// The caller's transaction, a handle for `q!` like [`Db`].
pub struct Tx<'a>(RefCell<postgres::Transaction<'a>>);

impl<'a> Tx<'a> {
    pub fn c(&self) -> RefMut<'_, postgres::Transaction<'a>> {
        self.0.borrow_mut()
    }

    pub fn commit(self) {
        self.0.into_inner().commit().unwrap()
    }

    pub fn rollback(self) {
        self.0.into_inner().rollback().unwrap()
    }
}

/// Raw SQL on a PostgreSQL test database, the same for every driver: setup,
/// and reading what is stored without the generated code. A driver's `Db`
/// gives [`Raw::try_exec`] and [`Raw::rows`]; the rest follows. (The suite
/// calls these as methods: a glob import of the adapter brings the trait.)
pub trait Raw {
    /// The driver's error.
    type Error: std::fmt::Display;
    /// The driver's row.
    type Row: RawRow;

    /// Runs `sql` (one or more statements).
    fn try_exec(&self, sql: &str) -> Result<(), Self::Error>;

    /// Runs `sql` (one or more statements), which must succeed.
    fn exec(&self, sql: &str) {
        self.try_exec(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The rows of `sql`.
    fn rows(&self, sql: &str) -> Vec<Self::Row>;

    /// The integer in the first column of `sql`'s first row.
    fn int(&self, sql: &str) -> i64 {
        self.rows(sql)[0].integer(0)
    }

    /// The first two (integer) columns of every row of `sql`.
    fn pairs(&self, sql: &str) -> Vec<(i64, i64)> {
        self.rows(sql)
            .iter()
            .map(|r| (r.integer(0), r.integer(1)))
            .collect()
    }

    /// The first (text) column of every row of `sql`.
    fn strings(&self, sql: &str) -> Vec<String> {
        self.rows(sql).iter().map(|r| r.text(0)).collect()
    }

    /// How many rows `table` has.
    fn count(&self, table: &str) -> i64 {
        self.int(&format!("SELECT count(*) FROM \"{table}\""))
    }

    /// Chinook's SQL in this copy's snake_case names.
    fn chinook_sql(&self, sql: &str) -> String {
        super::snake_case_sql(sql)
    }

    /// The schema's tables, by name.
    fn table_names(&self) -> Vec<String> {
        self.strings(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        )
    }

    /// Off: foreign keys (triggers, in PostgreSQL) do not fire for this session.
    fn foreign_keys(&self, on: bool) {
        self.exec(if on {
            "SET session_replication_role = origin"
        } else {
            "SET session_replication_role = replica"
        });
    }

    /// Makes every DELETE from `table` fail (a trigger).
    fn refuse_deletes(&self, table: &str) {
        self.exec(&format!(
            "CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused'; END $$; \
             CREATE TRIGGER refuse_{table} BEFORE DELETE ON \"{table}\" \
             FOR EACH ROW EXECUTE FUNCTION refuse_{table}();"
        ));
    }

    /// Runs `f`, which must send no statement to the server: it runs in a
    /// failed transaction, where the server refuses every statement.
    fn assert_no_query<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        self.exec("BEGIN");
        assert!(
            self.try_exec("SELECT 1 / 0").is_err(),
            "{what}: the transaction fails"
        );
        let out = f();
        self.exec("ROLLBACK");
        out
    }

    /// The drivers cannot count statements: nothing to reset.
    fn reset_selects(&self) {}

    /// The drivers cannot count statements: SQLite checks the counts.
    fn check_selects(&self, _expected: usize, _what: &str) {}
}

/// A row [`Raw::rows`] gives: its columns as the suite reads them.
pub trait RawRow {
    /// Column `index`, an integer of any width.
    fn integer(&self, index: usize) -> i64;
    /// Column `index`, text.
    fn text(&self, index: usize) -> String;
}

/// The row of both drivers (`postgres` re-exports tokio-postgres's).
impl RawRow for postgres::Row {
    fn integer(&self, index: usize) -> i64 {
        self.try_get::<_, i64>(index)
            .or_else(|_| self.try_get::<_, i32>(index).map(i64::from))
            .unwrap_or_else(|_| self.get::<_, i16>(index).into())
    }

    fn text(&self, index: usize) -> String {
        self.get(index)
    }
}

/// `test`, cut so that schema and database names stay under PostgreSQL's
/// 63 bytes with their unique suffix.
pub(crate) fn short(test: &str) -> &str {
    &test[..test.len().min(24)]
}
