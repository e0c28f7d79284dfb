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

use mortise_build::ir::{AssociationKind, Schema, TableKind};
use mortise_build::sql::Dialect;
use mortise_tests::pg_support::{ChinookDatabase, TestDatabase};

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
    let schema = mortise_build::pull(source).unwrap_or_else(|e| panic!("pull {source}: {e}"));
    assert_eq!(
        mortise_build::pull(source).unwrap(),
        schema,
        "pulling twice differs"
    );
    let ir = mortise_build::check(&schema, "pulled.yaml")
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
        many!(employee::Employee.employee_id, children.employee_id, "SELECT ReportsTo, EmployeeId FROM Employee WHERE ReportsTo IS NOT NULL");
        many!(genre::Genre.genre_id, tracks.track_id, "SELECT GenreId, TrackId FROM Track WHERE GenreId IS NOT NULL");
        many!(invoice::Invoice.invoice_id, invoice_lines.invoice_line_id, "SELECT InvoiceId, InvoiceLineId FROM InvoiceLine");
        many!(media_type::MediaType.media_type_id, tracks.track_id, "SELECT MediaTypeId, TrackId FROM Track");
        many!(track::Track.track_id, invoice_lines.invoice_line_id, "SELECT TrackId, InvoiceLineId FROM InvoiceLine");
        many!(playlist::Playlist.playlist_id, tracks.track_id, "SELECT PlaylistId, TrackId FROM PlaylistTrack");
        many!(track::Track.track_id, playlists.playlist_id, "SELECT TrackId, PlaylistId FROM PlaylistTrack");
        one!(album::Album.album_id, artist.artist_id, "SELECT AlbumId, ArtistId FROM Album");
        one!(customer::Customer.customer_id, support_rep.employee_id, "SELECT CustomerId, SupportRepId FROM Customer");
        one!(employee::Employee.employee_id, parent.employee_id, "SELECT EmployeeId, ReportsTo FROM Employee");
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

/// What a database holds of a schema, which the round trip compares: every
/// table (by SQL name) with its columns (SQL name, the type its DDL
/// declares, NOT NULL), primary key and foreign keys (columns, target,
/// target columns, ON DELETE); and the associations a foreign key implies.
///
/// A database cannot carry, so the round trip does not compare: association
/// names and Rust names (struct, module, field); of a join table with only
/// its two keys, pulled as a plain join table, the order of its key columns
/// and its foreign keys' ON DELETE (mortise's DDL orders them by the side
/// declared first and deletes links with either side); `has_many` vs `has_one`
/// (a pulled `has_one` needs a unique foreign key); associations without a
/// foreign key constraint and `through` paths; `where`, `join_where`,
/// `join_defaults` (a join schema whose links need values is pulled as a
/// read-only `through`), `join_where` (its join table is keyed by more than
/// two foreign keys, so pulled as has_many), `defaults`, `preload_order`, `preload_limit` and the
/// application-side `on_delete` of has_*/many_to_many; `rust_type`,
/// `derive`, `attributes`, `timestamps` (pulled as the plain columns they
/// are); defaults (pulled as the DDL holds them); and on SQLite what its
/// column types do not tell apart (`int`/`integer`, `string`/`text`,
/// `uuid`/`binary`, and `date`, `time`, `datetime`, `timestamp`, `json`,
/// `decimal`, arrays and embeds, all `TEXT`: the DDL type compared is the
/// same, the field type pulled is `string`).
#[derive(Debug, PartialEq)]
struct Database {
    /// (PostgreSQL schema, name).
    tables: Vec<(Option<String>, String)>,
    columns: BTreeSet<(String, String, String, bool)>,
    primary_keys: BTreeSet<(String, Vec<String>)>,
    foreign_keys: BTreeSet<ForeignKey>,
}

/// (table, columns, target, target columns, ON DELETE).
type ForeignKey = (String, Vec<String>, String, Vec<String>, String);

/// A join table's two sides, {(its columns, the table they point at)}:
/// the same from either side.
type JoinSides = BTreeSet<(Vec<String>, String)>;

/// The associations of a schema as the foreign keys they read.
#[derive(Debug, Default)]
struct Associations {
    belongs_to: BTreeSet<(String, Vec<String>)>,
    has: BTreeSet<(String, Vec<String>)>,
    many_to_many: BTreeSet<(String, JoinSides)>,
}

