//! One behaviour suite for every backend.
//!
//! The tests are written once, as macros (`suite_*!` in this folder), and
//! instantiated once per backend in `tests/tests/behaviour.rs`:
//!
//! ```text
//! mod on_rusqlite { mortise_tests::behaviour_suite!(mortise_tests::suite::sqlite); }
//! ```
//!
//! A backend is a module (an *adapter*: [`sqlite`], [`postgres`],
//! [`tokio_postgres`], [`sqlx_postgres`], [`mariadb`]) that gives the suite, under the same names:
//!
//! - the generated modules: `reference` (../schema.yaml), `composite`,
//!   `join_schema`, `association_writes`, `polymorphic`, `keys`, `key_types`, `types`, `real_types`, `hostile`,
//!   `chinook`, `defaults`, `hostile_literals`, `owner_target`, `film_rental`,
//!   `derives`, `enums`, `arrays`, `sql_types`, `custom_types`, `embeds`;
//! - `q!(handle, path::to::function(args))`: calls a generated function with
//!   the handle's connection in front of `args`, in the shape the backend
//!   wants (`&Connection`, `&mut Client`, or `block_on` of the async call
//!   with `&Client`); `q!(handle, row.update())` calls a row's `update`;
//! - `Db`: a fresh database (`Db::fresh`, `Db::shared` for several
//!   connections, `Db::chinook`), raw SQL for setup and for checking what is
//!   stored (`exec`, `int`, `pairs`, `strings`, `count`; on PostgreSQL the
//!   [`postgres::Raw`] trait, shared by every PostgreSQL driver), `begin` for the
//!   caller's transaction (`Tx`, also a handle for `q!`), `opener` for more
//!   connections to the same database, and SELECT counting where the driver
//!   can count (`reset_selects`, `check_selects`);
//! - `Error`, `fk_violation`, `NAME`, `MODEL_CASES`.
//!
//! A new backend plugs in with an adapter module here and one line in
//! `tests/tests/behaviour.rs`.

pub mod mariadb;
pub mod model;
pub mod postgres;
pub mod sqlite;
pub mod sqlx_handle;
pub mod sqlx_postgres;
pub mod sqlx_sqlite;
pub mod tokio_postgres;

mod arrays;
mod associations;
mod chinook;
mod composite;
mod concurrency;
mod crud;
mod custom_types;
mod defaults;
mod derives;
mod embeds;
mod enums;
mod film_rental;
mod fixtures;
mod join_schema;
mod key_types;
mod links;
mod owner_target;
mod polymorphic;
mod queries;
mod reads;
mod real_types;
mod replace_many;
mod sql_types;
mod writes;

/// Every test of the suite, for the backend whose adapter is `$backend`
/// (a path such as `mortise_tests::suite::sqlite`), one module per area.
/// The areas on the reference schema share the helpers of `associations`
/// (`database`, `movie`, `actor`, `links`).
#[macro_export]
macro_rules! behaviour_suite {
    ($($backend:ident)::+) => {
        mod crud { $crate::suite_crud!($($backend)::+); }
        mod associations { $crate::suite_associations!($($backend)::+); }
        mod links { $crate::suite_links!($($backend)::+); }
        mod writes { $crate::suite_writes!($($backend)::+); }
        mod replace_many { $crate::suite_replace_many!($($backend)::+); }
        mod fixtures { $crate::suite_fixtures!($($backend)::+); }
        mod composite { $crate::suite_composite!($($backend)::+); }
        mod join_schema { $crate::suite_join_schema!($($backend)::+); }
        mod polymorphic { $crate::suite_polymorphic!($($backend)::+); }
        mod owner_target { $crate::suite_owner_target!($($backend)::+); }
        mod film_rental { $crate::suite_film_rental!($($backend)::+); }
        mod chinook { $crate::suite_chinook!($($backend)::+); }
        mod model { $crate::suite_model!($($backend)::+); }
        mod concurrency { $crate::suite_concurrency!($($backend)::+); }
        mod real_types { $crate::suite_real_types!($($backend)::+); }
        mod key_types { $crate::suite_key_types!($($backend)::+); }
        mod defaults { $crate::suite_defaults!($($backend)::+); }
        mod derives { $crate::suite_derives!($($backend)::+); }
        mod enums { $crate::suite_enums!($($backend)::+); }
        mod arrays { $crate::suite_arrays!($($backend)::+); }
        mod sql_types { $crate::suite_sql_types!($($backend)::+); }
        mod custom_types { $crate::suite_custom_types!($($backend)::+); }
        mod embeds { $crate::suite_embeds!($($backend)::+); }
        mod queries { $crate::suite_queries!($($backend)::+); }
        mod reads { $crate::suite_reads!($($backend)::+); }
    };
}

/// Opens a fresh database with `Db::$how(test)`, or returns from the test
/// (PostgreSQL without `DATABASE_URL`, after a loud message).
#[macro_export]
#[doc(hidden)]
macro_rules! open_or_skip {
    ($how:ident($test:expr)) => {
        match Db::$how($test) {
            Some(db) => db,
            None => return,
        }
    };
}

/// `rows`' names, owned: what most assertions compare.
pub fn names<T>(rows: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| name(r).to_owned()).collect()
}

/// Chinook's SQL written with SQLite's PascalCase names (`PlaylistTrack`,
/// `TrackId`), in PostgreSQL's snake_case (`playlist_track`, `track_id`):
/// the two copies of Chinook name the same things so. Keywords come out in
/// lower case, which SQL does not mind.
pub fn snake_case_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut previous = ' ';
    for c in sql.chars() {
        if c.is_ascii_uppercase() && (previous.is_ascii_lowercase() || previous.is_ascii_digit()) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        previous = c;
    }
    out
}

/// The script `tests/data/<database>/<scripts>.sql` that makes a database
/// of the tests' own on a backend (`scripts` is the adapter's `SCRIPTS`).
pub fn script(database: &str, scripts: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(database)
        .join(format!("{scripts}.sql"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
