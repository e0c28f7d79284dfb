//! What differs between SQL dialects: quoting, placeholders, column types,
//! literals, table names with prefixes, array parameters, what one statement
//! can do.

use crate::ir::{Column, Enum, FieldType, Literal, PostgresParam, Table, uuid_text};

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite through rusqlite: an array of keys is one `rarray` parameter.
    Sqlite,
    /// SQLite through a driver without rusqlite's `rarray` (sqlx): an array
    /// of keys is one JSON text parameter, read with `json_each`. Everything
    /// else is [`Dialect::Sqlite`]'s.
    SqliteJson,
    Postgres,
    /// MariaDB >= 10.6 (`RETURNING` on `INSERT` and `DELETE`, `JSON_TABLE`).
    /// MySQL 8 has `JSON_TABLE` but no `RETURNING`: not yet a target.
    Mysql,
}

impl Dialect {
    /// The dialects `mortise check` checks a schema's query files for.
    /// MySQL's are checked when its backend generates (`generate_in`).
    pub const ALL: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

    /// Whether this is SQLite, whichever way its driver passes arrays.
    pub fn is_sqlite(self) -> bool {
        matches!(self, Dialect::Sqlite | Dialect::SqliteJson)
    }

    /// Quotes an identifier: reserved words (`order`, `group`) and any case
    /// become safe. Schema names are validated, but a `"` is doubled anyway.
    pub fn quote(self, name: &str) -> String {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Postgres => {
                format!("\"{}\"", name.replace('"', "\"\""))
            }
            Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// The `n`th (1-based) bound parameter.
    ///
    /// MySQL's are positional (`?`), and a statement may use one twice or
    /// out of order. So the builder writes each as `?` and a numbered marker
    /// no SQL holds (see [`numbered_marker`]); [`finished`] strips the markers
    /// from the text the generated code holds, and [`bind_order`] gives the
    /// order in which the driver binds the arguments.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
            Dialect::Mysql => format!("?{}", numbered_marker(n)),
        }
    }

    /// A table of the values of array parameter `n` (one column, `value`),
    /// whose elements have type `element`.
    ///
    /// SQLite: rusqlite's `rarray` (the `array` feature), which carries every
    /// key type exactly. Measured against `json_each(?1)` on 300,000 rows
    /// (release, keys of 10 / 1,000 / 100,000 owners): rarray took 0.60x /
    /// 0.98x / 1.22x the time, and needs no JSON encoding of text or blob keys.
    /// PostgreSQL: `unnest` of a typed array (the cast names the element type,
    /// which PostgreSQL cannot infer for a polymorphic function).
    pub fn array_source(self, n: usize, element: FieldType) -> String {
        match self {
            Dialect::Sqlite => format!("rarray({})", self.placeholder(n)),
            Dialect::SqliteJson => format!("({})", self.json_values(n, element)),
            Dialect::Postgres => format!(
                "unnest({}::{}[]) AS value",
                self.placeholder(n),
                self.column_type(element)
            ),
            Dialect::Mysql => format!("{} AS a", self.json_table(n, &[element], &["value"])),
        }
    }

    /// MySQL: the rows of the JSON array in parameter `n` (written by the
    /// generated code: values, or arrays of a composite key's values), one
    /// column per name. Bytes (a UUID, a binary key) travel as hex digits
    /// and are read back as the bytes the column holds, in a derived table.
    fn json_table(self, n: usize, types: &[FieldType], names: &[&str]) -> String {
        let one = types.len() == 1;
        let columns: Vec<String> = types
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (ty, name))| {
                let path = if one {
                    "$".to_owned()
                } else {
                    format!("$[{i}]")
                };
                format!("{name} {} PATH '{path}'", self.json_column_type(*ty))
            })
            .collect();
        let table = format!(
            "JSON_TABLE({}, '$[*]' COLUMNS ({}))",
            self.placeholder(n),
            columns.join(", ")
        );
        let bytes = |ty: &FieldType| matches!(ty, FieldType::Uuid | FieldType::Binary);
        if !types.iter().any(bytes) {
            return table;
        }
        let converted: Vec<String> = types
            .iter()
            .zip(names)
            .map(|(ty, name)| match bytes(ty) {
                true => format!("UNHEX(j.{name}) AS {name}"),
                false => format!("j.{name}"),
            })
            .collect();
        format!("(SELECT {} FROM {table} AS j)", converted.join(", "))
    }

    /// MySQL: the type of a `JSON_TABLE` column holding keys of `ty`.
    fn json_column_type(self, ty: FieldType) -> String {
        match ty {
            // Hex digits: see `json_table`.
            FieldType::Uuid | FieldType::Binary => "VARCHAR(16383)".to_owned(),
            // Compared by bytes with a column of any collation (the `_bin`
            // side wins): as Rust's `==` groups the rows, and without
            // MariaDB's "illegal mix of collations" against a column whose
            // collation is not the server's default (`utf8mb4_unicode_ci`).
            FieldType::String | FieldType::Text | FieldType::Char(_) => {
                "VARCHAR(16383) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin".to_owned()
            }
            other => self.column_type(other),
        }
    }

    /// SQLite with JSON keys: a query of the values of the JSON array in
    /// parameter `n` (written by the generated code), one column `value`.
    /// Only `value` is selected: `json_each`'s other columns (`key`, `id`,
    /// `type`, ...) would be in scope beside the statement's own.
    fn json_values(self, n: usize, element: FieldType) -> String {
        let value = match sqlite_json_value("value".to_owned(), element) {
            plain if plain == "value" => plain,
            converted => format!("{converted} AS value"),
        };
        format!("SELECT {value} FROM json_each({})", self.placeholder(n))
    }

    /// `expr` is one of the values of array parameter `n`.
    pub fn in_array(self, expr: &str, n: usize, element: FieldType) -> String {
        match self {
            Dialect::Sqlite => format!(
                "{expr} IN (SELECT value FROM rarray({}))",
                self.placeholder(n)
            ),
            Dialect::SqliteJson => format!("{expr} IN ({})", self.json_values(n, element)),
            Dialect::Postgres => format!("{expr} = ANY({})", self.placeholder(n)),
            Dialect::Mysql => format!(
                "{expr} IN (SELECT value FROM {})",
                self.array_source(n, element)
            ),
        }
    }

    /// `expr` is none of the values of array parameter `n` (true for an empty array).
    pub fn not_in_array(self, expr: &str, n: usize, element: FieldType) -> String {
        match self {
            Dialect::Sqlite => format!(
                "{expr} NOT IN (SELECT value FROM rarray({}))",
                self.placeholder(n)
            ),
            Dialect::SqliteJson => format!("{expr} NOT IN ({})", self.json_values(n, element)),
            Dialect::Postgres => format!("{expr} <> ALL({})", self.placeholder(n)),
            Dialect::Mysql => format!(
                "{expr} NOT IN (SELECT value FROM {})",
                self.array_source(n, element)
            ),
        }
    }

    /// The operator and operand of a membership in array parameter `n`, after
    /// the value tested: `IN (:ids)` / `NOT IN (:ids)` of a query file.
    pub fn membership(self, n: usize, negated: bool, element: FieldType) -> String {
        let not = if negated { "NOT " } else { "" };
        match (self, negated) {
            (Dialect::Sqlite, _) => format!(
                "{not}IN (SELECT value FROM rarray({}))",
                self.placeholder(n)
            ),
            (Dialect::SqliteJson, _) => format!("{not}IN ({})", self.json_values(n, element)),
            (Dialect::Postgres, false) => format!("= ANY({})", self.placeholder(n)),
            (Dialect::Postgres, true) => format!("<> ALL({})", self.placeholder(n)),
            (Dialect::Mysql, _) => format!(
                "{not}IN (SELECT value FROM {})",
                self.array_source(n, element)
            ),
        }
    }

    /// How many bound parameters carry an array of keys of `parts` columns:
    /// SQLite flattens the tuples into one `rarray`, MySQL into one JSON
    /// array of arrays; PostgreSQL takes one typed array per column.
    pub fn key_array_params(self, parts: usize) -> usize {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql => 1,
            Dialect::Postgres => parts,
        }
    }

    /// A table of the keys in the array parameter(s) starting at `first`,
    /// whose columns have `types`, and the names of its columns. One column
    /// is [`Dialect::array_source`]'s `value`; a composite key's columns are
    /// `k1`, `k2`, ... (see [`Dialect::key_query`]).
    pub fn key_source(self, first: usize, types: &[FieldType]) -> (String, Vec<String>) {
        if let [one] = types {
            return (self.array_source(first, *one), vec!["value".to_owned()]);
        }
        let from = match self {
            Dialect::Sqlite | Dialect::SqliteJson => {
                format!("({}) AS k", self.key_query(first, types))
            }
            Dialect::Postgres => self.unnest(first, types),
            Dialect::Mysql => format!(
                "{} AS k",
                self.json_table(
                    first,
                    types,
                    &key_names(types.len())
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                )
            ),
        };
        (from, key_names(types.len()))
    }

    /// The key `exprs` (one per key column) is one of the keys in the array
    /// parameter(s) starting at `first`.
    pub fn in_keys(self, exprs: &[String], first: usize, types: &[FieldType]) -> String {
        match exprs {
            [one] => self.in_array(one, first, types[0]),
            _ => format!(
                "({}) IN ({})",
                exprs.join(", "),
                self.key_query(first, types)
            ),
        }
    }

    /// The key `exprs` is none of the keys in the array parameter(s) starting
    /// at `first` (true for an empty array; keys are never NULL).
    pub fn not_in_keys(self, exprs: &[String], first: usize, types: &[FieldType]) -> String {
        match exprs {
            [one] => self.not_in_array(one, first, types[0]),
            _ => format!(
                "({}) NOT IN ({})",
                exprs.join(", "),
                self.key_query(first, types)
            ),
        }
    }

    /// A query of the composite keys in the array parameter(s) starting at
    /// `first`, one column per key column (`k1`, `k2`, ...).
    ///
    /// SQLite: the flat `rarray` holds the tuples one after another
    /// (`[a1, b1, a2, b2, ...]`, each value with its exact type); `lead`
    /// puts each tuple back on one row in one pass (`rarray`'s rowid is the
    /// 1-based position). PostgreSQL: `unnest` of one array per column zips
    /// them.
    fn key_query(self, first: usize, types: &[FieldType]) -> String {
        let names = key_names(types.len());
        match self {
            Dialect::SqliteJson => {
                let columns: Vec<String> = names
                    .iter()
                    .zip(types)
                    .enumerate()
                    .map(|(i, (name, ty))| {
                        let value = format!("json_extract(value, '$[{i}]')");
                        format!("{} AS {name}", sqlite_json_value(value, *ty))
                    })
                    .collect();
                format!(
                    "SELECT {} FROM json_each({})",
                    columns.join(", "),
                    self.placeholder(first)
                )
            }
            Dialect::Sqlite => {
                let columns: Vec<String> = names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| match i {
                        0 => format!("value AS {name}"),
                        _ => format!("lead(value, {i}) OVER (ORDER BY rowid) AS {name}"),
                    })
                    .collect();
                format!(
                    "SELECT {} FROM (SELECT rowid AS n, {} FROM rarray({})) WHERE (n - 1) % {} = 0",
                    names.join(", "),
                    columns.join(", "),
                    self.placeholder(first),
                    types.len()
                )
            }
            Dialect::Postgres => format!(
                "SELECT {} FROM {}",
                names.join(", "),
                self.unnest(first, types)
            ),
            Dialect::Mysql => {
                let columns: Vec<&str> = names.iter().map(String::as_str).collect();
                format!(
                    "SELECT {} FROM {} AS k",
                    names.join(", "),
                    self.json_table(first, types, &columns)
                )
            }
        }
    }

    /// PostgreSQL's `unnest` of one typed array per key column, zipped.
    fn unnest(self, first: usize, types: &[FieldType]) -> String {
        let arrays: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                format!(
                    "{}::{}[]",
                    self.placeholder(first + i),
                    self.column_type(*ty)
                )
            })
            .collect();
        format!(
            "unnest({}) AS k({})",
            arrays.join(", "),
            key_names(types.len()).join(", ")
        )
    }

    /// `expr`, a column of `column` in a SELECT list or `RETURNING`, as the
    /// generated code reads it. PostgreSQL: an enum, or text of a type
    /// mortise does not know (`sql_type: citext`), is read as `::text`, so
    /// that a result holds only types the driver knows. A type it does not
    /// know makes tokio-postgres look the type up on the same connection
    /// while the rows of a typed unnamed statement (`query_typed`) wait
    /// behind the lookup's answer: with enough rows (about a hundred) the
    /// two wait for each other forever
    /// (<https://github.com/rust-postgres/rust-postgres/pull/1348>).
    pub fn selected(self, expr: String, column: &Column) -> String {
        let text = matches!(
            column.ty,
            FieldType::String | FieldType::Text | FieldType::Char(_)
        );
        let custom = matches!(column.ty, FieldType::Enum(_))
            || (text && column.sql_type.postgres_param == Some(PostgresParam::Unknown));
        match self {
            Dialect::Postgres if custom && column.rust_type.is_none() => format!("{expr}::text"),
            _ => expr,
        }
    }

    /// The database's name, for docs.
    pub fn database(self) -> &'static str {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson => "SQLite",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Mysql => "MariaDB",
        }
    }

    /// Whether a table's `prefix` names a schema the DDL creates.
    pub fn has_schemas(self) -> bool {
        matches!(self, Dialect::Postgres)
    }

    /// Whether foreign keys are checked on every connection (SQLite checks
    /// them only with `PRAGMA foreign_keys = ON`).
    pub fn always_checks_foreign_keys(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// Whether Rust's order of a column's values (`Ord`; `Option`'s with
    /// NULLs placed as [`Dialect::nulls_first`] says) is the dialect's
    /// `ORDER BY` order. Not for text on PostgreSQL (its collation is not
    /// byte order), decimals on SQLite (stored as text), JSON, or nullable
    /// floats (NaN).
    pub fn sorts_like_rust(self, ty: FieldType, nullable: bool) -> bool {
        match ty {
            FieldType::Integer
            | FieldType::Int
            | FieldType::SmallInt
            | FieldType::Boolean
            | FieldType::Binary
            | FieldType::Uuid
            | FieldType::Date
            | FieldType::Time
            | FieldType::Datetime
            | FieldType::Timestamp => true,
            FieldType::Float | FieldType::Float4 => !nullable,
            // MySQL's text columns of a database mortise did not create
            // compare by their collation (often case-insensitive).
            FieldType::String | FieldType::Text | FieldType::Char(_) => self.is_sqlite(),
            FieldType::Decimal => !self.is_sqlite(),
            // PostgreSQL orders an enum as declared, SQLite by its text;
            // the Rust enum has no order. SQLite orders an array by its JSON text.
            FieldType::Json
            | FieldType::Enum(_)
            | FieldType::Array(_)
            | FieldType::Embed { .. } => false,
        }
    }

    /// Whether NULL comes first in an ascending `ORDER BY` (SQLite, MySQL),
    /// or last (PostgreSQL).
    pub fn nulls_first(self) -> bool {
        matches!(self, Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql)
    }

    /// Whether the tables of a `CROSS JOIN` are read in the order written
    /// (SQLite's planner never reorders them). A join-table query then reads
    /// the join table first and each target by its key, whatever indexes the
    /// join table has: otherwise SQLite may scan the targets and probe the
    /// join table once per target and owner key.
    pub fn cross_join_keeps_order(self) -> bool {
        matches!(self, Dialect::Sqlite | Dialect::SqliteJson)
    }

    /// Whether `CREATE TABLE` needs the tables its foreign keys reference to
    /// exist already (PostgreSQL, InnoDB). SQLite checks references only when
    /// rows are written, so tables that reference each other create in any order.
    pub fn checks_references_at_create(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// Whether a statement that fails leaves nothing behind. SQLite keeps
    /// what a statement wrote before a trigger's `RAISE(FAIL)` (and, outside
    /// a transaction, commits it), so multi-row writes run in a savepoint.
    /// InnoDB rolls back a failed statement's own changes.
    pub fn statements_are_atomic(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// Whether one statement can write several tables (PostgreSQL's
    /// data-modifying `WITH`): then every multi-table helper is a single,
    /// atomic statement; otherwise the emitter wraps statements in a savepoint.
    pub fn writable_ctes(self) -> bool {
        matches!(self, Dialect::Postgres)
    }

    /// Whether several statements can be sent as one (MariaDB's `BEGIN NOT
    /// ATOMIC … END`, see `sql::blocks`): then a write that locks before it
    /// writes is one round trip, atomic on the server.
    pub fn atomic_blocks(self) -> bool {
        matches!(self, Dialect::Mysql)
    }

    /// Whether a single-table `DELETE` runs its subqueries once per row
    /// (MariaDB 10.11: `DEPENDENT SUBQUERY`) where a `SELECT` materializes
    /// them once: then a delete that tests many rows against key lists
    /// selects them first and joins them back (`replace_many`'s).
    pub fn delete_subqueries_run_per_row(self) -> bool {
        matches!(self, Dialect::Mysql)
    }

    /// Whether `replace_many` finds the links not wanted as the owners'
    /// links `EXCEPT` the wanted pairs, deleted by their keys: SQLite tests
    /// a row value `NOT IN` a subquery of pairs slowly (owner_target, 200
    /// owners, 1,000 pairs: 18 ms, against 1.6 ms this way).
    pub fn retains_by_except(self) -> bool {
        matches!(self, Dialect::Sqlite | Dialect::SqliteJson)
    }

    /// Whether writers run concurrently (a server): then helpers that read
    /// before they write lock the owner row first (`FOR UPDATE`), so that
    /// two calls for one owner take turns. SQLite has one writer at a time.
    pub fn concurrent_writers(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// How an `INSERT` that skips rows already there ends (after its
    /// `SELECT`): a no-op on a duplicate key, whatever other error stays one.
    /// MySQL's `INSERT IGNORE` would also turn a foreign-key violation (a
    /// link to a row that does not exist) into a warning and skip the row
    /// silently, so it takes `ON DUPLICATE KEY UPDATE` of a key column to
    /// itself; `column` is that column, quoted, of `table`.
    pub fn on_duplicate_skip(self, table: &str, column: &str) -> String {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Postgres => {
                " ON CONFLICT DO NOTHING".to_owned()
            }
            Dialect::Mysql => {
                format!(" ON DUPLICATE KEY UPDATE {table}.{column} = {table}.{column}")
            }
        }
    }

    /// An `INSERT` of a row of defaults only.
    pub fn default_values(self) -> &'static str {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Postgres => "DEFAULT VALUES",
            Dialect::Mysql => "() VALUES ()",
        }
    }

    /// `"prefix"."name"` on PostgreSQL with a prefix, else `"name"`.
    pub fn qualified(self, prefix: Option<&str>, name: &str) -> String {
        match (self, prefix) {
            (Dialect::Postgres, Some(prefix)) => {
                format!("{}.{}", self.quote(prefix), self.quote(name))
            }
            _ => self.quote(name),
        }
    }

    /// The table's name as statements write it: `"prefix"."table"` on
    /// PostgreSQL. SQLite has no schemas (a prefix would name an attached
    /// database), so it leaves the prefix out (documented in the README).
    pub fn table_name(self, table: &Table) -> String {
        match (self, &table.prefix) {
            (Dialect::Postgres, Some(prefix)) => {
                format!("{}.{}", self.quote(prefix), self.quote(&table.sql_name))
            }
            _ => self.quote(&table.sql_name),
        }
    }

    /// The column type of the DDL. See the type table in the README.
    pub fn column_type(self, ty: FieldType) -> String {
        let name = match self {
            Dialect::Sqlite | Dialect::SqliteJson => match ty {
                FieldType::Integer | FieldType::Int => "INTEGER",
                FieldType::SmallInt => "SMALLINT",
                FieldType::Float | FieldType::Float4 => "REAL",
                FieldType::Boolean => "BOOLEAN",
                FieldType::String | FieldType::Text => "TEXT",
                FieldType::Binary | FieldType::Uuid => "BLOB",
                FieldType::Date | FieldType::Time => "TEXT",
                FieldType::Datetime | FieldType::Timestamp => "TEXT",
                FieldType::Json | FieldType::Decimal => "TEXT",
                // TEXT affinity: neither padded nor checked.
                FieldType::Char(n) => return format!("CHARACTER({n})"),
                FieldType::Enum(_) => "TEXT",
                // JSON text: `["a","b"]`, `{"street":"..."}`.
                FieldType::Array(_) | FieldType::Embed { .. } => "TEXT",
            },
            Dialect::Postgres => match ty {
                FieldType::Integer => "BIGINT",
                FieldType::Int => "INTEGER",
                FieldType::SmallInt => "SMALLINT",
                FieldType::Float => "DOUBLE PRECISION",
                FieldType::Float4 => "REAL",
                FieldType::Boolean => "BOOLEAN",
                FieldType::String | FieldType::Text => "TEXT",
                FieldType::Binary => "BYTEA",
                FieldType::Uuid => "UUID",
                FieldType::Date => "DATE",
                FieldType::Time => "TIME",
                FieldType::Datetime => "TIMESTAMPTZ",
                FieldType::Timestamp => "TIMESTAMP",
                FieldType::Json => "JSONB",
                FieldType::Decimal => "NUMERIC",
                FieldType::Char(n) => return format!("CHARACTER({n})"),
                // Its labels' type; the column is of the enum's own type,
                // which has a name: see `declared_type`.
                FieldType::Enum(_) => "TEXT",
                FieldType::Array(element) => return format!("{}[]", self.column_type(*element)),
                FieldType::Embed { .. } => "JSONB",
            },
            // Text compares by bytes (`utf8mb4_bin`), as on SQLite and in
            // Rust: a key `'a'` is not `'A'`, and preload finds each row's
            // owner by `==`. `string` is `VARCHAR(255)` so that it can be a
            // key or unique; `text` has no such limit and no index.
            Dialect::Mysql => match ty {
                FieldType::Integer => "BIGINT",
                FieldType::Int => "INT",
                FieldType::SmallInt => "SMALLINT",
                FieldType::Float => "DOUBLE",
                FieldType::Float4 => "FLOAT",
                FieldType::Boolean => "BOOLEAN",
                FieldType::String => "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                FieldType::Text => "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                FieldType::Char(n) => {
                    return format!("CHAR({n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                }
                FieldType::Binary => "LONGBLOB",
                FieldType::Uuid => "BINARY(16)",
                FieldType::Date => "DATE",
                FieldType::Time => "TIME(6)",
                // UTC, with microseconds: `TIMESTAMP` would convert by the
                // session's time zone.
                FieldType::Datetime | FieldType::Timestamp => "DATETIME(6)",
                // MariaDB's JSON is LONGTEXT with a JSON_VALID check.
                FieldType::Json | FieldType::Array(_) | FieldType::Embed { .. } => "JSON",
                // rust_decimal's range (28 digits before the point), and 10
                // after it (the server rounds more).
                FieldType::Decimal => "DECIMAL(38, 10)",
                // The labels' type; a column is declared `ENUM(...)`: see `declared_type`.
                FieldType::Enum(_) => "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
            },
        };
        name.to_owned()
    }

    /// The type of an indexed column of `ty` (a key, unique, or a foreign
    /// key either way) where `column_type`'s cannot be indexed whole:
    /// MySQL's `LONGTEXT` and `LONGBLOB` become the longest that InnoDB
    /// indexes (3,072 bytes: 768 characters of utf8mb4). A longer value is
    /// refused (strict mode), never cut.
    pub fn indexed_column_type(self, ty: FieldType) -> Option<&'static str> {
        match (self, ty) {
            (Dialect::Mysql, FieldType::Text) => {
                Some("VARCHAR(768) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            }
            (Dialect::Mysql, FieldType::Binary) => Some("VARBINARY(3072)"),
            _ => None,
        }
    }

    /// The type a column is declared with: `column_type`, or an enum's
    /// PostgreSQL type.
    pub fn declared_type(self, ty: FieldType, enums: &[Enum]) -> String {
        match (self, ty) {
            (Dialect::Postgres, FieldType::Enum(id)) => {
                self.qualified(enums[id].prefix.as_deref(), &enums[id].sql_name)
            }
            (Dialect::Mysql, FieldType::Enum(id)) => {
                let labels: Vec<String> = enums[id]
                    .variants
                    .iter()
                    .map(|v| self.string(&v.label))
                    .collect();
                format!(
                    "ENUM({}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                    labels.join(", ")
                )
            }
            _ => self.column_type(ty),
        }
    }

    /// Whether a column declared `sql` (a `sql_type:`) holds values of `ty`
    /// as the driver reads and writes them: `Some(true)` or `Some(false)`
    /// for a type the dialect knows, `None` for one it does not (a
    /// PostgreSQL domain, an extension's type: the database decides).
    ///
    /// PostgreSQL: by the type's name, without its parameters
    /// (`varchar(40)` is `varchar`), and an array's element type. SQLite:
    /// by the affinity the name gives the column, which decides what a
    /// stored value becomes (NUMERIC affinity turns the text `'10'` into an
    /// integer, which a `String` does not read).
    pub fn reads(self, sql: &str, ty: FieldType) -> Option<bool> {
        let name = normalized(sql);
        match self {
            Dialect::Postgres => {
                if let Some(element) = name.strip_suffix("[]") {
                    return match ty {
                        FieldType::Array(ty) => self.reads(element, *ty),
                        _ => self.reads(element, ty).map(|_| false),
                    };
                }
                let family = POSTGRES_TYPES
                    .iter()
                    .find(|(_, names)| names.contains(&name.as_str()))?;
                let ty = match ty {
                    FieldType::Text | FieldType::Char(_) => FieldType::String,
                    FieldType::Embed { .. } => FieldType::Json,
                    other => other,
                };
                Some(family.0.contains(&ty))
            }
            Dialect::Sqlite | Dialect::SqliteJson => {
                use FieldType as T;
                let affinity = sqlite_affinity(&name);
                let fits: &[&str] = match ty {
                    T::Integer | T::Int | T::SmallInt | T::Boolean => &["INTEGER", "NUMERIC"],
                    T::Float | T::Float4 => &["REAL", "NUMERIC", "INTEGER"],
                    T::Decimal => &["TEXT", "NUMERIC"],
                    T::Binary | T::Uuid => &["BLOB", "TEXT"],
                    T::String | T::Text | T::Char(_) | T::Date | T::Time | T::Datetime => &["TEXT"],
                    T::Timestamp | T::Json | T::Enum(_) | T::Array(_) | T::Embed { .. } => {
                        &["TEXT"]
                    }
                };
                Some(fits.contains(&affinity))
            }
            Dialect::Mysql => {
                // `varchar(40) COLLATE utf8mb4_unicode_ci` is a varchar.
                let name = mysql_without_collation(&name);
                let ty = match ty {
                    FieldType::Text | FieldType::Char(_) => FieldType::String,
                    FieldType::Embed { .. } | FieldType::Array(_) => FieldType::Json,
                    FieldType::Timestamp => FieldType::Datetime,
                    other => other,
                };
                // A name may read as more than one type (`longtext` is JSON
                // on MariaDB, `binary(16)` a UUID).
                let mut families = MYSQL_TYPES
                    .iter()
                    .filter(|(_, names)| names.contains(&name))
                    .peekable();
                families.peek()?;
                Some(families.any(|(family, _)| family.contains(&ty)))
            }
        }
    }

    /// Whether InnoDB can index a MySQL column of type `sql` whole (as a key,
    /// unique, an index or either side of a foreign key): not the `TEXT`,
    /// `BLOB` and `JSON` types, which an index takes only a prefix of.
    pub fn mysql_indexes_whole(sql: &str) -> bool {
        let name = normalized(sql);
        let name = mysql_without_collation(&name);
        !matches!(
            name,
            "tinytext"
                | "text"
                | "mediumtext"
                | "longtext"
                | "tinyblob"
                | "blob"
                | "mediumblob"
                | "longblob"
                | "json"
        )
    }

    /// How many bytes an InnoDB index takes of a MySQL column of type `sql`
    /// at most (an index holds 3,072 in all); `None` for a type this does
    /// not know, or one it cannot index whole. Text takes 4 bytes a
    /// character in utf8mb4, mortise's character set.
    pub fn mysql_index_bytes(sql: &str) -> Option<usize> {
        let lower = sql.to_ascii_lowercase();
        let name: String = lower
            .trim_start()
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let length = || -> Option<usize> {
            let (_, rest) = lower.split_once('(')?;
            rest.split([')', ',']).next()?.trim().parse().ok()
        };
        let per_character = if lower.contains("latin1") || lower.contains("ascii") {
            1
        } else if lower.contains("utf8mb3") || lower.contains("utf8 ") || lower.ends_with("utf8") {
            3
        } else {
            4
        };
        Some(match name.as_str() {
            "tinyint" | "bool" | "boolean" | "year" => 1,
            "smallint" | "enum" => 2,
            "mediumint" | "date" => 3,
            "int" | "integer" | "float" => 4,
            "bigint" | "double" | "real" | "set" | "datetime" | "timestamp" | "time" => 8,
            "decimal" | "numeric" => 32,
            "uuid" | "inet6" => 16,
            "char" | "varchar" => length()? * per_character,
            "binary" | "varbinary" => length()?,
            _ => return None,
        })
    }

    /// The MySQL column type `sql_type:` wrote (`sql`) for a field of
    /// `ty`, as the DDL declares it: a text type that names no character
    /// set or collation gets mortise's (`utf8mb4_bin`, see `column_type`),
    /// so `varchar(40)` compares by bytes here as on every other backend;
    /// the server's case-insensitive collation is there for the asking
    /// (`varchar(254) COLLATE utf8mb4_unicode_ci`, like PostgreSQL's citext).
    pub fn mysql_declared(sql: &str, ty: FieldType) -> String {
        let name = normalized(sql);
        let text_field = matches!(ty, FieldType::String | FieldType::Text | FieldType::Char(_));
        let text_type = Dialect::Mysql.reads(sql, FieldType::String) == Some(true);
        if text_field && text_type && mysql_without_collation(&name) == name {
            format!("{sql} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        } else {
            sql.to_owned()
        }
    }

    /// Names of SQL types a column of `ty` may be declared with, for hints.
    pub fn type_names(self, ty: FieldType) -> String {
        match self {
            Dialect::Postgres => {
                let ty = match ty {
                    FieldType::Text | FieldType::Char(_) => FieldType::String,
                    FieldType::Embed { .. } => FieldType::Json,
                    FieldType::Array(element) => {
                        return format!("{}, each with `[]`", self.type_names(*element));
                    }
                    other => other,
                };
                POSTGRES_TYPES
                    .iter()
                    .find(|(family, _)| family.contains(&ty))
                    .map(|(_, names)| names.join(", "))
                    .unwrap_or_default()
            }
            Dialect::Sqlite | Dialect::SqliteJson => {
                let names = match ty {
                    FieldType::Integer
                    | FieldType::Int
                    | FieldType::SmallInt
                    | FieldType::Boolean => "INTEGER, BIGINT, NUMERIC",
                    FieldType::Float | FieldType::Float4 => "REAL, DOUBLE, FLOAT",
                    FieldType::Decimal => "TEXT, NUMERIC, DECIMAL(p,s)",
                    FieldType::Binary | FieldType::Uuid => "BLOB",
                    _ => "TEXT, VARCHAR(n), CHARACTER(n), CLOB",
                };
                names.to_owned()
            }
            Dialect::Mysql => {
                let ty = match ty {
                    FieldType::Text | FieldType::Char(_) => FieldType::String,
                    FieldType::Embed { .. } | FieldType::Array(_) => FieldType::Json,
                    FieldType::Timestamp => FieldType::Datetime,
                    other => other,
                };
                MYSQL_TYPES
                    .iter()
                    .find(|(family, _)| family.contains(&ty))
                    .map(|(_, names)| names.join(", "))
                    .unwrap_or_default()
            }
        }
    }

    /// How the DDL declares a key the database assigns, after the column type.
    pub fn autoincrement(self) -> &'static str {
        match self {
            // Never reuses the id of a deleted row, as PostgreSQL and MySQL don't.
            Dialect::Sqlite | Dialect::SqliteJson => " PRIMARY KEY AUTOINCREMENT",
            Dialect::Postgres => " GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            Dialect::Mysql => " AUTO_INCREMENT PRIMARY KEY",
        }
    }

    /// A new random (v4) UUID per row, for the key of a join row that a
    /// link helper writes in SQL. SQLite has no UUID function: the 32 hex
    /// digits are random except the version (`4`) and the variant (`8`-`b`).
    pub fn new_uuid(self) -> &'static str {
        match self {
            Dialect::Sqlite | Dialect::SqliteJson => {
                "unhex(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
                 || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(8)), 2))"
            }
            Dialect::Postgres => "gen_random_uuid()",
            // `UUID()` is a version 1 (time and host); as SQLite's above.
            Dialect::Mysql => {
                "UNHEX(CONCAT(HEX(RANDOM_BYTES(6)), '4', SUBSTR(HEX(RANDOM_BYTES(2)), 2), \
                 ELT(1 + FLOOR(RAND() * 4), '8', '9', 'A', 'B'), SUBSTR(HEX(RANDOM_BYTES(8)), 2)))"
            }
        }
    }

    /// A literal of the DDL (`DEFAULT ...`), of `where` conditions and of
    /// the values link helpers write: the value as the driver stores it, so
    /// that it compares equal to what the generated code writes.
    ///
    /// SQLite: dates and times as rusqlite's text, UUIDs as 16-byte blobs,
    /// decimals as their exact text. PostgreSQL: typed (`'...'::DATE`),
    /// since an untyped literal in an `INSERT ... SELECT` would be text.
    pub fn literal(self, value: &Literal) -> String {
        let typed = |text: String, ty: FieldType| match self {
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql => self.string(&text),
            Dialect::Postgres => format!("{}::{}", self.string(&text), self.column_type(ty)),
        };
        match (self, value) {
            (_, Literal::Null) => "NULL".to_owned(),
            (Dialect::Sqlite | Dialect::SqliteJson, Literal::Bool(b)) => {
                if *b { "1" } else { "0" }.to_owned()
            }
            (Dialect::Postgres | Dialect::Mysql, Literal::Bool(b)) => {
                if *b { "TRUE" } else { "FALSE" }.to_owned()
            }
            (_, Literal::Int(i)) => i.to_string(),
            (_, Literal::Float(f)) => format!("{f:?}"),
            // SQLite stores an f32 as the f64 it widens to; PostgreSQL would
            // compare an untyped 0.1 as a double with the REAL column's 0.1.
            (Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql, Literal::Float4(f)) => {
                format!("{:?}", f64::from(*f))
            }
            (Dialect::Postgres, Literal::Float4(f)) => format!("{f:?}::REAL"),
            (_, Literal::Str(s)) => self.string(s),
            (Dialect::Sqlite | Dialect::SqliteJson, Literal::Decimal(d)) => {
                self.string(&d.to_string())
            }
            // A numeric constant keeps its digits and scale (`1.50`).
            (Dialect::Postgres | Dialect::Mysql, Literal::Decimal(d)) => d.to_string(),
            (Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql, Literal::Uuid(u)) => {
                format!("X'{u:032x}'")
            }
            (Dialect::Postgres, Literal::Uuid(u)) => typed(uuid_text(*u), FieldType::Uuid),
            (_, Literal::Date(d)) => typed(d.to_string(), FieldType::Date),
            (_, Literal::Time(t)) => typed(t.to_string(), FieldType::Time),
            // rusqlite's text of a `DateTime<Utc>`; PostgreSQL reads the same.
            // MySQL's DATETIME holds the UTC time without its zone.
            (Dialect::Mysql, Literal::Datetime(d, t)) => self.string(&format!("{d} {t}")),
            (_, Literal::Datetime(d, t)) => typed(format!("{d} {t}+00:00"), FieldType::Datetime),
            // rusqlite's text of a `NaiveDateTime` (`%F %T%.f`).
            (_, Literal::Timestamp(d, t)) => typed(format!("{d} {t}"), FieldType::Timestamp),
            (_, Literal::Json(json)) => typed(json.clone(), FieldType::Json),
            (Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql, Literal::Enum(e)) => {
                self.string(&e.label)
            }
            (Dialect::Postgres, Literal::Enum(e)) => {
                let ty = self.qualified(e.prefix.as_deref(), &e.sql_type);
                format!("{}::{ty}", self.string(&e.label))
            }
            // The JSON text the generated code writes (serde's forms).
            (
                Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql,
                Literal::Array { values, .. },
            ) => {
                let json: Vec<serde_json::Value> = values.iter().map(json_value).collect();
                self.string(&serde_json::Value::Array(json).to_string())
            }
            // Typed, so that an empty `ARRAY[]` has a type.
            (Dialect::Postgres, Literal::Array { element, values }) => {
                let values: Vec<String> = values.iter().map(|v| self.literal(v)).collect();
                format!(
                    "ARRAY[{}]::{}[]",
                    values.join(", "),
                    self.column_type(*element)
                )
            }
        }
    }

    /// A string literal that means `text` whatever the server's settings.
    ///
    /// SQLite has no escapes in strings: a `'` is doubled. PostgreSQL reads a
    /// backslash in a plain `'...'` as an escape when
    /// `standard_conforming_strings` is off (a `\'` would end the string
    /// there), so text with a backslash is an escape string, `E'...'`, whose
    /// backslashes are doubled: the same text under either setting.
    ///
    /// MySQL reads a backslash as an escape unless `NO_BACKSLASH_ESCAPES`
    /// is set: text with one is a `CONCAT` of its pieces, each backslash a
    /// `CHAR(92 USING utf8mb4)`: the same text under either mode (and so is
    /// each placeholder marker). Not a hex string: MariaDB 10.11 keeps the
    /// default of a TEXT column as the text of its expression, and writes
    /// `_utf8mb4 X'5C27'` back as `_utf8mb4'\''`, which no longer parses.
    pub fn string(self, text: &str) -> String {
        let quoted = text.replace('\'', "''");
        match self {
            Dialect::Postgres if text.contains('\\') => {
                format!("E'{}'", quoted.replace('\\', "\\\\"))
            }
            Dialect::Mysql if text.contains(['\\', MARK_OPEN, MARK_CLOSE]) => {
                let mut pieces = Vec::new();
                let mut rest = text;
                while let Some(at) = rest.find(['\\', MARK_OPEN, MARK_CLOSE]) {
                    let special = rest[at..].chars().next().unwrap_or('\\');
                    pieces.push(format!("'{}'", rest[..at].replace('\'', "''")));
                    let code = special
                        .encode_utf8(&mut [0; 4])
                        .bytes()
                        .fold(0u32, |code, b| (code << 8) | u32::from(b));
                    pieces.push(format!("CHAR({code} USING utf8mb4)"));
                    rest = &rest[at + special.len_utf8()..];
                }
                pieces.push(format!("'{}'", rest.replace('\'', "''")));
                format!("(CONCAT({}))", pieces.join(", "))
            }
            Dialect::Sqlite | Dialect::SqliteJson | Dialect::Postgres | Dialect::Mysql => {
                format!("'{quoted}'")
            }
        }
    }
}

