//! sqlx on SQLite (async): every function takes `&mut sqlx::SqliteConnection`,
//! as the other sqlx backends do (see `sqlx_postgres` for why a connection
//! rather than an executor).
//!
//! The SQL is SQLite's, with one difference from rusqlite's: sqlx has no
//! `rarray`, so keys travel as ONE JSON text parameter, which the statement
//! reads with `json_each` ([`Dialect::SqliteJson`](crate::sql::Dialect)); the
//! generated `mortise_support::json_keys` writes it. What SQLite stores is
//! what the rusqlite backend stores: decimals as exact text, arrays and
//! embedded schemas as JSON text, and decimals, dates and timestamps are read
//! from any form an existing database holds them in (`Lenient`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Bound, Call, Driver, Fetch, Keys, Read, Statement, sqlx};
use crate::ir::{Column, Enum, FieldType, QueryResult, Schema};

pub(in crate::emit) struct SqlxSqlite;

impl SqlxSqlite {
    /// The statement with its arguments bound, ready to run.
    fn statement(statement: &Statement, args: &[TokenStream]) -> TokenStream {
        let sql = &statement.sql;
        quote!(::sqlx::query(#sql) #(.bind(#args))*)
    }
}

/// Whether `column` is read and written as JSON text through
/// `sqlx::types::Json` (an embedded schema or an array; a `rust_type:`
/// converts itself).
fn is_json(column: &Column) -> bool {
    matches!(column.ty, FieldType::Embed { .. } | FieldType::Array(_)) && column.rust_type.is_none()
}

/// Whether SQLite may hold a value of `ty` in forms sqlx does not read as
/// that type (a decimal as INTEGER or REAL, a timestamp with an offset, a
/// date with a time): the generated code reads it through
/// `mortise_support::Lenient`, as the rusqlite backend does.
fn is_lenient(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::Decimal | FieldType::Timestamp | FieldType::Date
    )
}

impl Driver for SqlxSqlite {
    fn name(&self) -> &'static str {
        "sqlx-sqlite"
    }

    fn db(&self) -> Ident {
        sqlx::conn()
    }

    fn db_param(&self, _support: &TokenStream, _atomic: bool) -> TokenStream {
        quote!(conn: &mut ::sqlx::SqliteConnection)
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
        quote!(::sqlx::sqlite::SqliteRow)
    }

