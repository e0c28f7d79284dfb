//! An association's module: its join SQL, `list` (or `get`), `count`, a
//! one-query `preload`, and for `many_to_many` the join-table helpers.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::common::{self, Param, Rows, Shape, declare, names, shape};
use super::{DIALECT, bind_value, doc_lines, sql_doc};
use crate::ir::{Association, AssociationKind, Generated, Schema, TableId};
use crate::sql::{self, AssociationStatements, EdgeParam, EdgeStatements, LinkParam};

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
    let stored = stored(schema, owner, assoc, &shape, &statements);
    Some(quote! {
        #module_doc
        pub mod #module {
            #(#constants)*
            #reads
            #links
            #stored
        }
    })
}

/// `insert`, `update` and `delete` of an association whose rows live in a
/// table of its own (`has_many: { table, struct }`).
fn stored(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
) -> TokenStream {
    let (Some(stored), AssociationKind::Has { foreign_key, .. }) =
        (&statements.stored, &assoc.kind)
    else {
        return TokenStream::new();
    };
    let table = &schema.tables[assoc.target];
    let (module, row, new) = (
        table.module.to_ident(),
        table.struct_name.to_ident(),
        table.new_struct_name.to_ident(),
    );
    let (row, new) = (
        quote!(super::super::#module::#row),
        quote!(super::super::#module::#new),
    );
    let params = declare(&shape.params);
    let parts = common::stored_parts(schema, owner, assoc, foreign_key, stored);
    let values = table.insert_columns().map(|(id, c)| {
        match (c.generated, shape.owner_param_for(foreign_key, id)) {
            (Some(Generated::Uuid), _) => quote!(::uuid::Uuid::new_v4()),
            (Some(Generated::InsertedAt | Generated::UpdatedAt), _) => quote!(now),
            (_, Some(param)) => quote!(#param),
            _ => {
                let field = c.field.to_ident();
                bind_value(c, quote!(new.#field))
            }
        }
    });
    let common::StoredParts {
        insert_doc,
        now,
        update,
        delete_doc,
        key_params,
        key_fields,
    } = parts;
    let key_args = key_fields
        .iter()
        .map(|(c, name)| bind_value(c, quote!(#name)));
    let mut out = quote! {
        #insert_doc
        pub fn insert(db: &::rusqlite::Connection, #params, new: &#new) -> ::rusqlite::Result<#row> {
            #now
            let mut statement = db.prepare_cached(INSERT_SQL)?;
            statement.query_row(::rusqlite::params![#(#values),*], #row::from_row)
        }
    };
    if let Some(common::StoredUpdate {
        doc,
        receiver,
        now,
        set_now,
    }) = update
    {
        let values = table.update_columns().map(|(_, c)| {
            if c.generated == Some(Generated::UpdatedAt) {
                quote!(now)
            } else {
                let field = c.field.to_ident();
                bind_value(c, quote!(row.#field))
            }
        });
        let keys = key_fields.iter().map(|(c, _)| {
            let field = c.field.to_ident();
            bind_value(c, quote!(row.#field))
        });
        out.extend(quote! {
            #doc
            pub fn update(db: &::rusqlite::Connection, row: #receiver) -> ::rusqlite::Result<bool> {
                #now
                let mut statement = db.prepare_cached(UPDATE_SQL)?;
                let changed = statement.execute(::rusqlite::params![#(#values,)* #(#keys),*])? > 0;
                #set_now
                ::std::result::Result::Ok(changed)
            }
        });
    }
    if let Some(delete_doc) = delete_doc {
        out.extend(quote! {
            #delete_doc
            pub fn delete(db: &::rusqlite::Connection, #(#key_params),*) -> ::rusqlite::Result<bool> {
                let mut statement = db.prepare_cached(DELETE_SQL)?;
                ::std::result::Result::Ok(statement.execute(::rusqlite::params![#(#key_args),*])? > 0)
            }
        });
    }
    out
}

/// `list`/`get`, `count` and `preload`; over a join schema also
/// `list_edges`, `preload_edges` and `link`.
fn reads(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
) -> TokenStream {
    let mut out = row_reads(
        schema,
        owner,
        assoc,
        shape,
        &statements.select,
        Rows::Targets,
    );
    if let Some(sql) = &statements.count {
        let (params, args) = (declare(&shape.params), bound(&names(&shape.params)));
        let doc = common::count_doc(schema, owner, assoc, sql);
        out.extend(quote! {
            #doc
            pub fn count(db: &::rusqlite::Connection, #params) -> ::rusqlite::Result<u64> {
                let mut statement = db.prepare_cached(COUNT_SQL)?;
                let count: i64 = statement.query_row(#args, |row| row.get(0))?;
                // count(*) is never negative.
                ::std::result::Result::Ok(count.unsigned_abs())
            }
        });
    }
    if let (Some(edges), Some(join)) = (&statements.edges, assoc.join_schema(schema)) {
        let join = &schema.tables[join];
        out.extend(row_reads(
            schema,
            owner,
            assoc,
            shape,
            &edges.select,
            Rows::Edges,
        ));
        let edge_type = common::edge_type_path(schema, assoc, join);
        let body = common::edge_body(schema, assoc, join);
        out.extend(quote! {
            /// Reads a row of [`EDGES_SQL`]: the join row's columns, then the target's.
            fn edge(found: &::rusqlite::Row<'_>) -> ::rusqlite::Result<#edge_type> {
                #body
            }
        });
        out.extend(link(schema, owner, assoc, shape, join, edges));
    }
    out
}

/// `list` (or `get`) and `preload` of the targets, or their `_edges` twins.
fn row_reads(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    sql: &str,
    rows: Rows,
) -> TokenStream {
    let common::Reads {
        owner_row,
        row_type,
        read_row,
        sql,
        list_fn,
        preload_fn,
        key_type,
        link_indexes,
        key_of,
        keys,
        group_type,
        collect_row,
        assign,
        list_doc,
        preload_doc,
    } = common::reads(schema, owner, assoc, shape, sql, rows);
    let params = declare(&shape.params);
    let one_key = key_array(&shape.params);
    let all_keys = keys_array(keys, shape.params.len());
    let link = match link_indexes.as_slice() {
        [one] => quote!(found.get(#one)?),
        many => quote!((#(found.get(#many)?),*)),
    };

    let list = if shape.many || rows == Rows::Edges {
        quote! {
            #list_doc
            pub fn #list_fn(db: &::rusqlite::Connection, #params) -> ::rusqlite::Result<::std::vec::Vec<#row_type>> {
                let keys = #one_key;
                let mut statement = super::super::mortise_support::prepare(db, #sql)?;
                let rows = statement.query_map([keys], #read_row)?;
                rows.collect()
            }
        }
    } else {
        quote! {
            #list_doc
            pub fn #list_fn(db: &::rusqlite::Connection, #params) -> ::rusqlite::Result<::std::option::Option<#row_type>> {
                let keys = #one_key;
                let mut statement = super::super::mortise_support::prepare(db, #sql)?;
                let mut rows = statement.query_map([keys], #read_row)?;
                rows.next().transpose()
            }
        }
    };

    quote! {
        #list

        #preload_doc
        pub fn #preload_fn<'a>(
            db: &::rusqlite::Connection,
            owners: impl ::std::iter::IntoIterator<Item = &'a mut super::#owner_row>,
        ) -> ::rusqlite::Result<()> {
            let mut owners: ::std::vec::Vec<&'a mut super::#owner_row> = owners.into_iter().collect();
            if owners.is_empty() {
                return ::std::result::Result::Ok(());
            }
            let keys = #all_keys;
            let mut statement = super::super::mortise_support::prepare(db, #sql)?;
            let mut rows = statement.query([keys])?;
            let mut groups: ::std::collections::HashMap<#key_type, #group_type> = ::std::collections::HashMap::new();
            while let ::std::option::Option::Some(found) = rows.next()? {
                let link: #key_type = #link;
                let row = #read_row(found)?;
                #collect_row
            }
            super::super::mortise_support::distribute(&mut owners, groups, |owner| #key_of, |owner, group| #assign);
            ::std::result::Result::Ok(())
        }
    }
}

/// `Link` and `link`: one link written with the join row's own values.
fn link(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    join: &crate::ir::Table,
    edges: &EdgeStatements,
) -> TokenStream {
    if shape.target_param.is_empty() {
        return TokenStream::new();
    }
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let (params, targets) = (declare(&shape.params), declare(&shape.target_param));
    let keys = names(&shape.params)
        .into_iter()
        .chain(names(&shape.target_param));
    let link_struct = common::link_struct(schema, owner, assoc, join, &edges.params);
    let now = edges.params.contains(&EdgeParam::Now).then(common::now);
    let values = edges.params.iter().map(|p| match p {
        EdgeParam::Value(c) => {
            let column = join.column(*c);
            let field = column.field.to_ident();
            bind_value(column, quote!(values.#field))
        }
        EdgeParam::Now => quote!(now),
        EdgeParam::NewUuid => quote!(::uuid::Uuid::new_v4()),
    });
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    let doc = doc_lines(&format!(
        "Links one `{}` row to one `{}` row with these values, and returns the `{}` row as stored; `None` when the \
         link already exists (left as it is: change it with `{}::update`). A key that does not exist (with foreign \
         keys on) is an error and nothing is written.\n\n{}",
        owner_table.sql_name,
        target.sql_name,
        join.sql_name,
        join.struct_name.unraw(),
        sql_doc(&edges.insert)
    ));
    quote! {
        #link_struct

        #doc
        pub fn link(
            db: &::rusqlite::Connection,
            #params,
            #targets,
            values: &Link,
        ) -> ::rusqlite::Result<::std::option::Option<super::super::#jm::#jr>> {
            #now
            let mut statement = db.prepare_cached(LINK_SQL)?;
            let mut rows = statement.query(::rusqlite::params![#(#keys,)* #(#values),*])?;
            rows.next()?.map(super::super::#jm::#jr::from_row).transpose()
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
    let (
        Some(links),
        Some(Param {
            name: targets,
            ty: target_type,
        }),
    ) = (&statements.links, &shape.target_params)
    else {
        return TokenStream::new();
    };
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let params = declare(&shape.params);
    let owner_keys = names(&shape.params);
    let owner_args = bound(&owner_keys);
    let target_keys = flat_array(quote!(#targets), shape.target_param.len());
    let (owner_name, target_name) = (&owner_table.sql_name, &target.sql_name);
    let uses_now = links.insert_params.contains(&LinkParam::Now);
    let now = uses_now.then(super::super::common::now);
    // The insert's parameters: the owner, the target keys, then the extras.
    let insert_params: Vec<TokenStream> = owner_keys
        .iter()
        .map(|p| quote!(#p))
        .chain([quote!(keys)])
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
        pub fn insert(db: &::rusqlite::Connection, #params, #targets: &[#target_type]) -> ::rusqlite::Result<usize> {
            #now
            let keys = #target_keys;
            let mut statement = super::super::mortise_support::prepare(db, INSERT_SQL)?;
            statement.execute(::rusqlite::params![#(#insert_params),*])
        }

        #delete_doc
        pub fn delete(db: &::rusqlite::Connection, #params, #targets: &[#target_type]) -> ::rusqlite::Result<usize> {
            let keys = #target_keys;
            let mut statement = super::super::mortise_support::prepare(db, DELETE_SQL)?;
            statement.execute(::rusqlite::params![#(#owner_keys,)* keys])
        }

        #replace_doc
        pub fn replace(db: &::rusqlite::Connection, #params, #targets: &[#target_type]) -> ::rusqlite::Result<super::super::Changes> {
            super::super::mortise_support::in_savepoint(db, || {
                #now
                let keys = #target_keys;
                let removed = super::super::mortise_support::prepare(db, RETAIN_SQL)?.execute(::rusqlite::params![#(#owner_keys,)* keys.clone()])?;
                let added = super::super::mortise_support::prepare(db, INSERT_SQL)?.execute(::rusqlite::params![#(#insert_params),*])?;
                ::std::result::Result::Ok(super::super::Changes { added, removed })
            })
        }

        #clear_doc
        pub fn clear(db: &::rusqlite::Connection, #params) -> ::rusqlite::Result<usize> {
            let mut statement = db.prepare_cached(CLEAR_SQL)?;
            statement.execute(#owner_args)
        }
    }
}

/// The values of a statement's parameters: `[a]`, or `params![a, b]` when
/// there are several (of different types).
fn bound(values: &[&proc_macro2::Ident]) -> TokenStream {
    match values {
        [one] => quote!([#one]),
        many => quote!(::rusqlite::params![#(#many),*]),
    }
}

/// The `rarray` of one owner's key, from the function's parameters: a
/// composite key's columns one after another (see `Dialect::key_source`).
fn key_array(params: &[Param]) -> TokenStream {
    match params {
        [one] => {
            let name = &one.name;
            quote!(super::super::mortise_support::array([#name])?)
        }
        many => {
            let names = many.iter().map(|p| &p.name);
            quote!(super::super::mortise_support::array([#(&#names as &dyn ::rusqlite::ToSql),*])?)
        }
    }
}

/// The `rarray` of the keys an iterator yields (tuples for a composite key).
fn keys_array(keys: TokenStream, parts: usize) -> TokenStream {
    if parts == 1 {
        return quote!(super::super::mortise_support::array(#keys)?);
    }
    let flat = flat_array(quote!(keys), parts);
    quote! {{
        let keys: ::std::vec::Vec<_> = #keys.collect();
        #flat
    }}
}

/// The `rarray` of a slice of keys; a composite key's tuples are
/// flattened, one column after another.
fn flat_array(slice: TokenStream, parts: usize) -> TokenStream {
    if parts == 1 {
        return quote!(super::super::mortise_support::array(#slice)?);
    }
    let names = common::numbered("k", parts);
    quote! {
        super::super::mortise_support::array(
            #slice.iter().flat_map(|(#(#names),*)| [#(#names as &dyn ::rusqlite::ToSql),*]),
        )?
    }
}
