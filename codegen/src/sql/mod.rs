//! SQL text from the IR, per dialect.
//!
//! Every statement the generated code runs is built here, as a constant
//! string: values are always bound parameters, identifiers always quoted by
//! the dialect's [`Dialect::quote`]. The Rust emitters only embed these
//! strings; they never assemble SQL themselves.

mod associations;
mod blocks;
mod ddl;
mod dialect;
mod writes;

pub use associations::{
    AssociationStatements, EdgeParam, EdgeStatements, LinkParam, LinkStatements,
    association_statements, rust_sort,
};
pub use blocks::block_statements;
pub use ddl::create_statements;
pub(crate) use ddl::{column_type, indexed};
pub use dialect::{Dialect, bind_order, finished};
pub use writes::{CreateParam, CreateStatement, WriteStatements, write_statements};

use crate::ir::{ColumnId, Schema, Table, TableId};

/// The per-table statements behind `insert`, `get`, `all`, `update`, `delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStatements {
    /// Binds [`Table::insert_columns`] in order; returns every column.
    pub insert: String,
    /// Binds the key columns; `None` without a key.
    pub get: Option<String>,
    /// Every row, in key order (all columns' order without a key).
    pub all: String,
    /// Binds [`Table::update_columns`] then the key; `None` without a key or
    /// without a column to write.
    pub update: Option<String>,
    /// Binds the key columns; `None` without a key.
    pub delete: Option<String>,
    /// Where writers run concurrently, run first by a `delete` that applies
    /// `on_delete` (in the same statement on PostgreSQL, in statements before
    /// it on MariaDB), in one transaction: locks the row (binding its key),
    /// so that a child or link inserted meanwhile (whose foreign-key check
    /// waits on that row) either lands first and is seen by `delete`, or
    /// fails after it. Without it, `delete` deletes children from the
    /// snapshot it took before waiting.
    pub lock: Option<String>,
    /// MariaDB: `delete` with its associations' `on_delete` as ONE compound
    /// statement ([`blocks::atomic_block`]): the lock, each `on_delete`,
    /// then the delete, in a transaction of its own (a savepoint inside the
    /// caller's); its row holds `deleted`, the rows the delete removed.
    pub locked_delete: Option<String>,
}

impl TableStatements {
    /// Every statement, named as the generated constant names it.
    pub fn named(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("INSERT_SQL", self.insert.as_str())];
        if let Some(get) = &self.get {
            out.push(("GET_SQL", get));
        }
        out.push(("ALL_SQL", &self.all));
        if let Some(update) = &self.update {
            out.push(("UPDATE_SQL", update));
        }
        if let Some(delete) = &self.delete {
            out.push(("DELETE_SQL", delete));
        }
        if let Some(lock) = &self.lock {
            out.push(("LOCK_SQL", lock));
        }
        if let Some(delete) = &self.locked_delete {
            out.push(("LOCKED_DELETE_SQL", delete));
        }
        out
    }
}

/// Builds the CRUD statements of table `id`. Where the dialect has writable
/// `WITH`, `delete` also applies every association's `on_delete` in the same
/// statement; on MariaDB `locked_delete` holds them all in one compound
/// statement; elsewhere the emitter runs those first, in a savepoint.
pub fn table_statements(dialect: Dialect, schema: &Schema, id: TableId) -> TableStatements {
    let table = &schema.tables[id];
    let name = dialect.table_name(table);
    let columns = select_list(dialect, table);
    let insert_columns: Vec<ColumnId> = table.insert_columns().map(|(id, _)| id).collect();
    let insert = if insert_columns.is_empty() {
        format!(
            "INSERT INTO {name} {} RETURNING {columns}",
            dialect.default_values()
        )
    } else {
        let list = column_list(dialect, table, &insert_columns);
        let values = (1..=insert_columns.len())
            .map(|n| dialect.placeholder(n))
            .collect::<Vec<_>>()
            .join(", ");
        format!("INSERT INTO {name} ({list}) VALUES ({values}) RETURNING {columns}")
    };

    let has_key = !table.primary_key.is_empty();
    let key_match = |first: usize| assignments(dialect, table, &table.primary_key, first, " AND ");
    let order: Vec<ColumnId> = if has_key {
        table.primary_key.clone()
    } else {
        (0..table.columns.len()).collect()
    };
    let all = format!(
        "SELECT {columns} FROM {name} ORDER BY {}",
        column_list(dialect, table, &order)
    );
    let get = has_key.then(|| format!("SELECT {columns} FROM {name} WHERE {}", key_match(1)));
    let update_columns: Vec<ColumnId> = table.update_columns().map(|(id, _)| id).collect();
    let update = (has_key && !update_columns.is_empty()).then(|| {
        let set = assignments(dialect, table, &update_columns, 1, ", ");
        format!(
            "UPDATE {name} SET {set} WHERE {}",
            key_match(update_columns.len() + 1)
        )
    });
    let cleanups: Vec<String> = if has_key && dialect.concurrent_writers() {
        table
            .associations
            .iter()
            .filter_map(|a| association_statements(dialect, schema, id, a).on_delete)
            .collect()
    } else {
        Vec::new()
    };
    let lock = (!cleanups.is_empty())
        .then(|| format!("SELECT 1 FROM {name} WHERE {} FOR UPDATE", key_match(1)));
    let delete = has_key.then(|| {
        let delete = format!("DELETE FROM {name} WHERE {}", key_match(1));
        if cleanups.is_empty() || !dialect.writable_ctes() {
            return delete;
        }
        let with: Vec<String> = cleanups
            .iter()
            .enumerate()
            .map(|(i, sql)| format!("on_delete_{} AS ({sql})", i + 1))
            .collect();
        format!("WITH {} {delete}", with.join(", "))
    });
    let locked_delete = delete
        .as_ref()
        .filter(|_| !cleanups.is_empty() && dialect.atomic_blocks())
        .map(|delete| {
            let mut writes: Vec<(&str, Option<&str>)> =
                cleanups.iter().map(|sql| (sql.as_str(), None)).collect();
            writes.push((delete, Some("deleted")));
            blocks::atomic_block(
                "mortise_delete",
                &format!("FROM {name} WHERE {} FOR UPDATE", key_match(1)),
                &writes,
                &["deleted"],
            )
        });
    TableStatements {
        insert,
        get,
        all,
        update,
        delete,
        lock,
        locked_delete,
    }
}

