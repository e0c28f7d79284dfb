//! Tables and columns: table, struct and module names (unique, valid), each
//! table's fields (its key column comes from `keys`), timestamps, and that
//! every table has a column.

use std::collections::HashMap;

use super::context::Context;
use super::{column_types, keys, literals};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{self, Column, ColumnDefault, FieldType, Generated, TableKind};
use crate::names::{RustIdent, is_rust_name, singular};
use crate::parse::ast::{self, Sp, TimestampName, Timestamps};

/// Declares every table (`by_name` and the per-table lookups start here),
/// with its struct, module and schema prefix.
pub(super) fn declare_tables(cx: &mut Context<'_>) {
    let mut struct_names: HashMap<String, Span> = HashMap::new();
    let mut module_names: HashMap<String, Span> = HashMap::new();
    let mut lower_names: HashMap<String, Span> = HashMap::new();
    for table in &cx.ast.tables {
        cx.check_sql_name(&table.name, "table");
        let lower = table.name.value.to_ascii_lowercase();
        if let Some(first) = lower_names.get(&lower) {
            cx.error(
                Diagnostic::error(
                    table.name.span,
                    format!(
                        "table {:?} differs from another table only in case",
                        table.name.value
                    ),
                )
                .with_label("same table as far as SQLite and MySQL are concerned")
                .with_related(*first, "the other table")
                .with_help("give the two tables names that differ in more than case"),
            );
        } else {
            lower_names.insert(lower, table.name.span);
        }

        let struct_name = match &table.struct_name {
            Some(s) => {
                check_rust_name(cx, s, "struct");
                RustIdent::verbatim(&s.value)
            }
            None => RustIdent::pascal(&singular(&table.name.value)),
        };
        let module = match &table.module {
            Some(m) => {
                check_rust_name(cx, m, "module");
                RustIdent::verbatim(&m.value)
            }
            None => RustIdent::snake(&table.name.value),
        };
        let struct_span = table
            .struct_name
            .as_ref()
            .map_or(table.name.span, |s| s.span);
        let module_span = table.module.as_ref().map_or(table.name.span, |s| s.span);
        unique_rust_name(
            cx,
            &mut struct_names,
            struct_name.unraw(),
            struct_span,
            "struct",
            "`struct:`",
        );
        unique_rust_name(
            cx,
            &mut module_names,
            module.unraw(),
            module_span,
            "module",
            "`module:`",
        );

        let prefix = table
            .prefix
            .as_ref()
            .or(cx.ast.defaults.prefix.as_ref())
            .map(|p| p.value.clone());
        if let Some(p) = table.prefix.as_ref().or(cx.ast.defaults.prefix.as_ref()) {
            cx.check_sql_name(p, "schema prefix");
        }
        let id = cx.tables.len();
        cx.by_name.insert(table.name.value.clone(), id);
        cx.tables.push(ir::Table {
            sql_name: table.name.value.clone(),
            span: table.name.span,
            prefix,
            kind: TableKind::Entity,
            new_struct_name: RustIdent::prefixed("New", &struct_name),
            struct_name,
            module,
            columns: Vec::new(),
            primary_key: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            associations: Vec::new(),
            options: ir::StructOptions::default(),
        });
        cx.column_names.push(Vec::new());
        cx.column_spans.push(Vec::new());
        cx.columns_by_sql.push(HashMap::new());
        cx.columns_by_name.push(HashMap::new());
    }
}

fn check_rust_name(cx: &mut Context<'_>, name: &Sp<String>, what: &str) {
    if !is_rust_name(&name.value) {
        cx.error(
            Diagnostic::error(
                name.span,
                format!("{what} name {:?} is not a Rust identifier", name.value),
            )
            .with_label("use ASCII letters, digits and `_`, not starting with a digit")
            .with_help("keywords are fine (`type` becomes `r#type`); other characters are not"),
        );
    }
}

fn unique_rust_name(
    cx: &mut Context<'_>,
    seen: &mut HashMap<String, Span>,
    name: &str,
    span: Span,
    what: &str,
    option: &str,
) {
    match seen.get(name) {
        Some(first) => cx.error(
            Diagnostic::error(span, format!("two tables have the {what} name {name:?}"))
                .with_label(format!("{what} {name} again"))
                .with_related(*first, format!("{what} {name} first"))
                .with_help(format!("set {option} on one of the two tables")),
        ),
        None => {
            seen.insert(name.to_owned(), span);
        }
    }
}

