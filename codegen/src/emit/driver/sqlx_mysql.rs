//! sqlx on MariaDB (async): every function takes `&mut sqlx::MySqlConnection`,
//! as the sqlx PostgreSQL backend does (see `sqlx_postgres` for why a
//! connection rather than an executor).
//!
//! Placeholders are positional (`?`): a statement that uses a parameter
//! twice or out of order binds the argument at each place
//! ([`Statement::ordered`]). Keys travel as ONE JSON text parameter, which
//! the statement reads with `JSON_TABLE` (see `Dialect::key_source`); the
//! generated `mortise_support::json_keys` writes it. Arrays (`T[]`) and
//! embedded schemas are JSON columns, through `sqlx::types::Json`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Bound, Call, Driver, Fetch, Keys, Statement, sqlx};
use crate::ir::{Column, Enum, FieldType, Schema};

pub(in crate::emit) struct SqlxMysql;

impl SqlxMysql {
    /// The statement with its arguments bound in its placeholders' order.
    fn statement(statement: &Statement, args: &[TokenStream]) -> TokenStream {
        let sql = &statement.sql;
        let args = statement.ordered(args);
        quote!(::sqlx::query(#sql) #(.bind(#args))*)
    }

    /// Whether `column` is read and written as JSON through
    /// `sqlx::types::Json` (an embedded schema or an array; a `rust_type:`
    /// converts itself).
    fn is_json(column: &Column) -> bool {
        matches!(column.ty, FieldType::Embed { .. } | FieldType::Array(_))
            && column.rust_type.is_none()
    }
}

impl Driver for SqlxMysql {
    fn name(&self) -> &'static str {
        "sqlx-mysql"
    }

    fn db(&self) -> Ident {
        sqlx::conn()
    }

    fn db_param(&self, _support: &TokenStream, _atomic: bool) -> TokenStream {
        quote!(conn: &mut ::sqlx::MySqlConnection)
    }

    fn asyncness(&self) -> TokenStream {
        quote!(async)
    }

    fn awaited(&self) -> TokenStream {
        quote!(.await)
    }

    fn result(&self, ok: TokenStream) -> TokenStream {
        quote!(::std::result::Result<#ok, ::sqlx::Error>)
    }

    fn row(&self) -> TokenStream {
        quote!(::sqlx::mysql::MySqlRow)
    }

    fn bind(&self, _bound: Bound, value: TokenStream) -> TokenStream {
        quote!(&#value)
    }

    /// Arrays and embedded schemas through `sqlx::types::Json`.
    fn bind_column(
        &self,
        _support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        if Self::is_json(column) {
            sqlx::bind_json(column, value)
        } else {
            quote!(&#value)
        }
    }

    /// Arrays and embedded schemas through `sqlx::types::Json`.
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        if Self::is_json(column) {
            sqlx::read_json(column, row, index)
        } else {
            quote!(::sqlx::Row::try_get(#row, #index)?)
        }
    }

    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(::sqlx::Row::try_get(#row, #index)?)
    }

    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call {
        sqlx::query(db, Self::statement(statement, args), fetch)
    }

    /// The rows the statement changed or, for an `UPDATE`, matched: sqlx
    /// asks the server for found rows (`CLIENT_FOUND_ROWS`), so an update
    /// that writes the values a row holds already still counts it.
    fn execute(&self, db: &Ident, statement: &Statement, args: &[TokenStream]) -> Call {
        sqlx::execute(db, Self::statement(statement, args))
    }

    fn usize(&self, count: TokenStream) -> Option<TokenStream> {
        Some(sqlx::usize(count))
    }

    fn rows(
        &self,
        db: &Ident,
        statement: &Statement,
        args: &[TokenStream],
    ) -> (TokenStream, TokenStream) {
        sqlx::rows(db, Self::statement(statement, args))
    }

    fn atomic(
        &self,
        _support: &TokenStream,
        body: &dyn Fn(&Ident) -> (TokenStream, TokenStream),
    ) -> TokenStream {
        sqlx::atomic(body)
    }

    fn arrays(&self, support: &TokenStream, keys: Keys<'_>, _types: &[FieldType]) -> Arrays {
        sqlx::json_key_arrays(support, keys)
    }

    fn create_all(&self) -> TokenStream {
        quote! {
            /// Runs [`CREATE_SQL`], one statement after another. MariaDB commits
            /// each `CREATE` on its own (DDL is not transactional there): after an
            /// error, the tables created before it stay, and running this again
            /// creates the rest (every statement is `IF NOT EXISTS`).
            pub async fn create_all(conn: &mut ::sqlx::MySqlConnection) -> ::std::result::Result<(), ::sqlx::Error> {
                ::sqlx::raw_sql(CREATE_SQL).execute(&mut *conn).await?;
                ::std::result::Result::Ok(())
            }
        }
    }

    fn support(&self, schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream> {
        let keys = sqlx::json_key_support(
            schema,
            " Its UTC time, as the DATETIME column holds it.",
            quote!(self.naive_utc().write_json(out);),
        );
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                #keys
                #shared
            }
        })
    }

    fn exports(&self) -> TokenStream {
        TokenStream::new()
    }

    /// Every value is bound by reference, as in `sqlx_postgres`.
    fn module_attributes(&self) -> TokenStream {
        quote!(#[allow(clippy::needless_borrows_for_generic_args)])
    }

    /// Bound and read as its label: MariaDB's `ENUM` column takes and gives text.
    fn enum_conversions(&self, e: &Enum) -> TokenStream {
        sqlx::text_enum(
            &e.rust.to_ident(),
            quote!(::sqlx::MySql),
            quote!(::sqlx::mysql::MySqlTypeInfo),
            quote!(::sqlx::mysql::MySqlValueRef),
        )
    }
}
