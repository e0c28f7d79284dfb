//! `mortise pull SOURCE`: a database's catalog as a schema.yaml. Each
//! backend reads its catalog into the backend-neutral [`catalog`] model
//! (`sqlite.rs`, `postgres.rs`); [`writer`] turns that into the file.
//! Built with the `database` feature.

mod catalog;
mod postgres;
mod sqlite;
mod types;
mod writer;

use std::path::Path;

/// The schema.yaml describing the database at `source`: a `postgres://`
/// (or `postgresql://`) URL, or the path of a SQLite file (opened
/// read-only). `Err` says why the database could not be read.
pub fn pull(source: &str) -> Result<String, String> {
    if source.starts_with("postgres://") || source.starts_with("postgresql://") {
        let mut client = ::postgres::Client::connect(source, ::postgres::NoTls).map_err(|e| {
            // The cause (`Connection refused`) is the error's source.
            match std::error::Error::source(&e) {
                Some(cause) => format!("cannot connect to {source}: {e}: {cause}"),
                None => format!("cannot connect to {source}: {e}"),
            }
        })?;
        let catalog = postgres::read(&mut client)?;
        return Ok(writer::write(catalog, "a PostgreSQL database", "postgres"));
    }
    let path = source.strip_prefix("sqlite://").unwrap_or(source);
    if !Path::new(path).is_file() {
        return Err(format!(
            "no SQLite database at {path} (give the path of a SQLite file, or a postgres:// URL)"
        ));
    }
    let db = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {path}: {e}"))?;
    let catalog = sqlite::read(&db)?;
    Ok(writer::write(catalog, "a SQLite database", "sqlite"))
}
