//! The join-table helpers of a `many_to_many`: `insert` (link), `delete`
//! (unlink), `replace`, `clear`; over a join schema, `link` with the join
//! row's own values.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::driver::{Bound, Call, Driver, Fetch, Keys, Read, Statement};
use super::super::rust_types::{
    Root, column_doc, default_value, has_default, key_param_type, key_param_type_in, rust_type,
};
use super::super::{Target, doc_lines, now, sql_doc, struct_attributes};
use super::shape::{Param, Shape, declare};
use crate::ir::{
    Association, AssociationKind, Column, ColumnId, FieldType, Literal, Schema, Table, TableId,
};
use crate::sql::{AssociationStatements, EdgeParam, EdgeStatements, LinkParam};

/// `insert`, `delete`, `replace` and `clear` of a `many_to_many`.
pub(super) fn functions(
    target: &Target,
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
    let Target {
        schema,
        dialect,
        driver,
    } = *target;
    let (owner_name, target_name) = (
        &schema.tables[owner].sql_name,
        &schema.tables[assoc.target].sql_name,
    );
    let support = quote!(super::super::mortise_support);
    let with_array = |sql: TokenStream, text: &str| Statement::with_array(sql, text, &support);
    let (asyncness, db) = (driver.asyncness(), driver.db());
    let params = declare(&shape.params);
    let owner_args = shape.owner_args(driver);
    let target_keys = driver.arrays(&support, Keys::Slice(targets), &shape.target_types());
    let now = links.insert_params.contains(&LinkParam::Now).then(now);
    // The insert's parameters: the owner, the target keys, then the extras.
    let insert_args: Vec<TokenStream> = owner_args
        .iter()
        .chain(&target_keys.args)
        .cloned()
        .chain(links.insert_params.iter().map(|p| match p {
            LinkParam::Now => driver.bind(Bound::value(FieldType::Datetime), quote!(now)),
        }))
        .collect();
    let owner_and_targets: Vec<TokenStream> = owner_args
        .iter()
        .chain(&target_keys.args)
        .cloned()
        .collect();
    let (count_result, changes_result) = (
        driver.result(quote!(usize)),
        driver.result(quote!(super::super::Changes)),
    );
    let keys = &target_keys.prelude;

    let atomic = if links.locked_insert.is_some() {
        "One statement, sent once, that locks the owner row first (so that concurrent inserts for one owner take \
         turns) and runs in a transaction of its own or a savepoint inside yours"
    } else if dialect.statements_are_atomic() {
        "One statement"
    } else {
        "One statement in a savepoint (which nests in the caller's transaction), so a failing trigger leaves nothing either"
    };
    let checked = if dialect.always_checks_foreign_keys() {
        ""
    } else {
        " (with foreign keys on)"
    };
    let insert_doc = doc_lines(&format!(
        "Links one `{owner_name}` row to `{targets}` (GORM's Append). Links are a set: an existing link, or a key given twice, \
         is left as it is; concurrent appends of the same link store it once. Returns how many links are new. {atomic}: \
         a key that does not exist{checked} is an error and nothing is linked.\n\n{}",
        sql_doc(links.locked_insert.as_ref().unwrap_or(&links.insert))
    ));
    let insert = |db: &Ident| {
        driver.execute(
            db,
            &with_array(quote!(INSERT_SQL), &links.insert),
            &insert_args,
        )
    };
    let delete_doc = doc_lines(&format!(
        "Unlinks `{targets}` from one `{owner_name}` row (GORM's Delete); never deletes `{target_name}` rows. Returns how many links went.\n\n{}",
        sql_doc(&links.delete)
    ));
    let delete = |db: &Ident| {
        driver.execute(
            db,
            &with_array(quote!(DELETE_SQL), &links.delete),
            &owner_and_targets,
        )
    };
    let clear_doc = doc_lines(&format!(
        "Unlinks every `{target_name}` row from one `{owner_name}` row (GORM's Clear). Returns how many links went.\n\n{}",
        sql_doc(&links.clear)
    ));
    let clear = |db: &Ident| {
        driver.execute(
            db,
            &Statement::plain(quote!(CLEAR_SQL), &links.clear, &support),
            &owner_args,
        )
    };

    // replace: one block that locks, writes and holds its own savepoint
    // (MariaDB); one statement after locking the owner where the dialect can
    // write several tables at once (PostgreSQL); else retain then insert, in
    // a savepoint.
    let (replace_doc, replace) = match (&links.replace, &links.lock_owner) {
        (Some(block), _) if dialect.atomic_blocks() => {
            let doc = format!(
                "Afterwards the `{owner_name}` row is linked to exactly `{targets}` (GORM's Replace, Ecto's `put_assoc`). \
                 Writes only the difference, and returns it. One statement, sent once: in a transaction of its own \
                 (a savepoint inside yours) it locks the owner row, so that it serializes with concurrent link \
                 inserts, then removes the links not wanted and adds the missing ones; on any error it undoes \
                 itself and returns the server's error.\n\n{}",
                sql_doc(block)
            );
            let write = driver
                .query(
                    &db,
                    &with_array(quote!(REPLACE_SQL), block),
                    &insert_args,
                    Fetch::One(Read::Columns(2)),
                )
                .bind(Some(quote!((added, removed): (i64, i64))));
            (
                doc,
                quote! {
                    #write
                    ::std::result::Result::Ok(super::super::Changes {
                        added: usize::try_from(added).unwrap_or(usize::MAX),
                        removed: usize::try_from(removed).unwrap_or(usize::MAX),
                    })
                },
            )
        }
        (Some(replace_sql), Some(lock_sql)) => {
            let doc = format!(
                "Afterwards the `{owner_name}` row is linked to exactly `{targets}` (GORM's Replace, Ecto's `put_assoc`). \
                 Writes only the difference, and returns it. In a transaction of its own (a savepoint inside yours): it first \
                 locks the owner row, so that it serializes with concurrent link inserts (their foreign-key check waits on \
                 that row), then writes in one statement.\n\n{}\n\n{}",
                sql_doc(lock_sql),
                sql_doc(replace_sql)
            );
            let body = |db: &Ident| {
                let lock = driver.execute(
                    db,
                    &Statement::plain(quote!(LOCK_OWNER_SQL), lock_sql, &support),
                    &owner_args,
                );
                let write = driver.query(
                    db,
                    &with_array(quote!(REPLACE_SQL), replace_sql),
                    &insert_args,
                    Fetch::One(Read::Columns(2)),
                );
                let (lock, write) = (
                    lock.bind(None),
                    write.bind(Some(quote!((added, removed): (i64, i64)))),
                );
                (
                    quote!(#lock #write),
                    quote! {
                        super::super::Changes {
                            added: usize::try_from(added).unwrap_or(usize::MAX),
                            removed: usize::try_from(removed).unwrap_or(usize::MAX),
                        }
                    },
                )
            };
            (doc, driver.atomic(&support, &body))
        }
        _ => {
            let lock_doc = links.lock_owner.as_ref().map_or(String::new(), |lock| {
                format!(
                    "It first locks the owner row, so that it serializes with concurrent link writes for \
                     that owner:\n\n{}\n\nthen ",
                    sql_doc(lock)
                )
            });
            let doc = format!(
                "Afterwards the `{owner_name}` row is linked to exactly `{targets}` (GORM's Replace, Ecto's `put_assoc`). \
                 Writes only the difference, atomically (a savepoint, which nests in the caller's transaction), \
                 and returns it. {lock_doc}\n\n{}\n\nthen [`INSERT_SQL`].",
                sql_doc(&links.retain)
            );
            let body = |db: &Ident| {
                let lock = links.lock_owner.as_ref().map(|lock| {
                    driver
                        .execute(
                            db,
                            &Statement::plain(quote!(LOCK_OWNER_SQL), lock, &support),
                            &owner_args,
                        )
                        .bind(None)
                });
                let retain = driver.execute(
                    db,
                    &with_array(quote!(RETAIN_SQL), &links.retain),
                    &owner_and_targets,
                );
                let insert = driver.execute(
                    db,
                    &with_array(quote!(INSERT_SQL), &links.insert),
                    &insert_args,
                );
                let (removed, added) = (
                    as_usize(driver, retain).bind(Some(quote!(removed))),
                    as_usize(driver, insert).bind(Some(quote!(added))),
                );
                (
                    quote!(#lock #removed #added),
                    quote!(super::super::Changes { added, removed }),
                )
            };
            (doc, driver.atomic(&support, &body))
        }
    };
    let replace_doc = doc_lines(&replace_doc);
    // A write of several rows is atomic alone, or made so.
    let made_atomic = !dialect.statements_are_atomic();
    let atomic = |write: &dyn Fn(&Ident) -> Call| {
        if made_atomic {
            driver.atomic(&support, &|db| {
                let count = as_usize(driver, write(db)).bind(Some(quote!(count)));
                (count, quote!(count))
            })
        } else {
            count(driver, write(&db))
        }
    };
    // Where writers run concurrently but one statement cannot lock the
    // owner first (MariaDB), the insert is a block that locks it, in a
    // transaction of its own: concurrent inserts for one owner then take
    // turns instead of deadlocking over the join table's gap locks.
    let locked_insert = links.locked_insert.as_ref().map(|block| {
        let count = driver
            .query(
                &db,
                &with_array(quote!(LOCKED_INSERT_SQL), block),
                &insert_args,
                Fetch::One(Read::Columns(1)),
            )
            .bind(Some(quote!(added: i64)));
        quote! {
            #count
            ::std::result::Result::Ok(usize::try_from(added).unwrap_or(usize::MAX))
        }
    });
    let (insert, delete, clear) = (
        locked_insert.unwrap_or_else(|| atomic(&insert)),
        atomic(&delete),
        atomic(&clear),
    );
    let (db_param, atomic_db_param) = (
        driver.db_param(&support, made_atomic),
        driver.db_param(&support, true),
    );
    let replace_many = replace_many(target, (owner_name, target_name), shape, links);
    let replace_db_param = if dialect.atomic_blocks() {
        &db_param
    } else {
        &atomic_db_param
    };
    quote! {
        #insert_doc
        pub #asyncness fn insert(#db_param, #params, #targets: &[#target_type]) -> #count_result {
            #now
            #keys
            #insert
        }

        #delete_doc
        pub #asyncness fn delete(#db_param, #params, #targets: &[#target_type]) -> #count_result {
            #keys
            #delete
        }

        #replace_doc
        pub #asyncness fn replace(#replace_db_param, #params, #targets: &[#target_type]) -> #changes_result {
            #now
            #keys
            #replace
        }

        #clear_doc
        pub #asyncness fn clear(#db_param, #params) -> #count_result {
            #clear
        }

        #replace_many
    }
}

