//! What the sqlx drivers (`sqlx_postgres`, `sqlx_mysql`, `sqlx_sqlite`) write alike: sqlx's
//! API is the same for every database, so running a bound statement,
//! reading its rows, a transaction (or savepoint) and JSON columns through
//! `sqlx::types::Json` are written once here.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Call, Fetch, Keys, Read};
use crate::ir::{Column, FieldType, Schema};

/// sqlx's `Type`, `Encode` and `Decode` of enum `name` stored as its label
/// (a MySQL `ENUM`, SQLite text) on `db` (`::sqlx::MySql`), whose type info
/// and value types are `type_info` and `value_ref`; and `JsonKey`, which
/// writes the label into a JSON array of keys.
pub(super) fn text_enum(
    name: &Ident,
    db: TokenStream,
    type_info: TokenStream,
    value_ref: TokenStream,
) -> TokenStream {
    quote! {
        impl ::sqlx::Type<#db> for #name {
            fn type_info() -> #type_info {
                <&str as ::sqlx::Type<#db>>::type_info()
            }

            fn compatible(ty: &#type_info) -> bool {
                <&str as ::sqlx::Type<#db>>::compatible(ty)
            }
        }

        impl ::sqlx::Encode<'_, #db> for #name {
            fn encode_by_ref(
                &self,
                buf: &mut <#db as ::sqlx::Database>::ArgumentBuffer,
            ) -> ::std::result::Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'_, #db>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> ::sqlx::Decode<'r, #db> for #name {
            fn decode(
                value: #value_ref<'r>,
            ) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                let text = <&str as ::sqlx::Decode<'r, #db>>::decode(value)?;
                ::std::result::Result::Ok(text.parse::<#name>()?)
            }
        }

        impl mortise_support::JsonKey for #name {
            fn write_json(&self, out: &mut ::std::string::String) {
                mortise_support::JsonKey::write_json(self.as_str(), out);
            }
        }
    }
}

/// The connection parameter's name.
pub(super) fn conn() -> Ident {
    Ident::new("conn", proc_macro2::Span::call_site())
}

