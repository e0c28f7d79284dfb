//! The PostgreSQL backends, one shape for both drivers: `postgres` (sync,
//! functions take `&mut impl postgres::GenericClient`) and `tokio-postgres`
//! (async, `&impl tokio_postgres::GenericClient`).
//!
//! Every helper is ONE statement (PostgreSQL's writable `WITH` carries
//! `replace` and a `delete` with `on_delete`), so each is atomic alone and
//! inside the caller's transaction, and needs no transaction of its own.
//! Neither driver caches prepared statements, so each call prepares its
//! statement (one round trip); a pool with a statement cache can wrap them.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{
    self, Param, Rows, Shape, changes_type, declare, distribute_support, edge_type, generated_note,
    key_param_type, loaded_type, names, shape,
};
use super::{doc_lines, sql_doc};
use crate::ir::{Association, AssociationKind, Column, Generated, Schema, TableId};
use crate::names::RustIdent;
use crate::sql::{self, Dialect, EdgeParam, LinkParam, TableStatements};

const DIALECT: Dialect = Dialect::Postgres;

/// The driver the code is generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Sync,
    Async,
}

impl Flavor {
    /// The first parameter of every function.
    fn client(self) -> TokenStream {
        match self {
            Flavor::Sync => quote!(client: &mut impl ::postgres::GenericClient),
            Flavor::Async => quote!(client: &impl ::tokio_postgres::GenericClient),
        }
    }

    fn result(self, ok: TokenStream) -> TokenStream {
        match self {
            Flavor::Sync => quote!(::std::result::Result<#ok, ::postgres::Error>),
            Flavor::Async => quote!(::std::result::Result<#ok, ::tokio_postgres::Error>),
        }
    }

    fn row(self) -> TokenStream {
        match self {
            Flavor::Sync => quote!(::postgres::Row),
            Flavor::Async => quote!(::tokio_postgres::Row),
        }
    }

    fn asyncness(self) -> TokenStream {
        match self {
            Flavor::Sync => quote!(),
            Flavor::Async => quote!(async),
        }
    }

    fn awaited(self) -> TokenStream {
        match self {
            Flavor::Sync => quote!(),
            Flavor::Async => quote!(.await),
        }
    }
}

pub fn file(schema: &Schema, source_name: &str, flavor: Flavor) -> TokenStream {
    let create_sql = sql::create_statements(DIALECT, schema).join(";\n\n") + ";";
    let create_doc = doc_lines(&format!(
        "Creates every schema, table and index of `{source_name}` (PostgreSQL); each statement is `IF NOT EXISTS`.\n\n{}",
        sql_doc(&create_sql)
    ));
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let result = flavor.result(quote!(()));
    let modules = schema
        .entities()
        .map(|(id, _)| table_module(schema, id, flavor));
    let has_associations = schema.entities().any(|(_, t)| !t.associations.is_empty());
    let has_links = schema
        .entities()
        .flat_map(|(_, t)| &t.associations)
        .any(|a| matches!(a.kind, AssociationKind::ManyToMany { .. }));
    let loaded = has_associations.then(loaded_type);
    let changes = has_links.then(changes_type);
    let edge = schema
        .entities()
        .flat_map(|(_, t)| &t.associations)
        .any(|a| a.edges_field.is_some())
        .then(edge_type);
    let support = has_associations.then(|| {
        let distribute = distribute_support();
        quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                #distribute
            }
        }
    });
    quote! {
        #create_doc
        pub const CREATE_SQL: &str = #create_sql;

        /// Runs [`CREATE_SQL`] as one batch, which PostgreSQL runs as one
        /// transaction: everything is created, or nothing (inside the caller's
        /// transaction, it is part of it).
        pub #asyncness fn create_all(#client) -> #result {
            client.batch_execute(CREATE_SQL) #awaited
        }

        #loaded
        #changes
        #edge
        #(#modules)*
        #support
    }
}

