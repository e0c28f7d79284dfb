//! The `queries` module: a function per query of the schema's query files,
//! its SQL as a constant, and a row struct for each query whose rows are
//! not exactly one table's.

use proc_macro2::TokenStream;
use quote::quote;

use super::driver::{Fetch, Keys, Statement};
use super::rust_types::{Root, base_type, column_doc, rust_type};
use super::{Target, doc_lines, ident, sql_doc};
use crate::ir::{Column, FieldType, Query, QueryKind, QueryParam, QueryResult, ReadBack, SqlType};
use crate::names::RustIdent;
use crate::sql;

/// The module, or nothing when the schema names no query file.
pub(super) fn module(target: &Target) -> TokenStream {
    let schema = target.schema;
    if schema.query_files.is_empty() {
        return TokenStream::new();
    }
    let files: Vec<String> = schema
        .query_files
        .iter()
        .map(|f| format!("`{}`", f.path))
        .collect();
    let doc = doc_lines(&format!(
        "The queries of {}: a function per `-- name:` block, checked against the schema when it was generated.",
        files.join(", ")
    ));
    let items = schema.queries.iter().map(|q| query(target, q));
    let attributes = target.driver.module_attributes();
    quote! {
        #doc
        #[allow(dead_code)]
        #attributes
        pub mod queries {
            #(#items)*
        }
    }
}

