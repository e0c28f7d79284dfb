//! What the sqlx drivers (`sqlx_postgres`, `sqlx_mysql`) write alike: sqlx's
//! API is the same for every database, so running a bound statement,
//! reading its rows, a transaction (or savepoint) and JSON columns through
//! `sqlx::types::Json` are written once here.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Call, Fetch, Read};
use crate::ir::Column;

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
