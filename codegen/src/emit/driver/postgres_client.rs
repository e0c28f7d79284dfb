//! The `Client` trait the PostgreSQL functions run their statements on, and
//! `Cached`, a client that prepares each statement once.
//!
//! Why a trait of the generated code's own: the drivers' `GenericClient` is
//! sealed, and a typed unnamed statement (`query_typed`) is planned by the
//! server on every call. A connection that runs the same statements again
//! and again is faster with each one prepared once (one round trip per call
//! after the first, and a plan the server may reuse), which needs a cache
//! beside the connection. Every `GenericClient` is a `Client` (no cache, as
//! before); `Cached<C>` adds the cache; `Transaction` carries it into a
//! transaction. The functions' calls are the same for all three.

use proc_macro2::TokenStream;
use quote::quote;

/// The items of `mortise_support` for the sync `postgres` crate.
pub(super) fn sync() -> TokenStream {
    let docs = docs("postgres", "&mut ");
    let (trait_doc, cached_doc, transaction_doc) = (&docs[0], &docs[1], &docs[2]);
    let driver_impls = [
        (quote!(::postgres::Client), quote!(Transaction<'a>), quote!(Client::transaction(self))),
        (quote!(::postgres::Transaction<'_>), quote!(Within<'a, Self>), quote!(Ok(Within(self)))),
    ]
    .into_iter()
    .map(|(ty, atomic, open)| {
        quote! {
            impl Client for #ty {
                fn query_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                    GenericClient::query_typed(self, sql, params)
                }
                fn query_typed_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                    GenericClient::query_typed_one(self, sql, params)
                }
                fn query_typed_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                    GenericClient::query_typed_opt(self, sql, params)
                }
                fn execute_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                    GenericClient::execute_typed(self, sql, params)
                }
                fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
                    GenericClient::batch_execute(self, sql)
                }
                fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                    Ok(Transaction { tx: GenericClient::transaction(self)?, statements: None })
                }
                type Atomic<'a> = #atomic where Self: 'a;
                fn atomic(&mut self) -> Result<Self::Atomic<'_>, Error> {
                    #open
                }
            }
        }
    });
    let driver_impls = quote!(#(#driver_impls)*);
    quote! {
        use ::postgres::types::{ToSql, Type};
        use ::postgres::{Error, GenericClient, Row, Statement};

        /// A statement's arguments, each with its SQL type.
        pub type Params<'a> = [(&'a (dyn ToSql + Sync), Type)];

        #trait_doc
        pub trait Client {
            /// Every row of `sql`.
            fn query_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error>;
            /// The one row of `sql`; an error when there is none or more than one.
            fn query_typed_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error>;
            /// The row of `sql`, if any; an error when there is more than one.
            fn query_typed_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error>;
            /// Runs `sql`: the number of rows it changed.
            fn execute_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error>;
            /// Runs statements without parameters (DDL).
            fn batch_execute(&mut self, sql: &str) -> Result<(), Error>;
            /// A transaction (a savepoint inside one), with this client's cache.
            fn transaction(&mut self) -> Result<Transaction<'_>, Error>;
            /// Where the statements of one generated call run when they must all
            /// happen or none.
            type Atomic<'a>: Atomic where Self: 'a;
            /// A transaction of their own, or, on a client that is a transaction
            /// already, that transaction: no savepoint, two round trips fewer. A
            /// failing statement then fails the caller's transaction, as
            /// every failing statement does in PostgreSQL, so nothing of the call
            /// can be committed.
            fn atomic(&mut self) -> Result<Self::Atomic<'_>, Error>;
        }

        /// The statements of one generated call, run by [`Client::atomic`].
        pub trait Atomic: Client {
            /// Commits them when they run in a transaction of their own.
            fn finish(self) -> Result<(), Error>;
        }

        #driver_impls

        /// Statements prepared on one connection, by their SQL.
        #[derive(Default)]
        struct Statements(::std::collections::HashMap<&'static str, Statement>);

        impl Statements {
            fn prepare(&mut self, client: &mut impl GenericClient, sql: &'static str, params: &Params<'_>) -> Result<Statement, Error> {
                if let Some(statement) = self.0.get(sql) {
                    return Ok(statement.clone());
                }
                let types: Vec<Type> = params.iter().map(|(_, ty)| ty.clone()).collect();
                let statement = client.prepare_typed(sql, &types)?;
                self.0.insert(sql, statement.clone());
                Ok(statement)
            }
        }

        /// The values of `params`, for a prepared statement.
        fn values<'a>(params: &'a Params<'a>) -> Vec<&'a (dyn ToSql + Sync)> {
            params.iter().map(|(value, _)| *value).collect()
        }

        #cached_doc
        pub struct Cached<C> {
            client: C,
            statements: Statements,
        }

        impl<C: GenericClient> Cached<C> {
            /// `client` with an empty cache.
            pub fn new(client: C) -> Cached<C> {
                Cached { client, statements: Statements::default() }
            }

            /// The client, its prepared statements dropped.
            pub fn into_inner(self) -> C {
                self.client
            }

            /// A transaction that uses and fills this client's cache.
            pub fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Ok(Transaction { tx: GenericClient::transaction(&mut self.client)?, statements: Some(&mut self.statements) })
            }
        }

        impl<C> ::std::ops::Deref for Cached<C> {
            type Target = C;
            fn deref(&self) -> &C {
                &self.client
            }
        }

        impl<C> ::std::ops::DerefMut for Cached<C> {
            fn deref_mut(&mut self) -> &mut C {
                &mut self.client
            }
        }

        impl<C: GenericClient> Client for Cached<C> {
            fn query_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                let statement = self.statements.prepare(&mut self.client, sql, params)?;
                self.client.query(&statement, &values(params))
            }
            fn query_typed_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                let statement = self.statements.prepare(&mut self.client, sql, params)?;
                self.client.query_one(&statement, &values(params))
            }
            fn query_typed_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                let statement = self.statements.prepare(&mut self.client, sql, params)?;
                self.client.query_opt(&statement, &values(params))
            }
            fn execute_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                let statement = self.statements.prepare(&mut self.client, sql, params)?;
                self.client.execute(&statement, &values(params))
            }
            fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
                GenericClient::batch_execute(&mut self.client, sql)
            }
            fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Cached::transaction(self)
            }
            type Atomic<'a> = Transaction<'a> where Self: 'a;
            fn atomic(&mut self) -> Result<Transaction<'_>, Error> {
                Cached::transaction(self)
            }
        }

        #transaction_doc
        pub struct Transaction<'a> {
            tx: ::postgres::Transaction<'a>,
            statements: Option<&'a mut Statements>,
        }

        impl Transaction<'_> {
            /// Commits the transaction (releases the savepoint).
            pub fn commit(self) -> Result<(), Error> {
                self.tx.commit()
            }

            /// The statement of `sql`, prepared once, when this transaction
            /// carries a cache; `None`: run it as a typed unnamed statement.
            fn prepared(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Statement>, Error> {
                match self.statements.as_deref_mut() {
                    Some(statements) => statements.prepare(&mut self.tx, sql, params).map(Some),
                    None => Ok(None),
                }
            }

            /// Rolls the transaction back; dropping it does the same.
            pub fn rollback(self) -> Result<(), Error> {
                self.tx.rollback()
            }
        }

        impl<'a> ::std::ops::Deref for Transaction<'a> {
            type Target = ::postgres::Transaction<'a>;
            fn deref(&self) -> &::postgres::Transaction<'a> {
                &self.tx
            }
        }

        impl<'a> ::std::ops::DerefMut for Transaction<'a> {
            fn deref_mut(&mut self) -> &mut ::postgres::Transaction<'a> {
                &mut self.tx
            }
        }

        impl Client for Transaction<'_> {
            fn query_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                match self.prepared(sql, params)? {
                    Some(statement) => self.tx.query(&statement, &values(params)),
                    None => GenericClient::query_typed(&mut self.tx, sql, params),
                }
            }
            fn query_typed_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                match self.prepared(sql, params)? {
                    Some(statement) => self.tx.query_one(&statement, &values(params)),
                    None => GenericClient::query_typed_one(&mut self.tx, sql, params),
                }
            }
            fn query_typed_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                match self.prepared(sql, params)? {
                    Some(statement) => self.tx.query_opt(&statement, &values(params)),
                    None => GenericClient::query_typed_opt(&mut self.tx, sql, params),
                }
            }
            fn execute_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                match self.prepared(sql, params)? {
                    Some(statement) => self.tx.execute(&statement, &values(params)),
                    None => GenericClient::execute_typed(&mut self.tx, sql, params),
                }
            }
            fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
                GenericClient::batch_execute(&mut self.tx, sql)
            }
            fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Ok(Transaction { tx: GenericClient::transaction(&mut self.tx)?, statements: self.statements.as_deref_mut() })
            }
            type Atomic<'a> = Within<'a, Self> where Self: 'a;
            fn atomic(&mut self) -> Result<Within<'_, Self>, Error> {
                Ok(Within(self))
            }
        }

        impl Atomic for Transaction<'_> {
            fn finish(self) -> Result<(), Error> {
                self.commit()
            }
        }

        /// A client that is a transaction already, lent to one generated call
        /// whose statements must all happen or none (see [`Client::atomic`]).
        pub struct Within<'a, C>(&'a mut C);

        impl<C: Client> Client for Within<'_, C> {
            fn query_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                self.0.query_typed(sql, params)
            }
            fn query_typed_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                self.0.query_typed_one(sql, params)
            }
            fn query_typed_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                self.0.query_typed_opt(sql, params)
            }
            fn execute_typed(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                self.0.execute_typed(sql, params)
            }
            fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
                self.0.batch_execute(sql)
            }
            fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                self.0.transaction()
            }
            type Atomic<'a> = Within<'a, C> where Self: 'a;
            fn atomic(&mut self) -> Result<Within<'_, C>, Error> {
                Ok(Within(&mut *self.0))
            }
        }

        impl<C: Client> Atomic for Within<'_, C> {
            fn finish(self) -> Result<(), Error> {
                Ok(())
            }
        }
    }
}

