//! `CREATE TABLE` and `CREATE INDEX` for the whole schema.

use super::Dialect;
use crate::ir::{ForeignKeyAction, Generated, Schema, Table};

/// Every statement that creates the schema, referenced tables first. Each is
/// idempotent (`IF NOT EXISTS`), so `create_all` may run on an existing database.
pub fn create_statements(dialect: Dialect, schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if dialect == Dialect::Postgres {
        let mut prefixes: Vec<&str> = schema
            .tables
            .iter()
            .filter_map(|t| t.prefix.as_deref())
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        out.extend(
            prefixes
                .into_iter()
                .map(|p| format!("CREATE SCHEMA IF NOT EXISTS {}", dialect.quote(p))),
        );
    }
    for id in schema.creation_order() {
        let table = &schema.tables[id];
        out.push(create_table(dialect, schema, table));
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
    out
}

fn create_table(dialect: Dialect, schema: &Schema, table: &Table) -> String {
    let single_key = table.single_key();
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(id, column)| {
            let mut line = format!(
                "{} {}",
                dialect.quote(&column.sql_name),
                dialect.column_type(column.ty)
            );
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
            if let Some(default) = &column.default {
                line.push_str(&format!(" DEFAULT {}", dialect.literal(default)));
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
    for fk in &table.foreign_keys {
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
        lines.push(format!(
            "FOREIGN KEY ({}) REFERENCES {} ({}){action}",
            quote_all(table, &fk.columns),
            dialect.table_name(target),
            quote_all(target, &fk.target_columns),
        ));
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n  {}\n)",
        dialect.table_name(table),
        lines.join(",\n  ")
    )
}