/// An array element as serde writes it into the JSON text of an array on
/// SQLite (the generated code reads it back with serde): numbers and
/// booleans as such, decimals, UUIDs, dates and times as chrono, uuid and
/// rust_decimal serialize them (text).
fn json_value(value: &Literal) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::from(*i),
        Literal::Float(f) => Value::from(*f),
        // The f32's shortest text, which reads back as that f32.
        Literal::Float4(f) => f
            .to_string()
            .parse::<f64>()
            .map_or(Value::Null, Value::from),
        Literal::Str(s) => Value::from(s.as_str()),
        Literal::Decimal(d) => Value::from(d.to_string()),
        Literal::Uuid(u) => Value::from(uuid_text(*u)),
        Literal::Date(d) => Value::from(d.to_string()),
        Literal::Time(t) => Value::from(t.to_string()),
        Literal::Datetime(d, t) => Value::from(format!("{d}T{t}Z")),
        Literal::Timestamp(d, t) => Value::from(format!("{d}T{t}")),
        Literal::Json(json) => serde_json::from_str(json).unwrap_or(Value::Null),
        Literal::Enum(e) => Value::from(e.label.as_str()),
        Literal::Array { values, .. } => Value::Array(values.iter().map(json_value).collect()),
    }
}

/// PostgreSQL's names of the types the drivers read as each field type
/// (lowercase, without parameters), for `sql_type:` (`Dialect::reads`).
const POSTGRES_TYPES: &[(&[FieldType], &[&str])] = &[
    (
        &[FieldType::Integer],
        &["bigint", "int8", "bigserial", "serial8"],
    ),
    (
        &[FieldType::Int],
        &["integer", "int", "int4", "serial", "serial4"],
    ),
    (
        &[FieldType::SmallInt],
        &["smallint", "int2", "smallserial", "serial2"],
    ),
    (
        &[FieldType::Float],
        &["double precision", "float8", "float"],
    ),
    (&[FieldType::Float4], &["real", "float4"]),
    (&[FieldType::Boolean], &["boolean", "bool"]),
    (
        &[FieldType::String],
        &[
            "text",
            "varchar",
            "character varying",
            "character",
            "char",
            "bpchar",
            "name",
        ],
    ),
    (&[FieldType::Binary], &["bytea"]),
    (&[FieldType::Uuid], &["uuid"]),
    (&[FieldType::Date], &["date"]),
    (&[FieldType::Time], &["time", "time without time zone"]),
    (
        &[FieldType::Datetime],
        &["timestamptz", "timestamp with time zone"],
    ),
    (
        &[FieldType::Timestamp],
        &["timestamp", "timestamp without time zone"],
    ),
    (&[FieldType::Json], &["jsonb", "json"]),
    (&[FieldType::Decimal], &["numeric", "decimal"]),
];

