//! An association's module: its join SQL, `list` (or `get`), `count`, a
//! one-query `preload`, and for `many_to_many` the join-table helpers.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::common::{self, Shape, key_param_type, owner_parameter, shape};
use super::{DIALECT, doc_lines, sql_doc};
use crate::ir::{Association, Schema, TableId};
use crate::names::RustIdent;
use crate::sql::{self, AssociationStatements, LinkParam};

pub(super) fn module(schema: &Schema, owner: TableId, assoc: &Association) -> Option<TokenStream> {
    let statements = sql::association_statements(DIALECT, schema, owner, assoc);
    let shape = shape(schema, owner, assoc)?;
    let owner_table = &schema.tables[owner];
    let module = assoc.module.to_ident();
    let module_doc = doc_lines(&format!(
        "`{}.{}`: {}.",
        owner_table.sql_name, assoc.name, shape.summary
    ));
    let constants = statements.named().into_iter().map(|(name, sql)| {
        let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
        let doc = doc_lines(&sql_doc(sql));
        quote! { #doc pub const #ident: &str = #sql; }
    });
    let reads = reads(schema, owner, assoc, &shape, &statements);
    let links = links(schema, owner, assoc, &shape, &statements);
    Some(quote! {
        #module_doc
        pub mod #module {
            #(#constants)*
            #reads
            #links
        }
    })
}

