//! Helpers of the SQLite behaviour tests.

use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// Counts the SELECT statements a connection runs (SQLite's trace hook):
/// what proves a preload is one query however many owners.
pub struct Selects(Arc<Mutex<usize>>);

impl Selects {
    /// Starts counting every SELECT that `conn` runs from now on.
    pub fn count_on(conn: &mut Connection) -> Selects {
        let count = Arc::new(Mutex::new(0));
        let sink = Arc::clone(&count);
        conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |event: TraceEvent<'_>| {
                if let TraceEvent::Stmt(_, sql) = event
                    && sql.trim_start().starts_with("SELECT")
                {
                    *sink.lock().unwrap() += 1;
                }
            }),
        )
        .unwrap();
        Selects(count)
    }

    /// How many SELECT statements ran since the last call.
    pub fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}
