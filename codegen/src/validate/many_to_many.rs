//! `many_to_many`: join keys (lengths, types, not the same column), join
//! schemas (declared join tables) and plain join tables, back-references that
//! agree, link helpers able to fill a join row, and the join schemas' indexes.

use std::collections::{BTreeMap, HashMap};

use super::context::Context;
use super::{associations, keys, literals};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{
    self, AssociationKind, Column, ColumnId, ForeignKey, ForeignKeyAction, Generated, Index,
    JoinKey, Literal, TableId, TableKind,
};
use crate::names::{RustIdent, singular};
use crate::parse::ast::{self, Sp};

/// Per join table, its first use (filled as associations are resolved).
pub(super) type JoinUsers = HashMap<TableId, JoinUse>;

/// Where a join table was first used, to check that back-references agree.
pub(super) struct JoinUse {
    owner: TableId,
    target: TableId,
    owner_columns: Vec<ColumnId>,
    related_columns: Vec<ColumnId>,
    span: Span,
    name: String,
}

pub(super) fn many_to_many(
    cx: &mut Context<'_>,
    join_users: &mut JoinUsers,
    owner: TableId,
    target: TableId,
    assoc: &ast::Association,
    what: &str,
) -> Option<AssociationKind> {
    let join_name = assoc.join_through.as_ref()?;
    if !cx.check_sql_name(join_name, "join table") {
        return None;
    }
    let owner_table = cx.tables[owner].sql_name.clone();
    let target_table = cx.tables[target].sql_name.clone();
    let (owner_given, related_given) = (
        assoc.join_keys.owner.as_ref(),
        assoc.join_keys.related.as_ref(),
    );
    let owner_refs = keys::referenced_columns(
        cx,
        owner,
        owner_given.and_then(|k| k.references.as_ref()),
        assoc.kind.span,
        what,
    );
    let related_refs = keys::referenced_columns(
        cx,
        target,
        related_given.and_then(|k| k.references.as_ref()),
        assoc.kind.span,
        what,
    );
    let (owner_refs, related_refs) = (owner_refs?, related_refs?);
    // Default keys are columns of the join table: point at it.
    let default_span = join_name.span;
    let owner_cols = keys::key_columns(
        owner_given.map(|k| &k.column),
        &singular(&owner_table),
        &cx.tables[owner],
        &owner_refs,
        default_span,
    );
    let related_cols = keys::key_columns(
        related_given.map(|k| &k.column),
        &singular(&target_table),
        &cx.tables[target],
        &related_refs,
        default_span,
    );
    let at = |given: Option<&ast::JoinKey>| given.map_or(default_span, |k| k.column.span);
    let lengths_agree = [
        keys::key_lengths_agree(cx, &owner_cols, &owner_refs, owner, at(owner_given), what),
        keys::key_lengths_agree(
            cx,
            &related_cols,
            &related_refs,
            target,
            at(related_given),
            what,
        ),
    ];
    if lengths_agree.contains(&false) {
        return None;
    }
    if let Some(shared) = related_cols
        .iter()
        .find(|r| owner_cols.iter().any(|o| o.value == r.value))
    {
        let label = if owner == target {
            "a self-reference needs two different join keys"
        } else {
            "the two join keys are the same column"
        };
        let owner_list = match owner_cols.as_slice() {
            [one] => one.value.clone(),
            many => format!(
                "[{}]",
                many.iter()
                    .map(|c| c.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        // Name the related key after the association: `friends` -> friend_id.
        let related = match related_refs.as_slice() {
            [_] => format!("{}_id", singular(&assoc.name.value)),
            refs => format!(
                "[{}]",
                refs.iter()
                    .map(|c| format!(
                        "{}_{}",
                        singular(&assoc.name.value),
                        cx.tables[target].columns[*c].sql_name
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let related = if owner_cols.iter().any(|o| o.value == related) {
            format!("related_{related}")
        } else {
            related
        };
        let message = match owner_cols.as_slice() {
            [one] => format!("both join keys of {what} are {:?}", one.value),
            _ => format!("both join keys of {what} use column {:?}", shared.value),
        };
        cx.error(
            Diagnostic::error(shared.span, message)
                .with_label(label)
                .with_help(format!("set `join_keys: {{ owner: {owner_list}, related: {related} }}` (GORM's joinForeignKey / joinReferences)")),
        );
        return None;
    }

    let join_table = match cx.by_name.get(&join_name.value).copied() {
        Some(id) if cx.tables[id].kind == TableKind::Entity => {
            // A join schema: it declares every key column itself.
            let mut found = true;
            for (columns, points_at, refs, side) in [
                (&owner_cols, owner, &owner_refs, "owner"),
                (&related_cols, target, &related_refs, "related"),
            ] {
                for (column, &referenced) in columns.iter().zip(refs) {
                    found &= join_schema_key(cx, id, column, points_at, referenced, what, side)
                        .is_some();
                }
            }
            // Its indexes come once every association is known
            // (`index_join_schemas`).
            if !found {
                return None;
            }
            id
        }
        Some(id) => id,
        None => plain_join_table(
            cx,
            join_name,
            (owner, &owner_refs, &owner_cols),
            (target, &related_refs, &related_cols),
        ),
    };
    let find_all = |v: &Context<'_>, names: &[Sp<String>]| -> Option<Vec<ColumnId>> {
        names
            .iter()
            .map(|n| v.find_column(join_table, &n.value))
            .collect()
    };
    let owner_key = find_all(cx, &owner_cols)?;
    let related_key = find_all(cx, &related_cols)?;
    check_back_reference(
        cx,
        join_users,
        join_table,
        owner,
        target,
        &owner_key,
        &related_key,
        assoc,
        what,
    );
    let on_delete = associations::on_delete(cx, assoc, &["nothing", "delete_all"]);
    let join_filter = literals::conditions(cx, join_table, &assoc.join_filter, "`join_where`");
    let join_defaults =
        literals::conditions(cx, join_table, &assoc.join_defaults, "`join_defaults`");
    for condition in &assoc.join_defaults {
        let column = cx.find_column(join_table, &condition.column.value);
        if let Some(c) = column
            .filter(|c| cx.tables[join_table].columns[*c].generated == Some(Generated::DefaultSql))
        {
            let name = cx.tables[join_table].columns[c].sql_name.clone();
            cx.error(
                Diagnostic::error(condition.column.span, format!("`join_defaults` sets {name}, which the database fills from its `default_sql`"))
                    .with_label("filled by the database")
                    .with_help(format!("remove `{name}` from `join_defaults`, or give the column a `default` instead of a `default_sql`")),
            );
        }
    }
    if let Some(unique) = &assoc.unique
        && !unique.value
        && cx.tables[join_table].kind == TableKind::PlainJoin
    {
        cx.error(
            Diagnostic::error(unique.span, format!("`unique: false` on {what}, but links of a plain join table are a set"))
                .with_help("remove `unique: false`: a link is stored once, and linking twice leaves it as it is"),
        );
    }
    check_link_fills_join_row(
        cx,
        join_table,
        &[owner_key.as_slice(), &related_key].concat(),
        &join_filter,
        &join_defaults,
        assoc,
        what,
    );
    Some(AssociationKind::ManyToMany {
        join_table,
        owner_key: JoinKey {
            columns: owner_key,
            references: owner_refs,
        },
        related_key: JoinKey {
            columns: related_key,
            references: related_refs,
        },
        on_delete,
        join_filter,
        join_defaults,
    })
}

/// A join schema's links are a set: a unique index on the key pair (in
/// the first association's direction) plus every `join_where` column of
/// the associations over it, so that two associations told apart by a
/// `kind` column link the same pair independently; and an index for the
/// reverse direction.
pub(super) fn index_join_schemas(cx: &mut Context<'_>) {
    type Use = (Vec<ColumnId>, Vec<ColumnId>, Vec<ColumnId>);
    let mut uses: BTreeMap<TableId, Use> = BTreeMap::new();
    for table in &cx.tables {
        for assoc in &table.associations {
            let AssociationKind::ManyToMany {
                join_table,
                owner_key,
                related_key,
                join_filter,
                ..
            } = &assoc.kind
            else {
                continue;
            };
            if cx.tables[*join_table].kind != TableKind::Entity {
                continue;
            }
            let entry = uses.entry(*join_table).or_insert((
                owner_key.columns.clone(),
                related_key.columns.clone(),
                Vec::new(),
            ));
            for (c, _) in join_filter {
                if !entry.2.contains(c) && !entry.0.contains(c) && !entry.1.contains(c) {
                    entry.2.push(*c);
                }
            }
        }
    }
    for (id, (a, b, mut scope)) in uses {
        scope.sort_unstable();
        let t = &mut cx.tables[id];
        let unique: Vec<ColumnId> = a.iter().chain(&b).chain(&scope).copied().collect();
        let names = |columns: &[ColumnId]| -> Vec<String> {
            columns
                .iter()
                .map(|c| t.columns[*c].sql_name.clone())
                .collect()
        };
        let reversed: Vec<ColumnId> = b.iter().chain(&a).copied().collect();
        let name = keys::index_name(&t.sql_name, &names(&unique));
        let reverse = keys::index_name(&t.sql_name, &names(&reversed));
        let is_key = t.primary_key == unique;
        keys::push_index(t, name, unique, !is_key);
        keys::push_index(t, reverse, reversed, false);
    }
}

/// The link helpers write a join row from the two keys, `join_where`,
/// `join_defaults` and the timestamps; every other column of a join
/// schema needs a default or must accept NULL.
fn check_link_fills_join_row(
    cx: &mut Context<'_>,
    join: TableId,
    keys: &[ColumnId],
    join_filter: &[(ColumnId, Literal)],
    join_defaults: &[(ColumnId, Literal)],
    assoc: &ast::Association,
    what: &str,
) {
    let set = |c: ColumnId| {
        keys.contains(&c)
            || join_filter
                .iter()
                .chain(join_defaults)
                .any(|(f, _)| *f == c)
    };
    let unfilled: Vec<String> = cx.tables[join]
        .columns
        .iter()
        .enumerate()
        .filter(|(id, c)| !set(*id) && c.generated.is_none() && !c.nullable && c.default.is_none())
        .map(|(_, c)| c.sql_name.clone())
        .collect();
    if unfilled.is_empty() {
        return;
    }
    let at = assoc
        .join_through
        .as_ref()
        .map_or(assoc.name.span, |j| j.span);
    let join_name = &cx.tables[join].sql_name;
    let first = &unfilled[0];
    cx.error(
        Diagnostic::error(at, format!("the link helpers of {what} cannot fill column{} {} of join schema {join_name}", if unfilled.len() > 1 { "s" } else { "" }, unfilled.join(", ")))
            .with_label("a new link writes a row here")
            .with_help(format!("give `{first}` a `default`, make it nullable (`?`), or set it with `join_defaults: {{ {first}: ... }}`")),
    );
}

fn join_schema_key(
    cx: &mut Context<'_>,
    join: TableId,
    column: &Sp<String>,
    points_at: TableId,
    references: ColumnId,
    what: &str,
    side: &str,
) -> Option<ColumnId> {
    let join_name = cx.tables[join].sql_name.clone();
    match cx.find_column(join, &column.value) {
        Some(c) => {
            // The join schema's own column has the wrong type: point at it.
            if let Some(d) = keys::key_type_problem(
                cx,
                join,
                c,
                points_at,
                references,
                cx.column_spans[join][c],
                what,
            ) {
                cx.error(d.with_related(column.span, format!("used as the {side} key here")));
            }
            Some(c)
        }
        None => {
            let target = cx.tables[points_at].sql_name.clone();
            cx.error(
                Diagnostic::error(column.span, format!("join schema {join_name} of {what} has no {side} key column {:?}", column.value))
                    .with_label(format!("{join_name} is declared, so it must hold this key"))
                    .with_help(format!(
                        "add `{}: {{ belongs_to: {target} }}` to the associations of {join_name} (or a field {}), or name its column in `join_keys: {{ {side}: ... }}`",
                        column.value.strip_suffix("_id").unwrap_or(&column.value), column.value
                    )),
            );
            None
        }
    }
}

/// A join table named by `join_through` and not declared: the owner's
/// key columns, then the target's, all of them its primary key.
fn plain_join_table(
    cx: &mut Context<'_>,
    name: &Sp<String>,
    (owner, owner_refs, owner_cols): (TableId, &[ColumnId], &[Sp<String>]),
    (target, related_refs, related_cols): (TableId, &[ColumnId], &[Sp<String>]),
) -> TableId {
    let id = cx.tables.len();
    let mut columns = Vec::new();
    for (col, table, refs) in owner_cols
        .iter()
        .zip(owner_refs)
        .map(|(c, r)| (c, owner, r))
        .chain(
            related_cols
                .iter()
                .zip(related_refs)
                .map(|(c, r)| (c, target, r)),
        )
    {
        let ty = keys::foreign_key_type(
            cx,
            cx.tables[table].columns[*refs].ty,
            col.span,
            &format!("join table {}", name.value),
        );
        cx.check_sql_name(col, "join key");
        columns.push(Column {
            sql_name: col.value.clone(),
            field: RustIdent::snake(&col.value),
            ty,
            nullable: false,
            default: None,
            unique: false,
            generated: None,
            // The key's own SQL type, as a belongs_to's column takes it.
            sql_type: cx.tables[table].columns[*refs].sql_type.clone(),
            rust_type: None,
        });
    }
    let owner_ids: Vec<ColumnId> = (0..owner_cols.len()).collect();
    let related_ids: Vec<ColumnId> = (owner_cols.len()..columns.len()).collect();
    let struct_name = RustIdent::pascal(&singular(&name.value));
    let prefix = cx.tables[owner].prefix.clone();
    let reversed: Vec<ColumnId> = related_ids.iter().chain(&owner_ids).copied().collect();
    let reverse_names: Vec<&str> = reversed
        .iter()
        .map(|c| columns[*c].sql_name.as_str())
        .collect();
    let reverse = keys::index_name(&name.value, &reverse_names);
    let names: Vec<Sp<String>> = owner_cols.iter().chain(related_cols).cloned().collect();
    cx.tables.push(ir::Table {
        sql_name: name.value.clone(),
        span: name.span,
        prefix,
        kind: TableKind::PlainJoin,
        new_struct_name: RustIdent::prefixed("New", &struct_name),
        struct_name,
        module: RustIdent::snake(&name.value),
        primary_key: (0..columns.len()).collect(),
        columns,
        foreign_keys: vec![
            ForeignKey {
                columns: owner_ids,
                target: owner,
                target_columns: owner_refs.to_vec(),
                on_delete: ForeignKeyAction::Cascade,
            },
            ForeignKey {
                columns: related_ids,
                target,
                target_columns: related_refs.to_vec(),
                on_delete: ForeignKeyAction::Cascade,
            },
        ],
        indexes: vec![Index {
            name: reverse,
            columns: reversed,
            unique: false,
        }],
        associations: Vec::new(),
        options: ir::StructOptions::default(),
    });
    cx.column_names
        .push(names.iter().map(|n| n.value.clone()).collect());
    cx.column_spans.push(names.iter().map(|n| n.span).collect());
    cx.columns_by_sql.push(
        names
            .iter()
            .enumerate()
            .map(|(c, n)| (n.value.to_ascii_lowercase(), c))
            .collect(),
    );
    cx.columns_by_name.push(
        names
            .iter()
            .enumerate()
            .map(|(c, n)| (n.value.clone(), c))
            .collect(),
    );
    cx.by_name.insert(name.value.clone(), id);
    id
}

/// Two associations over one join table must link the same two tables
/// with the same keys (mirrored for a back-reference).
#[allow(clippy::too_many_arguments)]
fn check_back_reference(
    cx: &mut Context<'_>,
    join_users: &mut JoinUsers,
    join: TableId,
    owner: TableId,
    target: TableId,
    owner_cols: &[ColumnId],
    related_cols: &[ColumnId],
    assoc: &ast::Association,
    what: &str,
) {
    let span = assoc
        .join_through
        .as_ref()
        .map_or(assoc.name.span, |j| j.span);
    let Some(first) = join_users.get(&join) else {
        join_users.insert(
            join,
            JoinUse {
                owner,
                target,
                owner_columns: owner_cols.to_vec(),
                related_columns: related_cols.to_vec(),
                span,
                name: what.to_owned(),
            },
        );
        return;
    };
    let t = &cx.tables;
    let (same_side, mirrored) = (
        first.owner == owner && first.target == target,
        first.owner == target && first.target == owner,
    );
    let problem = if !same_side && !mirrored {
        Some(format!(
            "join table {} already links {} and {} (in {}), not {} and {}",
            t[join].sql_name,
            t[first.owner].sql_name,
            t[first.target].sql_name,
            first.name,
            t[owner].sql_name,
            t[target].sql_name
        ))
    } else {
        let expected = if same_side
            && (!mirrored
                || (first.owner_columns == owner_cols && first.related_columns == related_cols))
        {
            (&first.owner_columns, &first.related_columns)
        } else {
            (&first.related_columns, &first.owner_columns)
        };
        (expected.0 != owner_cols || expected.1 != related_cols).then(|| {
            let named = |columns: &[ColumnId]| {
                let names: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{:?}", t[join].columns[*c].sql_name))
                    .collect();
                match names.as_slice() {
                    [one] => one.clone(),
                    _ => format!("[{}]", names.join(", ")),
                }
            };
            format!(
                "{what} disagrees with {} on the keys of join table {}: it has owner {} and related {}, the other side implies owner {} and related {}",
                first.name, t[join].sql_name, named(owner_cols), named(related_cols), named(expected.0), named(expected.1)
            )
        })
    };
    if let Some(message) = problem {
        let first_span = first.span;
        cx.error(
            Diagnostic::error(span, message)
                .with_label("this side")
                .with_related(first_span, "the other side")
                .with_help("both sides of a many_to_many use the same join table, with `owner` and `related` swapped"),
        );
    }
}