/// `list`/`get`, `count` and `preload`.
fn reads(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
) -> TokenStream {
    let common::Reads {
        owner_row,
        target_path,
        param,
        param_type,
        key_type,
        link_index,
        key_of,
        keys,
        group_type,
        collect_row,
        assign,
        list_doc,
        preload_doc,
    } = common::reads(schema, owner, assoc, shape, &statements.select);

    let list = if shape.many {
        quote! {
            #list_doc
            pub fn list(db: &::rusqlite::Connection, #param: #param_type) -> ::rusqlite::Result<::std::vec::Vec<#target_path>> {
                let keys = super::super::mortise_support::array([#param])?;
                let mut statement = super::super::mortise_support::prepare(db, SELECT_SQL)?;
                let rows = statement.query_map([keys], #target_path::from_row)?;
                rows.collect()
            }
        }
    } else {
        quote! {
            #list_doc
            pub fn get(db: &::rusqlite::Connection, #param: #param_type) -> ::rusqlite::Result<::std::option::Option<#target_path>> {
                let keys = super::super::mortise_support::array([#param])?;
                let mut statement = super::super::mortise_support::prepare(db, SELECT_SQL)?;
                let mut rows = statement.query_map([keys], #target_path::from_row)?;
                rows.next().transpose()
            }
        }
    };

    let count = statements.count.as_ref().map(|sql| {
        let doc = common::count_doc(schema, owner, assoc, sql);
        quote! {
            #doc
            pub fn count(db: &::rusqlite::Connection, #param: #param_type) -> ::rusqlite::Result<u64> {
                let mut statement = db.prepare_cached(COUNT_SQL)?;
                let count: i64 = statement.query_row([#param], |row| row.get(0))?;
                // count(*) is never negative.
                ::std::result::Result::Ok(count.unsigned_abs())
            }
        }
    });

    quote! {
        #list
        #count

        #preload_doc
        pub fn preload<'a>(
            db: &::rusqlite::Connection,
            owners: impl ::std::iter::IntoIterator<Item = &'a mut super::#owner_row>,
        ) -> ::rusqlite::Result<()> {
            let mut owners: ::std::vec::Vec<&'a mut super::#owner_row> = owners.into_iter().collect();
            if owners.is_empty() {
                return ::std::result::Result::Ok(());
            }
            let keys = super::super::mortise_support::array(#keys)?;
            let mut statement = super::super::mortise_support::prepare(db, SELECT_SQL)?;
            let mut rows = statement.query([keys])?;
            let mut groups: ::std::collections::HashMap<#key_type, #group_type> = ::std::collections::HashMap::new();
            while let ::std::option::Option::Some(found) = rows.next()? {
                let link: #key_type = found.get(#link_index)?;
                let row = #target_path::from_row(found)?;
                #collect_row
            }
            super::super::mortise_support::distribute(&mut owners, groups, |owner| #key_of, |owner, group| #assign);
            ::std::result::Result::Ok(())
        }
    }
}

/// The join-table helpers of a `many_to_many`: insert, delete, replace, clear.
fn links(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
) -> TokenStream {
    let (Some(links), Some(target_key)) = (&statements.links, shape.target_key) else {
        return TokenStream::new();
    };
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let param = owner_parameter(owner_table.sql_name.as_str(), assoc, shape.owner_key);
    let param_type = key_param_type(shape.owner_key.ty);
    let targets =
        RustIdent::key_parameter(&target.sql_name, target_key.field.unraw(), true).to_ident();
    let target_type = key_param_type(target_key.ty);
    let (owner_name, target_name) = (&owner_table.sql_name, &target.sql_name);
    let uses_now = links.insert_params.contains(&LinkParam::Now);
    let now = uses_now.then(super::super::common::now);
    // The insert's parameters: the owner, the target keys, then the extras.
    let insert_params: Vec<TokenStream> = [quote!(#param), quote!(keys)]
        .into_iter()
        .chain(links.insert_params.iter().map(|p| match p {
            LinkParam::Now => quote!(now),
        }))
        .collect();

    let insert_doc = doc_lines(&format!(
        "Links one `{owner_name}` row to `{targets}` (GORM's Append). Links are a set: an existing link, or a key given twice, \
         is left as it is. Returns how many links are new. One statement: a key that does not exist (with foreign keys on) \
         is an error and nothing is linked.\n\n{}",
        sql_doc(&links.insert)
    ));
    let delete_doc = doc_lines(&format!(
        "Unlinks `{targets}` from one `{owner_name}` row (GORM's Delete); never deletes `{target_name}` rows. Returns how many links went.\n\n{}",
        sql_doc(&links.delete)
    ));
    let replace_doc = doc_lines(&format!(
        "Afterwards the `{owner_name}` row is linked to exactly `{targets}` (GORM's Replace, Ecto's `put_assoc`). \
         Writes only the difference, atomically (a savepoint, which nests in the caller's transaction), \
         and returns it.\n\n{}\n\nthen [`INSERT_SQL`].",
        sql_doc(&links.retain)
    ));
    let clear_doc = doc_lines(&format!(
        "Unlinks every `{target_name}` row from one `{owner_name}` row (GORM's Clear). Returns how many links went.\n\n{}",
        sql_doc(&links.clear)
    ));
    quote! {
        #insert_doc
        pub fn insert(db: &::rusqlite::Connection, #param: #param_type, #targets: &[#target_type]) -> ::rusqlite::Result<usize> {
            #now
            let keys = super::super::mortise_support::array(#targets)?;
            let mut statement = super::super::mortise_support::prepare(db, INSERT_SQL)?;
            statement.execute(::rusqlite::params![#(#insert_params),*])
        }

        #delete_doc
        pub fn delete(db: &::rusqlite::Connection, #param: #param_type, #targets: &[#target_type]) -> ::rusqlite::Result<usize> {
            let keys = super::super::mortise_support::array(#targets)?;
            let mut statement = super::super::mortise_support::prepare(db, DELETE_SQL)?;
            statement.execute(::rusqlite::params![#param, keys])
        }

        #replace_doc
        pub fn replace(db: &::rusqlite::Connection, #param: #param_type, #targets: &[#target_type]) -> ::rusqlite::Result<super::super::Changes> {
            super::super::mortise_support::in_savepoint(db, || {
                #now
                let keys = super::super::mortise_support::array(#targets)?;
                let removed = super::super::mortise_support::prepare(db, RETAIN_SQL)?.execute(::rusqlite::params![#param, keys.clone()])?;
                let added = super::super::mortise_support::prepare(db, INSERT_SQL)?.execute(::rusqlite::params![#(#insert_params),*])?;
                ::std::result::Result::Ok(super::super::Changes { added, removed })
            })
        }

        #clear_doc
        pub fn clear(db: &::rusqlite::Connection, #param: #param_type) -> ::rusqlite::Result<usize> {
            let mut statement = db.prepare_cached(CLEAR_SQL)?;
            statement.execute([#param])
        }
    }
}
