//! The rusqlite backend: synchronous functions over `&rusqlite::Connection`.
//!
//! Generated code names everything by its full path (`::rusqlite::...`,
//! `::std::string::String`) so that user tables called `String`, `Option` or
//! `Result` cannot shadow what it relies on.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::{doc_lines, sql_doc};
use crate::ir::{Column, FieldType, Generated, Literal, Schema, Table, TableKind};
use crate::names::RustIdent;
use crate::sql::{self, Dialect, TableStatements};

const DIALECT: Dialect = Dialect::Sqlite;

pub fn file(schema: &Schema, source_name: &str) -> TokenStream {
    let create_sql = sql::create_statements(DIALECT, schema).join(";\n\n") + ";";
    let create_doc = doc_lines(&format!(
        "Creates every table and index of `{source_name}` (SQLite); each statement is `IF NOT EXISTS`.\n\n{}",
        sql_doc(&create_sql)
    ));
    let modules = schema
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Entity)
        .map(table_module);
    let uses_decimal = schema
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .any(|c| c.ty == FieldType::Decimal);
    let decimal_helpers = uses_decimal.then(decimal_helpers);
    quote! {
        #create_doc
        pub const CREATE_SQL: &str = #create_sql;

        /// Runs [`CREATE_SQL`] atomically: every table and index is created, or none.
        pub fn create_all(db: &::rusqlite::Connection) -> ::rusqlite::Result<()> {
            mortise_support::in_savepoint(db, || db.execute_batch(CREATE_SQL))
        }

        #(#modules)*

        /// Helpers of the generated code.
        mod mortise_support {
            /// Runs `f` inside a savepoint: released when `f` succeeds, rolled
            /// back when it fails. A savepoint nests inside the caller's own
            /// transaction, and works on a plain `&Connection`.
            pub(crate) fn in_savepoint<T>(
                db: &::rusqlite::Connection,
                f: impl ::std::ops::FnOnce() -> ::rusqlite::Result<T>,
            ) -> ::rusqlite::Result<T> {
                db.execute_batch("SAVEPOINT mortise")?;
                match f() {
                    ::std::result::Result::Ok(value) => {
                        db.execute_batch("RELEASE mortise")?;
                        ::std::result::Result::Ok(value)
                    }
                    ::std::result::Result::Err(error) => {
                        // The rollback's own error would hide the one that matters.
                        let _ = db.execute_batch("ROLLBACK TO mortise; RELEASE mortise");
                        ::std::result::Result::Err(error)
                    }
                }
            }

            #decimal_helpers
        }
    }
}

