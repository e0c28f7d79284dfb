//! Shared by the examples: a throwaway SQLite database file, and the
//! reference schema's code for tokio-postgres.

use std::path::PathBuf;

/// A SQLite database in a temporary file, deleted when dropped.
pub struct TempDatabase {
    pub path: PathBuf,
    pub connection: rusqlite::Connection,
}

impl TempDatabase {
    /// Opens a new database file named after `name` and this process, with
    /// foreign keys enforced.
    pub fn new(name: &str) -> rusqlite::Result<TempDatabase> {
        let path =
            std::env::temp_dir().join(format!("mortise-{name}-{}.sqlite", std::process::id()));
        // A file left by an earlier run with the same pid would hold old rows.
        let _ = std::fs::remove_file(&path);
        let connection = rusqlite::Connection::open(&path)?;
        connection.execute_batch("PRAGMA foreign_keys = ON")?;
        Ok(TempDatabase { path, connection })
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The reference schema's code for tokio-postgres (see `build.rs`).
pub mod pg {
    include!(concat!(env!("OUT_DIR"), "/schema_tokio_postgres.rs"));
}
