//! What differs between SQL dialects: quoting, placeholders, column types,
//! literals, table names with prefixes.

use crate::ir::{FieldType, Literal, Table};

/// A SQL dialect. PostgreSQL and MySQL join as new variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Sqlite,
}

impl Dialect {
    /// Quotes an identifier: reserved words (`order`, `group`) and any case
    /// become safe. Schema names are validated, but a `"` is doubled anyway.
    pub fn quote(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// The `n`th (1-based) bound parameter.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
        }
    }

    /// A table of the values of array parameter `n` (one column, `value`).
    /// SQLite: rusqlite's `rarray` (the `array` feature), which carries every
    /// key type exactly. Measured against `json_each(?1)` on 300,000 rows
    /// (release, keys of 10 / 1,000 / 100,000 owners): rarray took 0.60x /
    /// 0.98x / 1.22x the time, and needs no JSON encoding of text or blob keys.
    pub fn array_source(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("rarray({})", self.placeholder(n)),
        }
    }

    /// `expr` is one of the values of array parameter `n`.
    pub fn in_array(self, expr: &str, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} IN (SELECT value FROM {})", self.array_source(n)),
        }
    }

    /// `expr` is none of the values of array parameter `n`.
    pub fn not_in_array(self, expr: &str, n: usize) -> String {
        match self {
            Dialect::Sqlite => {
                format!("{expr} NOT IN (SELECT value FROM {})", self.array_source(n))
            }
        }
    }

    /// The table's name as statements write it. SQLite has no schemas: a
    /// `prefix` would name an attached database, so it is left out there
    /// (documented in the README).
    pub fn table_name(self, table: &Table) -> String {
        match self {
            Dialect::Sqlite => self.quote(&table.sql_name),
        }
    }

    /// The column type of the DDL. See the type table in the README.
    pub fn column_type(self, ty: FieldType) -> &'static str {
        match self {
            Dialect::Sqlite => match ty {
                FieldType::Integer | FieldType::Int => "INTEGER",
                FieldType::Float => "REAL",
                FieldType::Boolean => "BOOLEAN",
                FieldType::String | FieldType::Text => "TEXT",
                FieldType::Binary | FieldType::Uuid => "BLOB",
                FieldType::Date | FieldType::Time | FieldType::Datetime => "TEXT",
                FieldType::Json | FieldType::Decimal => "TEXT",
            },
        }
    }

    /// A literal of the DDL (`DEFAULT ...`).
    pub fn literal(self, value: &Literal) -> String {
        match (self, value) {
            (_, Literal::Null) => "NULL".to_owned(),
            (Dialect::Sqlite, Literal::Bool(b)) => if *b { "1" } else { "0" }.to_owned(),
            (_, Literal::Int(i)) => i.to_string(),
            (_, Literal::Float(f)) => format!("{f:?}"),
            (_, Literal::Str(s)) => format!("'{}'", s.replace('\'', "''")),
        }
    }
}