fn query(target: &Target, q: &Query) -> TokenStream {
    let Target {
        schema,
        dialect,
        driver,
    } = *target;
    let sql_text = sql::query_sql(dialect, schema, q);
    let constant = ident(&constant_name(q.name.unraw(), ""));
    let root = Root {
        path: quote!(super),
        enums: &schema.enums,
        embeds: &schema.embeds,
    };
    let support = quote!(super::mortise_support);
    let (row_struct, row_type) = match &q.result {
        QueryResult::Nothing => (TokenStream::new(), TokenStream::new()),
        QueryResult::Table(id) => {
            let table = &schema.tables[*id];
            let (module, name) = (table.module.to_ident(), table.struct_name.to_ident());
            (TokenStream::new(), quote!(super::#module::#name))
        }
        QueryResult::Row { name, columns } => {
            let name_ident = name.to_ident();
            let doc = doc_lines(&format!(
                "A row of [`{}`]: its columns in select-list order.",
                q.name.unraw()
            ));
            let fields = columns.iter().map(|c| {
                let (field, ty) = (c.field.to_ident(), rust_type(c, &root));
                let doc = doc_lines(&column_doc(c, &root));
                quote!(#doc pub #field: #ty)
            });
            let row = ident("row");
            let reads = columns.iter().enumerate().map(|(i, c)| {
                let field = c.field.to_ident();
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                let read = driver.read_column(c, &row, quote!(#i));
                quote!(#field: #read)
            });
            let (row_ty, result) = (driver.row(), driver.result(quote!(Self)));
            (
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq)]
                    pub struct #name_ident {
                        #(#fields,)*
                    }

                    impl #name_ident {
                        /// Reads a row whose columns come in struct order, as the query selects them.
                        pub fn from_row(row: &#row_ty) -> #result {
                            ::std::result::Result::Ok(Self { #(#reads,)* })
                        }
                    }
                },
                quote!(#name_ident),
            )
        }
    };

    let params = q.params.iter().map(|p| {
        let (name, ty) = (p.name.to_ident(), param_type(p, &root));
        quote!(#name: #ty)
    });
    let mut prelude = TokenStream::new();
    let mut args = Vec::new();
    for p in &q.params {
        let name = p.name.to_ident();
        if p.array {
            let arrays = driver.arrays(&support, Keys::Array(&name), &[p.ty]);
            prelude.extend(arrays.prelude);
            args.extend(arrays.args);
        } else {
            // As a column of its type is bound: arrays and embeds as JSON
            // where the driver needs it.
            args.push(driver.bind_column(&support, &param_column(p), quote!(#name)));
        }
    }
    let has_array = q.params.iter().any(|p| p.array);
    let statement = if has_array {
        Statement::with_array(quote!(#constant), &sql_text, &support)
    } else {
        Statement::plain(quote!(#constant), &sql_text, &support)
    };
    let db = driver.db();
    let read = quote!(#row_type::from_row);
    let read_back = sql::read_back_sql(dialect, schema, q);
    let (ok, body) = match (&read_back, &q.read_back) {
        (Some((lock_text, read_text)), Some(read_back)) => {
            let run = ReadBackRun {
                name: q.name.unraw(),
                update_text: &sql_text,
                lock_text,
                read_text,
                args: &args,
                arrays: has_array,
                support: &support,
                read: &read,
            };
            let rows = quote!(::std::vec::Vec<#row_type>);
            let body = read_back_body(target, read_back, q.kind, &run, &rows);
            let ok = match q.kind {
                QueryKind::Many => rows,
                _ => quote!(::std::option::Option<#row_type>),
            };
            (ok, body)
        }
        _ => match q.kind {
            QueryKind::Many => (
                quote!(::std::vec::Vec<#row_type>),
                driver
                    .query(&db, &statement, &args, Fetch::All { read })
                    .tail(),
            ),
            // A write runs to its end (its changes, and a deferred key's
            // error, come with it), then gives its first row.
            QueryKind::One if q.writes => {
                let call = driver.query(&db, &statement, &args, Fetch::All { read });
                let every = driver.result(quote!(::std::vec::Vec<#row_type>));
                let (prelude, value) = (&call.prelude, &call.value);
                let all = if call.fallible {
                    quote!(let all: #every = #value;)
                } else {
                    quote!(let all: #every = ::std::result::Result::Ok(#value);)
                };
                (
                    quote!(::std::option::Option<#row_type>),
                    quote!(#prelude #all all.map(|rows| rows.into_iter().next())),
                )
            }
            QueryKind::One => (
                quote!(::std::option::Option<#row_type>),
                driver
                    .query(&db, &statement, &args, Fetch::First { read })
                    .tail(),
            ),
            QueryKind::Exec => {
                let call = driver.execute(&db, &statement, &args);
                let body = match driver.usize(call.unwrapped()) {
                    Some(count) => {
                        let prelude = &call.prelude;
                        quote!(#prelude ::std::result::Result::Ok(#count))
                    }
                    // Already a `usize`.
                    None => call.tail(),
                };
                (quote!(usize), body)
            }
        },
    };
    let what = match q.kind {
        QueryKind::Many => "Every row of",
        QueryKind::One => "The first row of",
        QueryKind::Exec => "The number of rows changed by",
    };
    let mut text = String::new();
    if !q.doc.is_empty() {
        text.push_str(&q.doc);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "{what} query `{}` of `{}`:\n\n{}",
        q.name.unraw(),
        q.file,
        sql_doc(&sql_text)
    ));
    let arrays: Vec<String> = q
        .params
        .iter()
        .filter(|p| p.array)
        .map(|p| format!("`{}`", p.name.unraw()))
        .collect();
    if !arrays.is_empty() {
        text.push_str(&format!(
            "\n\n{} {} bound as ONE array parameter, whatever {} length.",
            arrays.join(", "),
            if arrays.len() == 1 { "is" } else { "are each" },
            if arrays.len() == 1 { "its" } else { "their" }
        ));
    }
    let atomic = read_back.is_some();
    let mut constants = vec![(constant, sql_text.clone())];
    if let Some((lock, read)) = read_back {
        text.push_str(&format!(
            "\n\n{} has no `RETURNING` on `UPDATE`: this runs in one transaction (a savepoint inside \
             yours), where [`{}`] locks the rows the `UPDATE` changes and takes their keys, [`{}`] \
             updates them, and [`{}`] reads the list after `RETURNING` from them, by key.",
            dialect.database(),
            constant_name(q.name.unraw(), "LOCK"),
            constant_name(q.name.unraw(), ""),
            constant_name(q.name.unraw(), "READ"),
        ));
        constants.insert(0, (ident(&constant_name(q.name.unraw(), "LOCK")), lock));
        constants.push((ident(&constant_name(q.name.unraw(), "READ")), read));
    }
    let constants = constants.iter().map(|(constant, text)| {
        let (doc, finished) = (doc_lines(&sql_doc(text)), sql::finished(text));
        quote! {
            #doc
            pub const #constant: &str = #finished;
        }
    });
    let fn_doc = doc_lines(&text);
    let (fn_name, asyncness, db_param, result) = (
        q.name.to_ident(),
        driver.asyncness(),
        driver.db_param(&support, atomic),
        driver.result(ok),
    );
    quote! {
        #(#constants)*

        #row_struct

        #fn_doc
        pub #asyncness fn #fn_name(#db_param, #(#params),*) -> #result {
            #prelude
            #body
        }
    }
}

/// The name of a query's constant: `RENAME_MOVIE_SQL`, or with `part`
/// `RENAME_MOVIE_LOCK_SQL`.
fn constant_name(query: &str, part: &str) -> String {
    let name = query.to_uppercase();
    if part.is_empty() {
        format!("{name}_SQL")
    } else {
        format!("{name}_{part}_SQL")
    }
}

/// What the three statements of an `UPDATE … RETURNING` on MySQL bind and
/// read.
struct ReadBackRun<'a> {
    name: &'a str,
    update_text: &'a str,
    lock_text: &'a str,
    read_text: &'a str,
    /// The query's arguments, in parameter order.
    args: &'a [TokenStream],
    /// Whether some parameter is an array.
    arrays: bool,
    support: &'a TokenStream,
    /// `Row::from_row`.
    read: &'a TokenStream,
}

/// The body of an `UPDATE … RETURNING` on MySQL (see `ir::ReadBack`): the
/// locked rows' keys, the `UPDATE`, then the rows read back by key, atomic.
fn read_back_body(
    target: &Target,
    read_back: &ReadBack,
    kind: QueryKind,
    run: &ReadBackRun,
    rows_type: &TokenStream,
) -> TokenStream {
    let Target { schema, driver, .. } = *target;
    let table = &schema.tables[read_back.table];
    let keys: Vec<&Column> = table
        .primary_key
        .iter()
        .map(|&c| &table.columns[c])
        .collect();
    let types: Vec<_> = keys.iter().map(|c| c.ty).collect();
    let statement = |constant: String, text: &str, arrays: bool| {
        let constant = ident(&constant);
        if arrays {
            Statement::with_array(quote!(#constant), text, run.support)
        } else {
            Statement::plain(quote!(#constant), text, run.support)
        }
    };
    let lock = statement(constant_name(run.name, "LOCK"), run.lock_text, run.arrays);
    let update = statement(constant_name(run.name, ""), run.update_text, run.arrays);
    let read_statement = statement(constant_name(run.name, "READ"), run.read_text, true);
    let (found, key_list) = (ident("found"), ident("keys"));
    let key = keys.iter().enumerate().map(|(i, c)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        driver.read_column(c, &found, quote!(#i))
    });
    let key_types = keys.iter().map(|c| base_type(c.ty));
    let (key, key_type) = if keys.len() == 1 {
        (quote!(#(#key)*), quote!(#(#key_types)*))
    } else {
        (quote!((#(#key),*)), quote!((#(#key_types),*)))
    };
    let arrays = driver.arrays(run.support, Keys::Local(&key_list), &types);
    let read_args: Vec<TokenStream> = run.args.iter().chain(&arrays.args).cloned().collect();
    let read = run.read;
    driver.atomic(run.support, &|db| {
        let (rows, each) = driver.rows(db, &lock, run.args);
        let updated = driver.execute(db, &update, run.args).bind(None);
        let read_rows = driver.query(
            db,
            &read_statement,
            &read_args,
            Fetch::All { read: read.clone() },
        );
        let (read_prelude, read_value) = (&read_rows.prelude, &read_rows.value);
        let every = driver.result(rows_type.clone());
        let read_rows = if read_rows.fallible {
            quote!(#read_prelude let rows: #every = #read_value; let rows = rows?;)
        } else {
            quote!(#read_prelude let rows: #rows_type = #read_value;)
        };
        let prelude = &arrays.prelude;
        let value = match kind {
            QueryKind::Many => quote!(rows),
            _ => quote!(rows.into_iter().next()),
        };
        (
            quote! {
                #rows
                let mut keys: ::std::vec::Vec<#key_type> = ::std::vec::Vec::new();
                #each {
                    keys.push(#key);
                }
                #updated
                #prelude
                #read_rows
            },
            value,
        )
    })
}

/// A column of the parameter's type, for what the emitters do per column
/// (its Rust type, how a driver binds it).
fn param_column(p: &QueryParam) -> Column {
    Column {
        sql_name: String::new(),
        field: RustIdent::snake("value"),
        ty: p.ty,
        nullable: p.nullable,
        default: None,
        unique: false,
        generated: None,
        sql_type: SqlType::default(),
        rust_type: None,
    }
}

/// How a parameter is passed: borrowed when its type owns memory, a
/// slice for an array, `Option` for a value written into a nullable column.
fn param_type(p: &QueryParam, root: &Root<'_>) -> TokenStream {
    let column = Column {
        nullable: false,
        ..param_column(p)
    };
    let owned = rust_type(&column, root);
    if p.array {
        return quote!(&[#owned]);
    }
    let ty = match p.ty {
        FieldType::String | FieldType::Text | FieldType::Char(_) => quote!(&str),
        FieldType::Binary => quote!(&[u8]),
        FieldType::Array(element) => {
            let element = rust_type(
                &Column {
                    ty: *element,
                    ..column
                },
                root,
            );
            quote!(&[#element])
        }
        FieldType::Json | FieldType::Embed { .. } => quote!(&#owned),
        _ => owned,
    };
    if p.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}
