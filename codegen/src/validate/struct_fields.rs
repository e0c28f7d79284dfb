//! The row struct's fields: no two columns or associations (or an
//! association's `<name>_edges`) of a table become the same Rust field.

use std::collections::{BTreeMap, HashMap};

use super::context::Context;
use crate::diagnostics::{Diagnostic, Span};
use crate::names;
use crate::parse::ast;

/// A row struct holds a field per column and per association: no two may
/// share a Rust name, and associations need distinct modules.
pub(super) fn check_struct_names(cx: &mut Context<'_>) {
    for (id, table) in cx.ast.tables.iter().enumerate() {
        let mut seen: BTreeMap<String, (Span, String)> = BTreeMap::new();
        let columns: Vec<(String, String, Span)> = cx.tables[id]
            .columns
            .iter()
            .zip(&cx.column_names[id])
            .zip(&cx.column_spans[id])
            .map(|((c, n), s)| (c.field.unraw().to_owned(), n.clone(), *s))
            .collect();
        // A field's Rust name comes from its key, not from `column:`: point there.
        let keys: HashMap<&str, Span> = table
            .fields
            .iter()
            .map(|f| (f.name.value.as_str(), f.name.span))
            .collect();
        for (rust, name, declared) in columns {
            let span = keys.get(name.as_str()).copied().unwrap_or(declared);
            if let Some((first, other)) = seen.get(&rust) {
                let first = *first;
                cx.error(
                    Diagnostic::error(span, format!("columns {other:?} and {name:?} of table {} both become the Rust field `{rust}`", table.name.value))
                        .with_label(format!("becomes `{rust}`"))
                        .with_related(first, "the other column")
                        .with_help("rename one of them, keeping the SQL name with `column:`"),
                );
            } else {
                seen.insert(rust, (span, name));
            }
        }
        // Each association's field, and its edges field if it has one.
        let fields: Vec<(String, &ast::Association, bool)> = table
            .associations
            .iter()
            .flat_map(|assoc| {
                let edges = cx.tables[id]
                    .associations
                    .iter()
                    .find(|a| a.name == assoc.name.value)
                    .and_then(|a| a.edges_field.as_ref())
                    .map(|f| (f.unraw().to_owned(), assoc, true));
                let rust = names::RustIdent::snake(&assoc.name.value)
                    .unraw()
                    .to_owned();
                std::iter::once((rust, assoc, false)).chain(edges)
            })
            .collect();
        for (rust, assoc, edges) in fields {
            if let Some((first, other)) = seen.get(&rust) {
                let first = *first;
                let whose = if edges {
                    format!("the edges field of association {:?}", assoc.name.value)
                } else {
                    format!("association {:?}", assoc.name.value)
                };
                cx.error(
                    Diagnostic::error(assoc.name.span, format!("{whose} of table {} and {other:?} both become the Rust field `{rust}`", table.name.value))
                        .with_label("the row struct would have two fields of this name")
                        .with_related(first, "the other one")
                        .with_help(if edges {
                            "rename the association or the other field: an association over a join schema also fills `<name>_edges`"
                        } else {
                            "rename the association (its foreign key can keep its name with `foreign_key:`)"
                        }),
                );
            } else {
                seen.insert(rust, (assoc.name.span, assoc.name.value.clone()));
            }
        }
    }
}