/// `"a" = ?first, "b" = ?first+1, ...`, joined by `separator` (` AND ` for a
/// key match, `, ` for an UPDATE's SET).
pub(crate) fn assignments(
    dialect: Dialect,
    table: &Table,
    columns: &[ColumnId],
    first: usize,
    separator: &str,
) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{} = {}",
                dialect.quote(&table.columns[*c].sql_name),
                dialect.placeholder(first + i)
            )
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// Every column of `table`, quoted, in struct order, as the generated
/// code reads it ([`Dialect::selected`]).
fn select_list(dialect: Dialect, table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| dialect.selected(dialect.quote(&c.sql_name), c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn column_list(dialect: Dialect, table: &Table, columns: &[ColumnId]) -> String {
    columns
        .iter()
        .map(|c| dialect.quote(&table.columns[*c].sql_name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A query of the user's own as `dialect` runs it: parameters numbered
/// (`?1`, `$1`), array memberships as one array parameter, `*` as the
/// table's columns in row-struct order. On MySQL, an `UPDATE … RETURNING`
/// is its `UPDATE` alone: see [`read_back_sql`].
pub fn query_sql(dialect: Dialect, schema: &Schema, query: &crate::ir::Query) -> String {
    match (dialect, &query.read_back) {
        (Dialect::Mysql, Some(read_back)) => pieces_sql(dialect, schema, query, &read_back.update),
        _ => pieces_sql(dialect, schema, query, &query.pieces),
    }
}

/// On MySQL, the two statements around an `UPDATE … RETURNING`'s `UPDATE`
/// (see [`crate::ir::ReadBack`]): the locking `SELECT` of the keys, and the
/// `SELECT` of the `RETURNING` list by key. `None` on other dialects, and
/// for other statements.
pub fn read_back_sql(
    dialect: Dialect,
    schema: &Schema,
    query: &crate::ir::Query,
) -> Option<(String, String)> {
    match (dialect, &query.read_back) {
        (Dialect::Mysql, Some(read_back)) => Some((
            pieces_sql(dialect, schema, query, &read_back.lock),
            pieces_sql(dialect, schema, query, &read_back.read),
        )),
        _ => None,
    }
}

/// `pieces` of `query` (its own, or those of its `read_back`) as `dialect`
/// writes them.
pub fn pieces_sql(
    dialect: Dialect,
    schema: &Schema,
    query: &crate::ir::Query,
    pieces: &[crate::ir::Piece],
) -> String {
    use crate::ir::Piece;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Param(i) => out.push_str(&dialect.placeholder(i + 1)),
            Piece::InArray { param, negated } => {
                out.push_str(&dialect.membership(param + 1, *negated, query.params[*param].ty));
            }
            Piece::Columns { qualifier, table } => {
                let columns: Vec<String> = schema.tables[*table]
                    .columns
                    .iter()
                    .map(|c| {
                        dialect.selected(format!("{qualifier}.{}", dialect.quote(&c.sql_name)), c)
                    })
                    .collect();
                out.push_str(&columns.join(", "));
            }
            Piece::ReadAsText => {
                if dialect == Dialect::Postgres {
                    out.push_str("::text");
                }
            }
        }
    }
    out
}