/// Runs `statement` (a `sqlx::query` with its arguments bound) on `db` and
/// reads its rows as `fetch` says.
pub(super) fn query(db: &Ident, statement: TokenStream, fetch: Fetch) -> Call {
    // `fetch_optional` reads the first row of several without an error
    // (a has_one with several): it serves `First` too.
    let (prelude, value, fallible) = match fetch {
        Fetch::One(read) => {
            let prelude = quote!(let row = #statement.fetch_one(&mut *#db).await?;);
            match read {
                Read::With(read) => (prelude, quote!(#read(&row)), true),
                Read::Columns(1) => (prelude, quote!(::sqlx::Row::try_get(&row, 0)), true),
                Read::Columns(n) => {
                    let columns = (0..n).map(proc_macro2::Literal::usize_unsuffixed);
                    (
                        prelude,
                        quote!((#(::sqlx::Row::try_get(&row, #columns)?),*)),
                        false,
                    )
                }
            }
        }
        Fetch::Optional { read } | Fetch::First { read } => (
            quote!(let row = #statement.fetch_optional(&mut *#db).await?;),
            quote!(row.map(|row| #read(&row)).transpose()),
            true,
        ),
        Fetch::All { read } => (
            quote!(let rows = #statement.fetch_all(&mut *#db).await?;),
            quote!(rows.iter().map(#read).collect()),
            true,
        ),
    };
    Call {
        prelude,
        value,
        fallible,
    }
}

/// Runs `statement` on `db`: the number of rows it changed (`u64`).
pub(super) fn execute(db: &Ident, statement: TokenStream) -> Call {
    Call {
        prelude: TokenStream::new(),
        value: quote!(#statement.execute(&mut *#db).await?.rows_affected()),
        fallible: false,
    }
}

/// A count `execute` gave, as `usize`.
pub(super) fn usize(count: TokenStream) -> TokenStream {
    quote!(usize::try_from(#count).unwrap_or(usize::MAX))
}

/// Runs `statement` on `db` for a loop over its rows (each `found`).
pub(super) fn rows(db: &Ident, statement: TokenStream) -> (TokenStream, TokenStream) {
    (
        quote!(let rows = #statement.fetch_all(&mut *#db).await?;),
        quote!(for found in &rows),
    )
}

/// A transaction of their own, or a savepoint in the caller's: on an error
/// `tx` is dropped, and sqlx rolls it back before the connection's next
/// statement, so a failed call undoes only itself.
pub(super) fn atomic(body: &dyn Fn(&Ident) -> (TokenStream, TokenStream)) -> TokenStream {
    let (conn, tx) = (conn(), Ident::new("tx", proc_macro2::Span::call_site()));
    let (statements, value) = body(&tx);
    quote! {
        let mut tx = ::sqlx::Connection::begin(&mut *#conn).await?;
        #statements
        tx.commit().await?;
        ::std::result::Result::Ok(#value)
    }
}

/// `value`, a JSON column's field, as a statement argument through
/// `sqlx::types::Json`.
pub(super) fn bind_json(column: &Column, value: TokenStream) -> TokenStream {
    if column.nullable {
        quote!(#value.as_ref().map(::sqlx::types::Json))
    } else {
        quote!(::sqlx::types::Json(&#value))
    }
}

/// Column `index` of `row`, a JSON column, through `sqlx::types::Json`.
pub(super) fn read_json(column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
    if column.nullable {
        quote! {
            ::sqlx::Row::try_get::<::std::option::Option<::sqlx::types::Json<_>>, _>(#row, #index)?.map(|json| json.0)
        }
    } else {
        quote!(::sqlx::Row::try_get::<::sqlx::types::Json<_>, _>(#row, #index)?.0)
    }
}

/// `mortise_support`'s `json_keys`, which writes keys as the one JSON
/// array a statement reads (MariaDB's `JSON_TABLE`, SQLite's `json_each`),
/// and its `JsonKey` for each key type the schema uses. `utc` writes a
/// `DateTime<Utc>` (`self`) to `out` as the database holds it, which
/// `utc_doc` says.
pub(super) fn json_key_support(schema: &Schema, utc_doc: &str, utc: TokenStream) -> TokenStream {
    let uses = |wanted: &[FieldType]| {
        schema
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .any(|c| wanted.contains(&c.ty))
    };
    let uuid = uses(&[FieldType::Uuid]).then(|| {
        quote! {
            /// As its 32 hex digits, which the statement reads back as 16 bytes.
            impl JsonKey for ::uuid::Uuid {
                fn write_json(&self, out: &mut ::std::string::String) {
                    out.push('"');
                    out.push_str(self.simple().encode_lower(&mut ::uuid::Uuid::encode_buffer()));
                    out.push('"');
                }
            }
        }
    });
    let dates = uses(&[
        FieldType::Date,
        FieldType::Time,
        FieldType::Datetime,
        FieldType::Timestamp,
    ])
    .then(|| {
        quote! {
            impl JsonKey for ::chrono::NaiveDate {
                fn write_json(&self, out: &mut ::std::string::String) {
                    self.to_string().as_str().write_json(out);
                }
            }

            impl JsonKey for ::chrono::NaiveTime {
                fn write_json(&self, out: &mut ::std::string::String) {
                    self.to_string().as_str().write_json(out);
                }
            }

            impl JsonKey for ::chrono::NaiveDateTime {
                fn write_json(&self, out: &mut ::std::string::String) {
                    self.to_string().as_str().write_json(out);
                }
            }

            #[doc = #utc_doc]
            impl JsonKey for ::chrono::DateTime<::chrono::Utc> {
                fn write_json(&self, out: &mut ::std::string::String) {
                    #utc
                }
            }
        }
    });
    let decimal = uses(&[FieldType::Decimal]).then(|| {
        quote! {
            impl JsonKey for ::rust_decimal::Decimal {
                fn write_json(&self, out: &mut ::std::string::String) {
                    self.to_string().as_str().write_json(out);
                }
            }
        }
    });
    quote! {
        /// A key as JSON, for `json_keys`.
        pub trait JsonKey {
            fn write_json(&self, out: &mut ::std::string::String);
        }

        /// The keys as one JSON array (each composite key an array of its
        /// values): the one parameter a statement reads its keys from.
        pub fn json_keys<K: JsonKey>(keys: impl ::std::iter::IntoIterator<Item = K>) -> ::std::string::String {
            let mut out = ::std::string::String::from("[");
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                key.write_json(&mut out);
            }
            out.push(']');
            out
        }

        impl<T: JsonKey + ?::std::marker::Sized> JsonKey for &T {
            fn write_json(&self, out: &mut ::std::string::String) {
                (**self).write_json(out);
            }
        }

        macro_rules! numbers {
            ($($t:ty),*) => {$(
                impl JsonKey for $t {
                    fn write_json(&self, out: &mut ::std::string::String) {
                        out.push_str(&self.to_string());
                    }
                }
            )*};
        }
        numbers!(i16, i32, i64, bool);

        /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`.
        impl JsonKey for str {
            fn write_json(&self, out: &mut ::std::string::String) {
                out.push('"');
                for c in self.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => out.push_str(&::std::format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
        }

        impl JsonKey for ::std::string::String {
            fn write_json(&self, out: &mut ::std::string::String) {
                self.as_str().write_json(out);
            }
        }

        /// As hex digits, which the statement reads back as bytes.
        impl JsonKey for [u8] {
            fn write_json(&self, out: &mut ::std::string::String) {
                out.push('"');
                for b in self {
                    out.push_str(&::std::format!("{b:02x}"));
                }
                out.push('"');
            }
        }

        impl JsonKey for ::std::vec::Vec<u8> {
            fn write_json(&self, out: &mut ::std::string::String) {
                self.as_slice().write_json(out);
            }
        }

        macro_rules! tuples {
            ($(($first:ident, $($t:ident $i:tt),*)),*) => {$(
                impl<$first: JsonKey, $($t: JsonKey),*> JsonKey for ($first, $($t,)*) {
                    fn write_json(&self, out: &mut ::std::string::String) {
                        out.push('[');
                        self.0.write_json(out);
                        $(
                            out.push(',');
                            self.$i.write_json(out);
                        )*
                        out.push(']');
                    }
                }
            )*};
        }
        tuples!((A, B 1), (A, B 1, C 2), (A, B 1, C 2, D 3));

        #uuid
        #dates
        #decimal

    }
}

/// Keys as ONE argument: the JSON array `mortise_support::json_keys` writes
/// (each composite key an array of its values).
pub(super) fn json_key_arrays(support: &TokenStream, keys: Keys<'_>) -> Arrays {
    let json = |keys: TokenStream| quote!(#support::json_keys(#keys));
    let (name, prelude) = match keys {
        Keys::Params([one]) => {
            let keys = json(quote!([&#one]));
            (quote!(keys), quote!(let keys = #keys;))
        }
        Keys::Params(many) => {
            let keys = json(quote!([(#(&#many),*)]));
            (quote!(keys), quote!(let keys = #keys;))
        }
        Keys::Iter { keys, .. } => {
            let keys = json(keys);
            (quote!(keys), quote!(let keys = #keys;))
        }
        Keys::Slice(slice) => {
            let keys = json(quote!(#slice.iter()));
            (quote!(keys), quote!(let keys = #keys;))
        }
        Keys::Array(local) | Keys::Local(local) => {
            let keys = json(quote!(#local.iter()));
            (quote!(#local), quote!(let #local = #keys;))
        }
    };
    Arrays {
        prelude,
        args: vec![quote!(&#name)],
    }
}
