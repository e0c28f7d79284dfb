//! Associations: each one's target, kind and keys (`belongs_to`, `has_one`,
//! `has_many`; `many_to_many` in `many_to_many`, a `has_many` kept in a table
//! of its own in `stored_associations`), key types, `on_delete`, `where` and
//! `preload_order`.

use super::context::{Context, a};
use super::many_to_many::{self, JoinUsers};
use super::{keys, literals, stored_associations};
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Association, AssociationKind, ColumnId, FieldType, Generated, Literal, OnDelete, OrderBy,
    TableId, TableKind,
};
use crate::names::{RustIdent, did_you_mean, singular};
use crate::parse::ast::{self, KindKey, Sp};

/// Resolves every association of every table, in the order declared.
pub(super) fn resolve_associations(cx: &mut Context<'_>) {
    // Only this pass needs to know who used a join table first.
    let mut join_users = JoinUsers::new();
    for (owner, table) in cx.ast.tables.iter().enumerate() {
        for assoc in &table.associations {
            cx.check_sql_name(&assoc.name, "association");
            let what = format!("association {}.{}", table.name.value, assoc.name.value);
            if let Some(storage) = &assoc.storage {
                refuse_stored_defaults(cx, assoc, &what);
                stored_associations::stored_association(cx, owner, assoc, storage, &what);
                continue;
            }
            let Some(target_name) = &assoc.target else {
                // `through`: resolved once every direct association is.
                push_association(
                    cx,
                    owner,
                    assoc,
                    0,
                    AssociationKind::Through {
                        many: assoc.kind.value == KindKey::HasMany,
                        path: Vec::new(),
                    },
                    Vec::new(),
                    Vec::new(),
                );
                continue;
            };
            let Some(target) = cx.target_table(&table.name.value, assoc, target_name) else {
                continue;
            };
            let resolved = match assoc.kind.value {
                KindKey::BelongsTo => belongs_to(cx, owner, target, assoc),
                KindKey::HasOne | KindKey::HasMany => has(cx, owner, target, assoc, &what),
                KindKey::ManyToMany => {
                    many_to_many::many_to_many(cx, &mut join_users, owner, target, assoc, &what)
                }
            };
            let Some(kind) = resolved else { continue };
            check_key_types(cx, owner, target, &kind, assoc, &what);
            let filter = literals::conditions(cx, target, &assoc.filter, "`where`");
            let join_table = match &kind {
                AssociationKind::ManyToMany { join_table, .. } => Some(*join_table),
                _ => None,
            };
            let order = preload_order(cx, target, join_table, &assoc.preload_order);
            let defaults = defaults(cx, target, &kind, &filter, assoc, &what);
            push_association(cx, owner, assoc, target, kind, filter, order).defaults = defaults;
        }
    }
}

/// Association keys travel as one array parameter and group rows in a
/// hash map: they must be exact, hashable values.
pub(super) fn check_key_types(
    cx: &mut Context<'_>,
    owner: TableId,
    target: TableId,
    kind: &AssociationKind,
    assoc: &ast::Association,
    what: &str,
) {
    let on = |table: TableId, columns: &[ColumnId]| -> Vec<(TableId, ColumnId)> {
        columns.iter().map(|c| (table, *c)).collect()
    };
    let columns: Vec<(TableId, ColumnId)> = match kind {
        AssociationKind::BelongsTo { references, .. } => on(target, references),
        AssociationKind::Has { references, .. } => on(owner, references),
        AssociationKind::ManyToMany {
            owner_key,
            related_key,
            ..
        } => {
            let mut columns = on(owner, &owner_key.references);
            columns.extend(on(target, &related_key.references));
            columns
        }
        AssociationKind::Through { .. } => Vec::new(),
    };
    for (table, column) in columns {
        if cx.untyped.contains(&(table, column)) {
            continue;
        }
        let c = &cx.tables[table].columns[column];
        // Keys travel as arrays of the field type's Rust type.
        if let Some(rust) = &c.rust_type {
            let message = format!(
                "{what} joins on {}.{}, a column of the Rust type `{rust}`",
                cx.tables[table].sql_name, c.sql_name
            );
            cx.error(
                Diagnostic::error(assoc.kind.span, message)
                    .with_label("not a key type")
                    .with_help("join on a column without `rust_type:` (keys travel as arrays of the field type's Rust type)"),
            );
            continue;
        }
        if matches!(
            c.ty,
            FieldType::Float
                | FieldType::Float4
                | FieldType::Json
                | FieldType::Decimal
                | FieldType::Boolean
                | FieldType::Enum(_)
                | FieldType::Array(_)
                | FieldType::Embed { .. }
        ) {
            let message = format!(
                "{what} joins on {}.{}, {} column",
                cx.tables[table].sql_name,
                c.sql_name,
                a(c.ty)
            );
            cx.error(
                Diagnostic::error(assoc.kind.span, message)
                    .with_label("not a key type")
                    .with_help("join on an integer, int, smallint, string, text, uuid, binary, date, time, datetime or timestamp column (`references:` names another one)"),
            );
        }
    }
}

