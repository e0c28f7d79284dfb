//! The reading functions of an association: `list` (or `get`), `count`,
//! `counts`, `preload`, `preload_first`, and over a join schema
//! `list_edges` and `preload_edges`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::driver::{Bound, Fetch, Keys, Statement};
use super::super::rust_types::{base_type, is_copy};
use super::super::{Target, doc_lines, ident, numbered, sql_doc};
use super::links;
use super::shape::{Shape, declare, names};
use crate::ir::{Association, Column, FieldType, OrderBy, Schema, Table, TableId};
use crate::sql::AssociationStatements;

/// `list`/`get`, `count`, `counts`, `preload` and `preload_first`; over a
/// join schema also `list_edges`, `preload_edges` and `link`.
pub(super) fn functions(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
) -> TokenStream {
    let Target {
        schema,
        dialect,
        driver,
    } = *target;
    let sort = statements.sort.as_deref();
    let mut out = sort
        .map(|terms| order_fn(schema, dialect, assoc, terms))
        .unwrap_or_default();
    out.extend(row_reads(
        target,
        owner,
        assoc,
        shape,
        &statements.select,
        statements.first.as_deref(),
        Rows::Targets,
        sort.is_some(),
    ));
    if let Some(sql) = &statements.count {
        out.extend(counts(target, owner, assoc, shape, sql));
    }
    if let (Some(edges), Some(join)) = (&statements.edges, assoc.join_schema(schema)) {
        let join = &schema.tables[join];
        out.extend(row_reads(
            target,
            owner,
            assoc,
            shape,
            &edges.select,
            None,
            Rows::Edges,
            sort.is_some(),
        ));
        let edge_type = edge_type_path(schema, assoc, join);
        let body = edge_body(schema, assoc, join);
        let (row, result) = (driver.row(), driver.result(edge_type));
        out.extend(quote! {
            /// Reads a row of [`EDGES_SQL`]: the join row's columns, then the target's.
            fn edge(found: &#row) -> #result {
                #body
            }
        });
        let lock_owner = statements
            .links
            .as_ref()
            .and_then(|l| l.lock_owner.as_deref());
        out.extend(links::link(
            target, owner, assoc, shape, join, edges, lock_owner,
        ));
    }
    out
}

