//! Writes of an association's target rows: `create` (Ecto's `build_assoc`
//! for a `has_many`/`has_one`; for a `many_to_many`, new rows linked in the
//! same call, as Ecto's `put_assoc` with new maps and GORM's `Append` of new
//! objects), and `attach`/`detach` of existing children.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::driver::{Bound, Fetch, Keys, Read, Statement};
use super::super::rust_types::is_copy;
use super::super::{Target, doc_lines, now, sql_doc};
use super::links::{as_usize, count, edge_values};
use super::shape::{Param, Shape, declare};
use crate::ir::{Association, AssociationKind, Table, TableId};
use crate::sql::{
    AssociationStatements, CreateParam, CreateStatement, Dialect, EdgeParam, LinkParam,
    WriteStatements,
};

/// `create`, `attach`, `detach` and `detach_all`, as the association has them.
pub(super) fn functions(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    shape: &Shape,
    statements: &AssociationStatements,
    writes: &WriteStatements,
) -> TokenStream {
    let driver = target.driver;
    let site = Site {
        target,
        assoc,
        shape,
        writes,
        table: &target.schema.tables[assoc.target],
        owner_name: &target.schema.tables[owner].sql_name,
        support: quote!(super::super::mortise_support),
        params: declare(&shape.params),
        owner_args: shape.owner_args(driver),
        asyncness: driver.asyncness(),
    };
    let mut out = TokenStream::new();
    if let Some(create) = &writes.create {
        out.extend(match &assoc.kind {
            AssociationKind::ManyToMany { .. } => create_linked(&site, statements, create),
            _ => create_child(&site, create),
        });
    }
    out.extend(attach(&site));
    out.extend(detach(&site));
    out
}

/// What every write function of one association starts from.
struct Site<'a> {
    target: &'a Target<'a>,
    assoc: &'a Association,
    shape: &'a Shape<'a>,
    writes: &'a WriteStatements,
    /// The target table, whose rows the functions write.
    table: &'a Table,
    owner_name: &'a str,
    /// The path of `mortise_support`.
    support: TokenStream,
    /// The owner key's parameters, declared (`movie_id: i64`).
    params: TokenStream,
    /// The owner key's parameters as statement arguments.
    owner_args: Vec<TokenStream>,
    asyncness: TokenStream,
}