fn table_module(table: &Table) -> TokenStream {
    let module = table.module.to_ident();
    let row = table.struct_name.to_ident();
    let new = table.new_struct_name.to_ident();
    let statements = sql::table_statements(DIALECT, table);
    let module_doc = doc_lines(&format!("The `{}` table.", table.sql_name));
    let row_doc = doc_lines(&format!(
        "A row of `{}`. Fields are in column order; every statement of this module selects them in that order.",
        table.sql_name
    ));
    let row_fields = table.columns.iter().map(|c| {
        let name = c.field.to_ident();
        let ty = rust_type(c);
        let doc = doc_lines(&column_doc(c));
        quote! { #doc pub #name: #ty }
    });
    let new_doc = doc_lines(&format!(
        "The values of a new `{}` row; {}.",
        table.sql_name,
        generated_note(table)
    ));
    let new_fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let ty = rust_type(c);
        quote! { pub #name: #ty }
    });
    let has_defaults = table.new_columns().any(|(_, c)| c.default.is_some());
    let (new_derive, new_default) = if has_defaults {
        (
            quote!(#[derive(Debug, Clone, PartialEq)]),
            default_impl(table),
        )
    } else {
        (
            quote!(#[derive(Debug, Clone, Default, PartialEq)]),
            TokenStream::new(),
        )
    };
    let constants = statements.named().into_iter().map(|(name, sql)| {
        let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
        let doc = doc_lines(&sql_doc(sql));
        quote! { #doc pub const #ident: &str = #sql; }
    });
    let functions = crud_functions(table, &statements);
    let reads = table.columns.iter().enumerate().map(|(i, c)| {
        let name = c.field.to_ident();
        let read = read_column(c, i);
        quote! { #name: #read }
    });

    quote! {
        #module_doc
        pub mod #module {
            #row_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #row {
                #(#row_fields,)*
            }

            #new_doc
            #new_derive
            pub struct #new {
                #(#new_fields,)*
            }

            #new_default

            #(#constants)*

            impl #row {
                #functions

                /// Reads a row whose columns come in struct order, as every statement of this module selects them.
                pub fn from_row(row: &::rusqlite::Row<'_>) -> ::rusqlite::Result<Self> {
                    ::std::result::Result::Ok(Self { #(#reads,)* })
                }
            }
        }
    }
}

fn crud_functions(table: &Table, statements: &TableStatements) -> TokenStream {
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
    let now = uses_now.then(|| quote!(let now = ::chrono::Utc::now();));
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
        let (receiver, now, set_now, note) = match updated_at {
            Some(c) => {
                let field = c.field.to_ident();
                (
                    quote!(&mut self),
                    quote!(let now = ::chrono::Utc::now();),
                    quote!(if changed { self.#field = now; }),
                    format!(" and sets `{}` to now", c.sql_name),
                )
            }
            None => (quote!(&self), quote!(), quote!(), String::new()),
        };
        let doc = doc_lines(&format!(
            "Writes every column of this row, found by its key{note}; `false` when no row has the key.\n\n{}",
            sql_doc(update)
        ));
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
        let doc = doc_lines(&format!(
            "Deletes the `{name}` row with this key; `false` when there was none.\n\n{}",
            sql_doc(delete)
        ));
        out.extend(quote! {
            #doc
            pub fn delete(db: &::rusqlite::Connection, #(#key_params),*) -> ::rusqlite::Result<bool> {
                let mut statement = db.prepare_cached(DELETE_SQL)?;
                ::std::result::Result::Ok(statement.execute(::rusqlite::params![#(#key_args),*])? > 0)
            }
        });
    }
    out
}

/// `Default` for a `New...` struct whose fields have schema defaults, so that
/// `NewPost { title, ..Default::default() }` gets them in Rust too.
fn default_impl(table: &Table) -> TokenStream {
    let new = table.new_struct_name.to_ident();
    let fields = table.new_columns().map(|(_, c)| {
        let name = c.field.to_ident();
        let value = match &c.default {
            Some(literal) => default_value(c, literal),
            None => quote!(::std::default::Default::default()),
        };
        quote!(#name: #value)
    });
    quote! {
        /// Every field at its schema `default`, the others at their type's default.
        impl ::std::default::Default for #new {
            fn default() -> Self {
                Self { #(#fields,)* }
            }
        }
    }
}

/// A schema default as a Rust value; `validate` allows defaults only on the
/// types handled here.
fn default_value(column: &Column, literal: &Literal) -> TokenStream {
    let value = match (column.ty, literal) {
        (_, Literal::Null) => return quote!(::std::option::Option::None),
        (FieldType::Integer | FieldType::Int, Literal::Int(i)) => {
            proc_macro2::Literal::i64_unsuffixed(*i).into_token_stream()
        }
        (FieldType::Float, Literal::Int(i)) => {
            proc_macro2::Literal::f64_unsuffixed(*i as f64).into_token_stream()
        }
        (FieldType::Float, Literal::Float(f)) => {
            proc_macro2::Literal::f64_unsuffixed(*f).into_token_stream()
        }
        (FieldType::Boolean, Literal::Bool(b)) => quote!(#b),
        (_, Literal::Str(s)) => quote!(::std::string::String::from(#s)),
        _ => quote!(::std::default::Default::default()),
    };
    if column.nullable {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

/// The Rust type of a column (rusqlite mapping; see the README's type table).
fn rust_type(column: &Column) -> TokenStream {
    let ty = base_type(column.ty);
    if column.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

fn base_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Integer => quote!(i64),
        FieldType::Int => quote!(i32),
        FieldType::Float => quote!(f64),
        FieldType::Boolean => quote!(bool),
        FieldType::String | FieldType::Text => quote!(::std::string::String),
        FieldType::Binary => quote!(::std::vec::Vec<u8>),
        FieldType::Uuid => quote!(::uuid::Uuid),
        FieldType::Date => quote!(::chrono::NaiveDate),
        FieldType::Time => quote!(::chrono::NaiveTime),
        FieldType::Datetime => quote!(::chrono::DateTime<::chrono::Utc>),
        FieldType::Json => quote!(::serde_json::Value),
        FieldType::Decimal => quote!(::rust_decimal::Decimal),
    }
}

/// How a key is passed to `get`/`delete`: borrowed when it owns memory.
fn key_param_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::String | FieldType::Text => quote!(&str),
        FieldType::Binary => quote!(&[u8]),
        FieldType::Json => quote!(&::serde_json::Value),
        other => base_type(other),
    }
}

/// A value bound as a parameter. SQLite has no decimal type: decimals travel
/// as exact text (rusqlite has no `ToSql` for them).
fn bind_value(column: &Column, value: TokenStream) -> TokenStream {
    match (column.ty, column.nullable) {
        (FieldType::Decimal, false) => quote!(#value.to_string()),
        (FieldType::Decimal, true) => {
            quote!(#value.as_ref().map(::std::string::ToString::to_string))
        }
        _ => value,
    }
}

fn read_column(column: &Column, index: usize) -> TokenStream {
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    match (column.ty, column.nullable) {
        (FieldType::Decimal, false) => quote!(super::mortise_support::decimal(row, #index)?),
        (FieldType::Decimal, true) => {
            quote!(super::mortise_support::optional_decimal(row, #index)?)
        }
        _ => quote!(row.get(#index)?),
    }
}

fn decimal_helpers() -> TokenStream {
    quote! {
        /// Reads a decimal stored as text.
        pub(crate) fn decimal(row: &::rusqlite::Row<'_>, index: usize) -> ::rusqlite::Result<::rust_decimal::Decimal> {
            let text: ::std::string::String = row.get(index)?;
            text.parse().map_err(|error| {
                ::rusqlite::Error::FromSqlConversionFailure(index, ::rusqlite::types::Type::Text, ::std::boxed::Box::new(error))
            })
        }

        /// Reads a nullable decimal stored as text.
        pub(crate) fn optional_decimal(row: &::rusqlite::Row<'_>, index: usize) -> ::rusqlite::Result<::std::option::Option<::rust_decimal::Decimal>> {
            let text: ::std::option::Option<::std::string::String> = row.get(index)?;
            text.map(|text| {
                text.parse().map_err(|error| {
                    ::rusqlite::Error::FromSqlConversionFailure(index, ::rusqlite::types::Type::Text, ::std::boxed::Box::new(error))
                })
            })
            .transpose()
        }
    }
}

fn column_doc(column: &Column) -> String {
    let ty = format!(
        "{}{}",
        column.ty.name(),
        if column.nullable { ", nullable" } else { "" }
    );
    let how = match column.generated {
        Some(Generated::AutoIncrement) => ", assigned by the database",
        Some(Generated::Uuid) => ", a random (v4) UUID made on insert",
        Some(Generated::InsertedAt) => ", set on insert",
        Some(Generated::UpdatedAt) => ", set on insert and update",
        None => "",
    };
    format!("Column `{}` ({ty}{how}).", column.sql_name)
}

fn generated_note(table: &Table) -> String {
    let generated: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.generated.is_some())
        .map(|c| c.sql_name.as_str())
        .collect();
    if generated.is_empty() {
        "every column is given".to_owned()
    } else {
        format!("`{}` set for you", generated.join("`, `"))
    }
}