pub(super) fn push_association<'c>(
    cx: &'c mut Context<'_>,
    owner: TableId,
    assoc: &ast::Association,
    target: TableId,
    kind: AssociationKind,
    filter: Vec<(ColumnId, Literal)>,
    order: Vec<OrderBy>,
) -> &'c mut Association {
    let name = assoc.name.value.clone();
    let join_schema = match kind {
        AssociationKind::ManyToMany { join_table, .. } => {
            cx.tables[join_table].kind == TableKind::Entity
        }
        _ => false,
    };
    let limit = assoc
        .preload_limit
        .as_ref()
        .and_then(|limit| preload_limit(cx, limit));
    let associations = &mut cx.tables[owner].associations;
    associations.push(Association {
        module: RustIdent::snake(&name),
        field: RustIdent::snake(&name),
        edges_field: join_schema.then(|| RustIdent::snake(&format!("{name}_edges"))),
        name,
        target,
        kind,
        filter,
        defaults: Vec::new(),
        order,
        limit,
    });
    let last = associations.len() - 1;
    &mut associations[last]
}

/// `defaults`: values `create` writes into every target row it makes, so
/// each must be a value of its column that the statement can write: not a
/// column the database or the owner's key fills, and not one that would
/// take the row out of the association's `where`.
fn defaults(
    cx: &mut Context<'_>,
    target: TableId,
    kind: &AssociationKind,
    filter: &[(ColumnId, Literal)],
    assoc: &ast::Association,
    what: &str,
) -> Vec<(ColumnId, Literal)> {
    let values = literals::conditions(cx, target, &assoc.defaults, "`defaults`");
    let owner_filled: &[ColumnId] = match kind {
        AssociationKind::Has { foreign_key, .. } => foreign_key,
        _ => &[],
    };
    let mut out = Vec::new();
    for (c, value) in values {
        let Some(condition) = assoc
            .defaults
            .iter()
            .find(|d| cx.find_column(target, &d.column.value) == Some(c))
        else {
            continue;
        };
        let span = condition.column.span;
        let column = &cx.tables[target].columns[c];
        let name = format!("{}.{}", cx.tables[target].sql_name, column.sql_name);
        let problem = if owner_filled.contains(&c) {
            Some((
                format!(
                    "`defaults` of {what} sets {name}, the foreign key that `create` fills from the owner's key"
                ),
                "filled from the owner".to_owned(),
                format!("remove `{}` from `defaults`", column.sql_name),
            ))
        } else if let Some(generated) = column.generated {
            Some((
                format!(
                    "`defaults` of {what} sets {name}, which {}",
                    generated_by(generated)
                ),
                "set by the generated code or the database".to_owned(),
                format!("remove `{}` from `defaults`", column.sql_name),
            ))
        } else if let Some((_, required)) = filter.iter().find(|(f, _)| *f == c)
            && *required != value
        {
            Some((
                format!(
                    "`defaults` of {what} sets {name} to another value than its `where` requires"
                ),
                "the created row would not be one of the association's".to_owned(),
                format!(
                    "drop `{}` from `defaults`: `create` already writes the `where` values",
                    column.sql_name
                ),
            ))
        } else {
            None
        };
        match problem {
            Some((message, label, help)) => cx.error(
                Diagnostic::error(span, message)
                    .with_label(label)
                    .with_help(help),
            ),
            None => out.push((c, value)),
        }
    }
    out
}

/// What fills a generated column, for an error message.
fn generated_by(generated: Generated) -> &'static str {
    match generated {
        Generated::AutoIncrement => "the database numbers",
        Generated::Uuid => "the generated code fills with a new UUID",
        Generated::InsertedAt | Generated::UpdatedAt => "is a timestamp the generated code sets",
        Generated::DefaultSql => "the database fills from its `default_sql`",
    }
}

