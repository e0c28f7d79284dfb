//! A field's `sql_type:` (its SQL type where not the default mapping,
//! checked against the field type per dialect) and `rust_type:` (a Rust
//! type of the user's own, checked as Rust).

use super::context::{Context, a};
use super::literals;
use crate::diagnostics::Diagnostic;
use crate::ir::{self, FieldType, PostgresParam};
use crate::parse::ast::{self, Sp};
use crate::sql::Dialect;

/// The column's SQL types; each one written must hold values of `ty` as
/// the driver reads them (a type the dialect does not know is the
/// database's to decide, and its PostgreSQL parameters of text are bound
/// untyped).
pub(super) fn sql_type(
    cx: &mut Context<'_>,
    decl: &ast::SqlTypeDecl,
    ty: FieldType,
    what: &str,
) -> ir::SqlType {
    let mut out = ir::SqlType::default();
    // One text for every dialect (`sql_type: varchar(40)`): a problem is
    // reported once, for the first dialect that has it.
    let shared = decl.postgres.as_ref().is_some_and(|p| {
        [&decl.sqlite, &decl.mysql]
            .iter()
            .all(|other| other.as_ref().is_some_and(|o| o.span == p.span))
    });
    let mut reported = false;
    for (dialect, written) in [
        (Dialect::Postgres, &decl.postgres),
        (Dialect::Mysql, &decl.mysql),
        (Dialect::Sqlite, &decl.sqlite),
    ] {
        let Some(sql) = written else { continue };
        if shared && reported {
            continue;
        }
        if !check_one(cx, dialect, sql, ty, what, shared) {
            reported = true;
            continue;
        }
        let sql = sql.value.trim().to_owned();
        match dialect {
            Dialect::Postgres => {
                out.postgres_param = match dialect.reads(&sql, ty) {
                    None => Some(PostgresParam::Unknown),
                    Some(_) if sql.eq_ignore_ascii_case("json") => Some(PostgresParam::Json),
                    Some(_) => None,
                };
                out.postgres = Some(sql);
            }
            Dialect::Mysql => out.mysql = Some(Dialect::mysql_declared(&sql, ty)),
            Dialect::Sqlite | Dialect::SqliteJson => out.sqlite = Some(sql),
        }
    }
    out
}

/// Whether `sql` may declare a column of `ty` on `dialect`; reports why not.
fn check_one(
    cx: &mut Context<'_>,
    dialect: Dialect,
    sql: &Sp<String>,
    ty: FieldType,
    what: &str,
    shared: bool,
) -> bool {
    let name = &sql.value;
    if let FieldType::Enum(_) = ty {
        cx.error(
            Diagnostic::error(
                sql.span,
                format!("field {what} is an enum, whose SQL type is the enum's"),
            )
            .with_label("no sql_type for an enum")
            .with_help("remove `sql_type:`; the enum's `sql_name:` names its PostgreSQL type"),
        );
        return false;
    }
    if let Err(label) = literals::one_expression(name) {
        cx.error(
            Diagnostic::error(
                sql.span,
                format!("the sql_type of {what} is not an SQL type"),
            )
            .with_label(label)
            .with_help(
                "write one type as the DDL declares it, e.g. `varchar(40)` or `numeric(5,2)`",
            ),
        );
        return false;
    }
    if dialect.reads(name, ty) != Some(false) {
        return true;
    }
    let database = dialect.database();
    let (label, help) = match dialect {
        Dialect::Postgres | Dialect::Mysql => (
            format!("{database} reads {name} as another type"),
            format!(
                "declare {} column with one of {}, or change the field's `type:`",
                a(ty),
                dialect.type_names(ty)
            ),
        ),
        Dialect::Sqlite | Dialect::SqliteJson => {
            let own = if shared {
                format!(
                    " or give SQLite a type of its own: `sql_type: {{ postgres: {name}, sqlite: TEXT }}`,"
                )
            } else {
                String::new()
            };
            (
                format!(
                    "{database} gives a column of this type an affinity that changes {} values",
                    ty.name()
                ),
                format!(
                    "declare it with a type of the affinity it needs ({}),{own} or change the field's `type:`",
                    dialect.type_names(ty)
                ),
            )
        }
    };
    cx.error(
        Diagnostic::error(
            sql.span,
            format!("the sql_type {name:?} of {what} does not hold {}", a(ty)),
        )
        .with_label(label)
        .with_help(help),
    );
    false
}

/// `rust_type:`: a Rust type (a path from the crate root, e.g.
/// `crate::money::Cents`), kept as written.
pub(super) fn rust_type(
    cx: &mut Context<'_>,
    rust: &Sp<String>,
    ty: FieldType,
    what: &str,
) -> Option<String> {
    let problem = match syn::parse_str::<syn::Type>(&rust.value) {
        Err(_) => Some((
            "not a Rust type",
            "write a type path, e.g. `crate::money::Cents`",
        )),
        Ok(syn::Type::Path(_)) => None,
        Ok(_) => Some((
            "not a type path",
            "name a type by its path, e.g. `crate::money::Cents` (references, tuples and the like are not stored types)",
        )),
    };
    if let Some((label, help)) = problem {
        cx.error(
            Diagnostic::error(
                rust.span,
                format!("the rust_type of {what} is {:?}", rust.value),
            )
            .with_label(label)
            .with_help(help),
        );
        return None;
    }
    if let FieldType::Enum(_) = ty {
        cx.error(
            Diagnostic::error(
                rust.span,
                format!("field {what} is an enum, whose Rust type is the generated enum"),
            )
            .with_label("no rust_type for an enum")
            .with_help(
                "remove `rust_type:`, or declare the field as the enum's stored type (`string`)",
            ),
        );
        return None;
    }
    Some(rust.value.trim().to_owned())
}

