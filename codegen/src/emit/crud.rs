//! Writing and reading rows by key: a table's `insert`, `get`, `all`,
//! `update` and `delete`, and the same writes for an association whose rows
//! live in a table of its own (`has_many: { table, struct }`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::driver::{Bound, Fetch, Read, Statement};
use super::rust_types::{generated_note, key_param_type};
use super::{Target, doc_lines, now, sql_doc};
use crate::ir::{Association, Column, ColumnId, Generated, Table, TableId};
use crate::names::RustIdent;
use crate::sql::{self, TableStatements};

/// The rows a set of functions writes: their table, and the paths of their
/// row and insert structs from where the functions stand.
struct Rows<'a> {
    table: &'a Table,
    row: TokenStream,
    new: TokenStream,
    /// The path of `mortise_support`.
    support: TokenStream,
}

/// How `update` gets its row: as `self` (a table's method) or as a
/// parameter `row` (a stored association's function).
#[derive(Clone, Copy)]
enum Receiver {
    SelfRow,
    RowParam,
}

/// A table's CRUD, as methods and associated functions of its row struct.
pub(super) fn table_functions(
    target: &Target,
    id: TableId,
    statements: &TableStatements,
) -> TokenStream {
    let Target { schema, driver, .. } = *target;
    let table = &schema.tables[id];
    let (row, new) = (
        table.struct_name.to_ident(),
        table.new_struct_name.to_ident(),
    );
    let support = quote!(super::mortise_support);
    let rows = Rows {
        table,
        row: quote!(#row),
        new: quote!(#new),
        support: support.clone(),
    };
    let name = &table.sql_name;
    let (asyncness, db, db_param) = (
        driver.asyncness(),
        driver.db(),
        driver.db_param(&support, false),
    );
    let (params, keys) = key_params(target, &support, table);

    let insert_doc = doc_lines(&format!(
        "Inserts a `{name}` row and returns it as stored ({}).\n\n{}",
        generated_note(table),
        sql_doc(&statements.insert)
    ));
    let mut out = insert(target, &rows, insert_doc, TokenStream::new(), &[]);

    if let Some(get) = &statements.get {
        let doc = doc_lines(&format!(
            "The `{name}` row with this key, if there is one.\n\n{}",
            sql_doc(get)
        ));
        let result = driver.result(quote!(::std::option::Option<#row>));
        let body = driver
            .query(
                &db,
                &Statement::in_order(quote!(GET_SQL), &support),
                &keys,
                Fetch::Optional {
                    read: quote!(#row::from_row),
                },
            )
            .tail();
        out.extend(quote! {
            #doc
            pub #asyncness fn get(#db_param, #(#params),*) -> #result {
                #body
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
    let result = driver.result(quote!(::std::vec::Vec<#row>));
    let body = driver
        .query(
            &db,
            &Statement::in_order(quote!(ALL_SQL), &support),
            &[],
            Fetch::All {
                read: quote!(#row::from_row),
            },
        )
        .tail();
    out.extend(quote! {
        #all_doc
        pub #asyncness fn all(#db_param) -> #result {
            #body
        }
    });

    if let Some(sql) = &statements.update {
        let note = updated_at(table).map_or(String::new(), |c| {
            format!(" and sets `{}` to now", c.sql_name)
        });
        let doc = doc_lines(&format!(
            "Writes every column of this row, found by its key{note}; `false` when no row has the key.\n\n{}",
            sql_doc(sql)
        ));
        out.extend(update(target, &rows, doc, Receiver::SelfRow));
    }

    if let Some(block) = &statements.locked_delete {
        let doc = doc_lines(&format!(
            "Deletes the `{name}` row with this key; `false` when there was none. One statement, sent once, in a \
             transaction of its own (a savepoint inside yours): it locks the row, so that a row inserted meanwhile \
             that refers to it is either deleted too or refused, applies each association's `on_delete` (without \
             relying on foreign keys being enforced), then deletes the row; on any error it undoes itself and \
             returns the server's error.\n\n{}",
            sql_doc(block)
        ));
        out.extend(locked_delete(target, &support, doc, &params, &keys, block));
    } else if let Some(sql) = &statements.delete {
        // Each association's `on_delete`: in the DELETE itself where the
        // dialect can (writable `WITH`), else run first, in one savepoint.
        let on_delete: Vec<(&Association, String)> = table
            .associations
            .iter()
            .filter_map(|a| {
                let sql = sql::association_statements(target.dialect, schema, id, a).on_delete?;
                Some((a, sql))
            })
            .collect();
        let run_first = !on_delete.is_empty() && !target.dialect.writable_ctes();
        let mut text =
            format!("Deletes the `{name}` row with this key; `false` when there was none.");
        if run_first {
            text.push_str(" First, in the same savepoint, ");
            if let Some(lock) = &statements.lock {
                text.push_str(&format!(
                    "locks the row, so that a row inserted meanwhile that refers to it is either deleted too or \
                     refused:\n\n{}\n\nthen ",
                    sql_doc(lock)
                ));
            }
            text.push_str("applies `on_delete` (without relying on foreign keys being enforced):");
            for (assoc, sql) in &on_delete {
                text.push_str(&format!(
                    "\n\n`{}`:\n\n{}",
                    assoc.module.as_str(),
                    sql_doc(sql)
                ));
            }
            text.push_str("\n\nthen:");
        } else if let Some(lock) = &statements.lock {
            text.push_str(&format!(
                " In a transaction of its own (a savepoint inside yours), it first locks the row, so that a row \
                 inserted meanwhile that refers to it is either deleted too or refused, then applies each \
                 association's `on_delete` and deletes the row in one statement (without relying on foreign \
                 keys):\n\n{}\n\nthen:",
                sql_doc(lock)
            ));
        }
        let doc = doc_lines(&format!("{text}\n\n{}", sql_doc(sql)));
        // Where writers run concurrently, the row is locked first (see
        // `TableStatements::lock`).
        let first: Vec<Statement> = if run_first {
            let lock = statements
                .lock
                .iter()
                .map(|_| Statement::in_order(quote!(LOCK_SQL), &support));
            lock.chain(on_delete.iter().map(|(a, _)| {
                let module = a.module.to_ident();
                Statement::in_order(quote!(#module::ON_DELETE_SQL), &support)
            }))
            .collect()
        } else {
            statements
                .lock
                .iter()
                .map(|_| Statement::in_order(quote!(LOCK_SQL), &support))
                .collect()
        };
        out.extend(delete(target, &support, doc, &params, &keys, &first));
    }
    out
}

/// `insert`, `update` and `delete` of an association whose rows live in a
/// table of its own: `owner` holds the functions' owner parameters and the
/// foreign-key column each one fills.
pub(super) fn stored_functions(
    target: &Target,
    owner: TableId,
    assoc: &Association,
    owner_params: TokenStream,
    owner_values: &[(ColumnId, &Ident)],
    statements: &TableStatements,
) -> TokenStream {
    let schema = target.schema;
    let table = &schema.tables[assoc.target];
    let (module, row, new) = (
        table.module.to_ident(),
        table.struct_name.to_ident(),
        table.new_struct_name.to_ident(),
    );
    let rows = Rows {
        table,
        row: quote!(super::super::#module::#row),
        new: quote!(super::super::#module::#new),
        support: quote!(super::super::mortise_support),
    };
    let (name, owner_name) = (&table.sql_name, &schema.tables[owner].sql_name);
    let fk: Vec<String> = owner_values
        .iter()
        .map(|(c, _)| format!("`{}`", table.columns[*c].sql_name))
        .collect();
    let fk = match fk.as_slice() {
        [one] => format!("{one} is"),
        _ => format!("{} are", fk.join(", ")),
    };
    let insert_doc = doc_lines(&format!(
        "Inserts a `{row}` into `{name}`, this association's own table, for one `{owner_name}` row: \
         {fk} that row's key, whatever `new` holds ({}). Returns the row as stored.\n\n{}",
        generated_note(table),
        sql_doc(&statements.insert)
    ));
    let mut out = insert(target, &rows, insert_doc, owner_params, owner_values);
    if let Some(sql) = &statements.update {
        let note = updated_at(table).map_or(String::new(), |c| {
            format!(", and sets `{}` to now", c.sql_name)
        });
        let doc = doc_lines(&format!(
            "Writes every column of a `{row}` of `{name}`, found by its key{note}; `false` when no row has the key.\n\n{}",
            sql_doc(sql)
        ));
        out.extend(update(target, &rows, doc, Receiver::RowParam));
    }
    if let Some(sql) = &statements.delete {
        let doc = doc_lines(&format!(
            "Deletes the `{name}` row with this key; `false` when there was none.\n\n{}",
            sql_doc(sql)
        ));
        let (params, keys) = key_params(target, &rows.support, table);
        out.extend(delete(target, &rows.support, doc, &params, &keys, &[]));
    }
    out
}

/// `insert(db, [owner params,] new) -> Row`: the caller's values, except
/// the columns `owner_values` fill and what the code sets itself.
fn insert(
    target: &Target,
    rows: &Rows,
    doc: TokenStream,
    owner_params: TokenStream,
    owner_values: &[(ColumnId, &Ident)],
) -> TokenStream {
    let driver = target.driver;
    let (row, new) = (&rows.row, &rows.new);
    let values: Vec<TokenStream> = rows
        .table
        .insert_columns()
        .map(|(id, c)| {
            let owner = owner_values.iter().find(|(c, _)| *c == id);
            match (c.generated, owner) {
                (Some(Generated::Uuid), _) => {
                    driver.bind(Bound::value(c.ty), quote!(::uuid::Uuid::new_v4()))
                }
                (Some(Generated::InsertedAt | Generated::UpdatedAt), _) => {
                    driver.bind(Bound::value(c.ty), quote!(now))
                }
                (_, Some((_, param))) => driver.bind(Bound::value(c.ty), quote!(#param)),
                _ => {
                    let field = c.field.to_ident();
                    driver.bind_column(&rows.support, c, quote!(new.#field))
                }
            }
        })
        .collect();
    let now = has_timestamps(rows.table).then(now);
    let owner_params = (!owner_params.is_empty()).then(|| quote!(#owner_params,));
    let (asyncness, db, db_param) = (
        driver.asyncness(),
        driver.db(),
        driver.db_param(&rows.support, false),
    );
    let result = driver.result(row.clone());
    let body = driver
        .query(
            &db,
            &Statement::in_order(quote!(INSERT_SQL), &rows.support),
            &values,
            Fetch::One(Read::With(quote!(#row::from_row))),
        )
        .tail();
    quote! {
        #doc
        pub #asyncness fn insert(#db_param, #owner_params new: &#new) -> #result {
            #now
            #body
        }
    }
}

/// `update`: writes every column, found by the key; with `updated_at`, it
/// takes the row mutably, writes now and stores it on the row.
fn update(target: &Target, rows: &Rows, doc: TokenStream, receiver: Receiver) -> TokenStream {
    let driver = target.driver;
    let table = rows.table;
    let holder = match receiver {
        Receiver::SelfRow => quote!(self),
        Receiver::RowParam => quote!(row),
    };
    let values = table.update_columns().map(|(_, c)| {
        if c.generated == Some(Generated::UpdatedAt) {
            driver.bind(Bound::value(c.ty), quote!(now))
        } else {
            let field = c.field.to_ident();
            driver.bind_column(&rows.support, c, quote!(#holder.#field))
        }
    });
    let keys = table.primary_key.iter().map(|c| {
        let column = table.column(*c);
        let field = column.field.to_ident();
        driver.bind_column(&rows.support, column, quote!(#holder.#field))
    });
    let args: Vec<TokenStream> = values.chain(keys).collect();
    let (now, set_now, borrow) = match updated_at(table) {
        Some(c) => {
            let field = c.field.to_ident();
            (
                Some(now()),
                Some(quote!(if changed { #holder.#field = now; })),
                quote!(&mut),
            )
        }
        None => (None, None, quote!(&)),
    };
    let (asyncness, db, db_param) = (
        driver.asyncness(),
        driver.db(),
        driver.db_param(&rows.support, false),
    );
    let result = driver.result(quote!(bool));
    let call = driver.execute(
        &db,
        &Statement::in_order(quote!(UPDATE_SQL), &rows.support),
        &args,
    );
    let (prelude, changed) = (&call.prelude, call.unwrapped());
    let row = &rows.row;
    let receiver = match receiver {
        Receiver::SelfRow => quote!(#borrow self, #db_param),
        Receiver::RowParam => quote!(#db_param, row: #borrow #row),
    };
    quote! {
        #doc
        pub #asyncness fn update(#receiver) -> #result {
            #now
            #prelude
            let changed = #changed > 0;
            #set_now
            ::std::result::Result::Ok(changed)
        }
    }
}

/// `delete(db, key...) -> bool`, running the statements `first` (each
/// binding the key) before it, atomically.
fn delete(
    target: &Target,
    support: &TokenStream,
    doc: TokenStream,
    params: &[TokenStream],
    keys: &[TokenStream],
    first: &[Statement],
) -> TokenStream {
    let driver = target.driver;
    let delete = Statement::in_order(quote!(DELETE_SQL), support);
    let body = |db: &Ident| {
        let first = first
            .iter()
            .map(|statement| driver.execute(db, statement, keys).bind(None));
        let call = driver.execute(db, &delete, keys);
        let (prelude, count) = (&call.prelude, call.unwrapped());
        (
            quote!(#(#first)* #prelude let deleted = #count > 0;),
            quote!(deleted),
        )
    };
    let atomic = !first.is_empty();
    let body = if atomic {
        driver.atomic(support, &body)
    } else {
        let call = driver.execute(&driver.db(), &delete, keys);
        let (prelude, count) = (&call.prelude, call.unwrapped());
        quote!(#prelude ::std::result::Result::Ok(#count > 0))
    };
    let (asyncness, db_param) = (driver.asyncness(), driver.db_param(support, atomic));
    let result = driver.result(quote!(bool));
    quote! {
        #doc
        pub #asyncness fn delete(#db_param, #(#params),*) -> #result {
            #body
        }
    }
}

/// `delete` as one compound statement that locks, applies `on_delete` and
/// deletes (MariaDB, see `TableStatements::locked_delete`).
fn locked_delete(
    target: &Target,
    support: &TokenStream,
    doc: TokenStream,
    params: &[TokenStream],
    keys: &[TokenStream],
    block: &str,
) -> TokenStream {
    let driver = target.driver;
    let call = driver
        .query(
            &driver.db(),
            &Statement::plain(quote!(LOCKED_DELETE_SQL), block, support),
            keys,
            Fetch::One(Read::Columns(1)),
        )
        .bind(Some(quote!(deleted: i64)));
    let (asyncness, db_param) = (driver.asyncness(), driver.db_param(support, false));
    let result = driver.result(quote!(bool));
    quote! {
        #doc
        pub #asyncness fn delete(#db_param, #(#params),*) -> #result {
            #call
            ::std::result::Result::Ok(deleted > 0)
        }
    }
}

/// A table's key as function parameters (`id: i64`) and as the bound
/// arguments of a statement that matches it; `support` is the path of
/// `mortise_support`.
fn key_params(
    target: &Target,
    support: &TokenStream,
    table: &Table,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    table
        .primary_key
        .iter()
        .map(|c| {
            let column = table.column(*c);
            let param = RustIdent::parameter(&column.field).to_ident();
            let ty = key_param_type(column.ty);
            (
                quote!(#param: #ty),
                target.driver.bind_key(support, column, quote!(#param)),
            )
        })
        .unzip()
}

fn updated_at(table: &Table) -> Option<&Column> {
    table
        .columns
        .iter()
        .find(|c| c.generated == Some(Generated::UpdatedAt))
}

fn has_timestamps(table: &Table) -> bool {
    table.columns.iter().any(|c| {
        matches!(
            c.generated,
            Some(Generated::InsertedAt | Generated::UpdatedAt)
        )
    })
}
