//! What every backend's emitter shares: Rust types of columns, the row and
//! insert structs' pieces, docs, association shapes, `Loaded` and `Changes`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::{doc_lines, sql_doc};
use crate::ir::{
    Association, AssociationKind, Column, ColumnId, FieldType, Generated, Literal, Schema, Table,
    TableId,
};
use crate::names::RustIdent;

/// How the rows of one association relate to their owner, for the emitter.
pub(super) struct Shape<'a> {
    /// A single row (`Loaded<Option<Box<T>>>`) or many (`Loaded<Vec<T>>`).
    pub(super) many: bool,
    /// The owner columns whose values find the rows (several for a
    /// composite key).
    pub(super) owner_keys: Vec<&'a Column>,
    /// A sentence for the docs: how the tables connect.
    pub(super) summary: String,
    /// The functions' owner parameters (`movie_id`), one per key column.
    pub(super) params: Vec<Param>,
    /// The link helpers' target parameters, for a `many_to_many`: one key
    /// (`actor_id`, for `link`; one parameter per column) and a slice of
    /// keys (`actor_ids: &[i64]`; a composite key's are tuples).
    pub(super) target_param: Vec<Param>,
    pub(super) target_params: Option<Param>,
}

impl Shape<'_> {
    /// The owner parameter whose value goes into column `id` of a row this
    /// association writes, when `id` is one of its `foreign_key` columns.
    pub(super) fn owner_param_for(
        &self,
        foreign_key: &[ColumnId],
        id: ColumnId,
    ) -> Option<&proc_macro2::Ident> {
        let position = foreign_key.iter().position(|c| *c == id)?;
        Some(&self.params[position].name)
    }
}

/// `k1`, `k2`, ...: local names, one per column of a composite key.
pub(super) fn numbered(prefix: &str, count: usize) -> Vec<proc_macro2::Ident> {
    (1..=count)
        .map(|i| proc_macro2::Ident::new(&format!("{prefix}{i}"), proc_macro2::Span::call_site()))
        .collect()
}

/// A function parameter: its name and type.
pub(super) struct Param {
    pub(super) name: proc_macro2::Ident,
    pub(super) ty: TokenStream,
}

impl Param {
    fn new(name: RustIdent, ty: TokenStream) -> Param {
        Param {
            name: name.to_ident(),
            ty,
        }
    }
}

