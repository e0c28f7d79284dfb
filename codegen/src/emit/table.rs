//! A table's module: its row and insert structs, its statements as
//! constants, CRUD, `from_row`, and a module per association.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::{Root, column_doc, default_value, generated_note, has_default, rust_type};
use super::{Target, association, crud, doc_lines, sql_constants, struct_attributes};
use crate::ir::{Schema, Table, TableId};
use crate::sql;

pub(super) fn module(target: &Target, id: TableId) -> TokenStream {
    let Target {
        schema,
        dialect,
        driver,
    } = *target;
    let table = &schema.tables[id];
    let module = table.module.to_ident();
    let row = table.struct_name.to_ident();
    let statements = sql::table_statements(dialect, schema, id);
    let module_doc = doc_lines(&format!("The `{}` table.", table.sql_name));
    let structs = structs(schema, id);
    let constants = sql_constants(&statements.named());
    let functions = crud::table_functions(target, id, &statements);
    let row_ident = super::ident("row");
    let reads = table.columns.iter().enumerate().map(|(i, c)| {
        let name = c.field.to_ident();
        let read = driver.read_column(c, &row_ident, column_index(i));
        quote! { #name: #read }
    });
    let not_loaded = not_loaded(table);
    let (from_row_doc, from_row_at_doc) = (doc_lines(FROM_ROW_DOC), doc_lines(FROM_ROW_AT_DOC));
    let (row_type, result) = (driver.row(), driver.result(quote!(Self)));
    let association_modules = table
        .associations
        .iter()
        .filter_map(|a| association::module(target, id, a));
    let attributes = target.driver.module_attributes();
    quote! {
        #module_doc
        #[allow(dead_code)]
        #attributes
        pub mod #module {
            #structs
            #constants

            impl #row {
                #functions

                #from_row_doc
                pub fn from_row(row: &#row_type) -> #result {
                    Self::from_row_at(row, 0)
                }

                #from_row_at_doc
                pub fn from_row_at(row: &#row_type, start: usize) -> #result {
                    ::std::result::Result::Ok(Self { #(#reads,)* #not_loaded })
                }
            }

            #(#association_modules)*
        }
    }
}

/// `Default` for a `New...` struct whose fields have schema defaults, so that
/// `NewPost { title, ..Default::default() }` gets them in Rust too.
fn default_impl(table: &Table, root: &Root<'_>) -> TokenStream {
    let new = table.new_struct_name.to_ident();
    let fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let value = match c.default_value() {
            Some(literal) => default_value(c, literal, root),
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

/// A table's row struct (columns, then one `Loaded` field per association)
/// and its insert struct, with `Default` from the schema's defaults.
fn structs(schema: &Schema, id: TableId) -> TokenStream {
    let table = &schema.tables[id];
    let root = Root {
        path: quote!(super),
        enums: &schema.enums,
        embeds: &schema.embeds,
    };
    let row = table.struct_name.to_ident();
    let new = table.new_struct_name.to_ident();
    let row_doc = doc_lines(&format!(
        "A row of `{}`. Fields are in column order; every statement of this module selects them in that order.",
        table.sql_name
    ));
    let row_fields = table.columns.iter().map(|c| {
        let name = c.field.to_ident();
        let ty = rust_type(c, &root);
        let doc = doc_lines(&column_doc(c, &root));
        quote! { #doc pub #name: #ty }
    });
    let association_fields = table
        .associations
        .iter()
        .map(|a| association::field(schema, table, a));
    let new_doc = doc_lines(&format!(
        "The values of a new `{}` row; {}.",
        table.sql_name,
        generated_note(table)
    ));
    let new_fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let ty = rust_type(c, &root);
        quote! { pub #name: #ty }
    });
    let has_defaults = table
        .new_columns()
        .any(|(_, c)| c.default_value().is_some());
    // No `Default` when a field has none (a `rust_type:` without `default`).
    let defaultable = table
        .new_columns()
        .all(|(_, c)| has_default(c, c.default_value(), root.embeds));
    let (new_derive, new_default) = match (has_defaults, defaultable) {
        (_, false) => (quote!(Debug, Clone, PartialEq), TokenStream::new()),
        (true, true) => (quote!(Debug, Clone, PartialEq), default_impl(table, &root)),
        (false, true) => (quote!(Debug, Clone, Default, PartialEq), TokenStream::new()),
    };
    let new_attributes = struct_attributes(new_derive, &table.options);
    let row_attributes = struct_attributes(quote!(Debug, Clone, PartialEq), &table.options);
    quote! {
        #row_doc
        #row_attributes
        pub struct #row {
            #(#row_fields,)*
            #(#association_fields,)*
        }

        #new_doc
        #new_attributes
        pub struct #new {
            #(#new_fields,)*
        }

        #new_default
    }
}

/// The index of a row struct's `i`th column in `from_row_at`: `start + i`.
fn column_index(i: usize) -> TokenStream {
    if i == 0 {
        quote!(start)
    } else {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(start + #i)
    }
}

/// The doc of `from_row` and `from_row_at`.
const FROM_ROW_DOC: &str = "Reads a row whose columns come in struct order, as every statement of this module selects them.";
const FROM_ROW_AT_DOC: &str = "Reads the struct's columns from column `start` on, in struct order: a row of a join that selects other columns first (an edge selects the join row's, then the target's).";

/// `field: super::Loaded::NotLoaded` for each association, in `from_row`.
fn not_loaded(table: &Table) -> TokenStream {
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
