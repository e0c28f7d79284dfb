//! Meaning: resolves every name of the schema, fills in every default, checks
//! what `schema-v1.md` asks, and builds the IR.
//!
//! All problems are collected; the IR is returned only when there are none.
//! The passes follow the dependencies between declarations:
//!
//! 1. tables: names, struct and module names;
//! 2. columns: keys and fields of every table;
//! 3. `belongs_to` foreign-key columns (they need the targets' keys);
//! 4. timestamps, then the row struct's names (fields and associations) checked for clashes;
//! 5. associations (join tables are created here), then `through` paths.

mod associations;
mod context;
mod keys;
mod literals;
mod many_to_many;
mod stored_associations;
mod struct_fields;
mod tables;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{self, Association, AssociationKind, Step};
use crate::names::did_you_mean;
use crate::parse::ast::{self};
use context::Context;

/// Checks `schema` and builds its IR; every problem goes to `diags`.
pub fn validate(schema: &ast::Schema, diags: &mut Diagnostics) -> Option<ir::Schema> {
    let mut cx = Context::new(schema, diags);
    tables::declare_tables(&mut cx);
    tables::declare_columns(&mut cx);
    keys::declare_foreign_key_columns(&mut cx);
    keys::resolve_composite_keys(&mut cx);
    tables::declare_timestamps(&mut cx);
    tables::check_tables_have_columns(&mut cx);
    associations::resolve_associations(&mut cx);
    many_to_many::index_join_schemas(&mut cx);
    cx.resolve_through_paths();
    struct_fields::check_struct_names(&mut cx);
    if cx.diags.is_empty() {
        Some(ir::Schema { tables: cx.tables })
    } else {
        None
    }
}

impl Context<'_> {
    /// Fills in the path, target and order of each `through` association.
    fn resolve_through_paths(&mut self) {
        for (owner, table) in self.ast.tables.iter().enumerate() {
            for assoc in &table.associations {
                let Some(path) = &assoc.through else { continue };
                let what = format!("association {}.{}", table.name.value, assoc.name.value);
                let mut steps = Vec::new();
                let mut at = owner;
                for step in path {
                    // A storage table's rows go on through their struct's
                    // `belongs_to` (its key columns are the same).
                    let template = self.templates.get(&at).copied();
                    let usable = |a: &Association| {
                        template.is_none() || matches!(a.kind, AssociationKind::BelongsTo { .. })
                    };
                    let from = template.unwrap_or(at);
                    let found = self.tables[from]
                        .associations
                        .iter()
                        .position(|a| a.name == step.value && usable(a));
                    let Some(index) = found else {
                        let t = &self.tables[at];
                        let known: Vec<&str> = self.tables[from]
                            .associations
                            .iter()
                            .filter(|a| usable(a))
                            .map(|a| a.name.as_str())
                            .collect();
                        let help =
                            did_you_mean(&step.value, known.iter().copied()).unwrap_or_else(|| {
                                if known.is_empty() {
                                    format!(
                                        "table {} has no associations to go through",
                                        t.sql_name
                                    )
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
                        self.error(
                            Diagnostic::error(step.span, message)
                                .with_label(format!("not an association of {}", t.sql_name))
                                .with_help(help),
                        );
                        steps.clear();
                        break;
                    };
                    let next = &self.tables[from].associations[index];
                    if matches!(next.kind, AssociationKind::Through { .. }) {
                        self.error(
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
                            .is_some_and(|(t, _)| self.by_name.get(t).is_some_and(|&t| t != at))
                    });
                for item in on_path {
                    self.error(
                        Diagnostic::error(item.column.span, format!("{what} cannot order by {:?}: a `through` target reached along several rows of that table has no single value of it", item.column.value))
                            .with_label("not a column of the target")
                            .with_help(format!("order by columns of {}, or declare the association that ends at that table and order it there", self.tables[at].sql_name)),
                    );
                }
                let order_items: Vec<ast::Order> = order_items.into_iter().cloned().collect();
                let order = associations::preload_order(self, at, None, &order_items);
                let Some(entry) = self.tables[owner]
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
}