/// `count` and `counts`: `COUNT_SQL` (the owner key, then its count, one
/// row per owner with rows) for one owner's key, or for every owner given.
fn counts(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    sql: &str,
) -> TokenStream {
    let Target { schema, driver, .. } = *target;
    let support = quote!(super::super::mortise_support);
    let statement = Statement::with_array(quote!(COUNT_SQL), sql, &support);
    let (asyncness, db, db_param) = (
        driver.asyncness(),
        driver.db(),
        driver.db_param(&support, false),
    );
    let owner_table = &schema.tables[owner];
    let (owner_name, target_name) = (&owner_table.sql_name, &schema.tables[assoc.target].sql_name);
    let distinct = if matches!(assoc.kind, crate::ir::AssociationKind::Through { .. }) {
        " (distinct rows, as `list` returns them)"
    } else {
        ""
    };
    let found = ident("found");
    let count_index = proc_macro2::Literal::usize_unsuffixed(shape.owner_keys.len());
    let read_count = driver.get(&found, quote!(#count_index));

    let params = declare(&shape.params);
    let one_key = driver.arrays(
        &support,
        Keys::Params(&names(&shape.params)),
        &shape.owner_types(),
    );
    let (query, each_row) = driver.rows(&db, &statement, &one_key.args);
    let one_key = one_key.prelude;
    let count_doc = doc_lines(&format!(
        "How many `{target_name}` rows one `{owner_name}` row has{distinct}: [`COUNT_SQL`] with a one-key array \
         (no row: 0).\n\n{}",
        sql_doc(sql)
    ));

    let (key_type, key_of, keys) = owner_key_tokens(&shape.owner_keys);
    let owner_keys = driver.arrays(
        &support,
        Keys::Iter {
            keys,
            key_type: key_type.clone(),
        },
        &shape.owner_types(),
    );
    let (owners_query, owners_each_row) = driver.rows(&db, &statement, &owner_keys.args);
    let owner_keys = owner_keys.prelude;
    let link = match shape.owner_keys.len() {
        1 => driver.get(&found, quote!(0)),
        n => {
            let columns = (0..n).map(|i| {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                driver.get(&found, quote!(#i))
            });
            quote!((#(#columns),*))
        }
    };
    let counts_doc = doc_lines(&format!(
        "How many `{target_name}` rows each given `{owner_name}` row has{distinct}, in the order given, with ONE query \
         however many owners (their keys travel as {}; Prisma's `_count`). Owners may repeat; an owner with no rows \
         counts 0; no owners, no query.\n\n{}",
        if shape.owner_keys.len() == 1 {
            "one array parameter"
        } else {
            "array parameters"
        },
        sql_doc(sql)
    ));
    let owner_row = owner_table.struct_name.to_ident();
    let (count_result, counts_result) = (
        driver.result(quote!(u64)),
        driver.result(quote!(::std::vec::Vec<u64>)),
    );
    quote! {
        #count_doc
        pub #asyncness fn count(#db_param, #params) -> #count_result {
            #one_key
            #query
            let mut count: i64 = 0;
            #each_row {
                count = #read_count;
            }
            // count(*) is never negative.
            ::std::result::Result::Ok(count.unsigned_abs())
        }

        #counts_doc
        pub #asyncness fn counts<'a>(
            #db_param,
            owners: impl ::std::iter::IntoIterator<Item = &'a super::#owner_row>,
        ) -> #counts_result {
            let owners: ::std::vec::Vec<&'a super::#owner_row> = owners.into_iter().collect();
            if owners.is_empty() {
                return ::std::result::Result::Ok(::std::vec::Vec::new());
            }
            #owner_keys
            #owners_query
            let mut counts: ::std::collections::HashMap<#key_type, u64> =
                ::std::collections::HashMap::with_capacity(owners.len());
            #owners_each_row {
                let link: #key_type = #link;
                let count: i64 = #read_count;
                counts.insert(link, count.unsigned_abs());
            }
            ::std::result::Result::Ok(#support::counts_in_order(&owners, &counts, |owner| #key_of))
        }
    }
}

/// `list` (or `get`) and `preload` of the targets, or their `_edges` twins,
/// and `preload_first` when `first_sql` (the rows cut per owner) is given;
/// `sorted`: the rows come unordered and are sorted with the module's `order`.
#[allow(clippy::too_many_arguments)]
fn row_reads(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    sql: &str,
    first_sql: Option<&str>,
    rows: Rows,
    sorted: bool,
) -> TokenStream {
    let driver = target.driver;
    let text = sql;
    let Reads {
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
        collect,
        fill,
        field,
        list_doc,
        preload_doc,
    } = reads(target.schema, owner, assoc, shape, sql, rows);
    let support = quote!(super::super::mortise_support);
    let statement = Statement::with_array(quote!(#sql), text, &support);
    let (asyncness, db, db_param) = (
        driver.asyncness(),
        driver.db(),
        driver.db_param(&support, false),
    );
    let params = declare(&shape.params);

    let owner_key = driver.arrays(
        &support,
        Keys::Params(&names(&shape.params)),
        &shape.owner_types(),
    );
    let (list_type, call) = if shape.many || rows == Rows::Edges {
        (
            quote!(::std::vec::Vec<#row_type>),
            driver.query(
                &db,
                &statement,
                &owner_key.args,
                Fetch::All {
                    read: read_row.clone(),
                },
            ),
        )
    } else {
        (
            quote!(::std::option::Option<#row_type>),
            driver.query(
                &db,
                &statement,
                &owner_key.args,
                Fetch::First {
                    read: read_row.clone(),
                },
            ),
        )
    };
    // Sorted: each row by the module's `order` (an edge by its target's).
    let order = match rows {
        Rows::Targets => quote!(order),
        Rows::Edges => quote!(|a, b| order(&a.target, &b.target)),
    };
    let list_body = if sorted {
        let (prelude, value) = (&call.prelude, &call.value);
        quote!(#prelude #support::sorted(#value, #order))
    } else {
        call.tail()
    };
    let sort_groups = sorted.then(|| quote!(groups.sort(#order);));
    let (list_result, owner_key) = (driver.result(list_type), owner_key.prelude);

    let found = ident("found");
    let link = match link_indexes.as_slice() {
        [one] => driver.get(&found, quote!(#one)),
        many => {
            let columns = many.iter().map(|i| driver.get(&found, quote!(#i)));
            quote!((#(#columns),*))
        }
    };
    let owner_keys = driver.arrays(
        &support,
        Keys::Iter {
            keys,
            key_type: key_type.clone(),
        },
        &shape.owner_types(),
    );
    let result = driver.result(quote!(()));
    // `preload`, or with `limit` (bound after the key arrays) `preload_first`.
    let preload = |name: &proc_macro2::Ident,
                   doc: &TokenStream,
                   statement: &Statement,
                   limit: Option<TokenStream>| {
        let mut args = owner_keys.args.clone();
        args.extend(limit.clone());
        let (query, each_row) = driver.rows(&db, statement, &args);
        let owner_keys = &owner_keys.prelude;
        let read = quote! {
            #owner_keys
            #query
            #each_row {
                let link: #key_type = #link;
                groups.#collect(link, #read_row(found)?);
            }
        };
        let (n_param, read) = match limit {
            Some(_) => (
                quote!(, n: u32),
                // n = 0: no rows for anyone, and no query.
                quote! {
                    if n > 0 {
                        let limit = i64::from(n);
                        #read
                    }
                },
            ),
            None => (TokenStream::new(), read),
        };
        quote! {
            #doc
            pub #asyncness fn #name<'a>(
                #db_param,
                owners: impl ::std::iter::IntoIterator<Item = &'a mut super::#owner_row>
                #n_param
            ) -> #result {
                let mut owners: ::std::vec::Vec<&'a mut super::#owner_row> = owners.into_iter().collect();
                if owners.is_empty() {
                    return ::std::result::Result::Ok(());
                }
                let mut groups: #support::Groups<#key_type, #group_type> =
                    #support::Groups::with_capacity(owners.len());
                #read
                #sort_groups
                groups.#fill(&mut owners, |owner| #key_of, |owner| &mut owner.#field);
                ::std::result::Result::Ok(())
            }
        }
    };
    let mut out = quote! {
        #list_doc
        pub #asyncness fn #list_fn(#db_param, #params) -> #list_result {
            #owner_key
            #list_body
        }
    };
    out.extend(preload(&preload_fn, &preload_doc, &statement, None));
    if let Some(first_sql) = first_sql {
        let doc = doc_lines(&format!(
            "Like `{preload_fn}`, with at most `n` rows per owner: each owner's first `n` in preload order \
             (`preload_order`, then the key), cut in SQL (`row_number()` per owner), so no other row is read out. \
             `n = 0` gives every owner an empty list without a query; an `n` larger than a group gives the whole group; \
             `n` replaces any `preload_limit`. \
             Fills the same field: a later `{preload_fn}` or nested preload sees these rows.\n\n{}",
            sql_doc(first_sql)
        ));
        let statement = Statement::with_array(quote!(SELECT_FIRST_SQL), first_sql, &support);
        let limit = driver.bind(Bound::value(FieldType::Integer), quote!(limit));
        out.extend(preload(
            &ident(&format!("{preload_fn}_first")),
            &doc,
            &statement,
            Some(limit),
        ));
    }
    out
}

/// `fn order(a, b) -> Ordering`: the order of the association's target
/// rows, each of `terms` in turn, as the dialect's `ORDER BY` would put them.
fn order_fn(
    schema: &Schema,
    dialect: crate::sql::Dialect,
    assoc: &Association,
    terms: &[OrderBy],
) -> TokenStream {
    let target = &schema.tables[assoc.target];
    let (module, row) = (target.module.to_ident(), target.struct_name.to_ident());
    let compare = terms.iter().map(|term| {
        let column = &target.columns[term.column];
        let field = column.field.to_ident();
        let (x, y) = if term.descending {
            (quote!(b), quote!(a))
        } else {
            (quote!(a), quote!(b))
        };
        if matches!(column.ty, FieldType::Float | FieldType::Float4) {
            quote!(#x.#field.total_cmp(&#y.#field))
        } else if column.nullable && !dialect.nulls_first() {
            // `Option` puts None first; this dialect puts NULL last.
            quote!(#x.#field.is_none().cmp(&#y.#field.is_none()).then_with(|| #x.#field.cmp(&#y.#field)))
        } else {
            quote!(#x.#field.cmp(&#y.#field))
        }
    });
    let mut compare = compare.collect::<Vec<_>>().into_iter();
    let first = compare
        .next()
        .unwrap_or_else(|| quote!(::std::cmp::Ordering::Equal));
    let rest = compare.map(|term| quote!(.then_with(|| #term)));
    let doc = doc_lines(&format!(
        "The order of `{}` rows (`preload_order`, then the key), as {} orders them: `list` and `preload` \
         sort each owner's rows with it, which costs less than an `ORDER BY` over every owner's rows.",
        target.sql_name,
        dialect.database()
    ));
    quote! {
        #doc
        fn order(a: &super::super::#module::#row, b: &super::super::#module::#row) -> ::std::cmp::Ordering {
            #first #(#rest)*
        }
    }
}

/// Which rows an association's read functions return: its targets
/// (`list`, `preload`), or, over a join schema, its typed edges
/// (`list_edges`, `preload_edges`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Targets,
    Edges,
}

/// The pieces of `list`/`get`/`count`/`preload` (and their
/// `_edges` twins) are made of: the names, the owner's key as `Option<K>`,
/// and how rows are read, grouped and handed to their owners.
struct Reads {
    owner_row: proc_macro2::Ident,
    /// What one selected row becomes: `super::super::<module>::<Struct>`, or an `Edge`.
    row_type: TokenStream,
    /// A function from a selected row to `row_type`: the target's
    /// `from_row`, or the module's `edge`.
    read_row: TokenStream,
    /// The statement's constant: `SELECT_SQL` or `EDGES_SQL`.
    sql: proc_macro2::Ident,
    /// `list` (`get` for one row) and `preload`, or their `_edges` twins.
    list_fn: proc_macro2::Ident,
    preload_fn: proc_macro2::Ident,
    /// The owner key's type: `K`, or a tuple for a composite key.
    key_type: TokenStream,
    /// The column indexes of the owner key each selected row belongs to
    /// (one per key column, after the row's own columns).
    link_indexes: Vec<proc_macro2::Literal>,
    /// An owner's key as `Option<K>` (a NULL foreign key finds nothing).
    key_of: TokenStream,
    /// An iterator over the owners' keys (NULL keys left out).
    keys: TokenStream,
    /// `Vec<T>` (many) or `T` (one).
    group_type: TokenStream,
    /// The `Groups` method that adds a row under its owner's key: `push`
    /// (many) or `keep_first` (one).
    collect: proc_macro2::Ident,
    /// The `Groups` method that hands the groups out: `fill` (many) or
    /// `fill_one`.
    fill: proc_macro2::Ident,
    /// The owner's field the association fills.
    field: proc_macro2::Ident,
    list_doc: TokenStream,
    preload_doc: TokenStream,
}

fn reads(
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
        let (group_type, collect, fill) = if shape.many {
            (
                quote!(::std::vec::Vec<#target_path>),
                ident("push"),
                ident("fill"),
            )
        } else {
            // The first row in order wins (a has_one with several rows).
            (quote!(#target_path), ident("keep_first"), ident("fill_one"))
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
            collect,
            fill,
            field,
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
        collect: ident("push"),
        fill: ident("fill"),
        field: edges_field.clone(),
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
fn edge_type_path(schema: &Schema, assoc: &Association, join: &Table) -> TokenStream {
    let target = &schema.tables[assoc.target];
    let (m, r) = (target.module.to_ident(), target.struct_name.to_ident());
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    quote!(super::super::Edge<super::super::#jm::#jr, super::super::#m::#r>)
}

/// The body of an association module's `edge` function: a selected row of
/// `EDGES_SQL` (join columns, then target columns) as an `Edge`.
fn edge_body(schema: &Schema, assoc: &Association, join: &Table) -> TokenStream {
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