/// MySQL's (and MariaDB's) names of the types sqlx reads as each field
/// type (lowercase, without parameters), for `sql_type:`.
const MYSQL_TYPES: &[(&[FieldType], &[&str])] = &[
    (&[FieldType::Integer], &["bigint"]),
    (&[FieldType::Int], &["int", "integer", "mediumint"]),
    (&[FieldType::SmallInt], &["smallint"]),
    (&[FieldType::Float], &["double", "double precision", "real"]),
    (&[FieldType::Float4], &["float"]),
    (&[FieldType::Boolean], &["boolean", "bool", "tinyint"]),
    (
        &[FieldType::String],
        &[
            "varchar",
            "char",
            "text",
            "tinytext",
            "mediumtext",
            "longtext",
            "nvarchar",
            "nchar",
        ],
    ),
    (
        &[FieldType::Binary],
        &[
            "blob",
            "tinyblob",
            "mediumblob",
            "longblob",
            "varbinary",
            "binary",
        ],
    ),
    (&[FieldType::Uuid], &["binary"]),
    (&[FieldType::Date], &["date"]),
    (&[FieldType::Time], &["time"]),
    (&[FieldType::Datetime], &["datetime", "timestamp"]),
    (&[FieldType::Json], &["json", "longtext"]),
    (&[FieldType::Decimal], &["decimal", "numeric"]),
];