fn table_module(schema: &Schema, id: TableId, flavor: Flavor) -> TokenStream {
    let table = &schema.tables[id];
    let module = table.module.to_ident();
    let row = table.struct_name.to_ident();
    let statements = sql::table_statements(DIALECT, schema, id);
    let module_doc = doc_lines(&format!("The `{}` table.", table.sql_name));
    let structs = common::structs(schema, id);
    let constants = common::sql_constants(&statements.named());
    let functions = crud_functions(schema, id, &statements, flavor);
    let reads = table.columns.iter().enumerate().map(|(i, c)| {
        let name = c.field.to_ident();
        let index = common::column_index(i);
        quote! { #name: row.try_get(#index)? }
    });
    let (from_row_doc, from_row_at_doc) = (
        doc_lines(common::FROM_ROW_DOC),
        doc_lines(common::FROM_ROW_AT_DOC),
    );
    let not_loaded = common::not_loaded(table);
    let row_type = flavor.row();
    let from_row_result = flavor.result(quote!(Self));
    let association_modules = table
        .associations
        .iter()
        .filter_map(|a| association_module(schema, id, a, flavor));
    quote! {
        #module_doc
        pub mod #module {
            #structs
            #constants

            impl #row {
                #functions

                #from_row_doc
                pub fn from_row(row: &#row_type) -> #from_row_result {
                    Self::from_row_at(row, 0)
                }

                #from_row_at_doc
                pub fn from_row_at(row: &#row_type, start: usize) -> #from_row_result {
                    ::std::result::Result::Ok(Self { #(#reads,)* #not_loaded })
                }
            }

            #(#association_modules)*
        }
    }
}

fn crud_functions(
    schema: &Schema,
    id: TableId,
    statements: &TableStatements,
    flavor: Flavor,
) -> TokenStream {
    let table = &schema.tables[id];
    let row = table.struct_name.to_ident();
    let new = table.new_struct_name.to_ident();
    let name = &table.sql_name;
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());

    let insert_values = table.insert_columns().map(|(_, c)| match c.generated {
        Some(Generated::Uuid) => quote!(&::uuid::Uuid::new_v4()),
        Some(Generated::InsertedAt | Generated::UpdatedAt) => quote!(&now),
        _ => {
            let field = c.field.to_ident();
            quote!(&new.#field)
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
    let insert_result = flavor.result(quote!(#row));
    let mut out = quote! {
        #insert_doc
        pub #asyncness fn insert(#client, new: &#new) -> #insert_result {
            #now
            let row = client.query_one(INSERT_SQL, &[#(#insert_values),*]) #awaited?;
            #row::from_row(&row)
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
            quote!(&#param)
        })
        .collect();

    if let Some(get) = &statements.get {
        let doc = doc_lines(&format!(
            "The `{name}` row with this key, if there is one.\n\n{}",
            sql_doc(get)
        ));
        let result = flavor.result(quote!(::std::option::Option<#row>));
        out.extend(quote! {
            #doc
            pub #asyncness fn get(#client, #(#key_params),*) -> #result {
                let row = client.query_opt(GET_SQL, &[#(#key_args),*]) #awaited?;
                row.map(|row| #row::from_row(&row)).transpose()
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
    let all_result = flavor.result(quote!(::std::vec::Vec<#row>));
    out.extend(quote! {
        #all_doc
        pub #asyncness fn all(#client) -> #all_result {
            let rows = client.query(ALL_SQL, &[]) #awaited?;
            rows.iter().map(#row::from_row).collect()
        }
    });

    if let Some(update) = &statements.update {
        let updated_at = table
            .columns
            .iter()
            .find(|c| c.generated == Some(Generated::UpdatedAt));
        let values = table.update_columns().map(|(_, c)| {
            if c.generated == Some(Generated::UpdatedAt) {
                quote!(&now)
            } else {
                let field = c.field.to_ident();
                quote!(&self.#field)
            }
        });
        let keys = key_columns.iter().map(|c| {
            let field = c.field.to_ident();
            quote!(&self.#field)
        });
        let common::Update {
            receiver,
            now,
            set_now,
            doc,
        } = common::update(updated_at, update);
        let result = flavor.result(quote!(bool));
        out.extend(quote! {
            #doc
            pub #asyncness fn update(#receiver, #client) -> #result {
                #now
                let changed = client.execute(UPDATE_SQL, &[#(#values,)* #(#keys),*]) #awaited? > 0;
                #set_now
                ::std::result::Result::Ok(changed)
            }
        });
    }

    if let Some(delete) = &statements.delete {
        let cleanups = table.associations.iter().any(|a| {
            sql::association_statements(DIALECT, schema, id, a)
                .on_delete
                .is_some()
        });
        let note = if cleanups {
            " In the same statement, applies each association's `on_delete` (without relying on foreign keys)."
        } else {
            ""
        };
        let doc = doc_lines(&format!(
            "Deletes the `{name}` row with this key; `false` when there was none.{note}\n\n{}",
            sql_doc(delete)
        ));
        let result = flavor.result(quote!(bool));
        out.extend(quote! {
            #doc
            pub #asyncness fn delete(#client, #(#key_params),*) -> #result {
                ::std::result::Result::Ok(client.execute(DELETE_SQL, &[#(#key_args),*]) #awaited? > 0)
            }
        });
    }
    out
}

fn association_module(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    flavor: Flavor,
) -> Option<TokenStream> {
    let statements = sql::association_statements(DIALECT, schema, owner, assoc);
    let shape = shape(schema, owner, assoc)?;
    let owner_table = &schema.tables[owner];
    let module = assoc.module.to_ident();
    let module_doc = doc_lines(&format!(
        "`{}.{}`: {}.",
        owner_table.sql_name, assoc.name, shape.summary
    ));
    let constants = common::sql_constants(&statements.named());
    let reads = reads(schema, owner, assoc, &shape, &statements, flavor);
    let links = links(schema, owner, assoc, &shape, &statements, flavor);
    let stored = stored(schema, owner, assoc, &shape, &statements, flavor);
    Some(quote! {
        #module_doc
        pub mod #module {
            #constants
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
    statements: &sql::AssociationStatements,
    flavor: Flavor,
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
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let values = table.insert_columns().map(|(id, c)| {
        match (c.generated, shape.owner_param_for(foreign_key, id)) {
            (Some(Generated::Uuid), _) => quote!(&::uuid::Uuid::new_v4()),
            (Some(Generated::InsertedAt | Generated::UpdatedAt), _) => quote!(&now),
            (_, Some(param)) => quote!(&#param),
            _ => {
                let field = c.field.to_ident();
                quote!(&new.#field)
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
    } = common::stored_parts(schema, owner, assoc, foreign_key, stored);
    let row_result = flavor.result(row.clone());
    let bool_result = flavor.result(quote!(bool));
    let mut out = quote! {
        #insert_doc
        pub #asyncness fn insert(#client, #params, new: &#new) -> #row_result {
            #now
            let row = client.query_one(INSERT_SQL, &[#(#values),*]) #awaited?;
            #row::from_row(&row)
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
                quote!(&now)
            } else {
                let field = c.field.to_ident();
                quote!(&row.#field)
            }
        });
        let keys = key_fields.iter().map(|(c, _)| {
            let field = c.field.to_ident();
            quote!(&row.#field)
        });
        out.extend(quote! {
            #doc
            pub #asyncness fn update(#client, row: #receiver) -> #bool_result {
                #now
                let changed = client.execute(UPDATE_SQL, &[#(#values,)* #(#keys),*]) #awaited? > 0;
                #set_now
                ::std::result::Result::Ok(changed)
            }
        });
    }
    if let Some(delete_doc) = delete_doc {
        let key_args = key_fields.iter().map(|(_, name)| quote!(&#name));
        out.extend(quote! {
            #delete_doc
            pub #asyncness fn delete(#client, #(#key_params),*) -> #bool_result {
                ::std::result::Result::Ok(client.execute(DELETE_SQL, &[#(#key_args),*]) #awaited? > 0)
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
    statements: &sql::AssociationStatements,
    flavor: Flavor,
) -> TokenStream {
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let mut out = row_reads(
        schema,
        owner,
        assoc,
        shape,
        &statements.select,
        Rows::Targets,
        flavor,
    );
    if let Some(sql) = &statements.count {
        let (params, args) = (declare(&shape.params), names(&shape.params));
        let doc = common::count_doc(schema, owner, assoc, sql);
        let result = flavor.result(quote!(u64));
        out.extend(quote! {
            #doc
            pub #asyncness fn count(#client, #params) -> #result {
                let row = client.query_one(COUNT_SQL, &[#(&#args),*]) #awaited?;
                let count: i64 = row.try_get(0)?;
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
            flavor,
        ));
        let edge_type = common::edge_type_path(schema, assoc, join);
        let body = common::edge_body(schema, assoc, join);
        let (row, result) = (flavor.row(), flavor.result(edge_type));
        out.extend(quote! {
            /// Reads a row of [`EDGES_SQL`]: the join row's columns, then the target's.
            fn edge(found: &#row) -> #result {
                #body
            }
        });
        out.extend(link(schema, owner, assoc, shape, join, edges, flavor));
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
    flavor: Flavor,
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
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let (one_key, one_key_args) = owner_arrays(&shape.params);
    let (all_keys, all_key_args) = match shape.params.len() {
        1 => (quote!(), quote!(&keys)),
        parts => column_arrays(quote!(keys), parts, true),
    };
    let link = match link_indexes.as_slice() {
        [one] => quote!(found.try_get(#one)?),
        many => quote!((#(found.try_get(#many)?),*)),
    };

    let list = if shape.many || rows == Rows::Edges {
        let result = flavor.result(quote!(::std::vec::Vec<#row_type>));
        quote! {
            #list_doc
            pub #asyncness fn #list_fn(#client, #params) -> #result {
                #one_key
                let rows = client.query(#sql, &[#one_key_args]) #awaited?;
                rows.iter().map(#read_row).collect()
            }
        }
    } else {
        let result = flavor.result(quote!(::std::option::Option<#row_type>));
        quote! {
            #list_doc
            pub #asyncness fn #list_fn(#client, #params) -> #result {
                #one_key
                let rows = client.query(#sql, &[#one_key_args]) #awaited?;
                rows.first().map(#read_row).transpose()
            }
        }
    };

    let result = flavor.result(quote!(()));
    quote! {
        #list

        #preload_doc
        pub #asyncness fn #preload_fn<'a>(
            #client,
            owners: impl ::std::iter::IntoIterator<Item = &'a mut super::#owner_row>,
        ) -> #result {
            let mut owners: ::std::vec::Vec<&'a mut super::#owner_row> = owners.into_iter().collect();
            if owners.is_empty() {
                return ::std::result::Result::Ok(());
            }
            let keys: ::std::vec::Vec<#key_type> = #keys.collect();
            #all_keys
            let rows = client.query(#sql, &[#all_key_args]) #awaited?;
            let mut groups: ::std::collections::HashMap<#key_type, #group_type> = ::std::collections::HashMap::new();
            for found in &rows {
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
    edges: &sql::EdgeStatements,
    flavor: Flavor,
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
            let field = join.column(*c).field.to_ident();
            quote!(&values.#field)
        }
        EdgeParam::Now => quote!(&now),
        EdgeParam::NewUuid => quote!(&::uuid::Uuid::new_v4()),
    });
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let result = flavor.result(quote!(::std::option::Option<super::super::#jm::#jr>));
    let doc = doc_lines(&format!(
        "Links one `{}` row to one `{}` row with these values, and returns the `{}` row as stored; `None` when the \
         link already exists (left as it is: change it with `{}::update`). One statement, which takes the same \
         share lock on the owner row as `insert`; a key that does not exist is an error and nothing is written.\n\n{}",
        owner_table.sql_name,
        target.sql_name,
        join.sql_name,
        join.struct_name.unraw(),
        sql_doc(&edges.insert)
    ));
    quote! {
        #link_struct

        #doc
        pub #asyncness fn link(
            #client,
            #params,
            #targets,
            values: &Link,
        ) -> #result {
            #now
            let row = client.query_opt(LINK_SQL, &[#(&#keys,)* #(#values),*]) #awaited?;
            row.map(|row| super::super::#jm::#jr::from_row(&row)).transpose()
        }
    }
}

/// The join-table helpers of a `many_to_many`: insert, delete, replace, clear.
fn links(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &sql::AssociationStatements,
    flavor: Flavor,
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
    let Some(replace_sql) = &links.replace else {
        return TokenStream::new();
    };
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let params = declare(&shape.params);
    let owner_keys = names(&shape.params);
    let (target_arrays, target_args) = match shape.target_param.len() {
        1 => (quote!(), quote!(&#targets)),
        parts => column_arrays(quote!(#targets), parts, false),
    };
    let (owner_name, target_name) = (&owner_table.sql_name, &target.sql_name);
    let (asyncness, awaited, client) = (flavor.asyncness(), flavor.awaited(), flavor.client());
    let now = links
        .insert_params
        .contains(&LinkParam::Now)
        .then(common::now);
    // The insert's (and replace's) parameters: the owner, the target keys, then the extras.
    let insert_params: Vec<TokenStream> = owner_keys
        .iter()
        .map(|p| quote!(&#p))
        .chain([target_args.clone()])
        .chain(links.insert_params.iter().map(|p| match p {
            LinkParam::Now => quote!(&now),
        }))
        .collect();
    let count_result = flavor.result(quote!(usize));
    let changes_result = flavor.result(quote!(super::super::Changes));

    let insert_doc = doc_lines(&format!(
        "Links one `{owner_name}` row to `{targets}` (GORM's Append). Links are a set: an existing link, or a key given twice, \
         is left as it is; concurrent appends of the same link store it once. Returns how many links are new. One statement: \
         a key that does not exist is an error and nothing is linked.\n\n{}",
        sql_doc(&links.insert)
    ));
    let delete_doc = doc_lines(&format!(
        "Unlinks `{targets}` from one `{owner_name}` row (GORM's Delete); never deletes `{target_name}` rows. Returns how many links went.\n\n{}",
        sql_doc(&links.delete)
    ));
    let Some(lock_sql) = &links.lock_owner else {
        return TokenStream::new();
    };
    let replace_doc = doc_lines(&format!(
        "Afterwards the `{owner_name}` row is linked to exactly `{targets}` (GORM's Replace, Ecto's `put_assoc`). \
         Writes only the difference, and returns it. In a transaction of its own (a savepoint inside yours): it first \
         locks the owner row, so that it serializes with concurrent link inserts (their foreign-key check waits on \
         that row), then writes in one statement.\n\n{}\n\n{}",
        sql_doc(lock_sql),
        sql_doc(replace_sql)
    ));
    // The sync driver's statements take `&mut`; the async driver's take `&self`.
    let (tx_client, tx) = match flavor {
        Flavor::Sync => (
            quote!(client: &mut impl ::postgres::GenericClient),
            quote!(mut tx),
        ),
        Flavor::Async => (
            quote!(client: &mut impl ::tokio_postgres::GenericClient),
            quote!(tx),
        ),
    };
    let clear_doc = doc_lines(&format!(
        "Unlinks every `{target_name}` row from one `{owner_name}` row (GORM's Clear). Returns how many links went.\n\n{}",
        sql_doc(&links.clear)
    ));
    quote! {
        #insert_doc
        pub #asyncness fn insert(#client, #params, #targets: &[#target_type]) -> #count_result {
            #now
            #target_arrays
            let count = client.execute(INSERT_SQL, &[#(#insert_params),*]) #awaited?;
            ::std::result::Result::Ok(usize::try_from(count).unwrap_or(usize::MAX))
        }

        #delete_doc
        pub #asyncness fn delete(#client, #params, #targets: &[#target_type]) -> #count_result {
            #target_arrays
            let count = client.execute(DELETE_SQL, &[#(&#owner_keys,)* #target_args]) #awaited?;
            ::std::result::Result::Ok(usize::try_from(count).unwrap_or(usize::MAX))
        }

        #replace_doc
        pub #asyncness fn replace(#tx_client, #params, #targets: &[#target_type]) -> #changes_result {
            #now
            #target_arrays
            let #tx = client.transaction() #awaited?;
            tx.execute(LOCK_OWNER_SQL, &[#(&#owner_keys),*]) #awaited?;
            let row = tx.query_one(REPLACE_SQL, &[#(#insert_params),*]) #awaited?;
            tx.commit() #awaited?;
            let (added, removed): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            ::std::result::Result::Ok(super::super::Changes {
                added: usize::try_from(added).unwrap_or(usize::MAX),
                removed: usize::try_from(removed).unwrap_or(usize::MAX),
            })
        }

        #clear_doc
        pub #asyncness fn clear(#client, #params) -> #count_result {
            let count = client.execute(CLEAR_SQL, &[#(&#owner_keys),*]) #awaited?;
            ::std::result::Result::Ok(usize::try_from(count).unwrap_or(usize::MAX))
        }
    }
}

/// The key arrays of one owner, from the function's parameters: `let`
/// statements and the statement's arguments (one array per key column).
fn owner_arrays(params: &[Param]) -> (TokenStream, TokenStream) {
    if let [one] = params {
        let name = &one.name;
        return (quote!(let keys = ::std::vec![#name];), quote!(&keys));
    }
    let arrays = common::numbered("keys_", params.len());
    let names = params.iter().map(|p| &p.name);
    (
        quote!(#(let #arrays = ::std::vec![#names];)*),
        quote!(#(&#arrays),*),
    )
}

/// One array per column of a composite key, from `source` (anything with
/// `.iter()` over key tuples): `let` statements and the statement's
/// arguments. `borrow` takes each value by reference (owned tuples) rather
/// than by copy (tuples of borrowed keys, which are `Copy`).
fn column_arrays(source: TokenStream, parts: usize, borrow: bool) -> (TokenStream, TokenStream) {
    let arrays = common::numbered("keys_", parts);
    let fields = (0..parts).map(proc_macro2::Literal::usize_unsuffixed);
    let element = if borrow { quote!(&k) } else { quote!(k) };
    (
        quote!(#(let #arrays: ::std::vec::Vec<_> = #source.iter().map(|k| #element.#fields).collect();)*),
        quote!(#(&#arrays),*),
    )
}
