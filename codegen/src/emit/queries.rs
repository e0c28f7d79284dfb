//! The `queries` module: a function per query of the schema's query files,
//! its SQL as a constant, and a row struct for each query whose rows are
//! not exactly one table's.

use proc_macro2::TokenStream;
use quote::quote;

use super::driver::{Fetch, Keys, Statement};
use super::rust_types::{Root, column_doc, rust_type};
use super::{Target, doc_lines, ident, sql_doc};
use crate::ir::{Column, FieldType, Query, QueryKind, QueryParam, QueryResult, SqlType};
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
    let constant = ident(&format!("{}_SQL", q.name.unraw().to_uppercase()));
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
    let statement = if q.params.iter().any(|p| p.array) {
        Statement::with_array(quote!(#constant), &sql_text, &support)
    } else {
        Statement::plain(quote!(#constant), &sql_text)
    };
    let db = driver.db();
    let read = quote!(#row_type::from_row);
    let (ok, body) = match q.kind {
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
    let fn_doc = doc_lines(&text);
    let const_doc = doc_lines(&sql_doc(&sql_text));
    let finished = sql::finished(&sql_text);
    let (fn_name, asyncness, db_param, result) = (
        q.name.to_ident(),
        driver.asyncness(),
        driver.db_param(&support, false),
        driver.result(ok),
    );
    quote! {
        #const_doc
        pub const #constant: &str = #finished;

        #row_struct

        #fn_doc
        pub #asyncness fn #fn_name(#db_param, #(#params),*) -> #result {
            #prelude
            #body
        }
    }
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
