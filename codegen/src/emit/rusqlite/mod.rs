//! The rusqlite backend: synchronous functions over `&rusqlite::Connection`.
//!
//! Generated code names everything by its full path (`::rusqlite::...`,
//! `::std::string::String`) so that user tables called `String`, `Option` or
//! `Result` cannot shadow what it relies on. Items of the file's root
//! (`Loaded`, `Changes`, the private `mortise_support`) are reached with
//! `super::` paths, so the file can be `include!`d into any module.

mod association;
mod table;

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{changes_type, distribute_support, edge_type, loaded_type};
use super::{doc_lines, sql_doc};
use crate::ir::{AssociationKind, Column, FieldType, Schema};
use crate::sql::{self, Dialect};

const DIALECT: Dialect = Dialect::Sqlite;

pub fn file(schema: &Schema, source_name: &str) -> TokenStream {
    let create_sql = sql::create_statements(DIALECT, schema).join(";\n\n") + ";";
    let create_doc = doc_lines(&format!(
        "Creates every table and index of `{source_name}` (SQLite); each statement is `IF NOT EXISTS`.\n\n{}",
        sql_doc(&create_sql)
    ));
    let modules = schema
        .entities()
        .map(|(id, _)| table::table_module(schema, id));
    let decimals = |nullable: bool| {
        schema
            .entities()
            .flat_map(|(_, t)| &t.columns)
            .any(|c| c.ty == FieldType::Decimal && c.nullable == nullable)
    };
    let decimal_helpers = decimal_helpers(decimals(false), decimals(true));
    let associations = || schema.entities().flat_map(|(_, t)| &t.associations);
    let has_associations = associations().next().is_some();
    let association_support = has_associations.then(|| {
        let distribute = distribute_support();
        let support = association_support();
        quote!(#support #distribute)
    });
    let loaded = has_associations.then(loaded_type);
    let has_links = associations().any(|a| matches!(a.kind, AssociationKind::ManyToMany { .. }));
    let changes = has_links.then(changes_type);
    let edge = associations()
        .any(|a| a.edges_field.is_some())
        .then(edge_type);
    quote! {
        #create_doc
        pub const CREATE_SQL: &str = #create_sql;

        /// Runs [`CREATE_SQL`] atomically: every table and index is created, or none.
        pub fn create_all(db: &::rusqlite::Connection) -> ::rusqlite::Result<()> {
            mortise_support::in_savepoint(db, || db.execute_batch(CREATE_SQL))
        }

        #loaded
        #changes
        #edge

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

            #association_support
            #decimal_helpers
        }
    }
}

/// Support of the association modules: key arrays, statement preparation,
/// handing grouped rows to their owners.
fn association_support() -> TokenStream {
    quote! {
        /// Owner or target keys as ONE `rarray` parameter.
        pub(crate) fn array<K: ::rusqlite::ToSql>(
            keys: impl ::std::iter::IntoIterator<Item = K>,
        ) -> ::rusqlite::Result<::rusqlite::vtab::array::Array> {
            let values = keys
                .into_iter()
                .map(|key| match key.to_sql()? {
                    ::rusqlite::types::ToSqlOutput::Borrowed(value) => ::rusqlite::types::Value::try_from(value)
                        .map_err(|error| ::rusqlite::Error::ToSqlConversionFailure(::std::boxed::Box::new(error))),
                    ::rusqlite::types::ToSqlOutput::Owned(value) => ::std::result::Result::Ok(value),
                    _ => ::std::result::Result::Err(::rusqlite::Error::ToSqlConversionFailure(
                        "a key that is not a plain SQLite value".into(),
                    )),
                })
                .collect::<::rusqlite::Result<::std::vec::Vec<::rusqlite::types::Value>>>()?;
            ::std::result::Result::Ok(::std::rc::Rc::new(values))
        }

        /// `prepare_cached`, registering rusqlite's `rarray` module on the
        /// connection the first time a statement needs it.
        pub(crate) fn prepare<'c>(
            db: &'c ::rusqlite::Connection,
            sql: &str,
        ) -> ::rusqlite::Result<::rusqlite::CachedStatement<'c>> {
            match db.prepare_cached(sql) {
                ::std::result::Result::Err(::rusqlite::Error::SqliteFailure(_, ::std::option::Option::Some(message)))
                    if message.contains("no such table: rarray") =>
                {
                    ::rusqlite::vtab::array::load_module(db)?;
                    db.prepare_cached(sql)
                }
                other => other,
            }
        }
    }
}

/// A value bound as a parameter. SQLite has no decimal type: decimals travel
/// as exact text (rusqlite has no `ToSql` for them).
pub(super) fn bind_value(column: &Column, value: TokenStream) -> TokenStream {
    match (column.ty, column.nullable) {
        (FieldType::Decimal, false) => quote!(#value.to_string()),
        (FieldType::Decimal, true) => {
            quote!(#value.as_ref().map(::std::string::ToString::to_string))
        }
        _ => value,
    }
}

pub(super) fn read_column(
    column: &Column,
    index: TokenStream,
    support: &TokenStream,
) -> TokenStream {
    match (column.ty, column.nullable) {
        (FieldType::Decimal, false) => quote!(#support::decimal(row, #index)?),
        (FieldType::Decimal, true) => {
            quote!(#support::optional_decimal(row, #index)?)
        }
        _ => quote!(row.get(#index)?),
    }
}

/// Readers of decimals stored as text: each only when a column needs it
/// (an unused private function would warn in the user's crate).
pub(super) fn decimal_helpers(not_null: bool, nullable: bool) -> TokenStream {
    let decimal = not_null.then(|| quote! {
        /// Reads a decimal stored as text.
        pub(crate) fn decimal(row: &::rusqlite::Row<'_>, index: usize) -> ::rusqlite::Result<::rust_decimal::Decimal> {
            let text: ::std::string::String = row.get(index)?;
            text.parse().map_err(|error| {
                ::rusqlite::Error::FromSqlConversionFailure(index, ::rusqlite::types::Type::Text, ::std::boxed::Box::new(error))
            })
        }
    });
    let optional_decimal = nullable.then(|| quote! {
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
    });
    quote!(#decimal #optional_decimal)
}
