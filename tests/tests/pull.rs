//! `mortise pull`: the schema it writes from a database it did not make.
//!
//! - Chinook, the SQLite file and the PostgreSQL script: the pulled schema
//!   is the golden file `data/pulled/chinook_*.yaml` byte for byte (pulled
//!   twice), which `build.rs` generates and compiles under `deny(warnings)`;
//!   every association of it preloads exactly what direct SQL over the same
//!   foreign keys returns.
//! - The round trip: every valid golden case, created by its own DDL and
//!   pulled back, is the same database (see [`Database`] for what that
//!   compares, and what a database cannot carry).
//! - An odd database of our own (`data/pulled/odd.sqlite.sql`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::ir::{AssociationKind, Schema, TableKind};
use codegen::sql::Dialect;
use mortise_tests::pg_support::ChinookDatabase;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A fresh directory of this test's own.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mortise-pull-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Pulls `source` twice (the same bytes both times), checks the schema, and
/// returns it with its IR.
fn pull(source: &str) -> (String, Schema) {
    let schema = codegen::pull(source).unwrap_or_else(|e| panic!("pull {source}: {e}"));
    assert_eq!(
        codegen::pull(source).unwrap(),
        schema,
        "pulling twice differs"
    );
    let ir = codegen::check(&schema, "pulled.yaml")
        .unwrap_or_else(|e| panic!("the pulled schema does not check:\n{e}\n{schema}"));
    (schema, ir)
}

