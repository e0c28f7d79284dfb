//! rusqlite: synchronous functions over `&rusqlite::Connection`, statements
//! prepared once per connection (`prepare_cached`), keys bound as ONE
//! `rarray` parameter, savepoints for atomic helpers.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Bound, Call, Driver, Fetch, Keys, Read, Statement};
use crate::emit::numbered;
use crate::ir::{Column, Enum, FieldType, QueryResult, Schema};

pub(in crate::emit) struct Rusqlite;

impl Rusqlite {
    /// `statement` prepared on `db`: `prepare_cached`, or the support
    /// module's `prepare` (which registers `rarray`) for arrays.
    fn prepared(db: &Ident, statement: &Statement) -> TokenStream {
        let (sql, support) = (&statement.sql, &statement.support);
        if statement.binds_array {
            quote!(#support::prepare(#db, #sql)?)
        } else {
            quote!(#db.prepare_cached(#sql)?)
        }
    }

    /// `let mut statement = ...;`, for the calls that read rows from it.
    fn prepare(db: &Ident, statement: &Statement) -> TokenStream {
        let prepared = Self::prepared(db, statement);
        quote!(let mut statement = #prepared;)
    }

    /// A statement's arguments: a lone local value (an array of keys, one
    /// key) as `[value]`, anything else through `params!`, which borrows.
    fn params(args: &[TokenStream]) -> TokenStream {
        match args {
            [] => quote!([]),
            [one] if is_local(one) => quote!([#one]),
            many => quote!(::rusqlite::params![#(#many),*]),
        }
    }
}

impl Driver for Rusqlite {
    fn name(&self) -> &'static str {
        "rusqlite"
    }

    fn db(&self) -> Ident {
        Ident::new("db", proc_macro2::Span::call_site())
    }

    fn db_param(&self, _support: &TokenStream, _atomic: bool) -> TokenStream {
        quote!(db: &::rusqlite::Connection)
    }

    fn asyncness(&self) -> TokenStream {
        TokenStream::new()
    }

    fn awaited(&self) -> TokenStream {
        TokenStream::new()
    }

    fn result(&self, ok: TokenStream) -> TokenStream {
        quote!(::rusqlite::Result<#ok>)
    }

    fn row(&self) -> TokenStream {
        quote!(::rusqlite::Row<'_>)
    }

    /// SQLite has no decimal type: decimals travel as exact text (rusqlite
    /// has no `ToSql` for them).
    fn bind(&self, bound: Bound, value: TokenStream) -> TokenStream {
        match (bound.ty, bound.nullable) {
            _ if bound.custom => value,
            (FieldType::Decimal, false) => quote!(#value.to_string()),
            (FieldType::Decimal, true) => {
                quote!(#value.as_ref().map(::std::string::ToString::to_string))
            }
            _ => value,
        }
    }

    /// Arrays travel as JSON text, through `mortise_support::Json`.
    fn bind_column(
        &self,
        support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        match (
            is_json(column.ty) && column.rust_type.is_none(),
            column.nullable,
        ) {
            (true, false) => quote!(#support::Json(&#value)),
            (true, true) => quote!(#value.as_ref().map(#support::Json)),
            (false, _) => self.bind(Bound::column(column), value),
        }
    }

    /// Decimals, dates and timestamps through `mortise_support::Lenient`;
    /// arrays from JSON text through `mortise_support::json`.
    /// A `rust_type:` reads itself (its `FromSql`).
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        if column.rust_type.is_some() {
            return quote!(#row.get(#index)?);
        }
        let read = match (is_json(column.ty), is_lenient(column.ty), column.nullable) {
            (true, _, false) => quote!(json),
            (true, _, true) => quote!(optional_json),
            (false, true, false) => quote!(lenient),
            (false, true, true) => quote!(optional_lenient),
            (false, false, _) => return quote!(#row.get(#index)?),
        };
        quote!(super::mortise_support::#read(#row, #index)?)
    }

    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(#row.get(#index)?)
    }

    /// `One` and `Optional` run the statement to its end after the row they
    /// read (`query_row` stops at the row): an `INSERT ... RETURNING` outside
    /// a transaction commits when it ends, and a failure there (a foreign key
    /// the database declares `DEFERRABLE INITIALLY DEFERRED`) must be the
    /// call's error, not a row the database rolled back.
    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call {
        let (prepare, params) = (Self::prepare(db, statement), Self::params(args));
        let support = &statement.support;
        let (prelude, value) = match fetch {
            Fetch::One(read) => {
                let read = match read {
                    Read::With(read) => read,
                    Read::Columns(1) => quote!(|row| row.get(0)),
                    Read::Columns(n) => {
                        let columns = (0..n).map(proc_macro2::Literal::usize_unsuffixed);
                        quote!(|row| ::std::result::Result::Ok((#(row.get(#columns)?),*)))
                    }
                };
                (
                    quote!(#prepare let rows = statement.query_map(#params, #read)?;),
                    quote!(#support::one(rows)),
                )
            }
            Fetch::Optional { read } => (
                quote!(#prepare let rows = statement.query_map(#params, #read)?;),
                quote!(#support::optional(rows)),
            ),
            Fetch::First { read } => (
                quote!(#prepare let mut rows = statement.query_map(#params, #read)?;),
                quote!(rows.next().transpose()),
            ),
            Fetch::All { read } => (
                quote!(#prepare let rows = statement.query_map(#params, #read)?;),
                quote!(rows.collect()),
            ),
        };
        Call {
            prelude,
            value,
            fallible: true,
        }
    }

    fn execute(&self, db: &Ident, statement: &Statement, args: &[TokenStream]) -> Call {
        let (prepared, params) = (Self::prepared(db, statement), Self::params(args));
        Call {
            prelude: TokenStream::new(),
            value: quote!(#prepared.execute(#params)),
            fallible: true,
        }
    }

    fn usize(&self, _count: TokenStream) -> Option<TokenStream> {
        None
    }

    fn rows(
        &self,
        db: &Ident,
        statement: &Statement,
        args: &[TokenStream],
    ) -> (TokenStream, TokenStream) {
        let (prepare, params) = (Self::prepare(db, statement), Self::params(args));
        (
            quote! {
                #prepare
                let mut rows = statement.query(#params)?;
            },
            quote!(while let ::std::option::Option::Some(found) = rows.next()?),
        )
    }

    fn atomic(
        &self,
        support: &TokenStream,
        body: &dyn Fn(&Ident) -> (TokenStream, TokenStream),
    ) -> TokenStream {
        let (statements, value) = body(&self.db());
        quote! {
            #support::in_savepoint(db, || {
                #statements
                ::std::result::Result::Ok(#value)
            })
        }
    }

    fn arrays(&self, support: &TokenStream, keys: Keys<'_>, types: &[FieldType]) -> Arrays {
        let key_columns = types.len();
        // A composite key's columns travel one after another in the same
        // array (see `Dialect::key_source`).
        let prelude = match keys {
            Keys::Params([one]) => quote!(let keys = #support::array([#one])?;),
            Keys::Params(many) => {
                quote!(let keys = #support::array([#(&#many as &dyn ::rusqlite::ToSql),*])?;)
            }
            Keys::Iter { keys, .. } if key_columns == 1 => {
                quote!(let keys = #support::array(#keys)?;)
            }
            Keys::Iter { keys, .. } => {
                let flat = flatten(support, quote!(keys), key_columns);
                quote! {
                    let keys = {
                        let keys: ::std::vec::Vec<_> = #keys.collect();
                        #flat
                    };
                }
            }
            Keys::Slice(slice) => {
                let flat = flatten(support, quote!(#slice), key_columns);
                quote!(let keys = #flat;)
            }
            Keys::Local(local) => {
                let flat = flatten(support, quote!(#local), key_columns);
                return Arrays {
                    prelude: quote!(let #local = #flat;),
                    args: vec![quote!(#local)],
                };
            }
            Keys::Array(param) => {
                return Arrays {
                    prelude: quote!(let #param = #support::array(#param)?;),
                    args: vec![quote!(#param)],
                };
            }
        };
        Arrays {
            prelude,
            args: vec![quote!(keys)],
        }
    }

    fn create_all(&self) -> TokenStream {
        quote! {
            /// Runs [`CREATE_SQL`] atomically: every table and index is created, or none.
            pub fn create_all(db: &::rusqlite::Connection) -> ::rusqlite::Result<()> {
                mortise_support::in_savepoint(db, || db.execute_batch(CREATE_SQL))
            }
        }
    }

    fn support(&self, schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream> {
        let arrays = (shared.is_some()
            || schema
                .queries
                .iter()
                .any(|q| q.params.iter().any(|p| p.array)))
        .then(array_support);
        let query_columns = schema.queries.iter().flat_map(|q| match &q.result {
            QueryResult::Row { columns, .. } => columns.as_slice(),
            _ => &[],
        });
        // Columns of a `rust_type:` convert themselves.
        let converted = || {
            schema
                .entities()
                .flat_map(|(_, t)| &t.columns)
                .chain(query_columns.clone())
                .filter(|c| c.rust_type.is_none())
        };
        let used = |ty: FieldType| converted().any(|c| c.ty == ty);
        // A date reads the timestamp forms too.
        let lenient: Vec<FieldType> = FieldType::ALL
            .into_iter()
            .filter(|ty| is_lenient(*ty))
            .filter(|ty| used(*ty) || (*ty == FieldType::Timestamp && used(FieldType::Date)))
            .collect();
        let lenient = lenient_support(&lenient);
        let json = converted().any(|c| is_json(c.ty)).then(json_support);
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                /// Runs `f` inside a savepoint: released when `f` succeeds, rolled
                /// back when it fails. A savepoint nests inside the caller's own
                /// transaction, and works on a plain `&Connection`.
                pub(crate) fn in_savepoint<T>(
                    db: &::rusqlite::Connection,
                    f: impl ::std::ops::FnOnce() -> ::rusqlite::Result<T>,
                ) -> ::rusqlite::Result<T> {
                    db.prepare_cached("SAVEPOINT mortise")?.execute([])?;
                    match f() {
                        ::std::result::Result::Ok(value) => {
                            db.prepare_cached("RELEASE mortise")?.execute([])?;
                            ::std::result::Result::Ok(value)
                        }
                        ::std::result::Result::Err(error) => {
                            // The rollback's own error would hide the one that matters.
                            let _ = db.execute_batch("ROLLBACK TO mortise; RELEASE mortise");
                            ::std::result::Result::Err(error)
                        }
                    }
                }

                /// The one row of a statement (an error when there is none),
                /// which then runs to its end: an `INSERT ... RETURNING`
                /// outside a transaction commits when it ends, and a failure
                /// there (a deferred foreign key) must be the call's error,
                /// not a row the database rolled back.
                pub(crate) fn one<T>(
                    mut rows: impl ::std::iter::Iterator<Item = ::rusqlite::Result<T>>,
                ) -> ::rusqlite::Result<T> {
                    let value = rows
                        .next()
                        .unwrap_or(::std::result::Result::Err(::rusqlite::Error::QueryReturnedNoRows))?;
                    rows.try_for_each(|row| row.map(::std::mem::drop))?;
                    ::std::result::Result::Ok(value)
                }

                /// The row of a statement, if it has one, which then runs to
                /// its end (as `one`).
                pub(crate) fn optional<T>(
                    mut rows: impl ::std::iter::Iterator<Item = ::rusqlite::Result<T>>,
                ) -> ::rusqlite::Result<::std::option::Option<T>> {
                    let value = rows.next().transpose()?;
                    rows.try_for_each(|row| row.map(::std::mem::drop))?;
                    ::std::result::Result::Ok(value)
                }

                #arrays
                #shared
                #lenient
                #json
            }
        })
    }

    fn exports(&self) -> TokenStream {
        TokenStream::new()
    }

    /// TEXT: its value's text; reading other text is an error naming it.
    fn enum_conversions(&self, e: &Enum) -> TokenStream {
        let name = e.rust.to_ident();
        quote! {
            impl ::rusqlite::types::ToSql for #name {
                fn to_sql(&self) -> ::rusqlite::Result<::rusqlite::types::ToSqlOutput<'_>> {
                    ::std::result::Result::Ok(::rusqlite::types::ToSqlOutput::from(self.as_str()))
                }
            }

            impl ::rusqlite::types::FromSql for #name {
                fn column_result(
                    value: ::rusqlite::types::ValueRef<'_>,
                ) -> ::rusqlite::types::FromSqlResult<Self> {
                    value.as_str()?.parse().map_err(|e: UnknownValue| {
                        ::rusqlite::types::FromSqlError::Other(::std::boxed::Box::new(e))
                    })
                }
            }
        }
    }
}

/// Whether `value` is a single identifier (a parameter or local).
fn is_local(value: &TokenStream) -> bool {
    let mut tokens = value.clone().into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(proc_macro2::TokenTree::Ident(_)), None)
    )
}

/// The `rarray` of a slice of keys (`source` has `.iter()`); a composite
/// key's tuples are flattened, one column after another.
fn flatten(support: &TokenStream, source: TokenStream, parts: usize) -> TokenStream {
    if parts == 1 {
        return quote!(#support::array(#source)?);
    }
    let names = numbered("k", parts);
    quote! {
        #support::array(
            #source.iter().flat_map(|(#(#names),*)| [#(#names as &dyn ::rusqlite::ToSql),*]),
        )?
    }
}

/// Key arrays and statement preparation, for the association modules.
fn array_support() -> TokenStream {
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

/// Whether a value of `ty` is stored as JSON text (written and read with
/// serde): an array, an embedded schema.
fn is_json(ty: FieldType) -> bool {
    matches!(ty, FieldType::Array(_) | FieldType::Embed { .. })
}

/// Writing and reading JSON text with serde.
fn json_support() -> TokenStream {
    quote! {
        /// A value stored as JSON text (an array: `["a","b"]`), written with serde.
        pub(crate) struct Json<'a, T: ?::std::marker::Sized>(pub(crate) &'a T);

        impl<T: ::serde::Serialize + ?::std::marker::Sized> ::rusqlite::types::ToSql for Json<'_, T> {
            fn to_sql(&self) -> ::rusqlite::Result<::rusqlite::types::ToSqlOutput<'_>> {
                ::serde_json::to_string(self.0)
                    .map(::rusqlite::types::ToSqlOutput::from)
                    .map_err(|error| ::rusqlite::Error::ToSqlConversionFailure(::std::boxed::Box::new(error)))
            }
        }

        /// Reads column `index`, JSON text (an array: `["a","b"]`), with serde.
        pub(crate) fn json<T: ::serde::de::DeserializeOwned>(
            row: &::rusqlite::Row<'_>,
            index: usize,
        ) -> ::rusqlite::Result<T> {
            let text: ::std::string::String = row.get(index)?;
            from_json(index, &text)
        }

        /// Reads nullable column `index`, JSON text or NULL, with serde.
        pub(crate) fn optional_json<T: ::serde::de::DeserializeOwned>(
            row: &::rusqlite::Row<'_>,
            index: usize,
        ) -> ::rusqlite::Result<::std::option::Option<T>> {
            let text: ::std::option::Option<::std::string::String> = row.get(index)?;
            text.map(|text| from_json(index, &text)).transpose()
        }

        fn from_json<T: ::serde::de::DeserializeOwned>(index: usize, text: &str) -> ::rusqlite::Result<T> {
            ::serde_json::from_str(text).map_err(|error| {
                ::rusqlite::Error::FromSqlConversionFailure(index, ::rusqlite::types::Type::Text, ::std::boxed::Box::new(error))
            })
        }
    }
}

/// Whether SQLite may hold a value of `ty` in forms rusqlite does not read
/// as that type (a decimal as INTEGER or REAL, a timestamp with an offset,
/// a date with a time): the generated code reads it through
/// `mortise_support::Lenient`.
fn is_lenient(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::Decimal | FieldType::Timestamp | FieldType::Date
    )
}

/// `Lenient`, and its `FromSql` for each type a column needs (an impl for a
/// type whose crate the program lacks would not compile).
fn lenient_support(types: &[FieldType]) -> TokenStream {
    if types.is_empty() {
        return TokenStream::new();
    }
    let impls = types.iter().map(|ty| match ty {
        FieldType::Decimal => quote! {
            /// A decimal from any storage class: TEXT as written, INTEGER, or REAL
            /// as its shortest decimal form (`0.1` is 0.1, not the binary fraction).
            impl ::rusqlite::types::FromSql for Lenient<::rust_decimal::Decimal> {
                fn column_result(value: ::rusqlite::types::ValueRef<'_>) -> ::rusqlite::types::FromSqlResult<Self> {
                    let parsed = match value {
                        ::rusqlite::types::ValueRef::Integer(i) => {
                            return ::std::result::Result::Ok(Lenient(::rust_decimal::Decimal::from(i)));
                        }
                        ::rusqlite::types::ValueRef::Real(f) => f.to_string().parse::<::rust_decimal::Decimal>(),
                        ::rusqlite::types::ValueRef::Text(_) => value.as_str()?.parse::<::rust_decimal::Decimal>(),
                        _ => return ::std::result::Result::Err(::rusqlite::types::FromSqlError::InvalidType),
                    };
                    parsed.map(Lenient).map_err(::rusqlite::types::FromSqlError::other)
                }
            }
        },
        FieldType::Timestamp => quote! {
            /// A timestamp without time zone: `YYYY-MM-DD HH:MM:SS[.f]` (what it
            /// writes) or with `T` for the space; with an offset (RFC 3339), the
            /// time in UTC; an INTEGER is Unix seconds.
            impl ::rusqlite::types::FromSql for Lenient<::chrono::NaiveDateTime> {
                fn column_result(value: ::rusqlite::types::ValueRef<'_>) -> ::rusqlite::types::FromSqlResult<Self> {
                    if let ::rusqlite::types::ValueRef::Integer(seconds) = value {
                        return ::chrono::DateTime::from_timestamp(seconds, 0)
                            .map(|t| Lenient(t.naive_utc()))
                            .ok_or(::rusqlite::types::FromSqlError::OutOfRange(seconds));
                    }
                    let text = value.as_str()?;
                    let naive = ["%F %T%.f", "%FT%T%.f"]
                        .into_iter()
                        .find_map(|format| ::chrono::NaiveDateTime::parse_from_str(text, format).ok());
                    let zoned = || {
                        ["%F %T%.f%#z", "%FT%T%.f%#z"].into_iter().find_map(|format| {
                            ::chrono::DateTime::parse_from_str(text, format).ok().map(|t| t.naive_utc())
                        })
                    };
                    naive.or_else(zoned).map(Lenient).ok_or_else(|| {
                        ::rusqlite::types::FromSqlError::Other(
                            ::std::format!("{text:?} is not a timestamp (YYYY-MM-DD HH:MM:SS)").into(),
                        )
                    })
                }
            }
        },
        FieldType::Date => quote! {
            /// A date: `YYYY-MM-DD` (what it writes), or the date of a timestamp
            /// in a form `Lenient<NaiveDateTime>` reads (`2006-02-15 00:00:00`).
            impl ::rusqlite::types::FromSql for Lenient<::chrono::NaiveDate> {
                fn column_result(value: ::rusqlite::types::ValueRef<'_>) -> ::rusqlite::types::FromSqlResult<Self> {
                    let date = value
                        .as_str()
                        .ok()
                        .and_then(|text| ::chrono::NaiveDate::parse_from_str(text, "%F").ok());
                    match date {
                        ::std::option::Option::Some(date) => ::std::result::Result::Ok(Lenient(date)),
                        ::std::option::Option::None => {
                            <Lenient<::chrono::NaiveDateTime> as ::rusqlite::types::FromSql>::column_result(value)
                                .map(|timestamp| Lenient(timestamp.0.date()))
                        }
                    }
                }
            }
        },
        _ => TokenStream::new(),
    });
    quote! {
        /// A value SQLite may hold in several forms, read leniently (see each `FromSql`).
        pub(crate) struct Lenient<T>(pub(crate) T);

        /// Reads column `index` through [`Lenient`].
        pub(crate) fn lenient<T>(row: &::rusqlite::Row<'_>, index: usize) -> ::rusqlite::Result<T>
        where
            Lenient<T>: ::rusqlite::types::FromSql,
        {
            row.get::<_, Lenient<T>>(index).map(|value| value.0)
        }

        /// Reads nullable column `index` through [`Lenient`].
        pub(crate) fn optional_lenient<T>(
            row: &::rusqlite::Row<'_>,
            index: usize,
        ) -> ::rusqlite::Result<::std::option::Option<T>>
        where
            Lenient<T>: ::rusqlite::types::FromSql,
        {
            row.get::<_, ::std::option::Option<Lenient<T>>>(index).map(|value| value.map(|value| value.0))
        }

        #(#impls)*
    }
}