/// `plain`: the tables pulled as plain join tables, whose key order and ON
/// DELETE actions are mortise's (the side declared first; CASCADE), not
/// compared.
fn database(ir: &Schema, dialect: Dialect, plain: &BTreeSet<String>) -> Database {
    let prefix = |t: &mortise_build::ir::Table| match dialect {
        Dialect::Postgres => t.prefix.clone(),
        Dialect::Sqlite | Dialect::SqliteJson | Dialect::Mysql => None, // no schemas (`mortise pull` reads neither MySQL)
    };
    let mut tables: Vec<(Option<String>, String)> = ir
        .tables
        .iter()
        .map(|t| (prefix(t), t.sql_name.clone()))
        .collect();
    tables.sort();
    let mut out = Database {
        tables,
        columns: BTreeSet::new(),
        primary_keys: BTreeSet::new(),
        foreign_keys: BTreeSet::new(),
    };
    for t in &ir.tables {
        let names = |ids: &[usize], table: &mortise_build::ir::Table| -> Vec<String> {
            ids.iter()
                .map(|c| table.columns[*c].sql_name.clone())
                .collect()
        };
        for (id, c) in t.columns.iter().enumerate() {
            let written = match dialect {
                Dialect::Sqlite | Dialect::SqliteJson => c.sql_type.sqlite.clone(),
                Dialect::Postgres => c.sql_type.postgres.clone(),
                Dialect::Mysql => None,
            };
            // As the DDL declares it: SQLite's AUTOINCREMENT takes INTEGER only.
            let ty = match (dialect, c.generated) {
                (Dialect::Sqlite, Some(mortise_build::ir::Generated::AutoIncrement)) => {
                    "INTEGER".to_owned()
                }
                _ => written.unwrap_or_else(|| dialect.declared_type(c.ty, &ir.enums)),
            };
            // Compared without quotes and case: `"app"."kind"` is app.kind.
            let ty = ty
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase()
                .replace('"', "");
            let ty = spelled(&ty);
            let not_null = !c.nullable || t.primary_key.contains(&id);
            out.columns
                .insert((t.sql_name.clone(), c.sql_name.clone(), ty, not_null));
        }
        let mut key = names(&t.primary_key, t);
        if plain.contains(&t.sql_name) {
            key.sort();
        }
        out.primary_keys.insert((t.sql_name.clone(), key));
        for fk in &t.foreign_keys {
            let target = &ir.tables[fk.target];
            out.foreign_keys.insert((
                t.sql_name.clone(),
                names(&fk.columns, t),
                target.sql_name.clone(),
                names(&fk.target_columns, target),
                if plain.contains(&t.sql_name) {
                    String::new()
                } else {
                    format!("{:?}", fk.on_delete)
                },
            ));
        }
    }
    out
}

/// A type as PostgreSQL's catalog spells it (`varchar(40)` is
/// `character varying(40)`, `int4` is `integer`): the DDL may say either.
fn spelled(ty: &str) -> String {
    let ty = ty.strip_prefix("PUBLIC.").unwrap_or(ty);
    let (name, rest) = match ty.find(['(', '[']) {
        Some(i) => ty.split_at(i),
        None => (ty, ""),
    };
    let name = match name {
        "VARCHAR" => "CHARACTER VARYING",
        "INT4" | "INT" => "INTEGER",
        "INT8" => "BIGINT",
        "INT2" => "SMALLINT",
        "FLOAT8" => "DOUBLE PRECISION",
        "FLOAT4" => "REAL",
        "BOOL" => "BOOLEAN",
        "DECIMAL" => "NUMERIC",
        "TIMESTAMP WITH TIME ZONE" => "TIMESTAMPTZ",
        "TIMESTAMP WITHOUT TIME ZONE" => "TIMESTAMP",
        "TIME WITHOUT TIME ZONE" => "TIME",
        other => other,
    };
    format!("{name}{rest}")
}