/// A `{ table, struct }` association writes its rows with `insert`, which
/// takes every value from `new`.
fn refuse_stored_defaults(cx: &mut Context<'_>, assoc: &ast::Association, what: &str) {
    if let Some(first) = assoc.defaults.first() {
        cx.error(
            Diagnostic::error(
                first.column.span,
                format!("`defaults` on {what}, whose rows live in a table of its own"),
            )
            .with_label("not for a `{ table, struct }` association")
            .with_help("set the value in the `New…` struct its `insert` takes"),
        );
    }
}

/// `preload_limit`: a number of rows, from 1 to `u32::MAX` (the type of
/// `preload_first`'s `n`). The parser allows it only where rows are many
/// (a direct has_many, a many_to_many).
fn preload_limit(cx: &mut Context<'_>, limit: &Sp<ast::Literal>) -> Option<u32> {
    let found = match &limit.value {
        ast::Literal::Int(n) => match u32::try_from(*n) {
            Ok(n) if n > 0 => return Some(n),
            _ => format!("the number {n}"),
        },
        ast::Literal::Float(f, text) => text.clone().unwrap_or_else(|| f.to_string()),
        ast::Literal::Str(s) => format!("the string {s:?}"),
        ast::Literal::Bool(b) => format!("`{b}`"),
        ast::Literal::Null => "null".to_owned(),
        ast::Literal::List(_) => "a list".to_owned(),
    };
    cx.error(
        Diagnostic::error(
            limit.span,
            format!("`preload_limit` must be a positive whole number of rows, found {found}"),
        )
        .with_label(format!("a number from 1 to {}", u32::MAX))
        .with_help("write the most rows each owner gets, e.g. `preload_limit: 3`; leave the option out for every row"),
    );
    None
}

fn belongs_to(
    cx: &mut Context<'_>,
    owner: TableId,
    target: TableId,
    assoc: &ast::Association,
) -> Option<AssociationKind> {
    // The columns and key were made by `keys::declare_foreign_key_columns`; find them again.
    let fk = cx.tables[owner].foreign_keys.iter().find(|f| {
        f.target == target
            && keys::belongs_to_columns(cx, assoc, target, &f.target_columns)
                .iter()
                .map(|name| cx.find_column(owner, &name.value))
                .eq(f.columns.iter().map(|c| Some(*c)))
    })?;
    Some(AssociationKind::BelongsTo {
        foreign_key: fk.columns.clone(),
        references: fk.target_columns.clone(),
    })
}

pub(super) fn has(
    cx: &mut Context<'_>,
    owner: TableId,
    target: TableId,
    assoc: &ast::Association,
    what: &str,
) -> Option<AssociationKind> {
    let owner_name = cx.tables[owner].sql_name.clone();
    let references =
        keys::referenced_columns(cx, owner, assoc.references.as_ref(), assoc.kind.span, what)?;
    let default_span = assoc.target.as_ref().map_or(assoc.name.span, |t| t.span);
    let names = keys::key_columns(
        assoc.foreign_key.as_ref(),
        &singular(&owner_name),
        &cx.tables[owner],
        &references,
        default_span,
    );
    let at = assoc.foreign_key.as_ref().map_or(default_span, |f| f.span);
    if !keys::key_lengths_agree(cx, &names, &references, owner, at, what) {
        return None;
    }
    let mut foreign_key = Vec::new();
    for (fk, &referenced) in names.iter().zip(&references) {
        let Some(column) = cx.find_column(target, &fk.value) else {
            missing_has_column(cx, owner, target, assoc, fk, what);
            return None;
        };
        if let Some(d) =
            keys::key_type_problem(cx, target, column, owner, referenced, fk.span, what)
        {
            cx.error(d);
        }
        foreign_key.push(column);
    }
    let on_delete = on_delete(cx, assoc, &["nothing", "nilify_all", "delete_all"]);
    if on_delete == OnDelete::NilifyAll
        && let Some(fk) = names
            .iter()
            .zip(&foreign_key)
            .find(|(_, c)| !cx.tables[target].columns[**c].nullable)
            .map(|(fk, _)| fk.value.clone())
    {
        cx.error(
            Diagnostic::error(assoc.on_delete.as_ref().map_or(assoc.name.span, |o| o.span), format!("`on_delete: nilify_all` on {what}, but {}.{fk} cannot be NULL", cx.tables[target].sql_name))
                .with_help("make the foreign key nullable (`null: true` on the belongs_to, or `?` on the field), or use `delete_all`"),
        );
    }
    Some(AssociationKind::Has {
        many: assoc.kind.value == KindKey::HasMany,
        foreign_key,
        references,
        on_delete,
    })
}