/// `replace_many`: `replace` for many owners in one pass. The sets become
/// two arrays, the owners and the wanted (owner, target) pairs; one delete
/// and one insert write the difference for all of them.
fn replace_many(
    target: &Target,
    (owner_name, target_name): (&str, &str),
    shape: &Shape,
    links: &crate::sql::LinkStatements,
) -> TokenStream {
    if shape.target_params.is_none() {
        return TokenStream::new();
    }
    let Target { driver, .. } = *target;
    // The target key's type inside `impl AsRef<[...]>`, its references
    // under a named lifetime (an elided one is not allowed there).
    let borrows = shape
        .target_keys
        .iter()
        .any(|c| key_param_type(c.ty).to_string().starts_with('&'));
    let lifetime = borrows.then(|| quote!('k));
    let target_types: Vec<TokenStream> = shape
        .target_keys
        .iter()
        .map(|c| key_param_type_in(c.ty, quote!(#lifetime)))
        .collect();
    let target_type = match target_types.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    };
    let generics = borrows.then(|| quote!(<'k>));
    let support = quote!(super::super::mortise_support);
    let with_array = |sql: TokenStream, text: &str| Statement::with_array(sql, text, &support);
    let (asyncness, db_param) = (driver.asyncness(), driver.db_param(&support, true));
    let changes = quote!(super::super::Changes);
    let result = driver.result(changes.clone());

    // A pair is a flat tuple of the owner's key columns, then the target's.
    let vars = |prefix: &str, n: usize| -> Vec<Ident> {
        match n {
            1 => vec![super::super::ident(prefix)],
            n => super::super::numbered(&format!("{prefix}_"), n),
        }
    };
    let (owner_vars, target_vars) = (
        vars("owner", shape.params.len()),
        vars("target", shape.target_keys.len()),
    );
    let tuple = |vars: &[Ident]| match vars {
        [one] => quote!(#one),
        many => quote!((#(#many),*)),
    };
    let (owner_pattern, target_pattern) = (tuple(&owner_vars), tuple(&target_vars));
    let owner_type = match shape.params.as_slice() {
        [one] => one.ty.clone(),
        many => {
            let types = many.iter().map(|p| &p.ty);
            quote!((#(#types),*))
        }
    };
    let (owners, pairs) = (super::super::ident("owners"), super::super::ident("pairs"));
    let pair_types: Vec<FieldType> = shape
        .owner_types()
        .into_iter()
        .chain(shape.target_types())
        .collect();
    let owner_arrays = driver.arrays(&support, Keys::Local(&owners), &shape.owner_types());
    let pair_arrays = driver.arrays(&support, Keys::Local(&pairs), &pair_types);
    let now = links.insert_params.contains(&LinkParam::Now).then(now);
    let extras: Vec<TokenStream> = links
        .insert_params
        .iter()
        .map(|p| match p {
            LinkParam::Now => driver.bind(Bound::value(FieldType::Datetime), quote!(now)),
        })
        .collect();
    let (owner_args, pair_args) = (&owner_arrays.args, &pair_arrays.args);
    let all_args: Vec<TokenStream> = owner_args
        .iter()
        .chain(pair_args)
        .chain(&extras)
        .cloned()
        .collect();
    let insert_args: Vec<TokenStream> = pair_args.iter().chain(&extras).cloned().collect();
    let retain_args: Vec<TokenStream> = owner_args.iter().chain(pair_args).cloned().collect();

    let what = format!(
        "Afterwards each listed `{owner_name}` row is linked to exactly its set of `{target_name}` rows, as `replace` \
         would do for each, in one pass for all of them: the owners and the wanted (owner, target) pairs travel as arrays, \
         one delete removes the links no set wants, one insert adds the missing ones. Owners not listed are left \
         alone. An owner listed more than once is linked to the union of its sets (the sets are read as one list of \
         pairs); a target repeated in a set is linked once. Returns the total difference. No sets, no statement."
    );
    let (doc, body) = match (&links.replace_many, &links.lock_owners) {
        (Some(replace_sql), Some(lock_sql)) => {
            let doc = format!(
                "{what} In a transaction of its own (a savepoint inside yours): it first locks the owner rows in key \
                 order, so that it serializes with concurrent link inserts and with other `replace_many` over the same \
                 owners without deadlocking, then writes in one statement.\n\n{}\n\n{}",
                sql_doc(lock_sql),
                sql_doc(replace_sql)
            );
            let body = driver.atomic(&support, &|db| {
                let lock = driver.execute(
                    db,
                    &with_array(quote!(LOCK_OWNERS_SQL), lock_sql),
                    owner_args,
                );
                let write = driver.query(
                    db,
                    &with_array(quote!(REPLACE_MANY_SQL), replace_sql),
                    &all_args,
                    Fetch::One(Read::Columns(2)),
                );
                let (lock, write) = (
                    lock.bind(None),
                    write.bind(Some(quote!((added, removed): (i64, i64)))),
                );
                (
                    quote!(#lock #write),
                    quote! {
                        #changes {
                            added: usize::try_from(added).unwrap_or(usize::MAX),
                            removed: usize::try_from(removed).unwrap_or(usize::MAX),
                        }
                    },
                )
            });
            (doc, body)
        }
        _ => {
            let doc = format!(
                "{what} Atomic: a savepoint, which nests in the caller's transaction; a target that does not exist \
                 (with foreign keys on) is an error and nothing changes.\n\n{}\n\nthen\n\n{}",
                sql_doc(&links.retain_many),
                sql_doc(&links.insert_many)
            );
            let body = driver.atomic(&support, &|db| {
                let lock = links.lock_owners.as_ref().map(|lock| {
                    driver
                        .execute(db, &with_array(quote!(LOCK_OWNERS_SQL), lock), owner_args)
                        .bind(None)
                });
                let retain = driver.execute(
                    db,
                    &with_array(quote!(RETAIN_MANY_SQL), &links.retain_many),
                    &retain_args,
                );
                let insert = driver.execute(
                    db,
                    &with_array(quote!(INSERT_MANY_SQL), &links.insert_many),
                    &insert_args,
                );
                let (removed, added) = (
                    as_usize(driver, retain).bind(Some(quote!(removed))),
                    as_usize(driver, insert).bind(Some(quote!(added))),
                );
                (
                    quote!(#lock #removed #added),
                    quote!(#changes { added, removed }),
                )
            });
            (doc, body)
        }
    };
    let doc = doc_lines(&doc);
    let (owner_prelude, pair_prelude) = (&owner_arrays.prelude, &pair_arrays.prelude);
    quote! {
        #doc
        pub #asyncness fn replace_many #generics(
            #db_param,
            sets: &[(#owner_type, impl ::std::convert::AsRef<[#target_type]>)],
        ) -> #result {
            if sets.is_empty() {
                return ::std::result::Result::Ok(#changes::default());
            }
            #now
            let #owners: ::std::vec::Vec<_> = sets.iter().map(|(#owner_pattern, _)| #owner_pattern).collect();
            let #pairs: ::std::vec::Vec<_> = sets
                .iter()
                .flat_map(|(#owner_pattern, targets)| {
                    targets.as_ref().iter().map(move |#target_pattern| (#(#owner_vars,)* #(#target_vars),*))
                })
                .collect();
            #owner_prelude
            #pair_prelude
            #body
        }
    }
}

/// A function's tail returning how many rows `call` changed, as `usize`.
pub(super) fn count(driver: &dyn Driver, call: Call) -> TokenStream {
    match driver.usize(quote!(count)) {
        None => call.tail(),
        Some(count) => {
            let call = call.bind(Some(quote!(count)));
            quote!(#call ::std::result::Result::Ok(#count))
        }
    }
}

/// `call` (an `execute`) counting as `usize`.
pub(super) fn as_usize(driver: &dyn Driver, call: Call) -> Call {
    match driver.usize(call.unwrapped()) {
        None => call,
        Some(value) => Call {
            prelude: call.prelude,
            value,
            fallible: false,
        },
    }
}

/// `Link` and `link`: one link written with the join row's own values.
pub(super) fn link(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    join: &Table,
    edges: &EdgeStatements,
    lock_owner: Option<&str>,
) -> TokenStream {
    if shape.target_param.is_empty() {
        return TokenStream::new();
    }
    let Target {
        schema,
        dialect,
        driver,
    } = *target;
    let owner_table = &schema.tables[owner];
    let target_table = &schema.tables[assoc.target];
    let (params, targets) = (declare(&shape.params), declare(&shape.target_param));
    let keys = shape
        .owner_args(driver)
        .into_iter()
        .chain(shape.target_args(driver));
    // A join row with no column of its own beside the keys takes no values.
    let takes_values = edges
        .params
        .iter()
        .any(|p| matches!(p, EdgeParam::Value(_)));
    let link_struct = takes_values.then(|| link_struct(schema, owner, assoc, join, &edges.params));
    let values_param = takes_values.then(|| quote!(values: &Link,));
    let now = edges.params.contains(&EdgeParam::Now).then(now);
    let values = edge_values(driver, join, &edges.params, &quote!(values));
    let args: Vec<TokenStream> = keys.chain(values).collect();
    let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
    // Where one statement cannot lock the owner (MariaDB), the link locks it
    // first, in a transaction of its own, as `insert` does.
    let lock_first = lock_owner.filter(|_| !dialect.writable_ctes());
    let how = if dialect.writable_ctes() {
        "One statement, which takes the same share lock on the owner row as `insert`; a key that does not exist \
         is an error and nothing is written."
    } else if lock_first.is_some() {
        "In a transaction of its own (a savepoint inside yours) that first locks the owner row, as `insert` does; \
         a key that does not exist is an error and nothing is written."
    } else {
        "A key that does not exist (with foreign keys on) is an error and nothing is written."
    };
    let doc = doc_lines(&format!(
        "Links one `{}` row to one `{}` row{}, and returns the `{}` row as stored; `None` when the \
         link already exists (left as it is: change it with `{}::update`). {how}\n\n{}",
        owner_table.sql_name,
        target_table.sql_name,
        if takes_values {
            " with these values"
        } else {
            ""
        },
        join.sql_name,
        join.struct_name.unraw(),
        sql_doc(&edges.insert)
    ));
    let support = quote!(super::super::mortise_support);
    let (asyncness, db_param) = (
        driver.asyncness(),
        driver.db_param(&support, lock_first.is_some()),
    );
    let result = driver.result(quote!(::std::option::Option<super::super::#jm::#jr>));
    let write = |db: &Ident| {
        driver.query(
            db,
            &Statement::plain(quote!(LINK_SQL), &edges.insert, &support),
            &args,
            Fetch::Optional {
                read: quote!(super::super::#jm::#jr::from_row),
            },
        )
    };
    let body = match lock_first {
        Some(lock) => {
            let owner_args = shape.owner_args(driver);
            driver.atomic(&support, &|db| {
                let lock = driver
                    .execute(
                        db,
                        &Statement::plain(quote!(LOCK_OWNER_SQL), lock, &support),
                        &owner_args,
                    )
                    .bind(None);
                let row = write(db).bind(Some(quote!(row)));
                (quote!(#lock #row), quote!(row))
            })
        }
        None => write(&driver.db()).tail(),
    };
    quote! {
        #link_struct

        #doc
        pub #asyncness fn link(
            #db_param,
            #params,
            #targets,
            #values_param
        ) -> #result {
            #now
            #body
        }
    }
}

/// What `LINK_SQL` binds after the two keys: the fields of `values` (a
/// `Link`), `now`, new UUIDs.
pub(super) fn edge_values(
    driver: &dyn Driver,
    join: &Table,
    params: &[EdgeParam],
    values: &TokenStream,
) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| match p {
            EdgeParam::Value(c) => {
                let column = join.column(*c);
                let field = column.field.to_ident();
                driver.bind_column(
                    &quote!(super::super::mortise_support),
                    column,
                    quote!(#values.#field),
                )
            }
            EdgeParam::Now => driver.bind(Bound::value(FieldType::Datetime), quote!(now)),
            EdgeParam::NewUuid => driver.bind(
                Bound::value(FieldType::Uuid),
                quote!(::uuid::Uuid::new_v4()),
            ),
        })
        .collect()
}

/// The `Link` struct of a `many_to_many` over a join schema: the values of
/// a new join row besides its two keys and what the statement sets itself.
/// `Default` gives each field its `join_defaults` value, else its schema
/// `default`.
fn link_struct(
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
    join: &Table,
    params: &[EdgeParam],
) -> TokenStream {
    let AssociationKind::ManyToMany { join_defaults, .. } = &assoc.kind else {
        return TokenStream::new();
    };
    let columns: Vec<(ColumnId, &Column)> = params
        .iter()
        .filter_map(|p| match p {
            EdgeParam::Value(c) => Some((*c, join.column(*c))),
            _ => None,
        })
        .collect();
    let root = Root {
        path: quote!(super::super),
        enums: &schema.enums,
        embeds: &schema.embeds,
    };
    let fields = columns.iter().map(|(_, c)| {
        let (name, ty) = (c.field.to_ident(), rust_type(c, &root));
        let doc = doc_lines(&column_doc(c, &root));
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
                .or(c.default_value())
        })
        .collect();
    let doc = doc_lines(&format!(
        "The values of a new `{}` row linking `{}` to `{}`, besides the two keys and what the link helpers set \
         themselves (`join_where` values, timestamps, a generated key). `Link::default()` gives each field its \
         `join_defaults` value, else its schema `default`.",
        join.sql_name, schema.tables[owner].sql_name, schema.tables[assoc.target].sql_name,
    ));
    let defaultable = columns
        .iter()
        .zip(&defaults)
        .all(|((_, c), default)| has_default(c, *default, root.embeds));
    if !defaultable {
        let attributes = struct_attributes(quote!(Debug, Clone, PartialEq), &join.options);
        quote! {
            #doc
            #attributes
            pub struct Link { #(#fields,)* }
        }
    } else if defaults.iter().any(Option::is_some) {
        let values = columns.iter().zip(&defaults).map(|((_, c), default)| {
            let name = c.field.to_ident();
            let value = match default {
                Some(literal) => default_value(c, literal, &root),
                None => quote!(::std::default::Default::default()),
            };
            quote!(#name: #value)
        });
        let attributes = struct_attributes(quote!(Debug, Clone, PartialEq), &join.options);
        quote! {
            #doc
            #attributes
            pub struct Link { #(#fields,)* }

            /// Every field at its `join_defaults` value or schema `default`, the others at their type's default.
            impl ::std::default::Default for Link {
                fn default() -> Self {
                    Self { #(#values,)* }
                }
            }
        }
    } else {
        let attributes = struct_attributes(quote!(Debug, Clone, Default, PartialEq), &join.options);
        quote! {
            #doc
            #attributes
            pub struct Link { #(#fields,)* }
        }
    }
}
