//! Primary keys and foreign keys: the single-column key (and its default),
//! composite keys, the columns a `belongs_to` adds, what a key references and
//! whether its length and types agree, `on_delete` of a `belongs_to`, and the
//! indexes keys get.

use super::context::{Context, a};
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{
    self, Column, ColumnId, FieldType, ForeignKey, ForeignKeyAction, Generated, Index, TableId,
};
use crate::names::{self, RustIdent, did_you_mean, singular};
use crate::parse::ast::{self, KindKey, Sp};

/// The default key: `{ name: id, type: integer, autogenerate: true }`.
pub(super) struct KeySpec {
    name: String,
    column: String,
    ty: FieldType,
    autogenerate: bool,
}

pub(super) fn default_key(cx: &Context<'_>) -> KeySpec {
    let mut key = KeySpec {
        name: "id".to_owned(),
        column: "id".to_owned(),
        ty: FieldType::Integer,
        autogenerate: true,
    };
    if let Some(ast::PrimaryKey::Single {
        name,
        column,
        ty,
        autogenerate,
        ..
    }) = &cx.ast.defaults.primary_key
    {
        apply_key(&mut key, name, column, ty, autogenerate);
    }
    key
}

/// A table's single-column key: the default one, or its `primary_key`.
pub(super) fn declare_single_key(
    cx: &mut Context<'_>,
    id: TableId,
    table: &ast::Table,
    default_key: &KeySpec,
    no_key_by_default: bool,
) {
    let single = match &table.primary_key {
        None if no_key_by_default => None,
        None => Some((
            clone_key(default_key),
            table.name.span,
            None,
            table.name.span,
            table.name.span,
        )),
        Some(ast::PrimaryKey::Single {
            span,
            name,
            column,
            ty,
            autogenerate,
        }) => {
            let mut key = clone_key(default_key);
            apply_key(&mut key, name, column, ty, autogenerate);
            // A key that cannot be generated is the fault of `autogenerate` or `type`.
            let generated_at = autogenerate
                .as_ref()
                .map(|a| a.span)
                .or(ty.as_ref().map(|t| t.span))
                .unwrap_or(*span);
            Some((
                key,
                *span,
                name.as_ref().or(column.as_ref()).cloned(),
                generated_at,
                ty.as_ref().map_or(*span, |t| t.span),
            ))
        }
        Some(ast::PrimaryKey::Composite { .. } | ast::PrimaryKey::None) => None,
    };
    if let Some((key, span, written, generated_at, type_at)) = single {
        if let Some(name) = &written {
            cx.check_sql_name(name, "key");
        }
        unkeyable(
            cx,
            key.ty,
            type_at,
            &format!("the key of table {}", table.name.value),
        );
        let generated = match (key.autogenerate, key.ty) {
            (false, _) => None,
            (true, FieldType::Integer | FieldType::Int | FieldType::SmallInt) => {
                Some(Generated::AutoIncrement)
            }
            (true, FieldType::Uuid) => Some(Generated::Uuid),
            (true, other) => {
                cx.error(
                    Diagnostic::error(generated_at, format!("the {} key {:?} of table {} cannot be generated", other.name(), key.name, table.name.value))
                        .with_label("`autogenerate` works for integer, int, smallint and uuid keys")
                        .with_help("set `autogenerate: false` and give the key on insert, or use an integer or uuid key"),
                );
                None
            }
        };
        let column = Column {
            sql_name: key.column.clone(),
            field: RustIdent::snake(&key.name),
            ty: key.ty,
            nullable: false,
            default: None,
            unique: false,
            generated,
            sql_type: ir::SqlType::default(),
            rust_type: None,
        };
        cx.add_column(id, key.name.clone(), column, span);
        cx.tables[id].primary_key = vec![0];
    }
}