/// `a: i64, b: &str`.
pub(super) fn declare(params: &[Param]) -> TokenStream {
    let (names, types) = (params.iter().map(|p| &p.name), params.iter().map(|p| &p.ty));
    quote!(#(#names: #types),*)
}

/// The names of `params`.
pub(super) fn names(params: &[Param]) -> Vec<&proc_macro2::Ident> {
    params.iter().map(|p| &p.name).collect()
}

pub(super) fn shape<'a>(
    schema: &'a Schema,
    owner: TableId,
    assoc: &Association,
) -> Option<Shape<'a>> {
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let columns = |t: TableId, cs: &[ColumnId]| {
        let names: Vec<String> = cs
            .iter()
            .map(|c| {
                format!(
                    "{}.{}",
                    schema.tables[t].sql_name, schema.tables[t].columns[*c].sql_name
                )
            })
            .collect();
        match names.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", names.join(", ")),
        }
    };
    let (many, target_key, summary) = match &assoc.kind {
        AssociationKind::BelongsTo {
            foreign_key,
            references,
        } => (
            false,
            None,
            format!(
                "belongs_to `{}`: `{}` → `{}`",
                target.sql_name,
                columns(owner, foreign_key),
                columns(assoc.target, references)
            ),
        ),
        AssociationKind::Has {
            many,
            foreign_key,
            references,
            ..
        } => (
            *many,
            None,
            format!(
                "{} `{}`: `{}` → `{}`",
                if *many { "has_many" } else { "has_one" },
                target.sql_name,
                columns(assoc.target, foreign_key),
                columns(owner, references)
            ),
        ),
        AssociationKind::ManyToMany {
            join_table,
            owner_key,
            related_key,
            ..
        } => (
            true,
            Some(&related_key.references),
            format!(
                "many_to_many `{}` through `{}`: `{}` → `{}`, `{}` → `{}`",
                target.sql_name,
                schema.tables[*join_table].sql_name,
                columns(*join_table, &owner_key.columns),
                columns(owner, &owner_key.references),
                columns(*join_table, &related_key.columns),
                columns(assoc.target, &related_key.references)
            ),
        ),
        AssociationKind::Through { many, path } => {
            let hops: Vec<&str> = path
                .iter()
                .map(|s| {
                    schema.tables[s.table].associations[s.association]
                        .name
                        .as_str()
                })
                .collect();
            (
                *many,
                None,
                format!(
                    "{} `{}` through `{}` (read-only)",
                    if *many { "has_many" } else { "has_one" },
                    target.sql_name,
                    hops.join("` → `")
                ),
            )
        }
    };
    let owner_keys: Vec<&Column> = assoc
        .owner_columns(owner_table)?
        .iter()
        .map(|c| owner_table.column(*c))
        .collect();
    let params: Vec<Param> = owner_keys
        .iter()
        .map(|key| {
            Param::new(
                owner_parameter(&owner_table.sql_name, assoc, key),
                key_param_type(key.ty),
            )
        })
        .collect();
    let target_keys: Vec<&Column> = target_key
        .map(|keys| keys.iter().map(|c| target.column(*c)).collect())
        .unwrap_or_default();
    // A self-reference's target key would be named as the owner's.
    let clash = |name: &RustIdent| params.iter().any(|p| p.name == name.as_str());
    let target_name = |key: &Column, plural: bool| {
        let name = RustIdent::key_parameter(&target.sql_name, key.field.unraw(), plural);
        if clash(&name) {
            RustIdent::snake(&format!("related_{}", name.unraw()))
        } else {
            name
        }
    };
    let target_param = target_keys
        .iter()
        .map(|key| Param::new(target_name(key, false), key_param_type(key.ty)))
        .collect();
    let target_params = match target_keys.as_slice() {
        [] => None,
        [key] => Some(Param::new(target_name(key, true), key_param_type(key.ty))),
        keys => {
            let types = keys.iter().map(|k| key_param_type(k.ty));
            let name = RustIdent::parameter(&RustIdent::snake(&format!(
                "{}_keys",
                crate::names::singular(&target.sql_name)
            )));
            Some(Param::new(name, quote!((#(#types),*))))
        }
    };
    Some(Shape {
        many,
        owner_keys,
        summary,
        params,
        target_param,
        target_params,
    })
}

/// The association's field on the owner's row struct.
pub(super) fn field(schema: &Schema, assoc: &Association) -> TokenStream {
    let many = match &assoc.kind {
        AssociationKind::BelongsTo { .. } => false,
        AssociationKind::Has { many, .. } | AssociationKind::Through { many, .. } => *many,
        AssociationKind::ManyToMany { .. } => true,
    };
    let target = &schema.tables[assoc.target];
    let (module, row) = (target.module.to_ident(), target.struct_name.to_ident());
    let name = assoc.field.to_ident();
    let ty = if many {
        quote!(super::Loaded<::std::vec::Vec<super::#module::#row>>)
    } else {
        quote!(super::Loaded<::std::option::Option<::std::boxed::Box<super::#module::#row>>>)
    };
    let doc = doc_lines(&format!(
        "Filled by `{}::preload`; `Loaded::NotLoaded` until then.",
        assoc.module.unraw()
    ));
    let edges = assoc.join_schema(schema).zip(assoc.edges_field.as_ref()).map(|(join, edges)| {
        let join = &schema.tables[join];
        let (join_module, join_row) = (join.module.to_ident(), join.struct_name.to_ident());
        let edges = edges.to_ident();
        let doc = doc_lines(&format!(
            "Filled by `{}::preload_edges`: each `{}` row with its `{}` row; `Loaded::NotLoaded` until then.",
            assoc.module.unraw(),
            target.sql_name,
            join.sql_name
        ));
        quote! { , #doc pub #edges: super::Loaded<::std::vec::Vec<super::Edge<super::#join_module::#join_row, super::#module::#row>>> }
    });
    quote! { #doc pub #name: #ty #edges }
}

/// The parameter naming the owner: `movie_id` for the key `id` of `movies`;
/// for a belongs_to, the foreign key's own name.
fn owner_parameter(owner_table: &str, assoc: &Association, key: &Column) -> RustIdent {
    match assoc.kind {
        AssociationKind::BelongsTo { .. } => RustIdent::parameter(&key.field),
        _ => RustIdent::key_parameter(owner_table, key.field.unraw(), false),
    }
}

/// Whether the Rust type of `ty` is `Copy` (else keys are cloned).
pub(super) fn is_copy(ty: FieldType) -> bool {
    !matches!(
        ty,
        FieldType::String | FieldType::Text | FieldType::Binary | FieldType::Json
    )
}

/// The generated `distribute`: gives each owner its group of rows
/// (backend-neutral, part of every backend's `mortise_support`).
pub(super) fn distribute_support() -> TokenStream {
    quote! {
        /// Gives each owner the group of rows of its key (`None` when the owner
        /// has no key, e.g. a NULL foreign key). An owner listed twice gets a
        /// copy; the last one listed gets the group itself.
        pub(crate) fn distribute<O, K, V: ::std::clone::Clone>(
            owners: &mut [&mut O],
            mut groups: ::std::collections::HashMap<K, V>,
            key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
            mut set: impl ::std::ops::FnMut(&mut O, ::std::option::Option<V>),
        ) where
            K: ::std::hash::Hash + ::std::cmp::Eq,
        {
            let mut remaining: ::std::collections::HashMap<K, usize> = ::std::collections::HashMap::new();
            for owner in owners.iter() {
                if let ::std::option::Option::Some(key) = key(owner) {
                    *remaining.entry(key).or_insert(0) += 1;
                }
            }
            for owner in owners.iter_mut() {
                let group = key(owner).and_then(|key| {
                    let left = remaining.get_mut(&key)?;
                    *left -= 1;
                    if *left == 0 { groups.remove(&key) } else { groups.get(&key).cloned() }
                });
                set(owner, group);
            }
        }
    }
}

/// The Rust type of a column (see the README's type tables).; see the README's type table).
pub(super) fn rust_type(column: &Column) -> TokenStream {
    let ty = base_type(column.ty);
    if column.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

pub(super) fn base_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Integer => quote!(i64),
        FieldType::Int => quote!(i32),
        FieldType::Float => quote!(f64),
        FieldType::Boolean => quote!(bool),
        FieldType::String | FieldType::Text => quote!(::std::string::String),
        FieldType::Binary => quote!(::std::vec::Vec<u8>),
        FieldType::Uuid => quote!(::uuid::Uuid),
        FieldType::Date => quote!(::chrono::NaiveDate),
        FieldType::Time => quote!(::chrono::NaiveTime),
        FieldType::Datetime => quote!(::chrono::DateTime<::chrono::Utc>),
        FieldType::Json => quote!(::serde_json::Value),
        FieldType::Decimal => quote!(::rust_decimal::Decimal),
    }
}

/// How a key is passed to `get`/`delete`: borrowed when it owns memory.
pub(super) fn key_param_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::String | FieldType::Text => quote!(&str),
        FieldType::Binary => quote!(&[u8]),
        FieldType::Json => quote!(&::serde_json::Value),
        other => base_type(other),
    }
}

/// `Loaded<T>`: an association's field on its owner's row struct.
pub(super) fn loaded_type() -> TokenStream {
    quote! {
        /// An association's rows on its owner: `NotLoaded` until the
        /// association's `preload` fills it.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub enum Loaded<T> {
            #[default]
            NotLoaded,
            Loaded(T),
        }

        impl<T> Loaded<T> {
            /// The loaded value, if it was loaded.
            pub fn get(&self) -> ::std::option::Option<&T> {
                match self {
                    Loaded::Loaded(value) => ::std::option::Option::Some(value),
                    Loaded::NotLoaded => ::std::option::Option::None,
                }
            }

            /// The loaded value, mutably, if it was loaded.
            pub fn get_mut(&mut self) -> ::std::option::Option<&mut T> {
                match self {
                    Loaded::Loaded(value) => ::std::option::Option::Some(value),
                    Loaded::NotLoaded => ::std::option::Option::None,
                }
            }

            pub fn is_loaded(&self) -> bool {
                matches!(self, Loaded::Loaded(_))
            }
        }

        impl<T> Loaded<::std::vec::Vec<T>> {
            /// The loaded rows; none when not loaded.
            pub fn iter(&self) -> ::std::slice::Iter<'_, T> {
                self.get().map_or(&[][..], |rows| rows.as_slice()).iter()
            }

            /// The loaded rows, mutably (none when not loaded): what a nested
            /// preload takes, e.g. `movies.iter_mut().flat_map(|m| m.actors.iter_mut())`.
            pub fn iter_mut(&mut self) -> ::std::slice::IterMut<'_, T> {
                match self {
                    Loaded::Loaded(rows) => rows.iter_mut(),
                    Loaded::NotLoaded => [].iter_mut(),
                }
            }
        }

        impl<T> Loaded<::std::option::Option<::std::boxed::Box<T>>> {
            /// The loaded row, if there is one.
            pub fn iter(&self) -> ::std::option::IntoIter<&T> {
                self.get().and_then(|row| row.as_deref()).into_iter()
            }

            /// The loaded row, mutably, if there is one: what a nested preload takes.
            pub fn iter_mut(&mut self) -> ::std::option::IntoIter<&mut T> {
                self.get_mut().and_then(|row| row.as_deref_mut()).into_iter()
            }
        }
    }
}

/// `Edge<L, T>`: a target row with the join-schema row that links it.
pub(super) fn edge_type() -> TokenStream {
    quote! {
        /// A row reached through a join schema, with the join row that links
        /// it (its own key, extra fields, timestamps): what `preload_edges`
        /// and `list_edges` return.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Edge<L, T> {
            /// The join row.
            pub link: L,
            /// The row it links to.
            pub target: T,
        }
    }
}