fn associations(ir: &Schema) -> Associations {
    let mut out = Associations::default();
    let names = |table: usize, ids: &[usize]| -> Vec<String> {
        ids.iter()
            .map(|c| ir.tables[table].columns[*c].sql_name.clone())
            .collect()
    };
    for (id, t) in ir.entities() {
        for a in &t.associations {
            match &a.kind {
                AssociationKind::BelongsTo { foreign_key, .. } => {
                    out.belongs_to
                        .insert((t.sql_name.clone(), names(id, foreign_key)));
                }
                AssociationKind::Has { foreign_key, .. }
                    if ir.tables[a.target].kind == TableKind::Entity =>
                {
                    out.has.insert((
                        ir.tables[a.target].sql_name.clone(),
                        names(a.target, foreign_key),
                    ));
                }
                // With `join_where`, the join table's unique index holds
                // those columns too: no join table, its rows are has_many.
                AssociationKind::ManyToMany {
                    join_table,
                    owner_key,
                    related_key,
                    join_filter,
                    ..
                } if join_filter.is_empty() => {
                    let sides = BTreeSet::from([
                        (names(*join_table, &owner_key.columns), t.sql_name.clone()),
                        (
                            names(*join_table, &related_key.columns),
                            ir.tables[a.target].sql_name.clone(),
                        ),
                    ]);
                    out.many_to_many
                        .insert((ir.tables[*join_table].sql_name.clone(), sides));
                }
                _ => {}
            }
        }
    }
    out
}

/// The round trip of one schema: the database its DDL creates, pulled, is
/// the same database, and the pulled associations cover the original's
/// (over the foreign keys the database has).
fn assert_round_trip(
    case: &str,
    original: &Schema,
    pulled_text: &str,
    pulled: &Schema,
    dialect: Dialect,
) {
    let plain: BTreeSet<String> = pulled
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::PlainJoin)
        .map(|t| t.sql_name.clone())
        .collect();
    let (before, after) = (
        database(original, dialect, &plain),
        database(pulled, dialect, &plain),
    );
    if before != after {
        let only = |a: &Database, b: &Database| {
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                a.tables
                    .iter()
                    .filter(|t| !b.tables.contains(t))
                    .collect::<Vec<_>>(),
                a.columns.difference(&b.columns).collect::<Vec<_>>(),
                a.primary_keys
                    .difference(&b.primary_keys)
                    .collect::<Vec<_>>(),
                a.foreign_keys
                    .difference(&b.foreign_keys)
                    .collect::<Vec<_>>(),
            )
        };
        panic!(
            "{case}: the pulled database differs\nonly in the original:\n{}\nonly in the pulled:\n{}\n{pulled_text}",
            only(&before, &after),
            only(&after, &before)
        );
    }
    let (declared, found) = (associations(original), associations(pulled));
    let constrained: BTreeSet<(String, Vec<String>)> = before
        .foreign_keys
        .iter()
        .map(|fk| (fk.0.clone(), fk.1.clone()))
        .collect();
    // A plain join table's keys are the many_to_many over it.
    for fk in constrained.iter().filter(|fk| !plain.contains(&fk.0)) {
        assert!(
            found.belongs_to.contains(fk),
            "{case}: no belongs_to over {fk:?}:\n{pulled_text}"
        );
        assert!(
            found.has.contains(fk),
            "{case}: no has_many/has_one over {fk:?}:\n{pulled_text}"
        );
    }
    let read = declared
        .belongs_to
        .iter()
        .chain(declared.has.iter().filter(|h| constrained.contains(*h)));
    for b in read.filter(|b| !plain.contains(&b.0)) {
        assert!(
            found.belongs_to.contains(b) && found.has.contains(b),
            "{case}: {b:?} is lost:\n{pulled_text}"
        );
    }
    for m in &declared.many_to_many {
        // `join_defaults` is not in the database: a join schema whose links
        // need values of the program is pulled as a read-only `through`.
        let needs_values = || {
            let t = pulled.tables.iter().find(|t| t.sql_name == m.0).unwrap();
            t.columns.iter().enumerate().any(|(id, c)| {
                !c.nullable
                    && c.default.is_none()
                    && c.generated.is_none()
                    && !t.foreign_keys.iter().any(|fk| fk.columns.contains(&id))
            })
        };
        assert!(
            found.many_to_many.contains(m) || needs_values(),
            "{case}: many_to_many {m:?} is lost:\n{pulled_text}"
        );
    }
}

/// The generator's valid golden cases: (name, schema path).
fn golden_cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(data("../codegen/tests/generate"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("schema.yaml").is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                p.join("schema.yaml"),
            )
        })
        .collect();
    cases.sort();
    assert!(cases.len() > 20, "the golden cases are found");
    cases
}