/// Composite keys, once every column exists (a key may name a column a
/// `belongs_to` adds).
/// An enum or an array is never a key: keys travel as typed arrays, which
/// an enum (a type each database names) has no generated form of, and an
/// array is JSON text on SQLite.
fn unkeyable(cx: &mut Context<'_>, ty: FieldType, at: Span, what: &str) {
    let (is, label) = match ty {
        FieldType::Enum(_) => ("an enum", "an enum cannot be a key"),
        FieldType::Array(_) => ("an array", "an array cannot be a key"),
        FieldType::Embed { .. } => ("an embedded schema", "an embed cannot be a key"),
        _ => return,
    };
    cx.error(
        Diagnostic::error(at, format!("{what} is {is}"))
            .with_label(label)
            .with_help(format!("use an integer, string or uuid key, and the {} as an ordinary (`unique: true` if need be) field", ty.name())),
    );
}

pub(super) fn resolve_composite_keys(cx: &mut Context<'_>) {
    for (id, table) in cx.ast.tables.iter().enumerate() {
        if let Some(ast::PrimaryKey::Composite { fields, .. }) = &table.primary_key {
            let mut key = Vec::new();
            for name in fields {
                match cx.find_column(id, &name.value) {
                    Some(c) if key.contains(&c) => cx.error(
                        Diagnostic::error(
                            name.span,
                            format!("{:?} is listed twice in the primary key", name.value),
                        )
                        .with_help("list each key field once"),
                    ),
                    Some(c) => {
                        let what = format!("key field {}.{}", table.name.value, name.value);
                        unkeyable(cx, cx.tables[id].columns[c].ty, name.span, &what);
                        if let Some(rust) = &cx.tables[id].columns[c].rust_type {
                            cx.error(
                                Diagnostic::error(name.span, format!("{what} has the Rust type `{rust}`"))
                                    .with_label("a `rust_type:` cannot be a key")
                                    .with_help("keys travel as arrays of the field type's Rust type: remove `rust_type:` from the key field"),
                            );
                        }
                        if cx.tables[id].columns[c].nullable {
                            cx.error(
                                Diagnostic::error(
                                    name.span,
                                    format!(
                                        "key field {}.{} is nullable",
                                        table.name.value, name.value
                                    ),
                                )
                                .with_help(
                                    "a key column cannot be NULL: remove the `?` from its type",
                                ),
                            );
                        }
                        key.push(c);
                    }
                    None => cx.unknown_column(id, name, "the primary key"),
                }
            }
            cx.tables[id].primary_key = key;
        }
    }
}

/// The columns a key points at: `references`, or the table's primary key
/// (several columns for a composite key).
pub(super) fn referenced_columns(
    cx: &mut Context<'_>,
    table: TableId,
    references: Option<&ast::Columns>,
    at: Span,
    what: &str,
) -> Option<Vec<ColumnId>> {
    if let Some(names) = references {
        let mut found = Vec::new();
        for name in &names.value {
            match cx.find_column(table, &name.value) {
                Some(c) => found.push(c),
                None => cx.unknown_column(table, name, &format!("the `references` of {what}")),
            }
        }
        return (found.len() == names.value.len()).then_some(found);
    }
    if !cx.tables[table].primary_key.is_empty() {
        return Some(cx.tables[table].primary_key.clone());
    }
    // A composite key is resolved after the foreign keys (it may name a
    // column a `belongs_to` adds): read it from the schema.
    let composite = match cx.ast.tables.get(table).map(|t| &t.primary_key) {
        Some(Some(ast::PrimaryKey::Composite { fields, .. })) => Some(fields),
        _ => None,
    };
    let t = &cx.tables[table];
    if let Some(fields) = composite {
        let found: Vec<ColumnId> = fields
            .iter()
            .filter_map(|f| cx.find_column(table, &f.value))
            .collect();
        if found.len() == fields.len() {
            return Some(found);
        }
        cx.error(
            Diagnostic::error(at, format!("{what} points at the composite key of table {}, which names columns added by its own associations", t.sql_name))
                .with_label("the key is not known yet here")
                .with_help("declare the key's columns as fields of that table (a `belongs_to` can use a declared field with `foreign_key:`), or name the referenced columns with `references:`"),
        );
        return None;
    }
    cx.error(
        Diagnostic::error(at, format!("{what} points at table {}, which has no primary key", t.sql_name))
            .with_label("no key column to reference")
            .with_help("name the referenced column with `references:` (a unique column), or give the table a key"),
    );
    None
}