/// Opens and closes the number of a MySQL placeholder while statements are
/// built: private-use characters, which no SQL text of mortise's holds (a
/// MySQL string literal with one is written in hex: see [`Dialect::string`]).
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// The marker after a MySQL `?` that numbers it while it is built.
fn numbered_marker(n: usize) -> String {
    format!("{MARK_OPEN}{n}{MARK_CLOSE}")
}

/// `sql` as the database runs it: MySQL's placeholder numbers stripped
/// (every other dialect's text has none).
pub fn finished(sql: &str) -> String {
    positional(sql).0
}

/// The (1-based) numbers of the parameters a MySQL statement binds, in the
/// order its placeholders come, when that is not simply 1, 2, ... n (a
/// parameter used twice, or out of order, is bound again at each place);
/// `None` for other dialects' statements, which number their parameters.
pub fn bind_order(sql: &str) -> Option<Vec<usize>> {
    let order = positional(sql).1;
    let natural = order.iter().enumerate().all(|(i, n)| *n == i + 1);
    (!natural).then_some(order)
}

/// `sql` without its placeholder markers, and their numbers in order.
fn positional(sql: &str) -> (String, Vec<usize>) {
    if !sql.contains(MARK_OPEN) {
        return (sql.to_owned(), Vec::new());
    }
    let mut out = String::with_capacity(sql.len());
    let mut order = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..start]);
        let marked = &rest[start + MARK_OPEN.len_utf8()..];
        let end = marked.find(MARK_CLOSE).unwrap_or(marked.len());
        order.extend(marked[..end].parse::<usize>());
        rest = marked.get(end + MARK_CLOSE.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    (out, order)
}