/// The items of `mortise_support` for the async `tokio_postgres` crate.
pub(super) fn tokio() -> TokenStream {
    let docs = docs("tokio_postgres", "&");
    let (trait_doc, cached_doc, transaction_doc) = (&docs[0], &docs[1], &docs[2]);
    let driver_impls = [
        (quote!(::tokio_postgres::Client), quote!(Transaction<'a>), quote!(Client::transaction(self).await)),
        (quote!(::tokio_postgres::Transaction<'_>), quote!(Within<'a, Self>), quote!(Ok(Within(self)))),
    ]
    .into_iter()
    .map(|(ty, atomic, open)| {
        quote! {
            impl Client for #ty {
                async fn query_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                    GenericClient::query_typed(self, sql, params).await
                }
                async fn query_typed_one(&self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                    GenericClient::query_typed_one(self, sql, params).await
                }
                async fn query_typed_opt(&self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                    GenericClient::query_typed_opt(self, sql, params).await
                }
                async fn execute_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                    GenericClient::execute_typed(self, sql, params).await
                }
                async fn batch_execute(&self, sql: &str) -> Result<(), Error> {
                    GenericClient::batch_execute(self, sql).await
                }
                async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                    Ok(Transaction { tx: GenericClient::transaction(self).await?, statements: None })
                }
                type Atomic<'a> = #atomic where Self: 'a;
                async fn atomic(&mut self) -> Result<Self::Atomic<'_>, Error> {
                    #open
                }
            }
        }
    });
    let driver_impls = quote!(#(#driver_impls)*);
    quote! {
        use ::std::future::Future;
        use ::tokio_postgres::types::{ToSql, Type};
        use ::tokio_postgres::{Error, GenericClient, Row, Statement};

        /// A statement's arguments, each with its SQL type.
        pub type Params<'a> = [(&'a (dyn ToSql + Sync), Type)];

        #trait_doc
        pub trait Client: Send + Sync {
            /// Every row of `sql`.
            fn query_typed(&self, sql: &'static str, params: &Params<'_>) -> impl Future<Output = Result<Vec<Row>, Error>> + Send;
            /// The one row of `sql`; an error when there is none or more than one.
            fn query_typed_one(&self, sql: &'static str, params: &Params<'_>) -> impl Future<Output = Result<Row, Error>> + Send;
            /// The row of `sql`, if any; an error when there is more than one.
            fn query_typed_opt(&self, sql: &'static str, params: &Params<'_>) -> impl Future<Output = Result<Option<Row>, Error>> + Send;
            /// Runs `sql`: the number of rows it changed.
            fn execute_typed(&self, sql: &'static str, params: &Params<'_>) -> impl Future<Output = Result<u64, Error>> + Send;
            /// Runs statements without parameters (DDL).
            fn batch_execute(&self, sql: &str) -> impl Future<Output = Result<(), Error>> + Send;
            /// A transaction (a savepoint inside one), with this client's cache.
            fn transaction(&mut self) -> impl Future<Output = Result<Transaction<'_>, Error>> + Send;
            /// Where the statements of one generated call run when they must all
            /// happen or none.
            type Atomic<'a>: Atomic where Self: 'a;
            /// A transaction of their own, or, on a client that is a transaction
            /// already, that transaction: no savepoint, two round trips fewer. A
            /// failing statement then fails the caller's transaction, as
            /// every failing statement does in PostgreSQL, so nothing of the call
            /// can be committed.
            fn atomic(&mut self) -> impl Future<Output = Result<Self::Atomic<'_>, Error>> + Send;
        }

        /// The statements of one generated call, run by [`Client::atomic`].
        pub trait Atomic: Client {
            /// Commits them when they run in a transaction of their own.
            fn finish(self) -> impl Future<Output = Result<(), Error>> + Send;
        }

        #driver_impls

        /// Statements prepared on one connection, by their SQL. The lock is
        /// never held across an `.await`.
        #[derive(Default)]
        struct Statements(::std::sync::Mutex<::std::collections::HashMap<&'static str, Statement>>);

        impl Statements {
            async fn prepare(&self, client: &(impl GenericClient + Send + Sync), sql: &'static str, params: &Params<'_>) -> Result<Statement, Error> {
                // Looked up in a statement of its own: the guard is gone before any `.await`.
                let found = self.lock().get(sql).cloned();
                if let Some(statement) = found {
                    return Ok(statement);
                }
                let types: Vec<Type> = params.iter().map(|(_, ty)| ty.clone()).collect();
                let statement = client.prepare_typed(sql, &types).await?;
                self.lock().insert(sql, statement.clone());
                Ok(statement)
            }

            /// The map; a panic elsewhere cannot leave it half-written.
            fn lock(&self) -> ::std::sync::MutexGuard<'_, ::std::collections::HashMap<&'static str, Statement>> {
                self.0.lock().unwrap_or_else(::std::sync::PoisonError::into_inner)
            }
        }

        /// The values of `params`, for a prepared statement.
        fn values<'a>(params: &'a Params<'a>) -> Vec<&'a (dyn ToSql + Sync)> {
            params.iter().map(|(value, _)| *value).collect()
        }

        #cached_doc
        pub struct Cached<C> {
            client: C,
            statements: Statements,
        }

        impl<C: GenericClient + Send + Sync> Cached<C> {
            /// `client` with an empty cache.
            pub fn new(client: C) -> Cached<C> {
                Cached { client, statements: Statements::default() }
            }

            /// The client, its prepared statements dropped.
            pub fn into_inner(self) -> C {
                self.client
            }

            /// A transaction that uses and fills this client's cache.
            pub async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Ok(Transaction { tx: GenericClient::transaction(&mut self.client).await?, statements: Some(&self.statements) })
            }
        }

        impl<C> ::std::ops::Deref for Cached<C> {
            type Target = C;
            fn deref(&self) -> &C {
                &self.client
            }
        }

        impl<C> ::std::ops::DerefMut for Cached<C> {
            fn deref_mut(&mut self) -> &mut C {
                &mut self.client
            }
        }

        impl<C: GenericClient + Send + Sync> Client for Cached<C> {
            async fn query_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                let statement = self.statements.prepare(&self.client, sql, params).await?;
                self.client.query(&statement, &values(params)).await
            }
            async fn query_typed_one(&self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                let statement = self.statements.prepare(&self.client, sql, params).await?;
                self.client.query_one(&statement, &values(params)).await
            }
            async fn query_typed_opt(&self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                let statement = self.statements.prepare(&self.client, sql, params).await?;
                self.client.query_opt(&statement, &values(params)).await
            }
            async fn execute_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                let statement = self.statements.prepare(&self.client, sql, params).await?;
                self.client.execute(&statement, &values(params)).await
            }
            async fn batch_execute(&self, sql: &str) -> Result<(), Error> {
                GenericClient::batch_execute(&self.client, sql).await
            }
            async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Cached::transaction(self).await
            }
            type Atomic<'a> = Transaction<'a> where Self: 'a;
            async fn atomic(&mut self) -> Result<Transaction<'_>, Error> {
                Cached::transaction(self).await
            }
        }

        #transaction_doc
        pub struct Transaction<'a> {
            tx: ::tokio_postgres::Transaction<'a>,
            statements: Option<&'a Statements>,
        }

        impl Transaction<'_> {
            /// Commits the transaction (releases the savepoint).
            pub async fn commit(self) -> Result<(), Error> {
                self.tx.commit().await
            }

            /// The statement of `sql`, prepared once, when this transaction
            /// carries a cache; `None`: run it as a typed unnamed statement.
            async fn prepared(&self, sql: &'static str, params: &Params<'_>) -> Result<Option<Statement>, Error> {
                match self.statements {
                    Some(statements) => statements.prepare(&self.tx, sql, params).await.map(Some),
                    None => Ok(None),
                }
            }

            /// Rolls the transaction back; dropping it does the same.
            pub async fn rollback(self) -> Result<(), Error> {
                self.tx.rollback().await
            }
        }

        impl<'a> ::std::ops::Deref for Transaction<'a> {
            type Target = ::tokio_postgres::Transaction<'a>;
            fn deref(&self) -> &::tokio_postgres::Transaction<'a> {
                &self.tx
            }
        }

        impl<'a> ::std::ops::DerefMut for Transaction<'a> {
            fn deref_mut(&mut self) -> &mut ::tokio_postgres::Transaction<'a> {
                &mut self.tx
            }
        }

        impl Client for Transaction<'_> {
            async fn query_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                match self.prepared(sql, params).await? {
                    Some(statement) => self.tx.query(&statement, &values(params)).await,
                    None => GenericClient::query_typed(&self.tx, sql, params).await,
                }
            }
            async fn query_typed_one(&self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                match self.prepared(sql, params).await? {
                    Some(statement) => self.tx.query_one(&statement, &values(params)).await,
                    None => GenericClient::query_typed_one(&self.tx, sql, params).await,
                }
            }
            async fn query_typed_opt(&self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                match self.prepared(sql, params).await? {
                    Some(statement) => self.tx.query_opt(&statement, &values(params)).await,
                    None => GenericClient::query_typed_opt(&self.tx, sql, params).await,
                }
            }
            async fn execute_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                match self.prepared(sql, params).await? {
                    Some(statement) => self.tx.execute(&statement, &values(params)).await,
                    None => GenericClient::execute_typed(&self.tx, sql, params).await,
                }
            }
            async fn batch_execute(&self, sql: &str) -> Result<(), Error> {
                GenericClient::batch_execute(&self.tx, sql).await
            }
            async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                Ok(Transaction { tx: GenericClient::transaction(&mut self.tx).await?, statements: self.statements })
            }
            type Atomic<'a> = Within<'a, Self> where Self: 'a;
            async fn atomic(&mut self) -> Result<Within<'_, Self>, Error> {
                Ok(Within(self))
            }
        }

        impl Atomic for Transaction<'_> {
            async fn finish(self) -> Result<(), Error> {
                self.commit().await
            }
        }

        /// A client that is a transaction already, lent to one generated call
        /// whose statements must all happen or none (see [`Client::atomic`]).
        pub struct Within<'a, C>(&'a mut C);

        impl<C: Client> Client for Within<'_, C> {
            async fn query_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, Error> {
                self.0.query_typed(sql, params).await
            }
            async fn query_typed_one(&self, sql: &'static str, params: &Params<'_>) -> Result<Row, Error> {
                self.0.query_typed_one(sql, params).await
            }
            async fn query_typed_opt(&self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, Error> {
                self.0.query_typed_opt(sql, params).await
            }
            async fn execute_typed(&self, sql: &'static str, params: &Params<'_>) -> Result<u64, Error> {
                self.0.execute_typed(sql, params).await
            }
            async fn batch_execute(&self, sql: &str) -> Result<(), Error> {
                self.0.batch_execute(sql).await
            }
            async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
                self.0.transaction().await
            }
            type Atomic<'a> = Within<'a, C> where Self: 'a;
            async fn atomic(&mut self) -> Result<Within<'_, C>, Error> {
                Ok(Within(&mut *self.0))
            }
        }

        impl<C: Client> Atomic for Within<'_, C> {
            async fn finish(self) -> Result<(), Error> {
                Ok(())
            }
        }
    }
}

