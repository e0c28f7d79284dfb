//! A `mysql_async` connection for the hand-written `mysql_async` sides of
//! the MariaDB benchmarks.

use mortise_tests::maria_support::with_database;
use mortise_tests::suite::mariadb::Db;
use mysql_async::{Conn, Opts, OptsBuilder};

/// A connection of its own to `db`'s database (the server at `MYSQL_URL`),
/// over TCP as sqlx's (`mysql_async` would otherwise switch to the
/// server's Unix socket when it can).
pub fn connect(db: &Db) -> Conn {
    let database = &db.strings("SELECT DATABASE()")[0];
    let url = with_database(&std::env::var("MYSQL_URL").expect("MYSQL_URL"), database);
    let opts = OptsBuilder::from_opts(Opts::from_url(&url).unwrap()).prefer_socket(false);
    db.block_on(Conn::new(opts)).unwrap()
}
