//! Through paths: each step of a `through` is an association of the table
//! reached so far (not itself a `through`), and its `preload_order` names
//! columns of the final target.

use super::associations;
use super::context::Context;
use crate::diagnostics::Diagnostic;
use crate::ir::{Association, AssociationKind, FieldType, PostgresParam, Step};
use crate::names::did_you_mean;
use crate::parse::ast;

/// Fills in the path, target and order of each `through` association.
pub(super) fn resolve_through_paths(cx: &mut Context<'_>) {
    for (owner, table) in cx.ast.tables.iter().enumerate() {
        for assoc in &table.associations {
            let Some(path) = &assoc.through else { continue };
            let what = format!("association {}.{}", table.name.value, assoc.name.value);
            let mut steps = Vec::new();
            let mut at = owner;
            for step in path {
                // A storage table's rows go on through their struct's
                // `belongs_to` (its key columns are the same).
                let template = cx.templates.get(&at).copied();
                let usable = |a: &Association| {
                    template.is_none() || matches!(a.kind, AssociationKind::BelongsTo { .. })
                };
                let from = template.unwrap_or(at);
                let found = cx.tables[from]
                    .associations
                    .iter()
                    .position(|a| a.name == step.value && usable(a));
                let Some(index) = found else {
                    let t = &cx.tables[at];
                    let known: Vec<&str> = cx.tables[from]
                        .associations
                        .iter()
                        .filter(|a| usable(a))
                        .map(|a| a.name.as_str())
                        .collect();
                    let help =
                        did_you_mean(&step.value, known.iter().copied()).unwrap_or_else(|| {
                            if known.is_empty() {
                                format!("table {} has no associations to go through", t.sql_name)
                            } else {
                                format!(
                                    "the associations of {} are: {}",
                                    t.sql_name,
                                    known.join(", ")
                                )
                            }
                        });
                    let message = if steps.is_empty() {
                        format!(
                            "the `through` path of {what} starts with {:?}, which is not an association of {}",
                            step.value, t.sql_name
                        )
                    } else {
                        format!(
                            "the `through` path of {what} does not connect: {} has no association {:?}",
                            t.sql_name, step.value
                        )
                    };
                    cx.error(
                        Diagnostic::error(step.span, message)
                            .with_label(format!("not an association of {}", t.sql_name))
                            .with_help(help),
                    );
                    steps.clear();
                    break;
                };
                let next = &cx.tables[from].associations[index];
                if matches!(next.kind, AssociationKind::Through { .. }) {
                    cx.error(
                        Diagnostic::error(step.span, format!("the `through` path of {what} goes through {:?}, itself a `through`", step.value))
                            .with_help("list the steps of that path instead"),
                    );
                    steps.clear();
                    break;
                }
                steps.push(Step {
                    table: from,
                    association: index,
                });
                at = next.target;
            }
            if steps.is_empty() {
                continue;
            }
            // Orders by the target's columns only: a target reached along
            // several rows of a table on the path has no single value there.
            let (on_path, order_items): (Vec<_>, Vec<_>) =
                assoc.preload_order.iter().partition(|o| {
                    o.column
                        .value
                        .split_once('.')
                        .is_some_and(|(t, _)| cx.by_name.get(t).is_some_and(|&t| t != at))
                });
            for item in on_path {
                cx.error(
                    Diagnostic::error(item.column.span, format!("{what} cannot order by {:?}: a `through` target reached along several rows of that table has no single value of it", item.column.value))
                        .with_label("not a column of the target")
                        .with_help(format!("order by columns of {}, or declare the association that ends at that table and order it there", cx.tables[at].sql_name)),
                );
            }
            let order_items: Vec<ast::Order> = order_items.into_iter().cloned().collect();
            let order = associations::preload_order(cx, at, None, &order_items);
            // A through read is `SELECT DISTINCT`, whose ORDER BY PostgreSQL
            // takes from the select list only; there an enum, or text of a
            // type its drivers do not know, is read `::text`, which orders
            // otherwise (see `Dialect::selected`).
            for item in &order_items {
                let name = item.column.value.rsplit('.').next().unwrap_or_default();
                let Some(c) = cx.find_column(at, name) else {
                    continue;
                };
                let column = &cx.tables[at].columns[c];
                let text = matches!(
                    column.ty,
                    FieldType::String | FieldType::Text | FieldType::Char(_)
                );
                let read_as_text = matches!(column.ty, FieldType::Enum(_))
                    || (text && column.sql_type.postgres_param == Some(PostgresParam::Unknown));
                if read_as_text && column.rust_type.is_none() {
                    cx.error(
                        Diagnostic::error(item.column.span, format!("{what} cannot order by {:?}, which PostgreSQL reads as text in a `through` read", item.column.value))
                            .with_label("an enum, or text of a type the drivers do not know")
                            .with_help(format!("order the association that ends at {} by it, or sort the rows in Rust", cx.tables[at].sql_name)),
                    );
                }
            }
            let Some(entry) = cx.tables[owner]
                .associations
                .iter_mut()
                .find(|a| a.name == assoc.name.value)
            else {
                continue;
            };
            entry.target = at;
            entry.order = order;
            if let AssociationKind::Through { path, .. } = &mut entry.kind {
                *path = steps;
            }
        }
    }
}