/// `sql` lowercase, its spaces single, without parameters: `VARCHAR (40)`
/// is `varchar`, `timestamp(3) with time zone` is `timestamp with time zone`.
fn normalized(sql: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in sql.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" []", "[]")
}

/// A normalized MySQL type name without its `CHARACTER SET …` or
/// `COLLATE …` clause.
fn mysql_without_collation(name: &str) -> &str {
    [" character set ", " charset ", " collate "]
        .iter()
        .filter_map(|clause| name.find(clause))
        .min()
        .map_or(name, |at| &name[..at])
}

/// SQLite's affinity of a column declared `name` (lowercase), by its rules
/// (<https://sqlite.org/datatype3.html#determination_of_column_affinity>).
fn sqlite_affinity(name: &str) -> &'static str {
    if name.contains("int") {
        "INTEGER"
    } else if ["char", "clob", "text"].iter().any(|t| name.contains(t)) {
        "TEXT"
    } else if name.is_empty() || name.contains("blob") {
        "BLOB"
    } else if ["real", "floa", "doub"].iter().any(|t| name.contains(t)) {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// `k1`, `k2`, ...: the columns of a table of composite keys.
fn key_names(parts: usize) -> Vec<String> {
    (1..=parts).map(|i| format!("k{i}")).collect()
}

/// SQLite with JSON keys: `value`, an element of a JSON key array, as the
/// column holds it. JSON numbers and strings are SQLite's integers, reals
/// and text already; bytes (a UUID, a binary key) travel as hex digits and
/// are read back as a BLOB; a boolean is `true`/`false`, which `json_each`
/// gives as 1/0, as the column holds it.
fn sqlite_json_value(value: String, ty: FieldType) -> String {
    match ty {
        FieldType::Uuid | FieldType::Binary => format!("unhex({value})"),
        _ => value,
    }
}
