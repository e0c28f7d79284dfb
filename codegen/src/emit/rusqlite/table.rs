//! A table's module: its row and insert structs, CRUD, and its associations.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::common::{self, generated_note, key_param_type};
use super::{DIALECT, association, bind_value, doc_lines, read_column, sql_doc};
use crate::ir::{Column, Generated, Schema, TableId};
use crate::names::RustIdent;
use crate::sql::{self, TableStatements};

pub(super) fn table_module(schema: &Schema, id: TableId) -> TokenStream {
    let table = &schema.tables[id];
    let module = table.module.to_ident();
    let row = table.struct_name.to_ident();
    let statements = sql::table_statements(DIALECT, schema, id);
    let module_doc = doc_lines(&format!("The `{}` table.", table.sql_name));
    let structs = common::structs(schema, id);
    let constants = common::sql_constants(&statements.named());
    let association_modules = table
        .associations
        .iter()
        .filter_map(|a| association::module(schema, id, a));
    let functions = crud_functions(schema, id, &statements);
    let support = quote!(super::mortise_support);
    let reads = table.columns.iter().enumerate().map(|(i, c)| {
        let name = c.field.to_ident();
        let read = read_column(c, common::column_index(i), &support);
        quote! { #name: #read }
    });
    let not_loaded = common::not_loaded(table);
    let (from_row_doc, from_row_at_doc) = (
        doc_lines(common::FROM_ROW_DOC),
        doc_lines(common::FROM_ROW_AT_DOC),
    );

    quote! {
        #module_doc
        pub mod #module {
            #structs
            #constants

            impl #row {
                #functions

                #from_row_doc
                pub fn from_row(row: &::rusqlite::Row<'_>) -> ::rusqlite::Result<Self> {
                    Self::from_row_at(row, 0)
                }

                #from_row_at_doc
                pub fn from_row_at(row: &::rusqlite::Row<'_>, start: usize) -> ::rusqlite::Result<Self> {
                    ::std::result::Result::Ok(Self { #(#reads,)* #not_loaded })
                }
            }

            #(#association_modules)*
        }
    }
}

fn crud_functions(schema: &Schema, id: TableId, statements: &TableStatements) -> TokenStream {
    let table = &schema.tables[id];
    let row = table.struct_name.to_ident();
    let new = table.new_struct_name.to_ident();
    let name = &table.sql_name;

    // insert: caller's values, then what the generated code sets itself.
    let insert_values = table.insert_columns().map(|(_, c)| match c.generated {
        Some(Generated::Uuid) => quote!(::uuid::Uuid::new_v4()),
        Some(Generated::InsertedAt | Generated::UpdatedAt) => quote!(now),
        _ => {
            let field = c.field.to_ident();
            bind_value(c, quote!(new.#field))
        }
    });
    let uses_now = table.columns.iter().any(|c| {
        matches!(
            c.generated,
            Some(Generated::InsertedAt | Generated::UpdatedAt)
        )
    });
    let now = uses_now.then(common::now);
    let insert_doc = doc_lines(&format!(
        "Inserts a `{name}` row and returns it as stored ({}).\n\n{}",
        generated_note(table),
        sql_doc(&statements.insert)
    ));
    let mut out = quote! {
        #insert_doc
        pub fn insert(db: &::rusqlite::Connection, new: &#new) -> ::rusqlite::Result<#row> {
            #now
            let mut statement = db.prepare_cached(INSERT_SQL)?;
            statement.query_row(::rusqlite::params![#(#insert_values),*], #row::from_row)
        }
    };

    let key_columns: Vec<&Column> = table.primary_key.iter().map(|c| table.column(*c)).collect();
    let key_params: Vec<TokenStream> = key_columns
        .iter()
        .map(|c| {
            let param = RustIdent::parameter(&c.field).to_ident();
            let ty = key_param_type(c.ty);
            quote!(#param: #ty)
        })
        .collect();
    let key_args: Vec<TokenStream> = key_columns
        .iter()
        .map(|c| {
            let param = RustIdent::parameter(&c.field).to_ident();
            bind_value(c, quote!(#param))
        })
        .collect();

    if let Some(get) = &statements.get {
        let doc = doc_lines(&format!(
            "The `{name}` row with this key, if there is one.\n\n{}",
            sql_doc(get)
        ));
        out.extend(quote! {
            #doc
            pub fn get(db: &::rusqlite::Connection, #(#key_params),*) -> ::rusqlite::Result<::std::option::Option<#row>> {
                let mut statement = db.prepare_cached(GET_SQL)?;
                ::rusqlite::OptionalExtension::optional(
                    statement.query_row(::rusqlite::params![#(#key_args),*], #row::from_row),
                )
            }
        });
    }

    let order = if table.primary_key.is_empty() {
        "every column"
    } else {
        "key"
    };
    let all_doc = doc_lines(&format!(
        "Every `{name}` row, in {order} order.\n\n{}",
        sql_doc(&statements.all)
    ));
    out.extend(quote! {
        #all_doc
        pub fn all(db: &::rusqlite::Connection) -> ::rusqlite::Result<::std::vec::Vec<#row>> {
            let mut statement = db.prepare_cached(ALL_SQL)?;
            let rows = statement.query_map([], #row::from_row)?;
            rows.collect()
        }
    });

    if let Some(update) = &statements.update {
        let updated_at = table
            .columns
            .iter()
            .find(|c| c.generated == Some(Generated::UpdatedAt));
        let values = table.update_columns().map(|(_, c)| {
            if c.generated == Some(Generated::UpdatedAt) {
                quote!(now)
            } else {
                let field = c.field.to_ident();
                bind_value(c, quote!(self.#field))
            }
        });
        let keys = key_columns.iter().map(|c| {
            let field = c.field.to_ident();
            bind_value(c, quote!(self.#field))
        });
        let common::Update {
            receiver,
            now,
            set_now,
            doc,
        } = common::update(updated_at, update);
        out.extend(quote! {
            #doc
            pub fn update(#receiver, db: &::rusqlite::Connection) -> ::rusqlite::Result<bool> {
                #now
                let mut statement = db.prepare_cached(UPDATE_SQL)?;
                let changed = statement.execute(::rusqlite::params![#(#values,)* #(#keys),*])? > 0;
                #set_now
                ::std::result::Result::Ok(changed)
            }
        });
    }

    if let Some(delete) = &statements.delete {
        // Each association's `on_delete`, run before the row goes, all in one savepoint.
        let cleanups: Vec<(String, String)> = table
            .associations
            .iter()
            .filter_map(|a| {
                let on_delete = sql::association_statements(DIALECT, schema, id, a).on_delete?;
                Some((a.module.as_str().to_owned(), on_delete))
            })
            .collect();
        let mut text =
            format!("Deletes the `{name}` row with this key; `false` when there was none.");
        if !cleanups.is_empty() {
            text.push_str(" First, in the same savepoint, applies `on_delete` (without relying on foreign keys being enforced):");
            for (module, sql) in &cleanups {
                text.push_str(&format!("\n\n`{module}`:\n\n{}", sql_doc(sql)));
            }
            text.push_str("\n\nthen:");
        }
        let doc = doc_lines(&format!("{text}\n\n{}", sql_doc(delete)));
        let cleanup_calls = table.associations.iter().filter(|a| cleanups.iter().any(|(m, _)| m == a.module.as_str())).map(|a| {
            let module = a.module.to_ident();
            quote! { db.prepare_cached(#module::ON_DELETE_SQL)?.execute(::rusqlite::params![#(#key_args),*])?; }
        });
        let body = if cleanups.is_empty() {
            quote! {
                let mut statement = db.prepare_cached(DELETE_SQL)?;
                ::std::result::Result::Ok(statement.execute(::rusqlite::params![#(#key_args),*])? > 0)
            }
        } else {
            quote! {
                super::mortise_support::in_savepoint(db, || {
                    #(#cleanup_calls)*
                    let mut statement = db.prepare_cached(DELETE_SQL)?;
                    ::std::result::Result::Ok(statement.execute(::rusqlite::params![#(#key_args),*])? > 0)
                })
            }
        };
        out.extend(quote! {
            #doc
            pub fn delete(db: &::rusqlite::Connection, #(#key_params),*) -> ::rusqlite::Result<bool> {
                #body
            }
        });
    }
    out
}
