//! `CREATE TABLE` and `CREATE INDEX` for the whole schema.

use super::Dialect;
use crate::ir::{
    ColumnDefault, ColumnId, Enum, FieldType, ForeignKey, ForeignKeyAction, Generated, Schema,
    Table, TableId,
};

/// Every statement that creates the schema, in this order: schemas (for
/// prefixes), then each table with its indexes, referenced tables first,
/// then the foreign keys that point forward in that order. Tables that
/// reference each other (a cycle) have no order where every key points
/// back; where the dialect checks a key's table when it is created
/// (PostgreSQL), such keys are added once both tables exist.
///
/// Each statement is idempotent, so `create_all` may run on an existing
/// database: `IF NOT EXISTS`, and a forward key is dropped if it exists and
/// added again, in one `ALTER TABLE`.
pub fn create_statements(dialect: Dialect, schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if dialect == Dialect::Postgres {
        let mut prefixes: Vec<&str> = schema
            .tables
            .iter()
            .filter_map(|t| t.prefix.as_deref())
            .chain(schema.enums.iter().filter_map(|e| e.prefix.as_deref()))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        out.extend(
            prefixes
                .into_iter()
                .map(|p| format!("CREATE SCHEMA IF NOT EXISTS {}", dialect.quote(p))),
        );
        // In their schema (`defaults.prefix`), created above.
        out.extend(schema.enums.iter().map(|e| create_enum(dialect, e)));
    }
    let order = schema.creation_order();
    let mut position = vec![0; schema.tables.len()];
    for (i, id) in order.iter().enumerate() {
        position[*id] = i;
    }
    // A key whose table comes later, where the dialect cannot create it yet.
    let points_forward = |id: TableId, fk: &ForeignKey| {
        dialect.checks_references_at_create() && position[fk.target] > position[id]
    };
    let mut forward = Vec::new();
    for &id in &order {
        let table = &schema.tables[id];
        let (now, later): (Vec<&ForeignKey>, Vec<&ForeignKey>) = table
            .foreign_keys
            .iter()
            .partition(|fk| !points_forward(id, fk));
        forward.extend(later.into_iter().map(|fk| (table, fk)));
        out.push(create_table(dialect, schema, id, &now));
        for index in &table.indexes {
            let columns = index
                .columns
                .iter()
                .map(|c| dialect.quote(&table.columns[*c].sql_name))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(format!(
                "CREATE {}INDEX IF NOT EXISTS {} ON {} ({columns})",
                if index.unique { "UNIQUE " } else { "" },
                dialect.quote(&index.name),
                dialect.table_name(table),
            ));
        }
    }
    for (table, fk) in forward {
        let name = dialect.quote(&format!(
            "{}_{}_fkey",
            table.sql_name,
            fk.columns
                .iter()
                .map(|c| table.columns[*c].sql_name.as_str())
                .collect::<Vec<_>>()
                .join("_")
        ));
        let constraint = foreign_key(dialect, schema, table, fk);
        out.push(match dialect {
            // MariaDB cannot drop and add a constraint of one name in one
            // statement; it adds one only if it is not there.
            Dialect::Mysql => format!(
                "ALTER TABLE {} ADD CONSTRAINT {name} {}",
                dialect.table_name(table),
                constraint.replacen("FOREIGN KEY ", "FOREIGN KEY IF NOT EXISTS ", 1)
            ),
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Postgres => format!(
                "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {name}, ADD CONSTRAINT {name} {constraint}",
                dialect.table_name(table),
            ),
        });
    }
    out
}