/// Every table's columns: its single-column key, then its fields.
pub(super) fn declare_columns(cx: &mut Context<'_>) {
    let default_key = keys::default_key(cx);
    let no_key_by_default = matches!(cx.ast.defaults.primary_key, Some(ast::PrimaryKey::None));
    for (id, table) in cx.ast.tables.iter().enumerate() {
        // A single-column key comes first, as users read it.
        keys::declare_single_key(cx, id, table, &default_key, no_key_by_default);

        for field in &table.fields {
            let sql_name = field.column.as_ref().unwrap_or(&field.name);
            cx.check_sql_name(&field.name, "field");
            if field.column.is_some() {
                cx.check_sql_name(sql_name, "column");
            }
            let (ty, nullable) = match &field.ty {
                Some(t) => (t.value.ty, t.value.nullable),
                None => (FieldType::String, true),
            };
            let what = format!("{}.{}", table.name.value, field.name.value);
            let default = match (&field.default, &field.default_sql, &field.ty) {
                (Some(value), Some(sql), _) => {
                    cx.error(
                        Diagnostic::error(sql.span, format!("field {what} has both `default` and `default_sql`"))
                            .with_label("a second default")
                            .with_related(value.span, "the first default")
                            .with_help("keep one: `default` for a value, `default_sql` for an SQL expression the database evaluates"),
                    );
                    None
                }
                (Some(value), None, Some(t)) => literals::check_literal(
                    cx,
                    value,
                    t.value.ty,
                    t.value.nullable,
                    &format!("the default of {what}"),
                )
                .map(|value| ColumnDefault::Value(literals::padded(t.value.ty, value))),
                (None, Some(sql), _) => {
                    literals::check_default_sql(cx, sql, &what);
                    Some(ColumnDefault::Sql(sql.value.clone()))
                }
                _ => None,
            };
            // The database fills a `default_sql` column on insert.
            let generated =
                matches!(default, Some(ColumnDefault::Sql(_))).then_some(Generated::DefaultSql);
            let sql_type = match (&field.sql_type, &field.ty) {
                (Some(decl), Some(t)) => column_types::sql_type(cx, decl, t.value.ty, &what),
                _ => ir::SqlType::default(),
            };
            let rust_type = match (&field.rust_type, &field.ty) {
                (Some(rust), Some(t)) => column_types::rust_type(cx, rust, t.value.ty, &what),
                _ => None,
            };
            let column = Column {
                sql_name: sql_name.value.clone(),
                field: RustIdent::snake(&field.name.value),
                ty,
                nullable,
                default,
                unique: field.unique,
                generated,
                sql_type,
                rust_type,
            };
            if let Some(column_id) =
                cx.add_column(id, field.name.value.clone(), column, sql_name.span)
                && field.ty.is_none()
            {
                cx.untyped.insert((id, column_id));
            }
        }
    }
}

/// Adds the timestamp columns, after every other column.
pub(super) fn declare_timestamps(cx: &mut Context<'_>) {
    for (id, table) in cx.ast.tables.iter().enumerate() {
        let Some(setting) = table
            .timestamps
            .as_ref()
            .or(cx.ast.defaults.timestamps.as_ref())
        else {
            continue;
        };
        let (inserted, updated) = match &setting.value {
            Timestamps::Off => continue,
            Timestamps::On => (TimestampName::Default, TimestampName::Default),
            Timestamps::Custom {
                inserted_at,
                updated_at,
            } => (inserted_at.clone(), updated_at.clone()),
        };
        for (name, default, generated) in [
            (inserted, "inserted_at", Generated::InsertedAt),
            (updated, "updated_at", Generated::UpdatedAt),
        ] {
            let name = match name {
                TimestampName::Off => continue,
                // An unnamed timestamp comes from the `timestamps` setting.
                TimestampName::Default => Sp {
                    value: default.to_owned(),
                    span: setting.span,
                },
                TimestampName::Named(n) => {
                    cx.check_sql_name(&n, "timestamp column");
                    n
                }
            };
            let column = Column {
                sql_name: name.value.clone(),
                field: RustIdent::snake(&name.value),
                ty: FieldType::Datetime,
                nullable: false,
                default: None,
                unique: false,
                generated: Some(generated),
                sql_type: ir::SqlType::default(),
                rust_type: None,
            };
            cx.add_column(id, name.value.clone(), column, name.span);
        }
    }
}

/// SQL has no table without columns (`CREATE TABLE t ()` does not parse).
pub(super) fn check_tables_have_columns(cx: &mut Context<'_>) {
    for (id, table) in cx.ast.tables.iter().enumerate() {
        if cx.tables[id].columns.is_empty() {
            cx.error(
                Diagnostic::error(
                    table.name.span,
                    format!("table {} has no columns", table.name.value),
                )
                .with_label("no key, no field, no foreign key, no timestamps")
                .with_help("declare a field, or remove `primary_key: false` to get an `id` key"),
            );
        }
    }
}
