//! postgres (sync, functions take `&mut impl postgres::GenericClient`) and
//! tokio-postgres (async, `&impl tokio_postgres::GenericClient`): one
//! adapter, two flavours. Keys travel as typed arrays, one per key column.
//!
//! Every statement runs as a typed unnamed statement (`query_typed`,
//! `execute_typed`): the generated code names each parameter's type, so the
//! server parses, binds and runs it in ONE round trip. An untyped `query`
//! with SQL text prepares first (a round trip of its own), and neither
//! driver caches statements across calls of free functions like these.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Bound, Call, Driver, Fetch, Keys, Read, Statement, postgres_client};
use crate::emit::numbered;
use crate::ir::{Column, Enum, FieldType, PostgresParam, Schema};

pub(in crate::emit) struct Postgres {
    /// The crate: `postgres` or `tokio_postgres`.
    krate: &'static str,
    is_async: bool,
}

impl Postgres {
    pub(in crate::emit) const SYNC: Postgres = Postgres {
        krate: "postgres",
        is_async: false,
    };
    pub(in crate::emit) const ASYNC: Postgres = Postgres {
        krate: "tokio_postgres",
        is_async: true,
    };

    fn krate(&self) -> Ident {
        Ident::new(self.krate, proc_macro2::Span::call_site())
    }

