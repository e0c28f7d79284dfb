//! Literals and defaults: a value written in the schema (a field's `default`,
//! a `where`, `join_where` or `join_defaults` value) must fit its column.

use super::context::{Context, a};
use crate::diagnostics::Diagnostic;
use crate::ir::{ColumnId, FieldType, Literal, TableId};
use crate::parse::ast::{self, Sp};

pub(super) fn check_literal(
    cx: &mut Context<'_>,
    value: &Sp<Literal>,
    ty: FieldType,
    nullable: bool,
    what: &str,
) {
    use FieldType as T;
    let fits = match &value.value {
        Literal::Null => nullable,
        Literal::Bool(_) => ty == T::Boolean,
        Literal::Int(i) => match ty {
            T::SmallInt => i16::try_from(*i).is_ok(),
            _ => matches!(ty, T::Integer | T::Int | T::Float | T::Float4 | T::Decimal),
        },
        Literal::Float(f) => match ty {
            T::Float4 => f.abs() <= f64::from(f32::MAX),
            _ => matches!(ty, T::Float | T::Decimal),
        },
        Literal::Str(s) => match ty {
            T::String | T::Text | T::Json | T::Date | T::Time => true,
            T::Datetime | T::Timestamp => true,
            T::Char(n) => s.chars().count() <= n as usize,
            T::Uuid => s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
            T::Decimal => s.parse::<f64>().is_ok(),
            _ => false,
        },
    };
    if !fits {
        let expected = if nullable {
            format!("a nullable {}", ty.name())
        } else {
            a(ty)
        };
        let message = match &value.value {
            Literal::Null => format!("{what} is null, but the column cannot be NULL"),
            Literal::Bool(b) => format!("{what} is {b}, which is not {expected}"),
            Literal::Int(i) => format!("{what} is {i}, which is not {expected}"),
            Literal::Float(f) => format!("{what} is {f}, which is not {expected}"),
            Literal::Str(s) => format!("{what} is {s:?}, which is not {expected}"),
        };
        let help = match example_literal(ty) {
            Some(e) if value.value == Literal::Null => {
                format!(
                    "write {}, e.g. `{e}`, or make the column nullable (`{}?`)",
                    a(ty),
                    ty.name()
                )
            }
            Some(e) => format!("write {}, e.g. `{e}`", a(ty)),
            None => "a binary column takes no literal value: remove it".to_owned(),
        };
        cx.error(
            Diagnostic::error(value.span, message)
                .with_label(format!("not {expected}"))
                .with_help(help),
        );
    }
}

/// The columns and values of a `where`, `join_where` or `join_defaults`.
pub(super) fn conditions(
    cx: &mut Context<'_>,
    table: TableId,
    conditions: &[ast::Condition],
    what: &str,
) -> Vec<(ColumnId, Literal)> {
    let mut out = Vec::new();
    for condition in conditions {
        match cx.find_column(table, &condition.column.value) {
            Some(c) => {
                let column = &cx.tables[table].columns[c];
                let (ty, nullable) = (column.ty, column.nullable);
                if !cx.untyped.contains(&(table, c)) {
                    let what = format!(
                        "the {what} value of {}.{}",
                        cx.tables[table].sql_name, condition.column.value
                    );
                    check_literal(cx, &condition.value, ty, nullable, &what);
                }
                out.push((c, condition.value.value.clone()));
            }
            None => cx.unknown_column(table, &condition.column, what),
        }
    }
    out
}

/// A literal of the type, as written in the schema, for hints.
fn example_literal(ty: FieldType) -> Option<&'static str> {
    use FieldType as T;
    Some(match ty {
        T::Integer | T::Int | T::SmallInt => "0",
        T::Float | T::Float4 | T::Decimal => "0.5",
        T::Boolean => "false",
        T::String | T::Text => "\"text\"",
        T::Char(_) => "\"a\"",
        T::Uuid => "\"67e55044-10b1-426f-9247-bb680e5fe0c8\"",
        T::Date => "\"2024-01-31\"",
        T::Time => "\"12:30:00\"",
        T::Datetime => "\"2024-01-31T12:30:00Z\"",
        T::Timestamp => "\"2024-01-31 12:30:00\"",
        T::Json => "'{\"tags\": []}'",
        T::Binary => return None,
    })
}