/// `pulled` equals the golden file `data/pulled/NAME`; with
/// `MORTISE_UPDATE_PULLED=1`, writes it instead.
fn assert_golden(name: &str, pulled: &str) {
    let path = data(&format!("data/pulled/{name}"));
    if std::env::var_os("MORTISE_UPDATE_PULLED").is_some() {
        std::fs::write(&path, pulled).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert!(
        golden == pulled,
        "{} differs from what pull writes now (MORTISE_UPDATE_PULLED=1 rewrites it):\n{pulled}",
        path.display()
    );
}

/// How many associations `ir` declares: what the preload tests must cover.
fn association_count(ir: &Schema) -> usize {
    ir.entities().map(|(_, t)| t.associations.len()).sum()
}

/// Every association of the pulled Chinook: `$db` is the connection
/// argument of the generated functions, `$pairs` runs direct SQL (written
/// with Chinook's SQLite names) giving `(owner, target)` key pairs. Returns
/// how many associations it compared.
macro_rules! every_chinook_association {
    ($($chinook:ident)::+, $db:expr, $pairs:expr) => {{
        use $($chinook)::+::{album, artist, customer, employee, genre, invoice, invoice_line, media_type, playlist, track};
        let mut compared = 0;
        // has_many and many_to_many: every (owner, target) pair.
        macro_rules! many {
            ($m:ident :: $S:ident . $key:ident, $assoc:ident . $tkey:ident, $sql:expr) => {{
                let mut owners = $m::$S::all($db).unwrap();
                $m::$assoc::preload($db, owners.iter_mut()).unwrap();
                let mut loaded: Vec<(i64, Option<i64>)> = owners
                    .iter()
                    .flat_map(|o| o.$assoc.rows().unwrap().iter().map(|t| (i64::from(o.$key), Some(i64::from(t.$tkey)))))
                    .collect();
                loaded.sort();
                let direct = $pairs($sql);
                assert!(!direct.is_empty(), "{}", $sql);
                assert_eq!(loaded, direct, "{}::{}", stringify!($m), stringify!($assoc));
                compared += 1;
            }};
        }
        // belongs_to: every owner with its target, or none.
        macro_rules! one {
            ($m:ident :: $S:ident . $key:ident, $assoc:ident . $tkey:ident, $sql:expr) => {{
                let mut owners = $m::$S::all($db).unwrap();
                $m::$assoc::preload($db, owners.iter_mut()).unwrap();
                let mut loaded: Vec<(i64, Option<i64>)> = owners
                    .iter()
                    .map(|o| (i64::from(o.$key), o.$assoc.loaded().unwrap().as_ref().map(|t| i64::from(t.$tkey))))
                    .collect();
                loaded.sort();
                assert_eq!(loaded, $pairs($sql), "{}::{}", stringify!($m), stringify!($assoc));
                compared += 1;
            }};
        }
        many!(artist::Artist.artist_id, albums.album_id, "SELECT ArtistId, AlbumId FROM Album");
        many!(album::Album.album_id, tracks.track_id, "SELECT AlbumId, TrackId FROM Track WHERE AlbumId IS NOT NULL");
        many!(customer::Customer.customer_id, invoices.invoice_id, "SELECT CustomerId, InvoiceId FROM Invoice");
        many!(employee::Employee.employee_id, customers.customer_id, "SELECT SupportRepId, CustomerId FROM Customer WHERE SupportRepId IS NOT NULL");
        many!(employee::Employee.employee_id, employees.employee_id, "SELECT ReportsTo, EmployeeId FROM Employee WHERE ReportsTo IS NOT NULL");
        many!(genre::Genre.genre_id, tracks.track_id, "SELECT GenreId, TrackId FROM Track WHERE GenreId IS NOT NULL");
        many!(invoice::Invoice.invoice_id, invoice_lines.invoice_line_id, "SELECT InvoiceId, InvoiceLineId FROM InvoiceLine");
        many!(media_type::MediaType.media_type_id, tracks.track_id, "SELECT MediaTypeId, TrackId FROM Track");
        many!(track::Track.track_id, invoice_lines.invoice_line_id, "SELECT TrackId, InvoiceLineId FROM InvoiceLine");
        many!(playlist::Playlist.playlist_id, tracks.track_id, "SELECT PlaylistId, TrackId FROM PlaylistTrack");
        many!(track::Track.track_id, playlists.playlist_id, "SELECT TrackId, PlaylistId FROM PlaylistTrack");
        one!(album::Album.album_id, artist.artist_id, "SELECT AlbumId, ArtistId FROM Album");
        one!(customer::Customer.customer_id, support_rep.employee_id, "SELECT CustomerId, SupportRepId FROM Customer");
        one!(employee::Employee.employee_id, employee.employee_id, "SELECT EmployeeId, ReportsTo FROM Employee");
        one!(invoice::Invoice.invoice_id, customer.customer_id, "SELECT InvoiceId, CustomerId FROM Invoice");
        one!(invoice_line::InvoiceLine.invoice_line_id, invoice.invoice_id, "SELECT InvoiceLineId, InvoiceId FROM InvoiceLine");
        one!(invoice_line::InvoiceLine.invoice_line_id, track.track_id, "SELECT InvoiceLineId, TrackId FROM InvoiceLine");
        one!(track::Track.track_id, album.album_id, "SELECT TrackId, AlbumId FROM Track");
        one!(track::Track.track_id, genre.genre_id, "SELECT TrackId, GenreId FROM Track");
        one!(track::Track.track_id, media_type.media_type_id, "SELECT TrackId, MediaTypeId FROM Track");
        compared
    }};
}

/// Chinook's SQLite file, copied (the original is never opened for writing).
fn chinook_sqlite(dir: &Path) -> PathBuf {
    let copy = dir.join("chinook.sqlite");
    std::fs::copy(
        data("../../shared/data/chinook/Chinook_Sqlite.sqlite"),
        &copy,
    )
    .expect("Chinook's SQLite file, in shared/ beside the repository");
    copy
}

#[test]
fn sqlite_chinook_pulls_the_golden_schema_whose_preloads_equal_direct_sql() {
    let dir = scratch("chinook");
    let file = chinook_sqlite(&dir);
    let (schema, ir) = pull(file.to_str().unwrap());
    assert_golden("chinook_sqlite.yaml", &schema);

    let db = rusqlite::Connection::open(&file).unwrap();
    let pairs = |sql: &str| -> Vec<(i64, Option<i64>)> {
        let mut statement = db.prepare(&format!("{sql} ORDER BY 1, 2")).unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let compared = every_chinook_association!(mortise_tests::pulled_chinook_sqlite, &db, pairs);
    assert_eq!(
        compared,
        association_count(&ir),
        "every association is compared"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Chinook's SQLite names (`InvoiceLineId`) as its PostgreSQL script's (`invoice_line_id`).
fn snake_sql(sql: &str) -> String {
    sql.split(' ')
        .map(|word| match word {
            "SELECT" | "FROM" | "WHERE" | "IS" | "NOT" | "NULL" | "ORDER" | "BY" => word.to_owned(),
            _ => {
                let mut out = String::new();
                for (i, c) in word.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        out.push('_');
                    }
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn postgres_chinook_pulls_the_golden_schema_whose_preloads_equal_direct_sql() {
    let Some(chinook) = ChinookDatabase::load("pull") else {
        return;
    };
    let (schema, ir) = pull(chinook.url());
    assert_golden("chinook_pg.yaml", &schema);

    let mut client = chinook.connect();
    let mut direct = chinook.connect();
    let mut pairs = |sql: &str| -> Vec<(i64, Option<i64>)> {
        let sql = snake_sql(sql);
        let (select, rest) = sql.split_once(", ").unwrap();
        let (second, rest) = rest.split_once(' ').unwrap();
        let sql = format!("{select}::bigint, {second}::bigint {rest} ORDER BY 1, 2");
        direct
            .query(&sql, &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let compared = every_chinook_association!(mortise_tests::pulled_chinook_pg, &mut client, pairs);
    assert_eq!(
        compared,
        association_count(&ir),
        "every association is compared"
    );
}