/// `Changes`: what a many_to_many `replace` did.
pub(super) fn changes_type() -> TokenStream {
    quote! {
        /// What a `replace` changed in a join table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct Changes {
            /// Links that were not there and now are.
            pub added: usize,
            /// Links that were there and are gone.
            pub removed: usize,
        }
    }
}

/// `Default` for a `New...` struct whose fields have schema defaults, so that
/// `NewPost { title, ..Default::default() }` gets them in Rust too.
pub(super) fn default_impl(table: &Table) -> TokenStream {
    let new = table.new_struct_name.to_ident();
    let fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let value = match &c.default {
            Some(literal) => default_value(c, literal),
            None => quote!(::std::default::Default::default()),
        };
        quote!(#name: #value)
    });
    quote! {
        /// Every field at its schema `default`, the others at their type's default.
        impl ::std::default::Default for #new {
            fn default() -> Self {
                Self { #(#fields,)* }
            }
        }
    }
}

/// A schema default as a Rust value; `validate` allows defaults only on the
/// types handled here.
pub(super) fn default_value(column: &Column, literal: &Literal) -> TokenStream {
    let value = match (column.ty, literal) {
        (_, Literal::Null) => return quote!(::std::option::Option::None),
        (FieldType::Integer | FieldType::Int, Literal::Int(i)) => {
            proc_macro2::Literal::i64_unsuffixed(*i).into_token_stream()
        }
        (FieldType::Float, Literal::Int(i)) => {
            proc_macro2::Literal::f64_unsuffixed(*i as f64).into_token_stream()
        }
        (FieldType::Float, Literal::Float(f)) => {
            proc_macro2::Literal::f64_unsuffixed(*f).into_token_stream()
        }
        (FieldType::Boolean, Literal::Bool(b)) => quote!(#b),
        (_, Literal::Str(s)) => quote!(::std::string::String::from(#s)),
        _ => quote!(::std::default::Default::default()),
    };
    if column.nullable {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

pub(super) fn column_doc(column: &Column) -> String {
    let ty = format!(
        "{}{}",
        column.ty.name(),
        if column.nullable { ", nullable" } else { "" }
    );
    let how = match column.generated {
        Some(Generated::AutoIncrement) => ", assigned by the database",
        Some(Generated::Uuid) => ", a random (v4) UUID made on insert",
        Some(Generated::InsertedAt) => ", set on insert",
        Some(Generated::UpdatedAt) => ", set on insert and update",
        None => "",
    };
    format!("Column `{}` ({ty}{how}).", column.sql_name)
}

pub(super) fn generated_note(table: &Table) -> String {
    let generated: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.generated.is_some())
        .map(|c| c.sql_name.as_str())
        .collect();
    if generated.is_empty() {
        "every column is given".to_owned()
    } else {
        format!("`{}` set for you", generated.join("`, `"))
    }
}

/// A table's row struct (columns, then one `Loaded` field per association)
/// and its insert struct, with `Default` from the schema's defaults.
pub(super) fn structs(schema: &Schema, id: TableId) -> TokenStream {
    let table = &schema.tables[id];
    let row = table.struct_name.to_ident();
    let new = table.new_struct_name.to_ident();
    let row_doc = doc_lines(&format!(
        "A row of `{}`. Fields are in column order; every statement of this module selects them in that order.",
        table.sql_name
    ));
    let row_fields = table.columns.iter().map(|c| {
        let name = c.field.to_ident();
        let ty = rust_type(c);
        let doc = doc_lines(&column_doc(c));
        quote! { #doc pub #name: #ty }
    });
    let association_fields = table.associations.iter().map(|a| field(schema, a));
    let new_doc = doc_lines(&format!(
        "The values of a new `{}` row; {}.",
        table.sql_name,
        generated_note(table)
    ));
    let new_fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let ty = rust_type(c);
        quote! { pub #name: #ty }
    });
    let has_defaults = table.new_columns().any(|(_, c)| c.default.is_some());
    let (new_derive, new_default) = if has_defaults {
        (
            quote!(#[derive(Debug, Clone, PartialEq)]),
            default_impl(table),
        )
    } else {
        (
            quote!(#[derive(Debug, Clone, Default, PartialEq)]),
            TokenStream::new(),
        )
    };
    quote! {
        #row_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #row {
            #(#row_fields,)*
            #(#association_fields,)*
        }

        #new_doc
        #new_derive
        pub struct #new {
            #(#new_fields,)*
        }

        #new_default
    }
}

/// `pub const NAME: &str = "...";` for each statement, its SQL in the rustdoc.
pub(super) fn sql_constants(named: &[(&'static str, &str)]) -> TokenStream {
    let constants = named.iter().map(|(name, sql)| {
        let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
        let doc = doc_lines(&sql_doc(sql));
        quote! { #doc pub const #ident: &str = #sql; }
    });
    quote!(#(#constants)*)
}

/// The time a generated insert or update writes into timestamp columns:
/// whole microseconds, what every backend stores exactly.
pub(super) fn now() -> TokenStream {
    quote!(let now = ::chrono::SubsecRound::trunc_subsecs(::chrono::Utc::now(), 6);)
}

/// The index of a row struct's `i`th column in `from_row_at`: `start + i`.
pub(super) fn column_index(i: usize) -> TokenStream {
    if i == 0 {
        quote!(start)
    } else {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(start + #i)
    }
}

/// The doc of `from_row` and `from_row_at`.
pub(super) const FROM_ROW_DOC: &str = "Reads a row whose columns come in struct order, as every statement of this module selects them.";
pub(super) const FROM_ROW_AT_DOC: &str = "Reads the struct's columns from column `start` on, in struct order: a row of a join that selects other columns first (an edge selects the join row's, then the target's).";

/// `field: super::Loaded::NotLoaded` for each association, in `from_row`.
pub(super) fn not_loaded(table: &Table) -> TokenStream {
    let fields = table.associations.iter().map(|a| {
        let name = a.field.to_ident();
        let edges = a.edges_field.as_ref().map(|edges| {
            let edges = edges.to_ident();
            quote! { , #edges: super::Loaded::NotLoaded }
        });
        quote! { #name: super::Loaded::NotLoaded #edges }
    });
    quote!(#(#fields,)*)
}

/// Which rows an association's read functions return: its targets
/// (`list`, `preload`), or, over a join schema, its typed edges
/// (`list_edges`, `preload_edges`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rows {
    Targets,
    Edges,
}

/// The tokens both backends' `list`/`get`/`count`/`preload` (and their
/// `_edges` twins) are made of: the names, the owner's key as `Option<K>`,
/// and how rows are read, grouped and handed to their owners.
pub(super) struct Reads {
    pub(super) owner_row: proc_macro2::Ident,
    /// What one selected row becomes: `super::super::<module>::<Struct>`, or an `Edge`.
    pub(super) row_type: TokenStream,
    /// A function from a selected row to `row_type`: the target's
    /// `from_row`, or the module's `edge`.
    pub(super) read_row: TokenStream,
    /// The statement's constant: `SELECT_SQL` or `EDGES_SQL`.
    pub(super) sql: proc_macro2::Ident,
    /// `list` (`get` for one row) and `preload`, or their `_edges` twins.
    pub(super) list_fn: proc_macro2::Ident,
    pub(super) preload_fn: proc_macro2::Ident,
    /// The owner key's type: `K`, or a tuple for a composite key.
    pub(super) key_type: TokenStream,
    /// The column indexes of the owner key each selected row belongs to
    /// (one per key column, after the row's own columns).
    pub(super) link_indexes: Vec<proc_macro2::Literal>,
    /// An owner's key as `Option<K>` (a NULL foreign key finds nothing).
    pub(super) key_of: TokenStream,
    /// An iterator over the owners' keys (NULL keys left out).
    pub(super) keys: TokenStream,
    /// `Vec<T>` (many) or `T` (one).
    pub(super) group_type: TokenStream,
    /// Adds `row` to `groups` under `link`.
    pub(super) collect_row: TokenStream,
    /// Sets `owner`'s field from `group: Option<group_type>`.
    pub(super) assign: TokenStream,
    pub(super) list_doc: TokenStream,
    pub(super) preload_doc: TokenStream,
}

pub(super) fn reads(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    select_sql: &str,
    rows: Rows,
) -> Reads {
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let target_path = {
        let (m, r) = (target.module.to_ident(), target.struct_name.to_ident());
        quote!(super::super::#m::#r)
    };
    let ident = |name: &str| proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
    let (key_type, key_of, keys) = owner_key_tokens(&shape.owner_keys);
    let link_indexes = |first: usize| {
        (first..first + shape.owner_keys.len())
            .map(proc_macro2::Literal::usize_unsuffixed)
            .collect()
    };
    let (owner_name, target_name) = (&owner_table.sql_name, &target.sql_name);
    let join = assoc.join_schema(schema).map(|j| &schema.tables[j]);
    let (Rows::Edges, Some(join), Some(edges_field)) = (rows, join, &assoc.edges_field) else {
        let field = assoc.field.to_ident();
        let (group_type, collect_row, assign) = if shape.many {
            (
                quote!(::std::vec::Vec<#target_path>),
                quote!(groups.entry(link).or_default().push(row);),
                quote!(owner.#field = super::super::Loaded::Loaded(group.unwrap_or_default())),
            )
        } else {
            (
                quote!(#target_path),
                // The first row in order wins (a has_one with several rows).
                quote!(groups.entry(link).or_insert(row);),
                quote!(owner.#field = super::super::Loaded::Loaded(group.map(::std::boxed::Box::new))),
            )
        };
        let list_doc = if shape.many {
            doc_lines(&format!(
                "The `{target_name}` rows of one `{owner_name}` row, in preload order: [`SELECT_SQL`] with a one-key array."
            ))
        } else {
            doc_lines(&format!(
                "The `{target_name}` row of one `{owner_name}` row, if there is one: [`SELECT_SQL`] with a one-key array."
            ))
        };
        let preload_doc = doc_lines(&format!(
            "Loads the `{target_name}` rows of every given `{owner_name}` row with ONE query, however many owners \
             (their keys travel as {}), and sets each owner's `{}`. Owners may repeat; \
             an owner with no rows gets {}.\n\n{}",
            if shape.owner_keys.len() == 1 {
                "one array parameter"
            } else {
                "array parameters"
            },
            assoc.field.unraw(),
            if shape.many {
                "an empty list"
            } else {
                "`None`"
            },
            sql_doc(select_sql)
        ));
        return Reads {
            owner_row: owner_table.struct_name.to_ident(),
            row_type: target_path.clone(),
            read_row: quote!(#target_path::from_row),
            sql: ident("SELECT_SQL"),
            list_fn: ident(if shape.many { "list" } else { "get" }),
            preload_fn: ident("preload"),
            key_type,
            link_indexes: link_indexes(target.columns.len()),
            key_of,
            keys,
            group_type,
            collect_row,
            assign,
            list_doc,
            preload_doc,
        };
    };
    let row_type = edge_type_path(schema, assoc, join);
    let edges_field = edges_field.to_ident();
    let join_name = &join.sql_name;
    Reads {
        owner_row: owner_table.struct_name.to_ident(),
        row_type: row_type.clone(),
        read_row: quote!(edge),
        sql: ident("EDGES_SQL"),
        list_fn: ident("list_edges"),
        preload_fn: ident("preload_edges"),
        key_type,
        link_indexes: link_indexes(join.columns.len() + target.columns.len()),
        key_of,
        keys,
        group_type: quote!(::std::vec::Vec<#row_type>),
        collect_row: quote!(groups.entry(link).or_default().push(row);),
        assign: quote!(owner.#edges_field = super::super::Loaded::Loaded(group.unwrap_or_default())),
        list_doc: doc_lines(&format!(
            "The `{target_name}` rows of one `{owner_name}` row, each with its `{join_name}` row, in preload order: \
             [`EDGES_SQL`] with a one-key array."
        )),
        preload_doc: doc_lines(&format!(
            "Loads the `{target_name}` rows of every given `{owner_name}` row, each with the `{join_name}` row that links it \
             (its own columns: what GORM cannot load), with ONE query however many owners, and sets each owner's `{}`. \
             Owners may repeat; an owner with no rows gets an empty list.\n\n{}",
            edges_field,
            sql_doc(select_sql)
        )),
    }
}

/// The owner key's type, an owner's key as `Option<K>`, and an iterator
/// over the owners' keys. A composite key is a tuple, missing when any of
/// its columns is NULL.
fn owner_key_tokens(columns: &[&Column]) -> (TokenStream, TokenStream, TokenStream) {
    let owned = |key: &Column| {
        let field = key.field.to_ident();
        if is_copy(key.ty) {
            quote!(owner.#field)
        } else {
            quote!(owner.#field.clone())
        }
    };
    if let [key] = columns {
        let owned = owned(key);
        return if key.nullable {
            (
                base_type(key.ty),
                owned.clone(),
                quote!(owners.iter().filter_map(|owner| #owned)),
            )
        } else {
            (
                base_type(key.ty),
                quote!(::std::option::Option::Some(#owned)),
                quote!(owners.iter().map(|owner| #owned)),
            )
        };
    }
    let types = columns.iter().map(|c| base_type(c.ty));
    let values = columns.iter().map(|c| owned(c));
    if !columns.iter().any(|c| c.nullable) {
        let key = quote!((#(#values),*));
        return (
            quote!((#(#types),*)),
            quote!(::std::option::Option::Some(#key)),
            quote!(owners.iter().map(|owner| #key)),
        );
    }
    let key_of = {
        let names = numbered("k", columns.len());
        let patterns = columns.iter().zip(&names).map(|(c, name)| {
            if c.nullable {
                quote!(::std::option::Option::Some(#name))
            } else {
                quote!(#name)
            }
        });
        quote! {
            match (#(#values),*) {
                (#(#patterns),*) => ::std::option::Option::Some((#(#names),*)),
                _ => ::std::option::Option::None,
            }
        }
    };
    (
        quote!((#(#types),*)),
        key_of.clone(),
        quote!(owners.iter().filter_map(|owner| #key_of)),
    )
}

/// `super::super::Edge<JoinRow, Target>`, from inside an association module.
pub(super) fn edge_type_path(schema: &Schema, assoc: &Association, join: &Table) -> TokenStream {
    let target = &schema.tables[assoc.target];
    let (m, r) = (target.module.to_ident(), target.struct_name.to_ident());
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    quote!(super::super::Edge<super::super::#jm::#jr, super::super::#m::#r>)
}

/// The body of an association module's `edge` function: a selected row of
/// `EDGES_SQL` (join columns, then target columns) as an `Edge`.
pub(super) fn edge_body(schema: &Schema, assoc: &Association, join: &Table) -> TokenStream {
    let target = &schema.tables[assoc.target];
    let (m, r) = (target.module.to_ident(), target.struct_name.to_ident());
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    let start = proc_macro2::Literal::usize_unsuffixed(join.columns.len());
    quote! {
        ::std::result::Result::Ok(super::super::Edge {
            link: super::super::#jm::#jr::from_row_at(found, 0)?,
            target: super::super::#m::#r::from_row_at(found, #start)?,
        })
    }
}

/// The `Link` struct of a `many_to_many` over a join schema: the values of
/// a new join row besides its two keys and what the statement sets itself.
/// `Default` gives each field its `join_defaults` value, else its schema
/// `default`.
pub(super) fn link_struct(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    join: &Table,
    params: &[crate::sql::EdgeParam],
) -> TokenStream {
    let AssociationKind::ManyToMany { join_defaults, .. } = &assoc.kind else {
        return TokenStream::new();
    };
    let columns: Vec<(ColumnId, &Column)> = params
        .iter()
        .filter_map(|p| match p {
            crate::sql::EdgeParam::Value(c) => Some((*c, join.column(*c))),
            _ => None,
        })
        .collect();
    let fields = columns.iter().map(|(_, c)| {
        let (name, ty) = (c.field.to_ident(), rust_type(c));
        let doc = doc_lines(&column_doc(c));
        quote! { #doc pub #name: #ty }
    });
    // A `join_defaults` value wins over the column's schema `default`.
    let defaults: Vec<Option<&Literal>> = columns
        .iter()
        .map(|(id, c)| {
            join_defaults
                .iter()
                .find(|(d, _)| d == id)
                .map(|(_, l)| l)
                .or(c.default.as_ref())
        })
        .collect();
    let doc = doc_lines(&format!(
        "The values of a new `{}` row linking `{}` to `{}`, besides the two keys and what the link helpers set \
         themselves (`join_where` values, timestamps, a generated key). `Link::default()` gives each field its \
         `join_defaults` value, else its schema `default`.",
        join.sql_name, schema.tables[owner].sql_name, schema.tables[assoc.target].sql_name,
    ));
    if defaults.iter().any(Option::is_some) {
        let values = columns.iter().zip(&defaults).map(|((_, c), default)| {
            let name = c.field.to_ident();
            let value = match default {
                Some(literal) => default_value(c, literal),
                None => quote!(::std::default::Default::default()),
            };
            quote!(#name: #value)
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct Link { #(#fields,)* }

            /// Every field at its `join_defaults` value or schema `default`, the others at their type's default.
            impl ::std::default::Default for Link {
                fn default() -> Self {
                    Self { #(#values,)* }
                }
            }
        }
    } else {
        quote! {
            #doc
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct Link { #(#fields,)* }
        }
    }
}

/// The doc of an association's `count`.
pub(super) fn count_doc(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    sql: &str,
) -> TokenStream {
    let (owner_name, target_name) = (
        &schema.tables[owner].sql_name,
        &schema.tables[assoc.target].sql_name,
    );
    doc_lines(&format!(
        "How many `{target_name}` rows one `{owner_name}` row has.\n\n{}",
        sql_doc(sql)
    ))
}

/// What `update` does about `updated_at`, the same on every backend: with
/// the column, it takes `&mut self`, writes `now` and stores it on the row.
pub(super) struct Update {
    pub(super) receiver: TokenStream,
    pub(super) now: TokenStream,
    pub(super) set_now: TokenStream,
    pub(super) doc: TokenStream,
}

pub(super) fn update(updated_at: Option<&Column>, sql: &str) -> Update {
    let (receiver, now, set_now, note) = match updated_at {
        Some(c) => {
            let field = c.field.to_ident();
            (
                quote!(&mut self),
                now(),
                quote!(if changed { self.#field = now; }),
                format!(" and sets `{}` to now", c.sql_name),
            )
        }
        None => (quote!(&self), quote!(), quote!(), String::new()),
    };
    let doc = doc_lines(&format!(
        "Writes every column of this row, found by its key{note}; `false` when no row has the key.\n\n{}",
        sql_doc(sql)
    ));
    Update {
        receiver,
        now,
        set_now,
        doc,
    }
}

/// What both backends' write helpers of a stored association (`has_many:
/// { table, struct }`) share: docs, the `now` of timestamps, and the key.
pub(super) struct StoredParts<'a> {
    pub(super) insert_doc: TokenStream,
    /// `let now = ...;` when the rows have timestamps.
    pub(super) now: Option<TokenStream>,
    /// `None` without a key or a column to update.
    pub(super) update: Option<StoredUpdate>,
    /// `None` without a key.
    pub(super) delete_doc: Option<TokenStream>,
    /// `id: i64`, one per key column.
    pub(super) key_params: Vec<TokenStream>,
    /// Each key column, with its parameter's name.
    pub(super) key_fields: Vec<(&'a Column, proc_macro2::Ident)>,
}

pub(super) struct StoredUpdate {
    pub(super) doc: TokenStream,
    /// `&Row`, or `&mut Row` when the update sets `updated_at` on it.
    pub(super) receiver: TokenStream,
    pub(super) now: Option<TokenStream>,
    /// `if changed { row.updated_at = now; }`.
    pub(super) set_now: Option<TokenStream>,
}

pub(super) fn stored_parts<'a>(
    schema: &'a Schema,
    owner: TableId,
    assoc: &Association,
    foreign_key: &[ColumnId],
    statements: &crate::sql::TableStatements,
) -> StoredParts<'a> {
    let table = &schema.tables[assoc.target];
    let (name, owner_name) = (&table.sql_name, &schema.tables[owner].sql_name);
    let row = table.struct_name.to_ident();
    let row_path = {
        let module = table.module.to_ident();
        quote!(super::super::#module::#row)
    };
    let fk = foreign_key
        .iter()
        .map(|c| format!("`{}`", table.columns[*c].sql_name))
        .collect::<Vec<_>>();
    let fk = match fk.as_slice() {
        [one] => format!("{one} is"),
        _ => format!("{} are", fk.join(", ")),
    };
    let timestamps = table.columns.iter().any(|c| {
        matches!(
            c.generated,
            Some(Generated::InsertedAt | Generated::UpdatedAt)
        )
    });
    let insert_doc = doc_lines(&format!(
        "Inserts a `{row}` into `{name}`, this association's own table, for one `{owner_name}` row: \
         {fk} that row's key, whatever `new` holds ({}). Returns the row as stored.\n\n{}",
        generated_note(table),
        sql_doc(&statements.insert)
    ));
    let update = statements.update.as_ref().map(|sql| {
        let updated_at = table
            .columns
            .iter()
            .find(|c| c.generated == Some(Generated::UpdatedAt));
        let doc = doc_lines(&format!(
            "Writes every column of a `{row}` of `{name}`, found by its key{}; `false` when no row has the key.\n\n{}",
            updated_at.map_or(String::new(), |c| format!(", and sets `{}` to now", c.sql_name)),
            sql_doc(sql)
        ));
        match updated_at {
            Some(c) => {
                let field = c.field.to_ident();
                StoredUpdate {
                    doc,
                    receiver: quote!(&mut #row_path),
                    now: Some(now()),
                    set_now: Some(quote!(if changed { row.#field = now; })),
                }
            }
            None => StoredUpdate {
                doc,
                receiver: quote!(&#row_path),
                now: None,
                set_now: None,
            },
        }
    });
    let delete_doc = statements.delete.as_ref().map(|sql| {
        doc_lines(&format!(
            "Deletes the `{name}` row with this key; `false` when there was none.\n\n{}",
            sql_doc(sql)
        ))
    });
    let key_fields: Vec<(&Column, proc_macro2::Ident)> = table
        .primary_key
        .iter()
        .map(|c| {
            let column = table.column(*c);
            (column, RustIdent::parameter(&column.field).to_ident())
        })
        .collect();
    let key_params = key_fields
        .iter()
        .map(|(c, name)| {
            let ty = key_param_type(c.ty);
            quote!(#name: #ty)
        })
        .collect();
    StoredParts {
        insert_doc,
        now: timestamps.then(now),
        update,
        delete_doc,
        key_params,
        key_fields,
    }
}
