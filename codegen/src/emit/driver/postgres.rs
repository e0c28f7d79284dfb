//! postgres (sync, functions take `&mut impl postgres::GenericClient`) and
//! tokio-postgres (async, `&impl tokio_postgres::GenericClient`): one
//! adapter, two flavours. Keys travel as typed arrays, one per key column.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arrays, Call, Driver, Fetch, Keys, Read, Statement};
use crate::emit::numbered;
use crate::ir::{Column, Schema};

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

    fn db_param(&self, atomic: bool) -> TokenStream {
        let krate = self.krate();
        // The sync driver's statements take `&mut`; the async driver's take
        // `&self`, but opening its transaction takes `&mut`.
        if self.is_async && !atomic {
            quote!(client: &impl ::#krate::GenericClient)
        } else {
            quote!(client: &mut impl ::#krate::GenericClient)
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

    fn bind(&self, _column: Option<&Column>, value: TokenStream) -> TokenStream {
        quote!(&#value)
    }

    fn read_column(&self, _column: &Column, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(#row.try_get(#index)?)
    }

    fn get(&self, row: &Ident, index: TokenStream) -> TokenStream {
        quote!(#row.try_get(#index)?)
    }

    fn query(&self, db: &Ident, statement: &Statement, args: &[TokenStream], fetch: Fetch) -> Call {
        let (sql, params, awaited) = (&statement.sql, Self::params(args), self.awaited());
        // Not `query_opt` for `First`: it fails on a second row (a has_one with several).
        let (prelude, value, fallible) = match fetch {
            Fetch::One(read) => {
                let prelude = quote!(let row = #db.query_one(#sql, #params) #awaited?;);
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
                quote!(let row = #db.query_opt(#sql, #params) #awaited?;),
                quote!(row.map(|row| #read(&row)).transpose()),
                true,
            ),
            Fetch::First { read } => (
                quote!(let rows = #db.query(#sql, #params) #awaited?;),
                quote!(rows.first().map(#read).transpose()),
                true,
            ),
            Fetch::All { read } => (
                quote!(let rows = #db.query(#sql, #params) #awaited?;),
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
            value: quote!(#db.execute(#sql, #params) #awaited),
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
            quote!(let rows = #db.query(#sql, #params) #awaited?;),
            quote!(for found in &rows),
        )
    }

    fn atomic(
        &self,
        _support: &TokenStream,
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
        // Dropped on error, the transaction rolls back.
        quote! {
            let #binding = client.transaction() #awaited?;
            #statements
            tx.commit() #awaited?;
            ::std::result::Result::Ok(#value)
        }
    }

    fn arrays(&self, _support: &TokenStream, keys: Keys<'_>, key_columns: usize) -> Arrays {
        match keys {
            Keys::Params([one]) => Arrays {
                prelude: quote!(let keys = ::std::vec![#one];),
                args: vec![quote!(&keys)],
            },
            Keys::Params(many) => {
                let arrays = numbered("keys_", many.len());
                Arrays {
                    prelude: quote!(#(let #arrays = ::std::vec![#many];)*),
                    args: arrays.iter().map(|a| quote!(&#a)).collect(),
                }
            }
            Keys::Iter { keys, key_type } => {
                let collect = quote!(let keys: ::std::vec::Vec<#key_type> = #keys.collect(););
                if key_columns == 1 {
                    return Arrays {
                        prelude: collect,
                        args: vec![quote!(&keys)],
                    };
                }
                let columns = column_arrays(quote!(keys), key_columns, true);
                let prelude = &columns.prelude;
                Arrays {
                    prelude: quote!(#collect #prelude),
                    args: columns.args,
                }
            }
            Keys::Slice(slice) if key_columns == 1 => Arrays {
                prelude: TokenStream::new(),
                args: vec![quote!(&#slice)],
            },
            Keys::Slice(slice) => column_arrays(quote!(#slice), key_columns, false),
        }
    }

    fn create_all(&self) -> TokenStream {
        let (asyncness, awaited) = (self.asyncness(), self.awaited());
        let (client, result) = (self.db_param(false), self.result(quote!(())));
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
        let shared = shared?;
        Some(quote! {
            /// Helpers of the generated code.
            mod mortise_support {
                #shared
            }
        })
    }
}

/// One array per column of a composite key, from `source` (anything with
/// `.iter()` over key tuples). `borrow` takes each value by reference (owned
/// tuples) rather than by copy (tuples of borrowed keys, which are `Copy`).
fn column_arrays(source: TokenStream, parts: usize, borrow: bool) -> Arrays {
    let arrays = numbered("keys_", parts);
    let fields = (0..parts).map(proc_macro2::Literal::usize_unsuffixed);
    let element = if borrow { quote!(&k) } else { quote!(k) };
    Arrays {
        prelude: quote!(#(let #arrays: ::std::vec::Vec<_> = #source.iter().map(|k| #element.#fields).collect();)*),
        args: arrays.iter().map(|a| quote!(&#a)).collect(),
    }
}