impl Site<'_> {
    /// A body running `write` (statements and a value, on the connection it
    /// is given) after the owner lock where the dialect takes one (a
    /// has_one's `create` and `attach`), atomically; and whether it did so
    /// (the function then opens a transaction), with the doc's sentence.
    fn after_owner_lock(
        &self,
        write: &dyn Fn(&Ident) -> (TokenStream, TokenStream),
        plain: TokenStream,
    ) -> (TokenStream, bool, String) {
        let driver = self.target.driver;
        let Some(lock) = &self.writes.lock_owner else {
            return (plain, false, String::new());
        };
        let body = driver.atomic(&self.support, &|db: &Ident| {
            let lock = driver
                .execute(
                    db,
                    &Statement::plain(quote!(LOCK_OWNER_SQL), lock, &self.support),
                    &self.owner_args,
                )
                .bind(None);
            let (statements, value) = write(db);
            (quote!(#lock #statements), value)
        });
        let how = format!(
            " In a transaction of its own (a savepoint inside yours), it first locks the owner row, so that two \
             calls for the same owner take turns and the second sees the first's row:\n\n{}\n\nthen:",
            sql_doc(lock)
        );
        (body, true, how)
    }

    /// A body running `statement` (an update of several rows) and returning
    /// how many it changed: atomic alone where a statement is, else in a
    /// savepoint; and whether it opens one.
    fn counted(&self, statement: &Statement, args: &[TokenStream]) -> (TokenStream, bool) {
        let driver = self.target.driver;
        if self.target.dialect.statements_are_atomic() {
            return (
                count(driver, driver.execute(&driver.db(), statement, args)),
                false,
            );
        }
        let body = driver.atomic(&self.support, &|db: &Ident| {
            let changed =
                as_usize(driver, driver.execute(db, statement, args)).bind(Some(quote!(count)));
            (changed, quote!(count))
        });
        (body, true)
    }
}

/// The paths of the target's row and `New…` structs, from an association's module.
fn target_paths(table: &Table) -> (TokenStream, TokenStream) {
    let (m, r, n) = (
        table.module.to_ident(),
        table.struct_name.to_ident(),
        table.new_struct_name.to_ident(),
    );
    (quote!(super::super::#m::#r), quote!(super::super::#m::#n))
}

/// What `create` writes besides the caller's values, for its doc: the
/// `where` and `defaults` values.
fn fixed_values(dialect: Dialect, table: &Table, assoc: &Association) -> String {
    let values: Vec<String> = assoc
        .filter
        .iter()
        .chain(&assoc.defaults)
        .map(|(c, value)| {
            format!(
                "`{}` = `{}`",
                table.columns[*c].sql_name,
                dialect.literal(value)
            )
        })
        .collect();
    if values.is_empty() {
        String::new()
    } else {
        format!(
            " It writes the association's `where` and `defaults` values ({}) whatever `new` holds for them, so the row is one of the association's.",
            values.join(", ")
        )
    }
}

/// The arguments of `CREATE_SQL` for the `New…` value `new`.
fn create_args(site: &Site, create: &CreateStatement, new: &TokenStream) -> Vec<TokenStream> {
    let Site {
        target,
        shape,
        table,
        support,
        ..
    } = site;
    let driver = target.driver;
    create
        .params
        .iter()
        .map(|param| match *param {
            CreateParam::Field(c) => {
                let column = table.column(c);
                let field = column.field.to_ident();
                driver.bind_column(support, column, quote!(#new.#field))
            }
            CreateParam::Owner(n) => {
                let name = &shape.params[n].name;
                driver.bind_key(support, shape.owner_keys[n], quote!(#name))
            }
            CreateParam::Now(c) => driver.bind(Bound::value(table.column(c).ty), quote!(now)),
            CreateParam::NewUuid(c) => driver.bind(
                Bound::value(table.column(c).ty),
                quote!(::uuid::Uuid::new_v4()),
            ),
        })
        .collect()
}

/// `new` in a function taking a `New…` value, or `_new` where every column
/// is the association's or the database's (the value only says that a row
/// is wanted).
fn new_binding(create: &CreateStatement) -> TokenStream {
    if create
        .params
        .iter()
        .any(|p| matches!(p, CreateParam::Field(_)))
    {
        quote!(new)
    } else {
        quote!(_new)
    }
}

fn needs_now(create: &CreateStatement) -> bool {
    create
        .params
        .iter()
        .any(|p| matches!(p, CreateParam::Now(_)))
}

/// `create(db, owner, &New…)` of a `has_many` (the stored row) or a
/// `has_one` (`None` when the owner has its row already).
fn create_child(site: &Site, create: &CreateStatement) -> TokenStream {
    let Site {
        target,
        assoc,
        table,
        owner_name,
        support,
        params,
        asyncness,
        ..
    } = site;
    let driver = target.driver;
    let (row, new_type) = target_paths(table);
    let args = create_args(site, create, &quote!(new));
    let now = needs_now(create).then(now);
    let new = new_binding(create);
    let keys: Vec<String> = match &assoc.kind {
        AssociationKind::Has { foreign_key, .. } => foreign_key
            .iter()
            .map(|c| format!("`{}`", table.columns[*c].sql_name))
            .collect(),
        _ => Vec::new(),
    };
    let keys = keys.join(", ") + if keys.len() == 1 { " is" } else { " are" };
    let fixed = fixed_values(target.dialect, table, assoc);
    let statement = Statement::plain(quote!(CREATE_SQL), &create.sql, support);
    if !create.guarded {
        let doc = doc_lines(&format!(
            "Inserts a `{}` row for one `{owner_name}` row and returns it as stored (Ecto's `build_assoc`, then \
             `insert`): {keys} that row's key, whatever `new` holds.{fixed}\n\n{}",
            table.sql_name,
            sql_doc(&create.sql)
        ));
        let body = driver
            .query(
                &driver.db(),
                &statement,
                &args,
                Fetch::One(Read::With(quote!(#row::from_row))),
            )
            .tail();
        let (db_param, result) = (driver.db_param(support, false), driver.result(row));
        return quote! {
            #doc
            pub #asyncness fn create(#db_param, #params, #new: &#new_type) -> #result {
                #now
                #body
            }
        };
    }
    let optional = || Fetch::Optional {
        read: quote!(#row::from_row),
    };
    let plain = driver
        .query(&driver.db(), &statement, &args, optional())
        .tail();
    let (body, atomic, how) = site.after_owner_lock(
        &|db: &Ident| {
            let insert = driver
                .query(db, &statement, &args, optional())
                .bind(Some(quote!(created)));
            (insert, quote!(created))
        },
        plain,
    );
    let how = if atomic {
        how
    } else {
        " One statement.".to_owned()
    };
    let doc = doc_lines(&format!(
        "Inserts the `{}` row of one `{owner_name}` row and returns it as stored (Ecto's `build_assoc`, then \
         `insert`), or `None`, writing nothing, when that row has one already (a has_one holds one row: \
         `detach` or delete the one it has first). {keys} that row's key, whatever `new` holds.{fixed}{how}\n\n{}",
        table.sql_name,
        sql_doc(&create.sql)
    ));
    let (db_param, result) = (
        driver.db_param(support, atomic),
        driver.result(quote!(::std::option::Option<#row>)),
    );
    quote! {
        #doc
        pub #asyncness fn create(#db_param, #params, #new: &#new_type) -> #result {
            #now
            #body
        }
    }
}

/// `create(db, owner, &[New…])` of a `many_to_many`: inserts the rows and
/// links them, atomically. Over a join schema whose rows hold values of
/// their own, each new row comes with its `Link` and the call returns edges.
fn create_linked(
    site: &Site,
    statements: &AssociationStatements,
    create: &CreateStatement,
) -> TokenStream {
    let Site {
        target,
        assoc,
        shape,
        table,
        owner_name,
        support,
        params,
        owner_args,
        asyncness,
        ..
    } = site;
    let (schema, driver) = (target.schema, target.driver);
    let (Some(links), [_, ..]) = (&statements.links, shape.target_keys.as_slice()) else {
        return TokenStream::new();
    };
    // A new row's key links it; a key that may be NULL may not.
    if shape.target_keys.iter().any(|c| c.nullable) {
        return TokenStream::new();
    }
    let (row, new_type) = target_paths(table);
    let fixed = fixed_values(target.dialect, table, assoc);
    let join = assoc.join_schema(schema).map(|j| &schema.tables[j]);
    let edges = statements
        .edges
        .as_ref()
        .filter(|e| e.params.iter().any(|p| matches!(p, EdgeParam::Value(_))));
    let now = (needs_now(create)
        || links.insert_params.contains(&LinkParam::Now)
        || edges.is_some_and(|e| e.params.contains(&EdgeParam::Now)))
    .then(now);
    let create_statement = Statement::plain(quote!(CREATE_SQL), &create.sql, support);
    let new = new_binding(create);
    let key_of = |value: &TokenStream| -> Vec<TokenStream> {
        shape
            .target_keys
            .iter()
            .map(|c| {
                let field = c.field.to_ident();
                if is_copy(c.ty) {
                    quote!(#value.#field)
                } else {
                    quote!(#value.#field.clone())
                }
            })
            .collect()
    };

    if let (Some(edges), Some(join)) = (edges, join) {
        // Each row, then its link with the caller's values.
        let (jm, jr) = (join.module.to_ident(), join.struct_name.to_ident());
        let args = create_args(site, create, &quote!(new));
        let link_args: Vec<TokenStream> = owner_args
            .iter()
            .cloned()
            .chain(
                shape
                    .target_keys
                    .iter()
                    .zip(key_of(&quote!(created)))
                    .map(|(c, key)| driver.bind_key(support, c, key)),
            )
            .chain(edge_values(driver, join, &edges.params, &quote!(values)))
            .collect();
        let body = driver.atomic(support, &|db: &Ident| {
            let insert = driver
                .query(
                    db,
                    &create_statement,
                    &args,
                    Fetch::One(Read::With(quote!(#row::from_row))),
                )
                .bind(Some(quote!(created)));
            let link = driver
                .query(
                    db,
                    &Statement::plain(quote!(LINK_SQL), &edges.insert, support),
                    &link_args,
                    Fetch::One(Read::With(quote!(super::super::#jm::#jr::from_row))),
                )
                .bind(Some(quote!(link)));
            (
                quote! {
                    let mut edges = ::std::vec::Vec::with_capacity(new.len());
                    for (#new, values) in new {
                        #insert
                        #link
                        edges.push(super::super::Edge { link, target: created });
                    }
                },
                quote!(edges),
            )
        });
        let doc = doc_lines(&format!(
            "Inserts new `{}` rows and links each to one `{owner_name}` row with its `Link` values (Ecto's \
             `put_assoc` with new rows, GORM's `Append` of new objects), in one transaction of its own (a \
             savepoint inside yours): all of them, or none. Returns each row with its `{}` row, in the order \
             given.{fixed}\n\nEach row:\n\n{}\n\nthen [`LINK_SQL`].",
            table.sql_name,
            join.sql_name,
            sql_doc(&create.sql)
        ));
        let (db_param, result) = (
            driver.db_param(support, true),
            driver
                .result(quote!(::std::vec::Vec<super::super::Edge<super::super::#jm::#jr, #row>>)),
        );
        return quote! {
            #doc
            pub #asyncness fn create(#db_param, #params, new: &[(#new_type, Link)]) -> #result {
                #now
                #body
            }
        };
    }

    // The rows, then one link insert for all of them.
    let args = create_args(site, create, &quote!(new));
    let key_type = {
        let types = shape
            .target_keys
            .iter()
            .map(|c| super::super::rust_types::base_type(c.ty));
        if shape.target_keys.len() == 1 {
            quote!(#(#types)*)
        } else {
            quote!((#(#types),*))
        }
    };
    let keys = {
        let key = key_of(&quote!(row));
        let key = if key.len() == 1 {
            quote!(#(#key)*)
        } else {
            quote!((#(#key),*))
        };
        quote!(created.iter().map(|row| #key))
    };
    let arrays = driver.arrays(
        support,
        Keys::Iter { keys, key_type },
        &shape.target_types(),
    );
    let insert_args: Vec<TokenStream> = owner_args
        .iter()
        .chain(&arrays.args)
        .cloned()
        .chain(links.insert_params.iter().map(|p| match p {
            LinkParam::Now => {
                driver.bind(Bound::value(crate::ir::FieldType::Datetime), quote!(now))
            }
        }))
        .collect();
    let body = driver.atomic(support, &|db: &Ident| {
        let insert = driver
            .query(
                db,
                &create_statement,
                &args,
                Fetch::One(Read::With(quote!(#row::from_row))),
            )
            .bind(Some(quote!(created)));
        let prelude = &arrays.prelude;
        let link = driver
            .execute(
                db,
                &Statement::with_array(quote!(INSERT_SQL), &links.insert, support),
                &insert_args,
            )
            .bind(None);
        (
            quote! {
                let mut stored = ::std::vec::Vec::with_capacity(new.len());
                for #new in new {
                    #insert
                    stored.push(created);
                }
                let created = stored;
                #prelude
                #link
            },
            quote!(created),
        )
    });
    let doc = doc_lines(&format!(
        "Inserts new `{}` rows and links them to one `{owner_name}` row (Ecto's `put_assoc` with new rows, GORM's \
         `Append` of new objects), in one transaction of its own (a savepoint inside yours): all of them, or none. \
         Returns the rows as stored, in the order given.{fixed}\n\nEach row:\n\n{}\n\nthen [`INSERT_SQL`] links them.",
        table.sql_name,
        sql_doc(&create.sql)
    ));
    let (db_param, result) = (
        driver.db_param(support, true),
        driver.result(quote!(::std::vec::Vec<#row>)),
    );
    quote! {
        #doc
        pub #asyncness fn create(#db_param, #params, new: &[#new_type]) -> #result {
            #now
            #body
        }
    }
}

/// `attach`: existing rows become the owner's children.
fn attach(site: &Site) -> TokenStream {
    let Site {
        target,
        assoc,
        shape,
        writes,
        table,
        owner_name,
        support,
        params,
        owner_args,
        asyncness,
    } = site;
    let driver = target.driver;
    let Some(sql) = &writes.attach else {
        return TokenStream::new();
    };
    let scope = if assoc.filter.is_empty() {
        ""
    } else {
        " Rows outside the association's `where` are left alone."
    };
    if shape.many {
        let Some(Param {
            name: targets,
            ty: target_type,
        }) = &shape.target_params
        else {
            return TokenStream::new();
        };
        let arrays = driver.arrays(support, Keys::Slice(targets), &shape.target_types());
        let args: Vec<TokenStream> = owner_args.iter().chain(&arrays.args).cloned().collect();
        let (body, atomic) = site.counted(
            &Statement::with_array(quote!(ATTACH_SQL), sql, support),
            &args,
        );
        let doc = doc_lines(&format!(
            "Makes the `{}` rows with these keys children of one `{owner_name}` row (GORM's `Append` of existing \
             rows on a has_many): sets their foreign key to its key. Returns how many rows it set (those that \
             were its children already included; a key no row has is not counted).{scope}\n\n{}",
            table.sql_name,
            sql_doc(sql)
        ));
        let (db_param, result, prelude) = (
            driver.db_param(support, atomic),
            driver.result(quote!(usize)),
            &arrays.prelude,
        );
        return quote! {
            #doc
            pub #asyncness fn attach(#db_param, #params, #targets: &[#target_type]) -> #result {
                #prelude
                #body
            }
        };
    }
    let targets = declare(&shape.target_param);
    let args: Vec<TokenStream> = owner_args
        .iter()
        .cloned()
        .chain(shape.target_args(driver))
        .collect();
    let statement = Statement::plain(quote!(ATTACH_SQL), sql, support);
    let plain = {
        let call = driver.execute(&driver.db(), &statement, &args);
        let (prelude, changed) = (&call.prelude, call.unwrapped());
        quote!(#prelude ::std::result::Result::Ok(#changed > 0))
    };
    let (body, atomic, how) = site.after_owner_lock(
        &|db: &Ident| {
            let call = driver.execute(db, &statement, &args);
            let (prelude, changed) = (&call.prelude, call.unwrapped());
            (
                quote!(#prelude let attached = #changed > 0;),
                quote!(attached),
            )
        },
        plain,
    );
    let doc = doc_lines(&format!(
        "Makes the `{}` row with this key the child of one `{owner_name}` row: sets its foreign key to that \
         row's key. `false`, writing nothing, when there is no such row or the owner has another child (a \
         has_one holds one row: `detach` or delete that one first).{scope}{how}\n\n{}",
        table.sql_name,
        sql_doc(sql)
    ));
    let (db_param, result) = (
        driver.db_param(support, atomic),
        driver.result(quote!(bool)),
    );
    quote! {
        #doc
        pub #asyncness fn attach(#db_param, #params, #targets) -> #result {
            #body
        }
    }
}

/// `detach` (and a `has_many`'s `detach_all`): children's foreign key set
/// to NULL, where it may be.
fn detach(site: &Site) -> TokenStream {
    let Site {
        target,
        shape,
        writes,
        table,
        owner_name,
        support,
        params,
        owner_args,
        asyncness,
        ..
    } = site;
    let driver = target.driver;
    let Some(sql) = &writes.detach else {
        return TokenStream::new();
    };
    if !shape.many {
        let call = driver.execute(
            &driver.db(),
            &Statement::plain(quote!(DETACH_SQL), sql, support),
            owner_args,
        );
        let (prelude, changed) = (&call.prelude, call.unwrapped());
        let doc = doc_lines(&format!(
            "Sets the foreign key of the `{}` row of one `{owner_name}` row to NULL: the row stays, without an \
             owner. `false` when it had none.\n\n{}",
            table.sql_name,
            sql_doc(sql)
        ));
        let (db_param, result) = (driver.db_param(support, false), driver.result(quote!(bool)));
        return quote! {
            #doc
            pub #asyncness fn detach(#db_param, #params) -> #result {
                #prelude
                ::std::result::Result::Ok(#changed > 0)
            }
        };
    }
    let Some(Param {
        name: targets,
        ty: target_type,
    }) = &shape.target_params
    else {
        return TokenStream::new();
    };
    let arrays = driver.arrays(support, Keys::Slice(targets), &shape.target_types());
    let args: Vec<TokenStream> = owner_args.iter().chain(&arrays.args).cloned().collect();
    let (detach, atomic) = site.counted(
        &Statement::with_array(quote!(DETACH_SQL), sql, support),
        &args,
    );
    let (db_param, result, prelude) = (
        driver.db_param(support, atomic),
        driver.result(quote!(usize)),
        &arrays.prelude,
    );
    let doc = doc_lines(&format!(
        "Sets the foreign key of these children of one `{owner_name}` row to NULL (GORM's `Delete` on a \
         has_many): the `{}` rows stay, without an owner. Rows that are not its children are left alone. \
         Returns how many it detached.\n\n{}",
        table.sql_name,
        sql_doc(sql)
    ));
    let mut out = quote! {
        #doc
        pub #asyncness fn detach(#db_param, #params, #targets: &[#target_type]) -> #result {
            #prelude
            #detach
        }
    };
    if let Some(all) = &writes.detach_all {
        let (detach_all, _) = site.counted(
            &Statement::plain(quote!(DETACH_ALL_SQL), all, support),
            owner_args,
        );
        let doc = doc_lines(&format!(
            "Sets the foreign key of every child of one `{owner_name}` row to NULL (GORM's `Clear` on a \
             has_many): the `{}` rows stay, without an owner. Returns how many it detached.\n\n{}",
            table.sql_name,
            sql_doc(all)
        ));
        out.extend(quote! {
            #doc
            pub #asyncness fn detach_all(#db_param, #params) -> #result {
                #detach_all
            }
        });
    }
    out
}