    /// SQLite has no decimal type (and sqlx no decimal for it): decimals
    /// travel as exact text, as the rusqlite backend writes them.
    fn bind(&self, bound: Bound, value: TokenStream) -> TokenStream {
        match (bound.ty, bound.nullable) {
            _ if bound.custom => quote!(&#value),
            (FieldType::Decimal, false) => quote!(#value.to_string()),
            (FieldType::Decimal, true) => {
                quote!(#value.as_ref().map(::std::string::ToString::to_string))
            }
            _ => quote!(&#value),
        }
    }

    /// Arrays and embedded schemas through `sqlx::types::Json`.
    fn bind_column(
        &self,
        _support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        if is_json(column) {
            sqlx::bind_json(column, value)
        } else {
            self.bind(Bound::column(column), value)
        }
    }

    /// Arrays and embedded schemas through `sqlx::types::Json`; decimals,
    /// dates and timestamps through `mortise_support::Lenient`.
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        if is_json(column) {
            return sqlx::read_json(column, row, index);
        }
        if column.rust_type.is_none() && is_lenient(column.ty) {
            let lenient = quote!(super::mortise_support::Lenient<_>);
            return if column.nullable {
                quote! {
                    ::sqlx::Row::try_get::<::std::option::Option<#lenient>, _>(#row, #index)?.map(|value| value.0)
                }
            } else {
                quote!(::sqlx::Row::try_get::<#lenient, _>(#row, #index)?.0)
            };
        }
        quote!(::sqlx::Row::try_get(#row, #index)?)
    }

    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(::sqlx::Row::try_get(#row, #index)?)
    }

    /// `One` and `Optional` run the statement to its end (`fetch_all`) and
    /// read its first row: sqlx's `fetch_one` stops at the row, and an
    /// `INSERT ... RETURNING` outside a transaction commits when it ends, so
    /// a failure there (a foreign key the database declares `DEFERRABLE
    /// INITIALLY DEFERRED`) must be the call's error, not a row SQLite
    /// rolled back. (Both read one row, or none.)
    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call {
        let statement = Self::statement(statement, args);
        let prelude = quote!(let rows = #statement.fetch_all(&mut *#db).await?;);
        match fetch {
            Fetch::One(read) => {
                let value = match read {
                    Read::With(read) => quote!(#read(row)),
                    Read::Columns(1) => quote!(::sqlx::Row::try_get(row, 0)),
                    Read::Columns(n) => {
                        let columns = (0..n).map(proc_macro2::Literal::usize_unsuffixed);
                        quote!(::std::result::Result::Ok((#(::sqlx::Row::try_get(row, #columns)?),*)))
                    }
                };
                Call {
                    prelude: quote! {
                        #prelude
                        let row = rows.first().ok_or(::sqlx::Error::RowNotFound)?;
                    },
                    value,
                    fallible: true,
                }
            }
            Fetch::Optional { read } => Call {
                prelude,
                value: quote!(rows.first().map(#read).transpose()),
                fallible: true,
            },
            fetch => sqlx::query(db, statement, fetch),
        }
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

    fn arrays(&self, support: &TokenStream, keys: Keys<'_>, _types: &[FieldType]) -> Arrays {
        sqlx::json_key_arrays(support, keys)
    }

    fn create_all(&self) -> TokenStream {
        quote! {
            /// Runs [`CREATE_SQL`] atomically (in a transaction, or a savepoint in
            /// yours): every table and index is created, or none.
            pub async fn create_all(conn: &mut ::sqlx::SqliteConnection) -> ::std::result::Result<(), ::sqlx::Error> {
                let mut tx = ::sqlx::Connection::begin(&mut *conn).await?;
                ::sqlx::raw_sql(CREATE_SQL).execute(&mut *tx).await?;
                tx.commit().await
            }
        }
    }

    fn support(&self, schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream> {
        // A key must be the text sqlx writes to compare equal.
        let keys = sqlx::json_key_support(
            schema,
            " As RFC 3339 text, as sqlx writes it to the column.",
            quote! {
                self.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, false).as_str().write_json(out);
            },
        );
        let query_columns = schema.queries.iter().flat_map(|q| match &q.result {
            QueryResult::Row { columns, .. } => columns.as_slice(),
            _ => &[],
        });
        let used = |ty: FieldType| {
            schema
                .entities()
                .flat_map(|(_, t)| &t.columns)
                .chain(query_columns.clone())
                .any(|c| c.rust_type.is_none() && c.ty == ty)
        };
        // A date reads the timestamp forms too.
        let lenient: Vec<FieldType> = FieldType::ALL
            .into_iter()
            .filter(|ty| is_lenient(*ty))
            .filter(|ty| used(*ty) || (*ty == FieldType::Timestamp && used(FieldType::Date)))
            .collect();
        let lenient = lenient_support(&lenient);
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                #keys
                #lenient
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

    /// TEXT: its value's text; reading other text is an error naming it.
    fn enum_conversions(&self, e: &Enum) -> TokenStream {
        sqlx::text_enum(
            &e.rust.to_ident(),
            quote!(::sqlx::Sqlite),
            quote!(::sqlx::sqlite::SqliteTypeInfo),
            quote!(::sqlx::sqlite::SqliteValueRef),
        )
    }
}

/// `Lenient`, and its `Decode` for each type a column needs (an impl for a
/// type whose crate the program lacks would not compile). The forms read
/// are the rusqlite backend's (`rusqlite::lenient_support`).
fn lenient_support(types: &[FieldType]) -> TokenStream {
    if types.is_empty() {
        return TokenStream::new();
    }
    let impls = types.iter().map(|ty| match ty {
        FieldType::Decimal => quote! {
            /// A decimal from any storage class: TEXT as written, INTEGER, or REAL
            /// as its shortest decimal form (`0.1` is 0.1, not the binary fraction).
            impl<'r> ::sqlx::Decode<'r, ::sqlx::Sqlite> for Lenient<::rust_decimal::Decimal> {
                fn decode(value: ::sqlx::sqlite::SqliteValueRef<'r>) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                    let decimal = match storage(&value) {
                        Storage::Integer => ::rust_decimal::Decimal::from(<i64 as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?),
                        Storage::Real => <f64 as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?.to_string().parse()?,
                        Storage::Text => <&str as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?.parse()?,
                        Storage::Other => return ::std::result::Result::Err("a decimal is TEXT, INTEGER or REAL".into()),
                    };
                    ::std::result::Result::Ok(Lenient(decimal))
                }
            }
        },
        FieldType::Timestamp => quote! {
            /// A timestamp without time zone: `YYYY-MM-DD HH:MM:SS[.f]` (what it
            /// writes) or with `T` for the space; with an offset (RFC 3339), the
            /// time in UTC; an INTEGER is Unix seconds.
            impl<'r> ::sqlx::Decode<'r, ::sqlx::Sqlite> for Lenient<::chrono::NaiveDateTime> {
                fn decode(value: ::sqlx::sqlite::SqliteValueRef<'r>) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                    if let Storage::Integer = storage(&value) {
                        let seconds = <i64 as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?;
                        return ::chrono::DateTime::from_timestamp(seconds, 0)
                            .map(|t| Lenient(t.naive_utc()))
                            .ok_or_else(|| ::std::format!("{seconds} is out of a timestamp's range").into());
                    }
                    timestamp(<&str as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?).map(Lenient)
                }
            }

            /// The timestamp `text` is, in a form `Lenient<NaiveDateTime>` reads.
            fn timestamp(text: &str) -> ::std::result::Result<::chrono::NaiveDateTime, ::sqlx::error::BoxDynError> {
                let naive = ["%F %T%.f", "%FT%T%.f"]
                    .into_iter()
                    .find_map(|format| ::chrono::NaiveDateTime::parse_from_str(text, format).ok());
                let zoned = || {
                    ["%F %T%.f%#z", "%FT%T%.f%#z"].into_iter().find_map(|format| {
                        ::chrono::DateTime::parse_from_str(text, format).ok().map(|t| t.naive_utc())
                    })
                };
                naive
                    .or_else(zoned)
                    .ok_or_else(|| ::std::format!("{text:?} is not a timestamp (YYYY-MM-DD HH:MM:SS)").into())
            }
        },
        FieldType::Date => quote! {
            /// A date: `YYYY-MM-DD` (what it writes), or the date of a timestamp
            /// in a form `Lenient<NaiveDateTime>` reads (`2006-02-15 00:00:00`).
            impl<'r> ::sqlx::Decode<'r, ::sqlx::Sqlite> for Lenient<::chrono::NaiveDate> {
                fn decode(value: ::sqlx::sqlite::SqliteValueRef<'r>) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                    if let Storage::Text = storage(&value) {
                        let text = <&str as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?;
                        return match ::chrono::NaiveDate::parse_from_str(text, "%F") {
                            ::std::result::Result::Ok(date) => ::std::result::Result::Ok(Lenient(date)),
                            ::std::result::Result::Err(_) => timestamp(text).map(|t| Lenient(t.date())),
                        };
                    }
                    <Lenient<::chrono::NaiveDateTime> as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)
                        .map(|timestamp| Lenient(timestamp.0.date()))
                }
            }
        },
        _ => TokenStream::new(),
    });
    quote! {
        /// A value SQLite may hold in several forms, read leniently (see each `Decode`).
        pub struct Lenient<T>(pub T);

        /// Any storage class: each `Decode` says which it reads.
        impl<T> ::sqlx::Type<::sqlx::Sqlite> for Lenient<T> {
            fn type_info() -> ::sqlx::sqlite::SqliteTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Sqlite>>::type_info()
            }

            fn compatible(_: &::sqlx::sqlite::SqliteTypeInfo) -> bool {
                true
            }
        }

        /// The storage class of a value.
        enum Storage {
            Integer,
            Real,
            Text,
            Other,
        }

        fn storage(value: &::sqlx::sqlite::SqliteValueRef<'_>) -> Storage {
            match ::sqlx::TypeInfo::name(&*::sqlx::ValueRef::type_info(value)) {
                "INTEGER" => Storage::Integer,
                "REAL" => Storage::Real,
                "TEXT" => Storage::Text,
                _ => Storage::Other,
            }
        }

        #(#impls)*
    }
}