/// On MySQL/MariaDB, a column that is a key, unique, in an index or on
/// either side of a foreign key needs a type InnoDB indexes whole: one
/// `sql_type:` text for every backend may have given it `text`, which
/// PostgreSQL and SQLite index and InnoDB does not (only a prefix of it,
/// which no key or foreign key may be). Reported where the type is written:
/// a foreign key column mortise added takes its key's type, reported there.
pub(super) fn check_mysql_indexed_types(cx: &mut Context<'_>) {
    for table in 0..cx.tables.len() {
        for column in 0..cx.tables[table].columns.len() {
            let t = &cx.tables[table];
            let Some(sql) = &t.columns[column].sql_type.mysql else {
                continue;
            };
            if Dialect::mysql_indexes_whole(sql) || !crate::sql::indexed(&cx.tables, table, column)
            {
                continue;
            }
            let takes_its_keys = t.foreign_keys.iter().any(|fk| {
                fk.columns
                    .iter()
                    .zip(&fk.target_columns)
                    .any(|(&c, &target)| {
                        c == column
                            && cx.tables[fk.target].columns[target].sql_type
                                == t.columns[column].sql_type
                    })
            });
            if takes_its_keys {
                continue;
            }
            let name = sql.split_whitespace().next().unwrap_or(sql).to_owned();
            let d = Diagnostic::error(
                cx.column_spans[table][column],
                format!(
                    "MySQL/MariaDB cannot index column {}.{} whole: its type is {name}",
                    t.sql_name, t.columns[column].sql_name
                ),
            )
            .with_label("a key, unique, indexed, or in a foreign key")
            .with_help(
                "give `sql_type:` a `mysql:` type of its own that InnoDB indexes, \
                 e.g. `{ postgres: text, mysql: \"varchar(255)\" }`",
            );
            cx.error(d);
        }
    }
}

/// The indexes InnoDB would refuse: each index `CREATE_SQL` makes on
/// MySQL/MariaDB (the primary key, a unique column, a join table's reverse
/// index, a foreign key's columns) may hold 3,072 bytes at most, its
/// columns' lengths added up (a `string` is 1,020 bytes in utf8mb4; a
/// `text` key 3,072). A table is reported once, at its first such index.
/// Only for a MySQL backend: the same schema is good on SQLite and
/// PostgreSQL.
pub(crate) fn mysql_index_lengths(schema: &ir::Schema) -> Vec<Diagnostic> {
    const MOST: usize = 3072;
    let mut out = Vec::new();
    for (id, table) in schema.tables.iter().enumerate() {
        let mut indexes: Vec<(&str, &[ir::ColumnId])> = Vec::new();
        if !table.primary_key.is_empty() {
            indexes.push(("primary key", &table.primary_key));
        }
        let uniques: Vec<[ir::ColumnId; 1]> = (0..table.columns.len())
            .filter(|c| table.columns[*c].unique)
            .map(|c| [c])
            .collect();
        indexes.extend(uniques.iter().map(|c| ("unique column", &c[..])));
        indexes.extend(table.indexes.iter().map(|i| ("index", &i.columns[..])));
        indexes.extend(
            table
                .foreign_keys
                .iter()
                .map(|fk| ("foreign key", &fk.columns[..])),
        );
        let mut seen: Vec<&[ir::ColumnId]> = Vec::new();
        for (what, columns) in indexes {
            if seen.contains(&columns) {
                continue;
            }
            seen.push(columns);
            let lengths: Option<Vec<usize>> = columns
                .iter()
                .map(|c| {
                    Dialect::mysql_index_bytes(&crate::sql::column_type(
                        Dialect::Mysql,
                        schema,
                        id,
                        *c,
                    ))
                })
                .collect();
            let Some(lengths) = lengths else { continue };
            let total: usize = lengths.iter().sum();
            if total <= MOST {
                continue;
            }
            let parts: Vec<String> = columns
                .iter()
                .zip(&lengths)
                .map(|(c, n)| format!("`{}` {n}", table.columns[*c].sql_name))
                .collect();
            out.push(
                Diagnostic::error(
                    table.span,
                    format!(
                        "on MySQL/MariaDB, the {what} of table {} takes {total} bytes ({}); \
                         InnoDB indexes {MOST} at most",
                        table.sql_name,
                        parts.join(" + ")
                    ),
                )
                .with_label("its CREATE TABLE would fail on MySQL/MariaDB")
                .with_help(
                    "give a text column of it a shorter `mysql:` type (4 bytes a character), \
                     e.g. `sql_type: { mysql: \"varchar(100)\" }`, or key the table by an integer; \
                     a foreign key column takes the type of the key it refers to",
                ),
            );
            break;
        }
    }
    out
}