    fn params(args: &[TokenStream]) -> TokenStream {
        quote!(&[#(#args),*])
    }

    /// `(&value, Type::…)`: a typed statement's argument, of the type
    /// `Dialect::column_type` gives its column (`BIGINT` is `INT8`), or an
    /// array of it (`INT8_ARRAY`) for `array`.
    fn typed(&self, ty: FieldType, array: bool, value: TokenStream) -> TokenStream {
        let krate = self.krate();
        let name = match (Self::type_name(ty), array) {
            (name, true) => format!("{name}_ARRAY"),
            (name, false) => name,
        };
        let name = Ident::new(&name, proc_macro2::Span::call_site());
        quote!((&#value, ::#krate::types::Type::#name))
    }

    /// The name of `ty`'s `postgres_types::Type` constant.
    fn type_name(ty: FieldType) -> String {
        let name = match ty {
            FieldType::Integer => "INT8",
            FieldType::Int => "INT4",
            FieldType::SmallInt => "INT2",
            FieldType::Float => "FLOAT8",
            FieldType::Float4 => "FLOAT4",
            FieldType::Boolean => "BOOL",
            FieldType::String | FieldType::Text => "TEXT",
            FieldType::Char(_) => "BPCHAR",
            FieldType::Binary => "BYTEA",
            FieldType::Uuid => "UUID",
            FieldType::Date => "DATE",
            FieldType::Time => "TIME",
            FieldType::Datetime => "TIMESTAMPTZ",
            FieldType::Timestamp => "TIMESTAMP",
            FieldType::Json => "JSONB",
            FieldType::Decimal => "NUMERIC",
            // The server gives an untyped parameter the enum type of the
            // column it meets (prepared or `query_typed` alike); its value
            // is the label, which is an enum's binary form.
            FieldType::Enum(_) => "UNKNOWN",
            FieldType::Array(element) => return format!("{}_ARRAY", Self::type_name(*element)),
            FieldType::Embed { .. } => "JSONB",
        };
        name.to_owned()
    }
}

impl Driver for Postgres {
    fn name(&self) -> &'static str {
        if self.is_async {
            "tokio-postgres"
        } else {
            "postgres"
        }
    }

    fn db(&self) -> Ident {
        Ident::new("client", proc_macro2::Span::call_site())
    }

    fn db_param(&self, support: &TokenStream, atomic: bool) -> TokenStream {
        // The sync driver's statements take `&mut`; the async driver's take
        // `&self`, but opening its transaction takes `&mut`.
        if self.is_async && !atomic {
            quote!(client: &impl #support::Client)
        } else {
            quote!(client: &mut impl #support::Client)
        }
    }

    fn asyncness(&self) -> TokenStream {
        if self.is_async {
            quote!(async)
        } else {
            TokenStream::new()
        }
    }

    fn awaited(&self) -> TokenStream {
        if self.is_async {
            quote!(.await)
        } else {
            TokenStream::new()
        }
    }

    fn result(&self, ok: TokenStream) -> TokenStream {
        let krate = self.krate();
        quote!(::std::result::Result<#ok, ::#krate::Error>)
    }

    fn row(&self) -> TokenStream {
        let krate = self.krate();
        quote!(::#krate::Row)
    }

    /// Of the field type's parameter type, except for a `sql_type:`
    /// PostgreSQL does not know (text is bound `UNKNOWN`, which the server
    /// types as the column, so `citext` compares as `citext`) and `json`.
    fn bind(&self, bound: Bound, value: TokenStream) -> TokenStream {
        let text = matches!(
            bound.ty,
            FieldType::String | FieldType::Text | FieldType::Char(_)
        );
        let named = |name: &str| {
            let (krate, name) = (
                self.krate(),
                Ident::new(name, proc_macro2::Span::call_site()),
            );
            quote!((&#value, ::#krate::types::Type::#name))
        };
        match bound.postgres {
            Some(PostgresParam::Unknown) if text => named("UNKNOWN"),
            Some(PostgresParam::Json) if bound.ty == FieldType::Json => named("JSON"),
            _ => self.typed(bound.ty, false, value),
        }
    }

    /// An embedded schema through the driver's `Json` (JSONB with serde).
    fn read_column(&self, column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        let krate = self.krate();
        match (column.ty, column.nullable) {
            (FieldType::Embed { .. }, false) if column.rust_type.is_none() => {
                quote!(#row.try_get::<_, ::#krate::types::Json<_>>(#index)?.0)
            }
            (FieldType::Embed { .. }, true) if column.rust_type.is_none() => quote! {
                #row.try_get::<_, ::std::option::Option<::#krate::types::Json<_>>>(#index)?.map(|json| json.0)
            },
            _ => quote!(#row.try_get(#index)?),
        }
    }

    /// An embedded schema through the driver's `Json`, as JSONB.
    fn bind_column(
        &self,
        _support: &TokenStream,
        column: &Column,
        value: TokenStream,
    ) -> TokenStream {
        let krate = self.krate();
        match (column.ty, column.nullable) {
            (FieldType::Embed { .. }, false) if column.rust_type.is_none() => {
                self.typed(column.ty, false, quote!(::#krate::types::Json(&#value)))
            }
            (FieldType::Embed { .. }, true) if column.rust_type.is_none() => self.typed(
                column.ty,
                false,
                quote!(#value.as_ref().map(::#krate::types::Json)),
            ),
            _ => self.bind(Bound::column(column), value),
        }
    }

    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(#row.try_get(#index)?)
    }

    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call {
        let (sql, params, awaited) = (&statement.sql, Self::params(args), self.awaited());
        // Not `query_typed_opt` for `First`: it fails on a second row (a has_one with several).
        let (prelude, value, fallible) = match fetch {
            Fetch::One(read) => {
                let prelude = quote!(let row = #db.query_typed_one(#sql, #params) #awaited?;);
                match read {
                    Read::With(read) => (prelude, quote!(#read(&row)), true),
                    Read::Columns(1) => (prelude, quote!(row.try_get(0)), true),
                    Read::Columns(n) => {
                        let columns = (0..n).map(proc_macro2::Literal::usize_unsuffixed);
                        (prelude, quote!((#(row.try_get(#columns)?),*)), false)
                    }
                }
            }
            Fetch::Optional { read } => (
                quote!(let row = #db.query_typed_opt(#sql, #params) #awaited?;),
                quote!(row.map(|row| #read(&row)).transpose()),
                true,
            ),
            Fetch::First { read } => (
                quote!(let rows = #db.query_typed(#sql, #params) #awaited?;),
                quote!(rows.first().map(#read).transpose()),
                true,
            ),
            Fetch::All { read } => (
                quote!(let rows = #db.query_typed(#sql, #params) #awaited?;),
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

    fn execute(&self, db: &Ident, statement: &Statement, args: &[TokenStream]) -> Call {
        let (sql, params, awaited) = (&statement.sql, Self::params(args), self.awaited());
        Call {
            prelude: TokenStream::new(),
            value: quote!(#db.execute_typed(#sql, #params) #awaited),
            fallible: true,
        }
    }

    fn usize(&self, count: TokenStream) -> Option<TokenStream> {
        Some(quote!(usize::try_from(#count).unwrap_or(usize::MAX)))
    }

    fn rows(
        &self,
        db: &Ident,
        statement: &Statement,
        args: &[TokenStream],
    ) -> (TokenStream, TokenStream) {
        let (sql, params, awaited) = (&statement.sql, Self::params(args), self.awaited());
        (
            quote!(let rows = #db.query_typed(#sql, #params) #awaited?;),
            quote!(for found in &rows),
        )
    }

    fn atomic(
        &self,
        support: &TokenStream,
        body: &dyn Fn(&Ident) -> (TokenStream, TokenStream),
    ) -> TokenStream {
        let tx = Ident::new("tx", proc_macro2::Span::call_site());
        let (statements, value) = body(&tx);
        let awaited = self.awaited();
        let binding = if self.is_async {
            quote!(tx)
        } else {
            quote!(mut tx)
        };
        // A transaction of their own (dropped on error, it rolls back), or
        // the caller's transaction, which an error fails.
        // The traits' methods, on a type known only by its bounds.
        quote! {
            use #support::{Atomic as _, Client as _};
            let #binding = client.atomic() #awaited?;
            #statements
            tx.finish() #awaited?;
            ::std::result::Result::Ok(#value)
        }
    }

    fn arrays(&self, _support: &TokenStream, keys: Keys<'_>, types: &[FieldType]) -> Arrays {
        let (prelude, arrays) = key_arrays(keys, types.len());
        let args = arrays
            .into_iter()
            .zip(types)
            .map(|(array, ty)| self.typed(*ty, true, array))
            .collect();
        Arrays { prelude, args }
    }

    fn create_all(&self) -> TokenStream {
        let (asyncness, awaited) = (self.asyncness(), self.awaited());
        let (client, result) = (
            self.db_param(&quote!(mortise_support), false),
            self.result(quote!(())),
        );
        quote! {
            /// Runs [`CREATE_SQL`] as one batch, which PostgreSQL runs as one
            /// transaction: everything is created, or nothing (inside the caller's
            /// transaction, it is part of it).
            pub #asyncness fn create_all(#client) -> #result {
                client.batch_execute(CREATE_SQL) #awaited
            }
        }
    }

    fn support(&self, _schema: &Schema, shared: Option<TokenStream>) -> Option<TokenStream> {
        let client = if self.is_async {
            postgres_client::tokio()
        } else {
            postgres_client::sync()
        };
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                #client
                #shared
            }
        })
    }

    fn exports(&self) -> TokenStream {
        // In a binary crate, what the program does not name would warn.
        quote! {
            #[allow(unused_imports)]
            pub use mortise_support::{Atomic, Cached, Client, Transaction, Within};
        }
    }

    /// The PostgreSQL enum type of that name (an enum's binary form is its
    /// label's text), and `UNKNOWN`, the type its parameters are bound with.
    fn enum_conversions(&self, e: &Enum) -> TokenStream {
        let (krate, name, sql_name) = (self.krate(), e.rust.to_ident(), &e.sql_name);
        let types = quote!(::#krate::types);
        let result = |ok: TokenStream| quote!(::std::result::Result<#ok, ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Sync + ::std::marker::Send>>);
        let (to_result, from_result) = (result(quote!(#types::IsNull)), result(quote!(Self)));
        quote! {
            impl #name {
                fn is_postgres_type(ty: &#types::Type) -> bool {
                    ty.name() == #sql_name && matches!(ty.kind(), #types::Kind::Enum(_))
                }
            }

            impl #types::ToSql for #name {
                fn to_sql(
                    &self,
                    ty: &#types::Type,
                    out: &mut #types::private::BytesMut,
                ) -> #to_result {
                    <&str as #types::ToSql>::to_sql(&self.as_str(), ty, out)
                }

                fn accepts(ty: &#types::Type) -> bool {
                    *ty == #types::Type::UNKNOWN || #name::is_postgres_type(ty)
                }

                #types::to_sql_checked!();
            }

            /// The enum type, or `TEXT`: the generated statements select an
            /// enum column as `::text` (a result of types the driver knows
            /// needs no type lookup on the connection).
            impl<'a> #types::FromSql<'a> for #name {
                fn from_sql(ty: &#types::Type, raw: &'a [u8]) -> #from_result {
                    let text = <&str as #types::FromSql>::from_sql(ty, raw)?;
                    ::std::result::Result::Ok(text.parse::<#name>()?)
                }

                fn accepts(ty: &#types::Type) -> bool {
                    *ty == #types::Type::TEXT || #name::is_postgres_type(ty)
                }
            }
        }
    }
}

/// The arrays of keys a PostgreSQL statement binds (`= ANY($1)`, one
/// array per key column), for both PostgreSQL drivers (postgres and
/// tokio-postgres here, sqlx in `sqlx_postgres`): `let` statements, then
/// the arrays' names in the statement's order.
pub(super) fn key_arrays(keys: Keys<'_>, parts: usize) -> (TokenStream, Vec<TokenStream>) {
    match (keys, parts) {
        (Keys::Params([one]), _) => (quote!(let keys = ::std::vec![#one];), vec![quote!(keys)]),
        (Keys::Params(many), _) => {
            let arrays = numbered("keys_", many.len());
            (
                quote!(#(let #arrays = ::std::vec![#many];)*),
                arrays.iter().map(|a| quote!(#a)).collect(),
            )
        }
        (Keys::Iter { keys, key_type }, parts) => {
            let collect = quote!(let keys: ::std::vec::Vec<#key_type> = #keys.collect(););
            if parts == 1 {
                (collect, vec![quote!(keys)])
            } else {
                let (columns, arrays) = column_arrays(quote!(keys), parts, true);
                (quote!(#collect #columns), arrays)
            }
        }
        (Keys::Slice(slice) | Keys::Array(slice) | Keys::Local(slice), 1) => {
            (TokenStream::new(), vec![quote!(#slice)])
        }
        (Keys::Array(slice), _) => (TokenStream::new(), vec![quote!(#slice)]),
        (Keys::Slice(slice), parts) => column_arrays(quote!(#slice), parts, false),
        (Keys::Local(local), parts) => {
            let arrays = numbered(&format!("{local}_"), parts);
            let fields = (0..parts).map(proc_macro2::Literal::usize_unsuffixed);
            (
                quote!(#(let #arrays: ::std::vec::Vec<_> = #local.iter().map(|k| k.#fields).collect();)*),
                arrays.iter().map(|a| quote!(#a)).collect(),
            )
        }
    }
}

/// One array per column of a composite key, from `source` (anything with
/// `.iter()` over key tuples). `borrow` takes each value by reference (owned
/// tuples) rather than by copy (tuples of borrowed keys, which are `Copy`).
fn column_arrays(
    source: TokenStream,
    parts: usize,
    borrow: bool,
) -> (TokenStream, Vec<TokenStream>) {
    let arrays = numbered("keys_", parts);
    let fields = (0..parts).map(proc_macro2::Literal::usize_unsuffixed);
    let element = if borrow { quote!(&k) } else { quote!(k) };
    (
        quote!(#(let #arrays: ::std::vec::Vec<_> = #source.iter().map(|k| #element.#fields).collect();)*),
        arrays.iter().map(|a| quote!(#a)).collect(),
    )
}