#[test]
fn sqlite_round_trip_of_every_golden_case() {
    let dir = scratch("round-trip");
    for (case, path) in golden_cases() {
        let text = std::fs::read_to_string(&path).unwrap();
        let original = mortise_build::check(&text, path.to_str().unwrap()).unwrap();
        let file = dir.join(format!("{case}.sqlite"));
        let db = rusqlite::Connection::open(&file).unwrap();
        for sql in mortise_build::sql::create_statements(Dialect::Sqlite, &original) {
            db.execute_batch(&sql)
                .unwrap_or_else(|e| panic!("{case}: {e}\n{sql}"));
        }
        drop(db);
        let (pulled_text, pulled) = pull(file.to_str().unwrap());
        assert_round_trip(&case, &original, &pulled_text, &pulled, Dialect::Sqlite);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `data/pulled/odd.sqlite.sql`, made by its own script: pulled as the golden
/// `odd_sqlite.yaml` (compiled by `build.rs`), whose associations read the
/// rows the script linked.
#[test]
fn sqlite_odd_database_pulls_every_shape_of_key() {
    use mortise_tests::pulled_odd_sqlite::{actor, customer, film, language};

    let dir = scratch("odd");
    let file = dir.join("odd.sqlite");
    let db = rusqlite::Connection::open(&file).unwrap();
    db.execute_batch(&std::fs::read_to_string(data("data/pulled/odd.sqlite.sql")).unwrap())
        .unwrap();
    let (schema, _) = pull(file.to_str().unwrap());
    assert_golden("odd_sqlite.yaml", &schema);
    // What the schema cannot say is kept, with its reason.
    for kept in [
        "#   - trigger FilmAudit on Film: triggers are not declared",
        "#   - view FilmTitles: views are not declared",
        "    # CHECK (Length > 0): check constraints are not declared",
        "    # No primary key: no get, update or delete.\n    primary_key: false",
    ] {
        assert!(schema.contains(kept), "{kept}");
    }

    let names = |rows: &[String]| rows.join(",");
    // A unique foreign key is a has_one.
    let mut customers = customer::Customer::all(&db).unwrap();
    customer::loyalty_card::preload(&db, customers.iter_mut()).unwrap();
    let points: Vec<Option<i64>> = customers
        .iter()
        .map(|c| {
            c.loyalty_card
                .loaded()
                .unwrap()
                .as_ref()
                .map(|card| card.points)
        })
        .collect();
    assert_eq!(points, [Some(10), None, Some(25)]);
    // A self-referencing join table: both ways, told apart.
    customer::friends::preload(&db, customers.iter_mut()).unwrap();
    customer::friends_of::preload(&db, customers.iter_mut()).unwrap();
    let friends: Vec<String> = customers
        .iter()
        .map(|c| {
            names(
                &c.friends
                    .iter()
                    .map(|f| f.full_name.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(friends, ["Brian,Chen", "Chen", ""]);
    let friends_of: Vec<String> = customers
        .iter()
        .map(|c| {
            names(
                &c.friends_of
                    .iter()
                    .map(|f| f.full_name.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(friends_of, ["", "Ada", "Ada,Brian"]);

    let mut films = film::Film::all(&db).unwrap();
    // A join table keyed in the other order, both sides.
    film::actors::preload(&db, films.iter_mut()).unwrap();
    let cast: Vec<String> = films
        .iter()
        .map(|f| names(&f.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>()))
        .collect();
    assert_eq!(cast, ["Audrey,Mathieu", "", "Sigourney"]);
    let mut actors = actor::Actor::all(&db).unwrap();
    actor::films::preload(&db, actors.iter_mut()).unwrap();
    let roles: Vec<usize> = actors.iter().map(|a| a.films.iter().count()).collect();
    assert_eq!(roles, [1, 1, 1]);
    // A join table with a column of its own: a join schema, with its edges.
    film::categories::preload(&db, films.iter_mut()).unwrap();
    let categories: Vec<String> = films
        .iter()
        .map(|f| {
            names(
                &f.categories
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(categories, ["Comedy", "Comedy,Animation", "Horror"]);
    // Two foreign keys to one table, named after their columns.
    film::original_language::preload(&db, films.iter_mut()).unwrap();
    let original: Vec<Option<String>> = films
        .iter()
        .map(|f| {
            f.original_language
                .loaded()
                .unwrap()
                .as_ref()
                .map(|l| l.name.clone())
        })
        .collect();
    assert_eq!(
        original,
        [Some("French".to_owned()), Some("Japanese".to_owned()), None]
    );
    let mut languages = language::Language::all(&db).unwrap();
    language::films::preload(&db, languages.iter_mut()).unwrap();
    language::original_language_films::preload(&db, languages.iter_mut()).unwrap();
    let by_language: Vec<(usize, usize)> = languages
        .iter()
        .map(|l| {
            (
                l.films.iter().count(),
                l.original_language_films.iter().count(),
            )
        })
        .collect();
    assert_eq!(by_language, [(2, 0), (1, 1), (0, 1)]);
    // The enum from the CHECK, and the smallint keys.
    assert_eq!(films[0].rating.map(|r| r.as_str()), Some("PG"));
    assert_eq!(films[0].film_id, 1i16);
    drop(db);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pull_says_why_it_cannot_read_a_database() {
    let dir = scratch("errors");
    let missing = dir.join("missing.sqlite");
    let problem = mortise_build::pull(missing.to_str().unwrap()).unwrap_err();
    assert!(problem.starts_with("no SQLite database at "), "{problem}");
    assert!(problem.contains("or a postgres:// URL"), "{problem}");

    let text = dir.join("notes.txt");
    std::fs::write(
        &text,
        "not a database, but long enough to be read as one's header",
    )
    .unwrap();
    let problem = mortise_build::pull(text.to_str().unwrap()).unwrap_err();
    assert_eq!(
        problem,
        "cannot read SQLite's catalog: file is not a database"
    );

    // Port 1: nothing listens there.
    let problem = mortise_build::pull("postgres://postgres@127.0.0.1:1/nowhere").unwrap_err();
    assert!(
        problem.starts_with("cannot connect to postgres://postgres@127.0.0.1:1/nowhere: "),
        "{problem}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn postgres_round_trip_of_every_golden_case() {
    if mortise_tests::pg_support::database_url("postgres_round_trip").is_none() {
        return;
    }
    for (case, path) in golden_cases() {
        let text = std::fs::read_to_string(&path).unwrap();
        let original = mortise_build::check(&text, path.to_str().unwrap()).unwrap();
        let database = TestDatabase::new(&format!("pull_{case}")).unwrap();
        let mut client = database.connect();
        // `sql_types` declares a column `public.citext`.
        client
            .batch_execute("CREATE EXTENSION IF NOT EXISTS citext")
            .unwrap();
        for sql in mortise_build::sql::create_statements(Dialect::Postgres, &original) {
            client
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{case}: {e}\n{sql}"));
        }
        drop(client);
        let (pulled_text, pulled) = pull(database.url());
        assert_round_trip(&case, &original, &pulled_text, &pulled, Dialect::Postgres);
    }
}

/// `data/pulled/odd.postgres.sql`: what PostgreSQL has that SQLite has not
/// (schemas, enums, domains, arrays, identity, generated columns,
/// partitions), pulled as the golden `odd_pg.yaml` (compiled by
/// `build.rs`), whose rows read back.
#[test]
fn postgres_odd_database_pulls_its_types_and_says_what_it_leaves_out() {
    use mortise_tests::pulled_odd_pg::{invoice, person};

    let Some(database) = TestDatabase::new("pull_odd") else {
        return;
    };
    let script = std::fs::read_to_string(data("data/pulled/odd.postgres.sql")).unwrap();
    let mut client = database.connect();
    client.batch_execute(&script).unwrap();
    let (schema, _) = pull(database.url());
    assert_golden("odd_pg.yaml", &schema);
    for kept in [
        "#   - view adults: views are not declared",
        "#   - table measurement_2026: a partition of measurement",
        "#   - trigger touch_person on Person: triggers are not declared",
        "# check Person_Name_check: CHECK",
        "# column doubled: a generated column",
    ] {
        assert!(schema.contains(kept), "{kept}");
    }

    let mut people = person::Person::all(&mut client).unwrap();
    let ada = &people[0];
    assert_eq!(ada.mood, Some(mortise_tests::pulled_odd_pg::Mood::SoSo));
    assert_eq!(
        (ada.code.as_deref(), ada.tags.clone()),
        (Some("ABC"), vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!((ada.age, ada.span.as_deref()), (Some(36), Some("1 day")));
    // An array of an enum, which the drivers do not read: its text.
    assert_eq!(ada.moods.as_deref(), Some("{happy,sad}"));
    person::invoices::preload(&mut client, people.iter_mut()).unwrap();
    let totals: Vec<usize> = people.iter().map(|p| p.invoices.iter().count()).collect();
    assert_eq!(totals, [2, 0]);
    let mut invoices = invoice::Invoice::all(&mut client).unwrap();
    invoice::person::preload(&mut client, invoices.iter_mut()).unwrap();
    assert!(
        invoices
            .iter()
            .all(|i| i.person.loaded().unwrap().as_ref().unwrap().name == "Ada")
    );
}
