//! MariaDB compound statements: a write of several statements sent as ONE
//! statement (`BEGIN NOT ATOMIC … END`), prepared and bound like any other.
//!
//! A `replace` that locks the owner, deletes and inserts would otherwise be
//! five round trips on MariaDB (savepoint, lock, delete, insert, release).
//! As one block it is one, and it is atomic on the server whatever the
//! client does once it is sent: a caller that drops the future still gets
//! all of it or none.

/// A block that runs `lock` (a locking read: the `FROM … FOR UPDATE` of a
/// `SELECT`), then each write, atomically, and returns one row: the
/// `ROW_COUNT()` each named write kept, in the order of `returned`.
///
/// It opens a transaction of its own when the session is in none, or a
/// savepoint named `savepoint` inside the caller's; on any error it rolls
/// that back and re-raises the error as the server gave it (a deadlock,
/// after which InnoDB has rolled back the whole transaction and the
/// savepoint is gone, too). Its values live in user variables (`@mortise_…`):
/// a local variable would shadow a column of the same name in the writes.
pub fn atomic_block(
    savepoint: &str,
    lock: &str,
    writes: &[(&str, Option<&str>)],
    returned: &[&str],
) -> String {
    let mut out = format!(
        "BEGIN NOT ATOMIC\n  \
           DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN\n    \
             IF @mortise_own_transaction THEN ROLLBACK;\n    \
             ELSE BEGIN DECLARE CONTINUE HANDLER FOR 1305 BEGIN END; ROLLBACK TO SAVEPOINT {savepoint}; END;\n    \
             END IF;\n    \
             RESIGNAL;\n  \
           END;\n  \
           SET @mortise_own_transaction = @@in_transaction = 0;\n  \
           IF @mortise_own_transaction THEN START TRANSACTION; ELSE SAVEPOINT {savepoint}; END IF;\n  \
           SELECT count(*) INTO @mortise_locked {lock};\n"
    );
    for (statement, count) in writes {
        out.push_str(&format!("  {statement};\n"));
        if let Some(count) = count {
            out.push_str(&format!("  SET @mortise_{count} = ROW_COUNT();\n"));
        }
    }
    let returned: Vec<String> = returned
        .iter()
        .map(|count| format!("@mortise_{count} AS {count}"))
        .collect();
    out.push_str(&format!(
        "  IF @mortise_own_transaction THEN COMMIT; ELSE RELEASE SAVEPOINT {savepoint}; END IF;\n  \
           SELECT {};\n\
         END",
        returned.join(", ")
    ));
    out
}

/// The statements inside an [`atomic_block`] that read or write tables, for
/// a SQL parser that knows no compound statements; `None` when `sql` is
/// not a block.
pub fn block_statements(sql: &str) -> Option<Vec<String>> {
    let body = sql.strip_prefix("BEGIN NOT ATOMIC\n")?;
    Some(
        body.lines()
            .map(str::trim)
            .filter(|line| {
                ["SELECT count(*) INTO", "DELETE ", "INSERT ", "UPDATE "]
                    .iter()
                    .any(|start| line.starts_with(start))
            })
            .map(|line| {
                line.trim_end_matches(';')
                    .replacen(" INTO @mortise_locked", "", 1)
            })
            .collect(),
    )
}