/// `FOREIGN KEY (...) REFERENCES target (...)` and its `ON DELETE` action.
fn foreign_key(dialect: Dialect, schema: &Schema, table: &Table, fk: &ForeignKey) -> String {
    let target = &schema.tables[fk.target];
    let quote_all = |t: &Table, cols: &[usize]| {
        cols.iter()
            .map(|c| dialect.quote(&t.columns[*c].sql_name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let action = match fk.on_delete {
        ForeignKeyAction::NoAction => "",
        ForeignKeyAction::Cascade => " ON DELETE CASCADE",
        ForeignKeyAction::SetNull => " ON DELETE SET NULL",
        ForeignKeyAction::Restrict => " ON DELETE RESTRICT",
    };
    format!(
        "FOREIGN KEY ({}) REFERENCES {} ({}){action}",
        quote_all(table, &fk.columns),
        dialect.table_name(target),
        quote_all(target, &fk.target_columns),
    )
}

/// PostgreSQL's `CREATE TYPE ... AS ENUM`, which has no `IF NOT EXISTS`:
/// run in a block that ignores an existing type of that name (its values
/// are not compared: an existing type is the database's).
fn create_enum(dialect: Dialect, e: &Enum) -> String {
    let labels: Vec<String> = e
        .variants
        .iter()
        .map(|v| dialect.string(&v.label))
        .collect();
    let create = format!(
        "CREATE TYPE {} AS ENUM ({})",
        dialect.qualified(e.prefix.as_deref(), &e.sql_name),
        labels.join(", ")
    );
    // A dollar quote whose tag the statement does not contain.
    let tag = (0..)
        .map(|i| {
            if i == 0 {
                "$mortise$".to_owned()
            } else {
                format!("$mortise{i}$")
            }
        })
        .find(|tag| !create.contains(tag.as_str()))
        .unwrap_or_default();
    format!("DO {tag} BEGIN {create}; EXCEPTION WHEN duplicate_object THEN NULL; END {tag}")
}

/// Whether the DDL indexes column `column` of table `table_id`: it is in
/// the primary key, unique, in an index, or on either side of a foreign key.
pub(crate) fn indexed(tables: &[Table], table_id: TableId, column: ColumnId) -> bool {
    let table = &tables[table_id];
    table.primary_key.contains(&column)
        || table.columns[column].unique
        || table.indexes.iter().any(|i| i.columns.contains(&column))
        || table
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.contains(&column))
        || tables.iter().any(|other| {
            other
                .foreign_keys
                .iter()
                .any(|fk| fk.target == table_id && fk.target_columns.contains(&column))
        })
}

/// The type `CREATE TABLE` gives column `column` of table `table_id`: its
/// `sql_type:` for the dialect, or the type of its field type (one that
/// can be indexed where the column is).
pub(crate) fn column_type(
    dialect: Dialect,
    schema: &Schema,
    table_id: TableId,
    column: ColumnId,
) -> String {
    let col = &schema.tables[table_id].columns[column];
    let declared = match dialect {
        Dialect::Sqlite | Dialect::SqliteJson => col.sql_type.sqlite.as_ref(),
        Dialect::Postgres => col.sql_type.postgres.as_ref(),
        Dialect::Mysql => col.sql_type.mysql.as_ref(),
    };
    match (dialect, col.generated) {
        // SQLite's AUTOINCREMENT takes an `INTEGER PRIMARY KEY` only
        // (the rowid), whatever the key's width in Rust.
        (Dialect::Sqlite | Dialect::SqliteJson, Some(Generated::AutoIncrement)) => {
            "INTEGER".to_owned()
        }
        _ => declared.cloned().unwrap_or_else(|| {
            dialect
                .indexed_column_type(col.ty)
                .filter(|_| indexed(&schema.tables, table_id, column))
                .map_or_else(
                    || dialect.declared_type(col.ty, &schema.enums),
                    str::to_owned,
                )
        }),
    }
}

/// The table's `CREATE TABLE`, with the foreign keys `foreign_keys`.
fn create_table(
    dialect: Dialect,
    schema: &Schema,
    table_id: TableId,
    foreign_keys: &[&ForeignKey],
) -> String {
    let table = &schema.tables[table_id];
    let single_key = table.single_key();
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(id, column)| {
            let declared = column_type(dialect, schema, table_id, id);
            let mut line = format!("{} {declared}", dialect.quote(&column.sql_name));
            if let (Dialect::Sqlite | Dialect::SqliteJson, FieldType::Enum(e)) =
                (dialect, column.ty)
            {
                // SQLite has no enum type: the column takes only the labels.
                let labels = schema.enums[e]
                    .variants
                    .iter()
                    .map(|v| dialect.string(&v.label));
                line.push_str(&format!(
                    " CHECK ({} IN ({}))",
                    dialect.quote(&column.sql_name),
                    labels.collect::<Vec<_>>().join(", ")
                ));
            }
            if !column.nullable {
                line.push_str(" NOT NULL");
            }
            if single_key == Some(id) {
                if column.generated == Some(Generated::AutoIncrement) {
                    line.push_str(dialect.autoincrement());
                } else {
                    line.push_str(" PRIMARY KEY");
                }
            }
            if column.unique {
                line.push_str(" UNIQUE");
            }
            match &column.default {
                Some(ColumnDefault::Value(value)) => {
                    line.push_str(&format!(" DEFAULT {}", dialect.literal(value)));
                }
                // In parentheses: SQLite takes a function call only so.
                Some(ColumnDefault::Sql(sql)) => line.push_str(&format!(" DEFAULT ({sql})")),
                None => {}
            }
            line
        })
        .collect();
    if table.primary_key.len() > 1 {
        let key = table
            .primary_key
            .iter()
            .map(|c| dialect.quote(&table.columns[*c].sql_name))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!("PRIMARY KEY ({key})"));
    }
    for fk in foreign_keys {
        lines.push(foreign_key(dialect, schema, table, fk));
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n  {}\n)",
        dialect.table_name(table),
        lines.join(",\n  ")
    )
}