/// The docs of `Client`, `Cached` and `Transaction` for `krate`, whose
/// functions take the client as `borrow` (`&mut ` or `&`).
fn docs(krate: &str, borrow: &str) -> [TokenStream; 3] {
    let client = format!(
        "What the generated functions run their statements on.\n\n\
         Every `{krate}::GenericClient` is one (a `Client`, a `Transaction`): each statement \
         then goes as a typed unnamed statement, one round trip, which the server plans on \
         every call. A [`Cached`] client prepares each statement once and runs it by name \
         afterwards (still one round trip, and the server may keep its plan): use it for a \
         connection that lives across many calls."
    );
    let cached = format!(
        "A client that prepares each statement of the generated code once, on first use, \
         and keeps it for the life of the connection.\n\n\
         Wrap a connection once, `let mut client = Cached::new(client);`, then pass \
         `{borrow}client` to any function here. It dereferences to the client, for statements of your own. Its \
         [`transaction`](Cached::transaction) shares the cache. A prepared statement \
         belongs to its connection: keep one `Cached` per connection (a pool's connection \
         taken anew starts empty). Changing a table's columns on the server while a \
         statement is cached fails its next run (`cached plan must not change result \
         type`): make a new `Cached` after such a migration."
    );
    let transaction = "A transaction opened by [`Client::transaction`]: it runs statements as \
         the client it came from does (prepared once, when that client is [`Cached`]). \
         Committed by [`commit`](Transaction::commit); rolled back when dropped. It \
         dereferences to the driver's own transaction."
        .to_owned();
    [client, cached, transaction].map(|text| crate::emit::doc_lines(&text))
}
