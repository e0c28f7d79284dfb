//! Helpers of the SQLite behaviour tests.

use std::cell::Cell;

use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

thread_local! {
    /// The SELECTs traced connections ran on this thread. rusqlite 0.39's
    /// trace hook is a plain `fn` (no closure, so no per-connection state);
    /// a rusqlite connection runs its statements on its caller's thread,
    /// and each test has its own thread.
    static SELECTS: Cell<usize> = const { Cell::new(0) };
}

/// Counts the SELECT statements a connection runs (SQLite's trace hook):
/// what proves a preload is one query however many owners.
pub struct Selects(());

impl Selects {
    /// Starts counting every SELECT that `conn` runs from now on.
    pub fn count_on(conn: &mut Connection) -> Selects {
        fn traced(event: TraceEvent<'_>) {
            if let TraceEvent::Stmt(_, sql) = event
                && sql.trim_start().starts_with("SELECT")
            {
                SELECTS.with(|count| count.set(count.get() + 1));
            }
        }
        conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(traced));
        SELECTS.with(|count| count.set(0));
        Selects(())
    }

    /// How many SELECT statements ran since the last call.
    pub fn take(&self) -> usize {
        SELECTS.with(|count| count.replace(0))
    }
}
