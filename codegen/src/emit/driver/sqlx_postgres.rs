//! sqlx on PostgreSQL (async): every function takes `&mut sqlx::PgConnection`.
//! Keys travel as arrays (`= ANY($1)`), one per key column.
//!
//! Why one `&mut PgConnection` rather than `impl PgExecutor`: an executor
//! runs one statement and is gone, while a function that must be atomic
//! opens a transaction on its connection (`Connection::begin`, a savepoint
//! when the connection is in a transaction already). A pool's connection
//! and a transaction both give one (`&mut conn`, `&mut tx` coerce to it). Every statement is a `sqlx::query`, which sqlx prepares once per
//! connection and keeps (its statement cache), so no cache of our own.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Bound, Call, Driver, Fetch, Keys, Statement, sqlx};
use crate::ir::{Column, Enum, FieldType, PostgresParam, Schema};

pub(in crate::emit) struct SqlxPostgres;

impl SqlxPostgres {
    /// The statement with its arguments bound, ready to run.
    fn statement(statement: &Statement, args: &[TokenStream]) -> TokenStream {
        let sql = &statement.sql;
        quote!(::sqlx::query(#sql) #(.bind(#args))*)
    }

    /// `value` by reference; fixed-length text as `bpchar` (as `text`, the
    /// column would compare without its padding and miss `'U '`); text of a
    /// type mortise does not know (`citext`, a domain) as `unknown`, which
    /// the server types as the column it meets (so `citext` compares as
    /// `citext`, not as `text`).
    fn bind_as(support: &TokenStream, bound: Bound, value: TokenStream) -> TokenStream {
        let text = matches!(bound.ty, FieldType::String | FieldType::Text);
        match (bound.ty, bound.postgres) {
            _ if bound.custom => quote!(&#value),
            (FieldType::Char(_), _) => quote!(#support::Bpchar(&#value)),
            (_, Some(PostgresParam::Unknown)) if text => quote!(#support::Untyped(&#value)),
            _ => quote!(&#value),
        }
    }

    /// Whether `column` is an embedded schema read and written as JSONB
    /// through `sqlx::types::Json` (a `rust_type:` converts itself).
    fn is_json_embed(column: &Column) -> bool {
        matches!(column.ty, FieldType::Embed { .. }) && column.rust_type.is_none()
    }
}

impl Driver for SqlxPostgres {
    fn name(&self) -> &'static str {
        "sqlx-postgres"
    }

    fn db(&self) -> Ident {
        sqlx::conn()
    }

    fn db_param(&self, _support: &TokenStream, _atomic: bool) -> TokenStream {
        quote!(conn: &mut ::sqlx::PgConnection)
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
        quote!(::sqlx::postgres::PgRow)
    }

    /// By reference, of its own type. (Text that must not bind as `text`
    /// is a key's or a column's: `bind_key` and `bind_column` convert it.)
    fn bind(&self, _bound: Bound, value: TokenStream) -> TokenStream {
        quote!(&#value)
    }

    fn bind_key(&self, support: &TokenStream, column: &Column, value: TokenStream) -> TokenStream {
        Self::bind_as(support, Bound::key(column), value)
    }

    /// An embedded schema through `sqlx::types::Json` (JSONB with serde).
    fn bind_column(
        &self,
        support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        if Self::is_json_embed(column) {
            sqlx::bind_json(column, value)
        } else {
            Self::bind_as(support, Bound::column(column), value)
        }
    }

    /// An embedded schema through `sqlx::types::Json`.
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        if Self::is_json_embed(column) {
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

    fn arrays(&self, support: &TokenStream, keys: Keys<'_>, types: &[FieldType]) -> Arrays {
        let (prelude, arrays) = super::postgres::key_arrays(keys, types.len());
        // Fixed-length text as `bpchar[]`, its elements as `bpchar` (see `bind_as`).
        let args = arrays
            .into_iter()
            .zip(types)
            .map(|(array, ty)| match ty {
                FieldType::Char(_) => quote! {
                    &#array.iter().map(#support::Bpchar).collect::<::std::vec::Vec<_>>()
                },
                _ => quote!(&#array),
            })
            .collect();
        Arrays { prelude, args }
    }

    fn create_all(&self) -> TokenStream {
        quote! {
            /// Runs [`CREATE_SQL`] as one batch, which PostgreSQL runs as one
            /// transaction: everything is created, or nothing (inside the caller's
            /// transaction, it is part of it).
            pub async fn create_all(conn: &mut ::sqlx::PgConnection) -> ::std::result::Result<(), ::sqlx::Error> {
                ::sqlx::raw_sql(CREATE_SQL).execute(&mut *conn).await?;
                ::std::result::Result::Ok(())
            }
        }
    }

    fn support(&self, _schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream> {
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                use ::sqlx::encode::{Encode, IsNull};
                use ::sqlx::error::BoxDynError;
                use ::sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, Postgres};
                use ::sqlx::postgres::types::Oid;

                /// Text bound as `unknown`: the server gives it the type of the
                /// column it meets, so a `citext` column compares as `citext`.
                pub struct Untyped<T>(pub T);

                impl<'q, T: Encode<'q, Postgres>> Encode<'q, Postgres> for Untyped<T> {
                    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> ::std::result::Result<IsNull, BoxDynError> {
                        self.0.encode_by_ref(buf)
                    }
                }

                impl<T> ::sqlx::Type<Postgres> for Untyped<T> {
                    fn type_info() -> PgTypeInfo {
                        UNKNOWN
                    }
                }

                /// PostgreSQL's `unknown` pseudo-type.
                pub const UNKNOWN: PgTypeInfo = PgTypeInfo::with_oid(Oid(705));

                /// Text bound as `bpchar` (`CHARACTER(n)`), alone or in an array,
                /// so that it compares as the column does, padding and all.
                pub struct Bpchar<T>(pub T);

                impl<'q, T: Encode<'q, Postgres>> Encode<'q, Postgres> for Bpchar<T> {
                    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> ::std::result::Result<IsNull, BoxDynError> {
                        self.0.encode_by_ref(buf)
                    }
                }

                impl<T> ::sqlx::Type<Postgres> for Bpchar<T> {
                    fn type_info() -> PgTypeInfo {
                        PgTypeInfo::with_oid(Oid(1042))
                    }
                }

                impl<T> ::sqlx::postgres::PgHasArrayType for Bpchar<T> {
                    fn array_type_info() -> PgTypeInfo {
                        PgTypeInfo::with_oid(Oid(1014))
                    }
                }

                #shared
            }
        })
    }

    fn exports(&self) -> TokenStream {
        TokenStream::new()
    }

    /// Every value is bound by reference (`.bind(&id)`), whatever its type:
    /// one form for all, and whether a `rust_type:` is `Copy` is not known
    /// here. Clippy would ask for `Copy` values by value.
    fn module_attributes(&self) -> TokenStream {
        quote!(#[allow(clippy::needless_borrows_for_generic_args)])
    }

    /// Bound as `unknown` (the server gives it the column's enum type), read
    /// from the enum type or from `TEXT` (the generated statements select an
    /// enum column as `::text`).
    fn enum_conversions(&self, e: &Enum) -> TokenStream {
        let (name, sql_name) = (e.rust.to_ident(), &e.sql_name);
        quote! {
            impl ::sqlx::Type<::sqlx::Postgres> for #name {
                fn type_info() -> ::sqlx::postgres::PgTypeInfo {
                    mortise_support::UNKNOWN
                }

                fn compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {
                    <&str as ::sqlx::Type<::sqlx::Postgres>>::compatible(ty)
                        || ::sqlx::TypeInfo::name(ty) == #sql_name
                }
            }

            impl ::sqlx::Encode<'_, ::sqlx::Postgres> for #name {
                fn encode_by_ref(
                    &self,
                    buf: &mut ::sqlx::postgres::PgArgumentBuffer,
                ) -> ::std::result::Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                    <&str as ::sqlx::Encode<'_, ::sqlx::Postgres>>::encode(self.as_str(), buf)
                }
            }

            impl<'r> ::sqlx::Decode<'r, ::sqlx::Postgres> for #name {
                fn decode(
                    value: ::sqlx::postgres::PgValueRef<'r>,
                ) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                    let text = <&str as ::sqlx::Decode<'r, ::sqlx::Postgres>>::decode(value)?;
                    ::std::result::Result::Ok(text.parse::<#name>()?)
                }
            }
        }
    }
}