/// Whether `columns` (a `foreign_key` or a join key) has as many columns
/// as the key they point at; reports it when not.
pub(super) fn key_lengths_agree(
    cx: &mut Context<'_>,
    columns: &[Sp<String>],
    references: &[ColumnId],
    table: TableId,
    at: Span,
    what: &str,
) -> bool {
    if columns.len() == references.len() {
        return true;
    }
    let t = &cx.tables[table];
    let key: Vec<&str> = references
        .iter()
        .map(|c| t.columns[*c].sql_name.as_str())
        .collect();
    cx.error(
        Diagnostic::error(
            at,
            format!(
                "{what} names {} key column{}, but the key it points at, {}({}), has {}",
                columns.len(),
                if columns.len() == 1 { "" } else { "s" },
                t.sql_name,
                key.join(", "),
                references.len()
            ),
        )
        .with_label("one column per column of the referenced key")
        .with_help(format!(
            "list one column for each of {}, in that order (e.g. `[{}]`)",
            key.join(", "),
            key.iter()
                .map(|k| format!("{}_{k}", singular(&t.sql_name)))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    );
    false
}

/// Adds each `belongs_to`'s foreign key columns (or uses the declared
/// fields it names), with the foreign key and its index.
pub(super) fn declare_foreign_key_columns(cx: &mut Context<'_>) {
    for (owner, table) in cx.ast.tables.iter().enumerate() {
        for assoc in &table.associations {
            if assoc.kind.value != KindKey::BelongsTo {
                continue;
            }
            let Some(target_name) = &assoc.target else {
                continue;
            };
            let Some(target) = cx.target_table(&table.name.value, assoc, target_name) else {
                continue;
            };
            let what = format!("association {}.{}", table.name.value, assoc.name.value);
            let Some(references) = referenced_columns(
                cx,
                target,
                assoc.references.as_ref(),
                target_name.span,
                &what,
            ) else {
                continue;
            };
            let names = belongs_to_columns(cx, assoc, target, &references);
            let at = assoc
                .foreign_key
                .as_ref()
                .map_or(assoc.name.span, |f| f.span);
            if !key_lengths_agree(cx, &names, &references, target, at, &what) {
                continue;
            }
            let mut columns = Vec::new();
            for (fk, &referenced) in names.iter().zip(&references) {
                if let Some(c) = foreign_key_column(cx, owner, assoc, fk, target, referenced, &what)
                {
                    columns.push(c);
                }
            }
            if columns.len() != references.len() {
                continue;
            }
            let on_delete = foreign_key_action(cx, assoc, owner, &columns);
            let t = &mut cx.tables[owner];
            t.foreign_keys.push(ForeignKey {
                columns: columns.clone(),
                target,
                target_columns: references,
                on_delete,
            });
            let names: Vec<&str> = columns
                .iter()
                .map(|c| t.columns[*c].sql_name.as_str())
                .collect();
            let name = index_name(&t.sql_name, &names);
            push_index(t, name, columns, false);
        }
    }
}

/// The column of a belongs_to's foreign key `fk` pointing at
/// `target.referenced`: a declared field of that name, else a column
/// added here with the referenced column's type.
fn foreign_key_column(
    cx: &mut Context<'_>,
    owner: TableId,
    assoc: &ast::Association,
    fk: &Sp<String>,
    target: TableId,
    referenced: ColumnId,
    what: &str,
) -> Option<ColumnId> {
    let null = assoc.null.as_ref().is_some_and(|n| n.value);
    // `foreign_key` naming a declared field uses that field.
    if let Some(c) = assoc
        .foreign_key
        .as_ref()
        .and_then(|_| cx.find_column(owner, &fk.value))
    {
        if let Some(d) = key_type_problem(cx, owner, c, target, referenced, fk.span, what) {
            cx.error(d);
        }
        if let Some(n) = &assoc.null
            && cx.tables[owner].columns[c].nullable != n.value
        {
            cx.error(
                Diagnostic::error(n.span, format!("`null: {}` disagrees with the type of field {}", n.value, cx.column_names[owner][c]))
                    .with_help("nullability of a declared field comes from its type (`integer?`): remove `null:` or change the type"),
            );
        }
        return Some(c);
    }
    if assoc.foreign_key.is_some() {
        cx.check_sql_name(fk, "foreign key");
    }
    let ty = foreign_key_type(cx, cx.tables[target].columns[referenced].ty, fk.span, what);
    let clash = cx.find_column(owner, &fk.value).or_else(|| {
        cx.tables[owner]
            .columns
            .iter()
            .position(|c| c.sql_name.eq_ignore_ascii_case(&fk.value))
    });
    if let Some(clash) = clash {
        let table = &cx.tables[owner].sql_name;
        cx.error(
            Diagnostic::error(assoc.name.span, format!("the foreign key {:?} of {what} is also a field of {table}", fk.value))
                .with_label(format!("belongs_to adds column {}", fk.value))
                .with_related(cx.column_spans[owner][clash], "the field")
                .with_help(format!("to use the field as the key, write `foreign_key: {}`; otherwise rename the field or set another `foreign_key`", fk.value)),
        );
        return None;
    }
    let column = Column {
        sql_name: fk.value.clone(),
        field: RustIdent::snake(&fk.value),
        ty,
        nullable: null,
        default: None,
        unique: false,
        generated: None,
        // The key's own SQL type: a foreign key from another type (text to
        // citext, another collation on MariaDB) is refused by the database.
        sql_type: cx.tables[target].columns[referenced].sql_type.clone(),
        rust_type: None,
    };
    cx.add_column(owner, fk.value.clone(), column, fk.span)
}

/// The foreign key columns of a belongs_to: its `foreign_key`, or
/// `<name>_id` for a single key (whatever the key's name, as Ecto), or
/// `<name>_<column>` for each column of a composite key.
pub(super) fn belongs_to_columns(
    cx: &Context<'_>,
    assoc: &ast::Association,
    target: TableId,
    references: &[ColumnId],
) -> Vec<Sp<String>> {
    key_columns(
        assoc.foreign_key.as_ref(),
        &assoc.name.value,
        &cx.tables[target],
        references,
        assoc.name.span,
    )
}

pub(super) fn foreign_key_type(
    cx: &mut Context<'_>,
    referenced: FieldType,
    at: Span,
    what: &str,
) -> FieldType {
    match &cx.ast.defaults.foreign_key_type {
        Some(t) if !t.value.ty.compatible_key(referenced) => {
            cx.error(
                Diagnostic::error(at, format!("the key of {what} would be {} (`defaults.foreign_key_type`), but it references {} key", a(t.value.ty), a(referenced)))
                    .with_related(t.span, "default foreign key type")
                    .with_help("a foreign key has the type of the key it references: change or remove `defaults.foreign_key_type`"),
            );
            referenced
        }
        Some(t) => t.value.ty,
        None => referenced,
    }
}

/// The error for a key whose type differs from the column it references.
pub(super) fn key_type_problem(
    cx: &Context<'_>,
    table: TableId,
    column: ColumnId,
    target: TableId,
    references: ColumnId,
    at: Span,
    what: &str,
) -> Option<Diagnostic> {
    if cx.untyped.contains(&(table, column)) || cx.untyped.contains(&(target, references)) {
        return None;
    }
    let (c, r) = (
        &cx.tables[table].columns[column],
        &cx.tables[target].columns[references],
    );
    (!c.ty.compatible_key(r.ty)).then(|| {
        Diagnostic::error(
            at,
            format!(
                "the foreign key {}.{} of {what} is {}, but it references {}.{}, {}",
                cx.tables[table].sql_name,
                c.sql_name,
                a(c.ty),
                cx.tables[target].sql_name,
                r.sql_name,
                a(r.ty)
            ),
        )
        .with_label("type differs from the referenced key")
        .with_help(format!(
            "make {} {} (a foreign key has the type of the key it references)",
            c.sql_name,
            a(r.ty)
        ))
    })
}

fn foreign_key_action(
    cx: &mut Context<'_>,
    assoc: &ast::Association,
    owner: TableId,
    columns: &[ColumnId],
) -> ForeignKeyAction {
    let Some(on_delete) = &assoc.on_delete else {
        return ForeignKeyAction::NoAction;
    };
    let action =
        match on_delete.value.as_str() {
            "nothing" => ForeignKeyAction::NoAction,
            "cascade" => ForeignKeyAction::Cascade,
            "set_null" => ForeignKeyAction::SetNull,
            "restrict" => ForeignKeyAction::Restrict,
            other => {
                let choices = ["nothing", "cascade", "set_null", "restrict"];
                cx.error(
                    Diagnostic::error(
                        on_delete.span,
                        format!("unknown on_delete {other:?} for belongs_to"),
                    )
                    .with_label("not an action of belongs_to")
                    .with_help(did_you_mean(other, choices).unwrap_or_else(|| {
                        format!("belongs_to takes one of: {}", choices.join(", "))
                    })),
                );
                return ForeignKeyAction::NoAction;
            }
        };
    if action == ForeignKeyAction::SetNull
        && columns
            .iter()
            .any(|c| !cx.tables[owner].columns[*c].nullable)
    {
        cx.error(
            Diagnostic::error(
                on_delete.span,
                format!(
                    "`on_delete: set_null` on {}.{}, whose key cannot be NULL",
                    cx.ast.tables[owner].name.value, assoc.name.value
                ),
            )
            .with_help("add `null: true` to the association (or `?` to the field's type)"),
        );
    }
    action
}

/// The key columns an association names (`foreign_key`, a join key), or by
/// default `<base>_id` for a single key (whatever the key's name, as Ecto),
/// `<base>_<column>` for each column of a composite key (as GORM).
pub(super) fn key_columns(
    given: Option<&ast::Columns>,
    base: &str,
    referenced: &ir::Table,
    references: &[ColumnId],
    default_span: Span,
) -> Vec<Sp<String>> {
    if let Some(given) = given {
        return given.value.clone();
    }
    let name = |value: String| Sp {
        value,
        span: default_span,
    };
    match references {
        [_] => vec![name(format!("{base}_id"))],
        _ => references
            .iter()
            .map(|c| name(format!("{base}_{}", referenced.columns[*c].sql_name)))
            .collect(),
    }
}

fn clone_key(key: &KeySpec) -> KeySpec {
    KeySpec {
        name: key.name.clone(),
        column: key.column.clone(),
        ty: key.ty,
        autogenerate: key.autogenerate,
    }
}

fn apply_key(
    key: &mut KeySpec,
    name: &Option<Sp<String>>,
    column: &Option<Sp<String>>,
    ty: &Option<Sp<ast::ColumnType>>,
    autogenerate: &Option<Sp<bool>>,
) {
    if let Some(name) = name {
        key.name = name.value.clone();
        key.column = name.value.clone();
    }
    if let Some(column) = column {
        key.column = column.value.clone();
    }
    if let Some(ty) = ty {
        key.ty = ty.value.ty;
        // A key given a non-integer type is not generated unless asked.
        if !matches!(ty.value.ty, FieldType::Integer | FieldType::Int) && autogenerate.is_none() {
            key.autogenerate = false;
        }
    }
    if let Some(autogenerate) = autogenerate {
        key.autogenerate = autogenerate.value;
    }
}

/// `<table>_<columns>_index`, as Ecto names them; shortened with a hash past
/// the 63 bytes PostgreSQL keeps.
pub(super) fn index_name<S: std::borrow::Borrow<str>>(table: &str, columns: &[S]) -> String {
    let name = format!("{table}_{}_index", columns.join("_"));
    if name.len() <= names::MAX_SQL_NAME {
        return name;
    }
    // FNV-1a: stable across runs and platforms.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    // Cut on a char boundary: an invalid (non-ASCII) name is reported
    // elsewhere, and must not panic here first.
    let mut cut = names::MAX_SQL_NAME - 15;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}_index", &name[..cut], hash as u32)
}

pub(super) fn push_index(
    table: &mut ir::Table,
    name: String,
    columns: Vec<ColumnId>,
    unique: bool,
) {
    // The key already serves lookups by its leading columns.
    if !unique && table.primary_key.starts_with(&columns) {
        return;
    }
    if table.indexes.iter().any(|i| i.columns == columns) {
        return;
    }
    // An index on (a, b) serves lookups on a: drop a plain index on a alone.
    table
        .indexes
        .retain(|i| i.unique || !columns.starts_with(&i.columns));
    table.indexes.push(Index {
        name,
        columns,
        unique,
    });
}
