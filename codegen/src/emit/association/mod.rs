//! An association's module: its join SQL as constants, `list` (or `get`),
//! `count` and a one-query `preload`; for `many_to_many` the join-table
//! helpers; `create` of new targets and `attach`/`detach` of children; for
//! rows stored in a table of the association's own, their writes.

mod links;
mod reads;
mod shape;
mod writes;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Target, crud, doc_lines, sql_constants};
use crate::ir::{Association, AssociationKind, DESERIALIZE, SERIALIZE, Schema, Table, TableId};
use crate::sql;
use shape::shape;

pub(super) fn module(target: &Target, owner: TableId, assoc: &Association) -> Option<TokenStream> {
    let Target {
        schema, dialect, ..
    } = *target;
    let statements = sql::association_statements(dialect, schema, owner, assoc);
    let write_statements = sql::write_statements(dialect, schema, owner, assoc);
    let shape = shape(schema, owner, assoc)?;
    let module = assoc.module.to_ident();
    let module_doc = doc_lines(&format!(
        "`{}.{}`: {}.",
        schema.tables[owner].sql_name, assoc.name, shape.summary
    ));
    let mut named = statements.named();
    named.extend(write_statements.named());
    let constants = sql_constants(&named);
    let reads = reads::functions(target, owner, assoc, &shape, &statements);
    let links = links::functions(target, owner, assoc, &shape, &statements);
    let writes = writes::functions(target, owner, assoc, &shape, &statements, &write_statements);
    let stored = match (&statements.stored, &assoc.kind) {
        (Some(stored), AssociationKind::Has { foreign_key, .. }) => crud::stored_functions(
            target,
            owner,
            assoc,
            shape::declare(&shape.params),
            &shape.owner_values(foreign_key),
            stored,
        ),
        _ => TokenStream::new(),
    };
    Some(quote! {
        #module_doc
        pub mod #module {
            #constants
            #reads
            #links
            #writes
            #stored
        }
    })
}

/// The association's field on the owner's row struct.
pub(super) fn field(schema: &Schema, owner: &Table, assoc: &Association) -> TokenStream {
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
    let serde = serde_field(owner);
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
        quote! { , #doc #serde pub #edges: super::Loaded<::std::vec::Vec<super::Edge<super::#join_module::#join_row, super::#module::#row>>> }
    });
    quote! { #doc #serde pub #name: #ty #edges }
}

/// serde's attributes on a `Loaded` field of a row that derives serde: a
/// field not loaded is left out of the output, and missing from the input
/// it is `NotLoaded`, so a row goes to JSON and back as it was.
fn serde_field(owner: &Table) -> TokenStream {
    let skip = "super::Loaded::is_not_loaded";
    match (
        owner.options.derives(SERIALIZE),
        owner.options.derives(DESERIALIZE),
    ) {
        (true, true) => quote!(#[serde(default, skip_serializing_if = #skip)]),
        (true, false) => quote!(#[serde(skip_serializing_if = #skip)]),
        (false, true) => quote!(#[serde(default)]),
        (false, false) => TokenStream::new(),
    }
}
