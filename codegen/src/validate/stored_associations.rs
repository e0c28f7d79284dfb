//! Stored associations (`has_many: { table: ..., struct: ... }`): the struct
//! names a declared table, the storage table's name is free, and the rows
//! hold a column for the owner's key.

use super::context::Context;
use super::{associations, keys, literals};
use crate::diagnostics::Diagnostic;
use crate::ir::{AssociationKind, ForeignKey, ForeignKeyAction, TableId, TableKind};
use crate::names::{did_you_mean, singular};
use crate::parse::ast;

/// `has_many: { table: post_comments, struct: Comment }`: the rows are
/// `Comment`s (the struct of a declared table, the "template") kept in a
/// table of this association's own, with the template's columns, whose
/// `foreign_key` column (one of the template's fields, as Ecto's
/// `assoc_id`) points at the owner.
pub(super) fn stored_association(
    cx: &mut Context<'_>,
    owner: TableId,
    assoc: &ast::Association,
    storage: &ast::Storage,
    what: &str,
) {
    let wanted = &storage.struct_name.value;
    let template = cx
        .tables
        .iter()
        .position(|t| t.kind == TableKind::Entity && t.struct_name.unraw() == wanted);
    let Some(template) = template else {
        let known: Vec<&str> = cx
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Entity)
            .map(|t| t.struct_name.unraw())
            .collect();
        let help = did_you_mean(wanted, known.iter().copied()).unwrap_or_else(|| {
            format!(
                "name the `struct` of a declared table: {}",
                known.join(", ")
            )
        });
        cx.error(
            Diagnostic::error(
                storage.struct_name.span,
                format!("{what} stores {wanted:?}, which is not the struct of any table"),
            )
            .with_label("unknown struct")
            .with_help(help),
        );
        return;
    };
    let name = &storage.table;
    if !cx.check_sql_name(name, "table") {
        return;
    }
    if let Some(&other) = cx.by_name.get(&name.value) {
        let whose = match cx.tables[other].kind {
            TableKind::Entity => "a declared table",
            TableKind::PlainJoin => "a join table",
            TableKind::Storage => "the table of another association",
        };
        cx.error(
            Diagnostic::error(
                name.span,
                format!(
                    "{what} keeps its rows in {:?}, which is already {whose}",
                    name.value
                ),
            )
            .with_label("needs a table of its own")
            .with_help(format!(
                "name a new table, e.g. `{}_{}`",
                cx.tables[owner].sql_name, assoc.name.value
            )),
        );
        return;
    }
    let references =
        keys::referenced_columns(cx, owner, assoc.references.as_ref(), assoc.kind.span, what);
    let fk_names: Vec<String> = keys::key_columns(
        assoc.foreign_key.as_ref(),
        &singular(&cx.tables[owner].sql_name),
        &cx.tables[owner],
        references.as_deref().unwrap_or_default(),
        assoc.name.span,
    )
    .into_iter()
    .map(|n| n.value)
    .collect();
    if let Some(fk_name) = fk_names
        .iter()
        .find(|n| cx.find_column(template, n).is_none())
    {
        let t = &cx.tables[template].sql_name;
        let at = assoc
            .foreign_key
            .as_ref()
            .map_or(storage.struct_name.span, |f| f.span);
        cx.error(
            Diagnostic::error(at, format!("{what} needs column {fk_name:?} in the rows of {wanted}, and {t} has none"))
                .with_label("the column pointing at the owner")
                .with_help(format!("add a field to {t} for the owner's key (Ecto's `assoc_id: integer`) and name it with `foreign_key:`")),
        );
        return;
    }

    // The storage table: a copy of the template's columns and keys.
    let id = cx.tables.len();
    let mut table = cx.tables[template].clone();
    table.sql_name = name.value.clone();
    table.prefix = cx.tables[owner].prefix.clone();
    table.kind = TableKind::Storage;
    table.associations = Vec::new();
    for index in &mut table.indexes {
        let columns: Vec<&str> = index
            .columns
            .iter()
            .map(|c| table.columns[*c].sql_name.as_str())
            .collect();
        index.name = keys::index_name(&name.value, &columns);
    }
    cx.tables.push(table);
    cx.column_names.push(cx.column_names[template].clone());
    cx.column_spans.push(cx.column_spans[template].clone());
    cx.columns_by_sql.push(cx.columns_by_sql[template].clone());
    cx.columns_by_name
        .push(cx.columns_by_name[template].clone());
    cx.untyped.extend(
        cx.untyped
            .iter()
            .filter(|(t, _)| *t == template)
            .map(|(_, c)| (id, *c))
            .collect::<Vec<_>>(),
    );
    cx.by_name.insert(name.value.clone(), id);
    cx.templates.insert(id, template);

    let Some(kind) = associations::has(cx, owner, id, assoc, what) else {
        return;
    };
    let AssociationKind::Has {
        foreign_key,
        references,
        ..
    } = kind.clone()
    else {
        return;
    };
    associations::check_key_types(cx, owner, id, &kind, assoc, what);
    let t = &mut cx.tables[id];
    t.foreign_keys.push(ForeignKey {
        columns: foreign_key.clone(),
        target: owner,
        target_columns: references,
        on_delete: ForeignKeyAction::NoAction,
    });
    let names: Vec<&str> = foreign_key
        .iter()
        .map(|c| t.columns[*c].sql_name.as_str())
        .collect();
    let index = keys::index_name(&t.sql_name, &names);
    keys::push_index(t, index, foreign_key, false);
    let filter = literals::conditions(cx, id, &assoc.filter, "`where`");
    let order = associations::preload_order(cx, id, None, &assoc.preload_order);
    associations::push_association(cx, owner, assoc, id, kind, filter, order);
}
