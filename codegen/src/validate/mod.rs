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

mod context;
mod keys;
mod literals;
mod struct_fields;
mod tables;

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::{
    self, Association, AssociationKind, Column, ColumnId, FieldType, ForeignKey, ForeignKeyAction,
    Index, JoinKey, Literal, OnDelete, OrderBy, Step, TableId, TableKind,
};
use crate::names::{RustIdent, did_you_mean, singular};
use crate::parse::ast::{self, KindKey, Sp};
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
    cx.resolve_associations();
    cx.index_join_schemas();
    cx.resolve_through_paths();
    struct_fields::check_struct_names(&mut cx);
    if cx.diags.is_empty() {
        Some(ir::Schema { tables: cx.tables })
    } else {
        None
    }
}

impl Context<'_> {
    /// Resolves every association of every table, in the order declared.
    fn resolve_associations(&mut self) {
        // Only this pass needs to know who used a join table first.
        let mut join_users = JoinUsers::new();
        for (owner, table) in self.ast.tables.iter().enumerate() {
            for assoc in &table.associations {
                self.check_sql_name(&assoc.name, "association");
                let what = format!("association {}.{}", table.name.value, assoc.name.value);
                if let Some(storage) = &assoc.storage {
                    self.stored_association(owner, assoc, storage, &what);
                    continue;
                }
                let Some(target_name) = &assoc.target else {
                    // `through`: resolved once every direct association is.
                    self.push_association(
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
                let Some(target) = self.target_table(&table.name.value, assoc, target_name) else {
                    continue;
                };
                let resolved = match assoc.kind.value {
                    KindKey::BelongsTo => self.belongs_to(owner, target, assoc),
                    KindKey::HasOne | KindKey::HasMany => self.has(owner, target, assoc, &what),
                    KindKey::ManyToMany => {
                        self.many_to_many(&mut join_users, owner, target, assoc, &what)
                    }
                };
                let Some(kind) = resolved else { continue };
                self.check_key_types(owner, target, &kind, assoc, &what);
                let filter = literals::conditions(self, target, &assoc.filter, "`where`");
                let join_table = match &kind {
                    AssociationKind::ManyToMany { join_table, .. } => Some(*join_table),
                    _ => None,
                };
                let order = self.preload_order(target, join_table, &assoc.preload_order);
                self.push_association(owner, assoc, target, kind, filter, order);
            }
        }
    }

    /// Association keys travel as one array parameter and group rows in a
    /// hash map: they must be exact, hashable values.
    fn check_key_types(
        &mut self,
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
            if self.untyped.contains(&(table, column)) {
                continue;
            }
            let c = &self.tables[table].columns[column];
            if matches!(
                c.ty,
                FieldType::Float | FieldType::Json | FieldType::Decimal | FieldType::Boolean
            ) {
                let message = format!(
                    "{what} joins on {}.{}, a {} column",
                    self.tables[table].sql_name,
                    c.sql_name,
                    c.ty.name()
                );
                self.error(
                    Diagnostic::error(assoc.kind.span, message)
                        .with_label("not a key type")
                        .with_help("join on an integer, int, string, text, uuid, binary, date, time or datetime column (`references:` names another one)"),
                );
            }
        }
    }

    fn push_association(
        &mut self,
        owner: TableId,
        assoc: &ast::Association,
        target: TableId,
        kind: AssociationKind,
        filter: Vec<(ColumnId, Literal)>,
        order: Vec<OrderBy>,
    ) {
        let name = assoc.name.value.clone();
        let join_schema = match kind {
            AssociationKind::ManyToMany { join_table, .. } => {
                self.tables[join_table].kind == TableKind::Entity
            }
            _ => false,
        };
        self.tables[owner].associations.push(Association {
            module: RustIdent::snake(&name),
            field: RustIdent::snake(&name),
            edges_field: join_schema.then(|| RustIdent::snake(&format!("{name}_edges"))),
            name,
            target,
            kind,
            filter,
            order,
        });
    }

    fn belongs_to(
        &mut self,
        owner: TableId,
        target: TableId,
        assoc: &ast::Association,
    ) -> Option<AssociationKind> {
        // The columns and key were made by `keys::declare_foreign_key_columns`; find them again.
        let fk = self.tables[owner].foreign_keys.iter().find(|f| {
            f.target == target
                && keys::belongs_to_columns(self, assoc, target, &f.target_columns)
                    .iter()
                    .map(|name| self.find_column(owner, &name.value))
                    .eq(f.columns.iter().map(|c| Some(*c)))
        })?;
        Some(AssociationKind::BelongsTo {
            foreign_key: fk.columns.clone(),
            references: fk.target_columns.clone(),
        })
    }

    fn has(
        &mut self,
        owner: TableId,
        target: TableId,
        assoc: &ast::Association,
        what: &str,
    ) -> Option<AssociationKind> {
        let owner_name = self.tables[owner].sql_name.clone();
        let references = keys::referenced_columns(
            self,
            owner,
            assoc.references.as_ref(),
            assoc.kind.span,
            what,
        )?;
        let default_span = assoc.target.as_ref().map_or(assoc.name.span, |t| t.span);
        let names = keys::key_columns(
            assoc.foreign_key.as_ref(),
            &singular(&owner_name),
            &self.tables[owner],
            &references,
            default_span,
        );
        let at = assoc.foreign_key.as_ref().map_or(default_span, |f| f.span);
        if !keys::key_lengths_agree(self, &names, &references, owner, at, what) {
            return None;
        }
        let mut foreign_key = Vec::new();
        for (fk, &referenced) in names.iter().zip(&references) {
            let Some(column) = self.find_column(target, &fk.value) else {
                self.missing_has_column(owner, target, assoc, fk, what);
                return None;
            };
            if let Some(d) =
                keys::key_type_problem(self, target, column, owner, referenced, fk.span, what)
            {
                self.error(d);
            }
            foreign_key.push(column);
        }
        let on_delete = self.on_delete(assoc, &["nothing", "nilify_all", "delete_all"]);
        if on_delete == OnDelete::NilifyAll
            && let Some(fk) = names
                .iter()
                .zip(&foreign_key)
                .find(|(_, c)| !self.tables[target].columns[**c].nullable)
                .map(|(fk, _)| fk.value.clone())
        {
            self.error(
                Diagnostic::error(assoc.on_delete.as_ref().map_or(assoc.name.span, |o| o.span), format!("`on_delete: nilify_all` on {what}, but {}.{fk} cannot be NULL", self.tables[target].sql_name))
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
        &mut self,
        owner: TableId,
        target: TableId,
        assoc: &ast::Association,
        fk: &Sp<String>,
        what: &str,
    ) {
        // (Only when an error was reported: a schema is never refused silently.)
        let failed = !self.diags.is_empty()
            && self.ast.tables.get(target).is_some_and(|t| {
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
        let owner_name = &self.tables[owner].sql_name;
        let t = &self.tables[target];
        let help = format!(
            "add `{}: {{ belongs_to: {owner_name} }}` to the associations of {}, or name its key column with `foreign_key:`",
            singular(owner_name),
            t.sql_name
        );
        self.error(
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

    fn on_delete(&mut self, assoc: &ast::Association, choices: &[&str]) -> OnDelete {
        let Some(value) = &assoc.on_delete else {
            return OnDelete::Nothing;
        };
        match value.value.as_str() {
            "nothing" if choices.contains(&"nothing") => OnDelete::Nothing,
            "nilify_all" if choices.contains(&"nilify_all") => OnDelete::NilifyAll,
            "delete_all" if choices.contains(&"delete_all") => OnDelete::DeleteAll,
            other => {
                let kind = assoc.kind.value.as_str();
                self.error(
                    Diagnostic::error(
                        value.span,
                        format!("unknown on_delete {other:?} for {kind}"),
                    )
                    .with_label(format!("not an action of {kind}"))
                    .with_help(
                        did_you_mean(other, choices.iter().copied()).unwrap_or_else(|| {
                            format!("{kind} takes one of: {}", choices.join(", "))
                        }),
                    ),
                );
                OnDelete::Nothing
            }
        }
    }

    /// The columns of a `preload_order`: the target's, or the join table's.
    fn preload_order(
        &mut self,
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
                (table == self.tables[j].sql_name).then_some((j, column))
            });
            let found = match qualified {
                Some((j, column)) => self.find_column(j, column).map(|c| (true, c)),
                None => self
                    .find_column(target, name)
                    .map(|c| (false, c))
                    .or_else(|| {
                        join.and_then(|j| self.find_column(j, name))
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
                        self.unknown_column(j, &column, "`preload_order`");
                    }
                    None => self.unknown_column(target, &item.column, "`preload_order`"),
                },
            }
        }
        out
    }

    /// `has_many: { table: post_comments, struct: Comment }`: the rows are
    /// `Comment`s (the struct of a declared table, the "template") kept in a
    /// table of this association's own, with the template's columns, whose
    /// `foreign_key` column (one of the template's fields, as Ecto's
    /// `assoc_id`) points at the owner.
    fn stored_association(
        &mut self,
        owner: TableId,
        assoc: &ast::Association,
        storage: &ast::Storage,
        what: &str,
    ) {
        let wanted = &storage.struct_name.value;
        let template = self
            .tables
            .iter()
            .position(|t| t.kind == TableKind::Entity && t.struct_name.unraw() == wanted);
        let Some(template) = template else {
            let known: Vec<&str> = self
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
            self.error(
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
        if !self.check_sql_name(name, "table") {
            return;
        }
        if let Some(&other) = self.by_name.get(&name.value) {
            let whose = match self.tables[other].kind {
                TableKind::Entity => "a declared table",
                TableKind::PlainJoin => "a join table",
                TableKind::Storage => "the table of another association",
            };
            self.error(
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
                    self.tables[owner].sql_name, assoc.name.value
                )),
            );
            return;
        }
        let references = keys::referenced_columns(
            self,
            owner,
            assoc.references.as_ref(),
            assoc.kind.span,
            what,
        );
        let fk_names: Vec<String> = keys::key_columns(
            assoc.foreign_key.as_ref(),
            &singular(&self.tables[owner].sql_name),
            &self.tables[owner],
            references.as_deref().unwrap_or_default(),
            assoc.name.span,
        )
        .into_iter()
        .map(|n| n.value)
        .collect();
        if let Some(fk_name) = fk_names
            .iter()
            .find(|n| self.find_column(template, n).is_none())
        {
            let t = &self.tables[template].sql_name;
            let at = assoc
                .foreign_key
                .as_ref()
                .map_or(storage.struct_name.span, |f| f.span);
            self.error(
                Diagnostic::error(at, format!("{what} needs column {fk_name:?} in the rows of {wanted}, and {t} has none"))
                    .with_label("the column pointing at the owner")
                    .with_help(format!("add a field to {t} for the owner's key (Ecto's `assoc_id: integer`) and name it with `foreign_key:`")),
            );
            return;
        }

        // The storage table: a copy of the template's columns and keys.
        let id = self.tables.len();
        let mut table = self.tables[template].clone();
        table.sql_name = name.value.clone();
        table.prefix = self.tables[owner].prefix.clone();
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
        self.tables.push(table);
        self.column_names.push(self.column_names[template].clone());
        self.column_spans.push(self.column_spans[template].clone());
        self.columns_by_sql
            .push(self.columns_by_sql[template].clone());
        self.columns_by_name
            .push(self.columns_by_name[template].clone());
        self.untyped.extend(
            self.untyped
                .iter()
                .filter(|(t, _)| *t == template)
                .map(|(_, c)| (id, *c))
                .collect::<Vec<_>>(),
        );
        self.by_name.insert(name.value.clone(), id);
        self.templates.insert(id, template);

        let Some(kind) = self.has(owner, id, assoc, what) else {
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
        self.check_key_types(owner, id, &kind, assoc, what);
        let t = &mut self.tables[id];
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
        let filter = literals::conditions(self, id, &assoc.filter, "`where`");
        let order = self.preload_order(id, None, &assoc.preload_order);
        self.push_association(owner, assoc, id, kind, filter, order);
    }

    fn many_to_many(
        &mut self,
        join_users: &mut JoinUsers,
        owner: TableId,
        target: TableId,
        assoc: &ast::Association,
        what: &str,
    ) -> Option<AssociationKind> {
        let join_name = assoc.join_through.as_ref()?;
        if !self.check_sql_name(join_name, "join table") {
            return None;
        }
        let owner_table = self.tables[owner].sql_name.clone();
        let target_table = self.tables[target].sql_name.clone();
        let (owner_given, related_given) = (
            assoc.join_keys.owner.as_ref(),
            assoc.join_keys.related.as_ref(),
        );
        let owner_refs = keys::referenced_columns(
            self,
            owner,
            owner_given.and_then(|k| k.references.as_ref()),
            assoc.kind.span,
            what,
        );
        let related_refs = keys::referenced_columns(
            self,
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
            &self.tables[owner],
            &owner_refs,
            default_span,
        );
        let related_cols = keys::key_columns(
            related_given.map(|k| &k.column),
            &singular(&target_table),
            &self.tables[target],
            &related_refs,
            default_span,
        );
        let at = |given: Option<&ast::JoinKey>| given.map_or(default_span, |k| k.column.span);
        let lengths_agree = [
            keys::key_lengths_agree(self, &owner_cols, &owner_refs, owner, at(owner_given), what),
            keys::key_lengths_agree(
                self,
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
                            self.tables[target].columns[*c].sql_name
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
            self.error(
                Diagnostic::error(shared.span, message)
                    .with_label(label)
                    .with_help(format!("set `join_keys: {{ owner: {owner_list}, related: {related} }}` (GORM's joinForeignKey / joinReferences)")),
            );
            return None;
        }

        let join_table = match self.by_name.get(&join_name.value).copied() {
            Some(id) if self.tables[id].kind == TableKind::Entity => {
                // A join schema: it declares every key column itself.
                let mut found = true;
                for (columns, points_at, refs, side) in [
                    (&owner_cols, owner, &owner_refs, "owner"),
                    (&related_cols, target, &related_refs, "related"),
                ] {
                    for (column, &referenced) in columns.iter().zip(refs) {
                        found &= self
                            .join_schema_key(id, column, points_at, referenced, what, side)
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
            None => self.plain_join_table(
                join_name,
                (owner, &owner_refs, &owner_cols),
                (target, &related_refs, &related_cols),
            ),
        };
        let find_all = |v: &Self, names: &[Sp<String>]| -> Option<Vec<ColumnId>> {
            names
                .iter()
                .map(|n| v.find_column(join_table, &n.value))
                .collect()
        };
        let owner_key = find_all(self, &owner_cols)?;
        let related_key = find_all(self, &related_cols)?;
        self.check_back_reference(
            join_users,
            join_table,
            owner,
            target,
            &owner_key,
            &related_key,
            assoc,
            what,
        );
        let on_delete = self.on_delete(assoc, &["nothing", "delete_all"]);
        let join_filter =
            literals::conditions(self, join_table, &assoc.join_filter, "`join_where`");
        let join_defaults =
            literals::conditions(self, join_table, &assoc.join_defaults, "`join_defaults`");
        if let Some(unique) = &assoc.unique
            && !unique.value
            && self.tables[join_table].kind == TableKind::PlainJoin
        {
            self.error(
                Diagnostic::error(unique.span, format!("`unique: false` on {what}, but links of a plain join table are a set"))
                    .with_help("remove `unique: false`: a link is stored once, and linking twice leaves it as it is"),
            );
        }
        self.check_link_fills_join_row(
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
    fn index_join_schemas(&mut self) {
        type Use = (Vec<ColumnId>, Vec<ColumnId>, Vec<ColumnId>);
        let mut uses: BTreeMap<TableId, Use> = BTreeMap::new();
        for table in &self.tables {
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
                if self.tables[*join_table].kind != TableKind::Entity {
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
            let t = &mut self.tables[id];
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
        &mut self,
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
        let unfilled: Vec<String> = self.tables[join]
            .columns
            .iter()
            .enumerate()
            .filter(|(id, c)| {
                !set(*id) && c.generated.is_none() && !c.nullable && c.default.is_none()
            })
            .map(|(_, c)| c.sql_name.clone())
            .collect();
        if unfilled.is_empty() {
            return;
        }
        let at = assoc
            .join_through
            .as_ref()
            .map_or(assoc.name.span, |j| j.span);
        let join_name = &self.tables[join].sql_name;
        let first = &unfilled[0];
        self.error(
            Diagnostic::error(at, format!("the link helpers of {what} cannot fill column{} {} of join schema {join_name}", if unfilled.len() > 1 { "s" } else { "" }, unfilled.join(", ")))
                .with_label("a new link writes a row here")
                .with_help(format!("give `{first}` a `default`, make it nullable (`?`), or set it with `join_defaults: {{ {first}: ... }}`")),
        );
    }

    fn join_schema_key(
        &mut self,
        join: TableId,
        column: &Sp<String>,
        points_at: TableId,
        references: ColumnId,
        what: &str,
        side: &str,
    ) -> Option<ColumnId> {
        let join_name = self.tables[join].sql_name.clone();
        match self.find_column(join, &column.value) {
            Some(c) => {
                // The join schema's own column has the wrong type: point at it.
                if let Some(d) = keys::key_type_problem(
                    self,
                    join,
                    c,
                    points_at,
                    references,
                    self.column_spans[join][c],
                    what,
                ) {
                    self.error(d.with_related(column.span, format!("used as the {side} key here")));
                }
                Some(c)
            }
            None => {
                let target = self.tables[points_at].sql_name.clone();
                self.error(
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
        &mut self,
        name: &Sp<String>,
        (owner, owner_refs, owner_cols): (TableId, &[ColumnId], &[Sp<String>]),
        (target, related_refs, related_cols): (TableId, &[ColumnId], &[Sp<String>]),
    ) -> TableId {
        let id = self.tables.len();
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
                self,
                self.tables[table].columns[*refs].ty,
                col.span,
                &format!("join table {}", name.value),
            );
            self.check_sql_name(col, "join key");
            columns.push(Column {
                sql_name: col.value.clone(),
                field: RustIdent::snake(&col.value),
                ty,
                nullable: false,
                default: None,
                unique: false,
                generated: None,
            });
        }
        let owner_ids: Vec<ColumnId> = (0..owner_cols.len()).collect();
        let related_ids: Vec<ColumnId> = (owner_cols.len()..columns.len()).collect();
        let struct_name = RustIdent::pascal(&singular(&name.value));
        let prefix = self.tables[owner].prefix.clone();
        let reversed: Vec<ColumnId> = related_ids.iter().chain(&owner_ids).copied().collect();
        let reverse_names: Vec<&str> = reversed
            .iter()
            .map(|c| columns[*c].sql_name.as_str())
            .collect();
        let reverse = keys::index_name(&name.value, &reverse_names);
        let names: Vec<Sp<String>> = owner_cols.iter().chain(related_cols).cloned().collect();
        self.tables.push(ir::Table {
            sql_name: name.value.clone(),
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
        });
        self.column_names
            .push(names.iter().map(|n| n.value.clone()).collect());
        self.column_spans
            .push(names.iter().map(|n| n.span).collect());
        self.columns_by_sql.push(
            names
                .iter()
                .enumerate()
                .map(|(c, n)| (n.value.to_ascii_lowercase(), c))
                .collect(),
        );
        self.columns_by_name.push(
            names
                .iter()
                .enumerate()
                .map(|(c, n)| (n.value.clone(), c))
                .collect(),
        );
        self.by_name.insert(name.value.clone(), id);
        id
    }

    /// Two associations over one join table must link the same two tables
    /// with the same keys (mirrored for a back-reference).
    #[allow(clippy::too_many_arguments)]
    fn check_back_reference(
        &mut self,
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
        let t = &self.tables;
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
            self.error(
                Diagnostic::error(span, message)
                    .with_label("this side")
                    .with_related(first_span, "the other side")
                    .with_help("both sides of a many_to_many use the same join table, with `owner` and `related` swapped"),
            );
        }
    }

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
                let order = self.preload_order(at, None, &order_items);
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

/// Per join table, its first use (filled as associations are resolved).
type JoinUsers = HashMap<TableId, JoinUse>;

/// Where a join table was first used, to check that back-references agree.
struct JoinUse {
    owner: TableId,
    target: TableId,
    owner_columns: Vec<ColumnId>,
    related_columns: Vec<ColumnId>,
    span: Span,
    name: String,
}