/// The error for a has_one/has_many whose foreign key column `fk` is not
/// in the target table (unless the target's own belongs_to meant to add
/// it failed, and said why).
fn missing_has_column(
    cx: &mut Context<'_>,
    owner: TableId,
    target: TableId,
    assoc: &ast::Association,
    fk: &Sp<String>,
    what: &str,
) {
    // (Only when an error was reported: a schema is never refused silently.)
    let failed = !cx.diags.is_empty()
        && cx.ast.tables.get(target).is_some_and(|t| {
            t.associations.iter().any(|a| {
                a.kind.value == KindKey::BelongsTo
                    && match &a.foreign_key {
                        Some(given) => given.value.iter().any(|n| n.value == fk.value),
                        None => fk.value.starts_with(&format!("{}_", a.name.value)),
                    }
            })
        });
    if failed {
        return;
    }
    let owner_name = &cx.tables[owner].sql_name;
    let t = &cx.tables[target];
    let help = format!(
        "add `{}: {{ belongs_to: {owner_name} }}` to the associations of {}, or name its key column with `foreign_key:`",
        singular(owner_name),
        t.sql_name
    );
    cx.error(
        Diagnostic::error(
            fk.span,
            format!(
                "{what} needs column {:?} in table {}, which has none",
                fk.value, t.sql_name
            ),
        )
        .with_label(format!(
            "{} holds the foreign key of a {}",
            t.sql_name,
            assoc.kind.value.as_str()
        ))
        .with_help(help),
    );
}

pub(super) fn on_delete(
    cx: &mut Context<'_>,
    assoc: &ast::Association,
    choices: &[&str],
) -> OnDelete {
    let Some(value) = &assoc.on_delete else {
        return OnDelete::Nothing;
    };
    match value.value.as_str() {
        "nothing" if choices.contains(&"nothing") => OnDelete::Nothing,
        "nilify_all" if choices.contains(&"nilify_all") => OnDelete::NilifyAll,
        "delete_all" if choices.contains(&"delete_all") => OnDelete::DeleteAll,
        other => {
            let kind = assoc.kind.value.as_str();
            cx.error(
                Diagnostic::error(
                    value.span,
                    format!("unknown on_delete {other:?} for {kind}"),
                )
                .with_label(format!("not an action of {kind}"))
                .with_help(
                    did_you_mean(other, choices.iter().copied())
                        .unwrap_or_else(|| format!("{kind} takes one of: {}", choices.join(", "))),
                ),
            );
            OnDelete::Nothing
        }
    }
}

/// The columns of a `preload_order`: the target's, or the join table's.
pub(super) fn preload_order(
    cx: &mut Context<'_>,
    target: TableId,
    join: Option<TableId>,
    order: &[ast::Order],
) -> Vec<OrderBy> {
    let mut out = Vec::new();
    for item in order {
        let name = &item.column.value;
        // `join_table.column` names a column of the join table.
        let qualified = join.and_then(|j| {
            let (table, column) = name.split_once('.')?;
            (table == cx.tables[j].sql_name).then_some((j, column))
        });
        let found = match qualified {
            Some((j, column)) => cx.find_column(j, column).map(|c| (true, c)),
            None => cx
                .find_column(target, name)
                .map(|c| (false, c))
                .or_else(|| {
                    join.and_then(|j| cx.find_column(j, name))
                        .map(|c| (true, c))
                }),
        };
        match found {
            Some((on_join_table, column)) => out.push(OrderBy {
                on_join_table,
                column,
                descending: item.descending,
            }),
            None => match qualified {
                Some((j, column)) => {
                    let column = Sp {
                        value: column.to_owned(),
                        span: item.column.span,
                    };
                    cx.unknown_column(j, &column, "`preload_order`");
                }
                None => cx.unknown_column(target, &item.column, "`preload_order`"),
            },
        }
    }
    out
}
