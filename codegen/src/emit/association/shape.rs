//! How an association's rows relate to its owner, as the emitters need it:
//! one row or many, the owner's key columns, the functions' parameters.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::driver::Driver;
use super::super::rust_types::key_param_type;
use crate::ir::{Association, AssociationKind, Column, ColumnId, FieldType, Schema, TableId};
use crate::names::RustIdent;

/// How the rows of one association relate to their owner, for the emitter.
pub(in crate::emit) struct Shape<'a> {
    /// A single row (`Loaded<Option<Box<T>>>`) or many (`Loaded<Vec<T>>`).
    pub(in crate::emit) many: bool,
    /// The owner columns whose values find the rows (several for a
    /// composite key).
    pub(in crate::emit) owner_keys: Vec<&'a Column>,
    /// The target's key columns a `many_to_many` links to, or by which a
    /// `has_many`/`has_one` attaches children (empty otherwise).
    pub(in crate::emit) target_keys: Vec<&'a Column>,
    /// A sentence for the docs: how the tables connect.
    pub(in crate::emit) summary: String,
    /// The functions' owner parameters (`movie_id`), one per key column.
    pub(in crate::emit) params: Vec<Param>,
    /// The target parameters of the link helpers of a `many_to_many`, and
    /// of `attach`/`detach` of a `has_many`/`has_one`: one key (`actor_id`,
    /// for `link`; one parameter per column) and a slice of keys
    /// (`actor_ids: &[i64]`; a composite key's are tuples).
    pub(in crate::emit) target_param: Vec<Param>,
    pub(in crate::emit) target_params: Option<Param>,
}

impl Shape<'_> {
    /// The owner parameters as a statement's arguments.
    pub(in crate::emit) fn owner_args(&self, driver: &dyn Driver) -> Vec<TokenStream> {
        bound_args(driver, &self.params, &self.owner_keys)
    }

    /// The target key parameters of `link` as a statement's arguments.
    pub(in crate::emit) fn target_args(&self, driver: &dyn Driver) -> Vec<TokenStream> {
        bound_args(driver, &self.target_param, &self.target_keys)
    }

    /// The types of the owner key's columns.
    pub(in crate::emit) fn owner_types(&self) -> Vec<FieldType> {
        self.owner_keys.iter().map(|c| c.ty).collect()
    }

    /// The types of the target key's columns (a `many_to_many`'s).
    pub(in crate::emit) fn target_types(&self) -> Vec<FieldType> {
        self.target_keys.iter().map(|c| c.ty).collect()
    }

    /// Which owner parameter fills each `foreign_key` column of a row this
    /// association writes (its columns, in key order).
    pub(in crate::emit) fn owner_values(
        &self,
        foreign_key: &[ColumnId],
    ) -> Vec<(ColumnId, &proc_macro2::Ident)> {
        foreign_key
            .iter()
            .copied()
            .zip(self.params.iter().map(|p| &p.name))
            .collect()
    }
}

/// Parameters holding keys of `columns`, bound as statement arguments (in
/// an association's module, two levels below `mortise_support`).
fn bound_args(driver: &dyn Driver, params: &[Param], columns: &[&Column]) -> Vec<TokenStream> {
    let support = quote!(super::super::mortise_support);
    params
        .iter()
        .zip(columns)
        .map(|(param, column)| {
            let name = &param.name;
            driver.bind_key(&support, column, quote!(#name))
        })
        .collect()
}

/// A function parameter: its name and type.
pub(in crate::emit) struct Param {
    pub(in crate::emit) name: proc_macro2::Ident,
    pub(in crate::emit) ty: TokenStream,
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
pub(in crate::emit) fn declare(params: &[Param]) -> TokenStream {
    let (names, types) = (params.iter().map(|p| &p.name), params.iter().map(|p| &p.ty));
    quote!(#(#names: #types),*)
}

/// The names of `params`.
pub(in crate::emit) fn names(params: &[Param]) -> Vec<&proc_macro2::Ident> {
    params.iter().map(|p| &p.name).collect()
}

pub(in crate::emit) fn shape<'a>(
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
            (!target.primary_key.is_empty()).then_some(&target.primary_key),
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
        target_keys,
        summary,
        params,
        target_param,
        target_params,
    })
}

/// The parameter naming the owner: `movie_id` for the key `id` of `movies`;
/// for a belongs_to, the foreign key's own name.
fn owner_parameter(owner_table: &str, assoc: &Association, key: &Column) -> RustIdent {
    match assoc.kind {
        AssociationKind::BelongsTo { .. } => RustIdent::parameter(&key.field),
        _ => RustIdent::key_parameter(owner_table, key.field.unraw(), false),
    }
}
