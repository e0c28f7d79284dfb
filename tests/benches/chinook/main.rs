//! Generated code against the best hand-written code doing the same work
//! into the same structs, in the same run, on a copy of Chinook (the shared
//! file is never written); one body, run on every backend
//! (`handwritten_<backend>.rs`): rusqlite (groups `chinook/…`), `postgres`
//! (sync, `chinook/pg/…`), `tokio-postgres` (`chinook/pg_async/…`) and
//! `sqlx-mysql` on MariaDB (`chinook/my/…`), each server one on a database
//! of its own (Chinook's PostgreSQL or MySQL script), dropped afterwards.
//! On MariaDB a second hand-written side, on `mysql_async`
//! (`handwritten_mysql_async.rs`), runs in the same groups (`mysql_async`)
//! and is paired with the generated side on its own (`… (mysql_async)`).
//! The preloads run on Chinook as it is, then without the join table's
//! track index (`IFK_PlaylistTrackTrackId`, `playlist_track_track_id_idx`;
//! on MariaDB with the foreign key that needs it), dropped from the copy:
//!
//! - `preload/playlists->tracks` (18 owners, 8,715 rows) and
//!   `preload/tracks->playlists` (3,503 owners, 8,715 rows): one query each;
//! - `replace/playlist`: a playlist's links swapped between two 200-track
//!   sets that overlap by half (each replace removes 100 links and adds
//!   100), each call atomic on its own.
//!
//! The generated side runs on the client a user who cares would give it:
//! on PostgreSQL the generated `Cached` (each statement prepared once per
//! connection), on a connection of its own; with sqlx, a connection of its
//! own (sqlx's statement cache); on SQLite the connection (rusqlite's
//! statement cache). The hand-written side is the best a person would
//! write: each statement prepared once, the keys as one array (`rarray(?1)`,
//! `= ANY($1)`, a JSON array read by `JSON_TABLE` on MariaDB), the join
//! table read first, rows grouped per owner but not sorted (the generated
//! side keeps its documented order: `preload_order`, then the target key;
//! each preload is also paired, as `… (in order)`, with the hand-written
//! side sorting each owner's list by that key afterwards, the same
//! guarantee); its replace is a delete of the links not wanted and an
//! insert of the missing ones, in a transaction, with no owner lock (the
//! generated one locks the owner row on the servers, so that it
//! serializes with concurrent link writers).
//!
//! Before each pair of preloads it prints the plan of the generated
//! statement with the keys the pair passes: SQLite's `EXPLAIN QUERY PLAN`,
//! PostgreSQL's `EXPLAIN EXECUTE` of it prepared and run six times (the
//! plan a prepared statement keeps, generic or custom), MariaDB's `EXPLAIN`
//! of it prepared, the keys bound (MariaDB plans each run).
//!
//! Each pair also runs in turn, call by call, for a few seconds before
//! criterion measures it, and prints its median ratio (`paired …`): on a
//! shared machine that ratio moves far less than criterion's two
//! measurements taken one after the other.
//!
//! Run: `cargo bench -p mortise-tests --bench chinook` (the PostgreSQL half
//! needs `DATABASE_URL`, the MariaDB one `MYSQL_URL`, e.g.
//! `MYSQL_URL=mysql://root@127.0.0.1:3306/test`; without one, its half says
//! so loudly and measures nothing); compare the pairs' times (ratios, not
//! absolute times: machines here are noisy).

use criterion::{Criterion, criterion_group, criterion_main};

mod handwritten_mysql_async;
mod handwritten_postgres;
mod handwritten_rusqlite;
mod handwritten_sqlx_mysql;
mod handwritten_tokio_postgres;
#[path = "../common/mysql_async_conn.rs"]
mod mysql_async_conn;
#[path = "../common/paired.rs"]
mod paired;

/// How long each pair also runs in turn, call by call ([`paired::compare`]).
const PAIRED: std::time::Duration = std::time::Duration::from_secs(4);

/// The benchmarks of one backend: `$backend` is its suite adapter, `$hand`
/// its hand-written side, `$prefix` the prefix of its group names; with
/// `$other as "name"`, a second hand-written side (on a driver of its own,
/// with the same functions as `$hand`), measured in the same groups
/// (`name`) and paired with the generated side on its own (`… (name)`).
macro_rules! chinook_benches {
    ($($backend:ident)::+, $hand:ident, $prefix:literal $(, $other:ident as $other_name:literal)?) => {
        pub fn preloads(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use chinook::{playlists, tracks};
            use super::$hand as hand;
            let Some(db) = Db::chinook("bench_preloads") else { return };
            hand::settle(&db);
            let statements = hand::Statements::prepare(&db);
            $(let other_statements = super::$other::Statements::prepare(&db);)?
            let generated = generated_client!(db, chinook);
            // Chinook as it is, then without the index on the join table's
            // track column (its primary key starts with the playlist): an
            // existing database may have only its primary key.
            for (variant, drop_index) in [("", None), (" (no track index)", Some(hand::DROP_TRACK_INDEX))] {
                if let Some(sql) = drop_index {
                    db.exec(sql);
                    hand::settle(&db);
                }

                let mut owners = q!(generated, playlists::Playlist::all()).unwrap();
                let keys: Vec<_> = owners.iter().map(|p| p.playlist_id).collect();
                let plan = hand::plan(&db, playlists::tracks::SELECT_SQL, &keys);
                eprintln!(concat!("\n", $prefix, "playlists::tracks::preload{}:\n{}\n"), variant, plan);
                let mut expected = owners.clone();
                q!(generated, playlists::tracks::preload(owners.iter_mut())).unwrap();
                hand::playlist_tracks(&db, &statements, &mut expected).unwrap();
                let sorted = |loaded: &[playlists::Playlist]| {
                    let mut sorted = loaded.to_vec();
                    for owner in &mut sorted {
                        owner.tracks.get_mut().unwrap().sort_by_key(|t| t.track_id);
                    }
                    sorted
                };
                assert_eq!(owners, sorted(&expected), "both sides load the same rows");
                $(
                    let mut other_loaded = owners.clone();
                    super::$other::playlist_tracks(&db, &other_statements, &mut other_loaded).unwrap();
                    assert_eq!(owners, sorted(&other_loaded), concat!("generated and ", $other_name, " load the same rows"));
                )?

                super::paired::compare(
                    &format!(concat!($prefix, "preload/playlists->tracks{}"), variant),
                    super::PAIRED,
                    || q!(generated, playlists::tracks::preload(black_box(owners.iter_mut()))).unwrap(),
                    || hand::playlist_tracks(&db, &statements, black_box(&mut expected)).unwrap(),
                );
                // The same, the hand-written side giving each owner's list the
                // generated side's order (the target key), as a person would:
                // a sort per owner after the groups are made.
                super::paired::compare(
                    &format!(concat!($prefix, "preload/playlists->tracks{} (in order)"), variant),
                    super::PAIRED,
                    || q!(generated, playlists::tracks::preload(black_box(owners.iter_mut()))).unwrap(),
                    || {
                        hand::playlist_tracks(&db, &statements, black_box(&mut expected)).unwrap();
                        for owner in &mut expected {
                            owner.tracks.get_mut().unwrap().sort_unstable_by_key(|row| row.track_id);
                        }
                    },
                );
                $(super::paired::compare(
                    &format!(concat!($prefix, "preload/playlists->tracks{} (", $other_name, ")"), variant),
                    super::PAIRED,
                    || q!(generated, playlists::tracks::preload(black_box(owners.iter_mut()))).unwrap(),
                    || super::$other::playlist_tracks(&db, &other_statements, black_box(&mut other_loaded)).unwrap(),
                );)?
                let mut group = c.benchmark_group(format!(concat!($prefix, "preload/playlists->tracks{}"), variant));
                group.bench_function("generated", |b| {
                    b.iter(|| q!(generated, playlists::tracks::preload(black_box(owners.iter_mut()))).unwrap())
                });
                group.bench_function("handwritten", |b| {
                    b.iter(|| hand::playlist_tracks(&db, &statements, black_box(&mut expected)).unwrap())
                });
                $(group.bench_function($other_name, |b| {
                    b.iter(|| super::$other::playlist_tracks(&db, &other_statements, black_box(&mut other_loaded)).unwrap())
                });)?
                group.finish();

                let mut owners = q!(generated, tracks::Track::all()).unwrap();
                let keys: Vec<_> = owners.iter().map(|t| t.track_id).collect();
                let plan = hand::plan(&db, tracks::playlists::SELECT_SQL, &keys);
                eprintln!(concat!("\n", $prefix, "tracks::playlists::preload{}:\n{}\n"), variant, plan);
                let mut expected = owners.clone();
                q!(generated, tracks::playlists::preload(owners.iter_mut())).unwrap();
                hand::track_playlists(&db, &statements, &mut expected).unwrap();
                let sorted = |loaded: &[tracks::Track]| {
                    let mut sorted = loaded.to_vec();
                    for owner in &mut sorted {
                        owner.playlists.get_mut().unwrap().sort_by_key(|p| p.playlist_id);
                    }
                    sorted
                };
                assert_eq!(owners, sorted(&expected), "both sides load the same rows");
                $(
                    let mut other_loaded = owners.clone();
                    super::$other::track_playlists(&db, &other_statements, &mut other_loaded).unwrap();
                    assert_eq!(owners, sorted(&other_loaded), concat!("generated and ", $other_name, " load the same rows"));
                )?

                super::paired::compare(
                    &format!(concat!($prefix, "preload/tracks->playlists{}"), variant),
                    super::PAIRED,
                    || q!(generated, tracks::playlists::preload(black_box(owners.iter_mut()))).unwrap(),
                    || hand::track_playlists(&db, &statements, black_box(&mut expected)).unwrap(),
                );
                // The same, the hand-written side giving each owner's list the
                // generated side's order (the target key), as a person would:
                // a sort per owner after the groups are made.
                super::paired::compare(
                    &format!(concat!($prefix, "preload/tracks->playlists{} (in order)"), variant),
                    super::PAIRED,
                    || q!(generated, tracks::playlists::preload(black_box(owners.iter_mut()))).unwrap(),
                    || {
                        hand::track_playlists(&db, &statements, black_box(&mut expected)).unwrap();
                        for owner in &mut expected {
                            owner.playlists.get_mut().unwrap().sort_unstable_by_key(|row| row.playlist_id);
                        }
                    },
                );
                $(super::paired::compare(
                    &format!(concat!($prefix, "preload/tracks->playlists{} (", $other_name, ")"), variant),
                    super::PAIRED,
                    || q!(generated, tracks::playlists::preload(black_box(owners.iter_mut()))).unwrap(),
                    || super::$other::track_playlists(&db, &other_statements, black_box(&mut other_loaded)).unwrap(),
                );)?
                let mut group = c.benchmark_group(format!(concat!($prefix, "preload/tracks->playlists{}"), variant));
                group.bench_function("generated", |b| {
                    b.iter(|| q!(generated, tracks::playlists::preload(black_box(owners.iter_mut()))).unwrap())
                });
                group.bench_function("handwritten", |b| {
                    b.iter(|| hand::track_playlists(&db, &statements, black_box(&mut expected)).unwrap())
                });
                $(group.bench_function($other_name, |b| {
                    b.iter(|| super::$other::track_playlists(&db, &other_statements, black_box(&mut other_loaded)).unwrap())
                });)?
                group.finish();
            }
        }

        pub fn replace(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use chinook::playlists;
            use super::$hand as hand;
            let Some(db) = Db::chinook("bench_replace") else { return };
            hand::settle(&db);
            let statements = hand::Statements::prepare(&db);
            $(let other_statements = super::$other::Statements::prepare(&db);)?
            let generated = generated_client!(db, chinook);
            let first: Vec<_> = (1..=200).collect();
            let second: Vec<_> = (101..=300).collect();
            let playlist = 9;
            let links = || -> Vec<i64> {
                let sql = "SELECT TrackId, PlaylistId FROM PlaylistTrack WHERE PlaylistId = 9 ORDER BY TrackId";
                db.pairs(&db.chinook_sql(sql)).into_iter().map(|(track, _)| track).collect()
            };
            let as_i64 = |ids: &[_]| -> Vec<i64> { ids.iter().map(|&id| i64::from(id)).collect() };

            // Both sides swap the same links and leave the same table.
            let generated_first = q!(generated, playlists::tracks::replace(playlist, &first)).unwrap();
            let swapped = q!(generated, playlists::tracks::replace(playlist, &second)).unwrap();
            assert_eq!((swapped.added, swapped.removed), (100, 100), "after {generated_first:?}");
            assert_eq!(links(), as_i64(&second));
            assert_eq!(hand::replace(&db, &statements, playlist, &first).unwrap(), (100, 100));
            assert_eq!(links(), as_i64(&first));
            $(
                assert_eq!(super::$other::replace(&db, &other_statements, playlist, &second).unwrap(), (100, 100));
                assert_eq!(links(), as_i64(&second), concat!($other_name, " leaves the same links"));
                assert_eq!(super::$other::replace(&db, &other_statements, playlist, &first).unwrap(), (100, 100));
                assert_eq!(links(), as_i64(&first), concat!($other_name, " leaves the same links"));
            )?

            super::paired::compare(
                concat!($prefix, "replace/playlist"),
                super::PAIRED,
                || {
                    q!(generated, playlists::tracks::replace(playlist, black_box(&second))).unwrap();
                    q!(generated, playlists::tracks::replace(playlist, black_box(&first))).unwrap();
                },
                || {
                    hand::replace(&db, &statements, playlist, black_box(&second)).unwrap();
                    hand::replace(&db, &statements, playlist, black_box(&first)).unwrap();
                },
            );
            $(super::paired::compare(
                concat!($prefix, "replace/playlist (", $other_name, ")"),
                super::PAIRED,
                || {
                    q!(generated, playlists::tracks::replace(playlist, black_box(&second))).unwrap();
                    q!(generated, playlists::tracks::replace(playlist, black_box(&first))).unwrap();
                },
                || {
                    super::$other::replace(&db, &other_statements, playlist, black_box(&second)).unwrap();
                    super::$other::replace(&db, &other_statements, playlist, black_box(&first)).unwrap();
                },
            );)?
            let mut group = c.benchmark_group(concat!($prefix, "replace/playlist"));
            group.bench_function("generated", |b| {
                b.iter(|| {
                    q!(generated, playlists::tracks::replace(playlist, black_box(&second))).unwrap();
                    q!(generated, playlists::tracks::replace(playlist, black_box(&first))).unwrap();
                })
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| {
                    hand::replace(&db, &statements, playlist, black_box(&second)).unwrap();
                    hand::replace(&db, &statements, playlist, black_box(&first)).unwrap();
                })
            });
            $(group.bench_function($other_name, |b| {
                b.iter(|| {
                    super::$other::replace(&db, &other_statements, playlist, black_box(&second)).unwrap();
                    super::$other::replace(&db, &other_statements, playlist, black_box(&first)).unwrap();
                })
            });)?
            group.finish();
        }
    };
}

mod on_rusqlite {
    chinook_benches!(
        mortise_tests::suite::sqlite,
        handwritten_rusqlite,
        "chinook/"
    );
}

mod on_postgres {
    chinook_benches!(
        mortise_tests::suite::postgres,
        handwritten_postgres,
        "chinook/pg/"
    );
}

mod on_tokio_postgres {
    chinook_benches!(
        mortise_tests::suite::tokio_postgres,
        handwritten_tokio_postgres,
        "chinook/pg_async/"
    );
}

mod on_mariadb {
    chinook_benches!(
        mortise_tests::suite::mariadb,
        handwritten_sqlx_mysql,
        "chinook/my/",
        handwritten_mysql_async as "mysql_async"
    );
}

fn preloads(c: &mut Criterion) {
    on_rusqlite::preloads(c);
    on_postgres::preloads(c);
    on_tokio_postgres::preloads(c);
    on_mariadb::preloads(c);
}

fn replace(c: &mut Criterion) {
    on_rusqlite::replace(c);
    on_postgres::replace(c);
    on_tokio_postgres::replace(c);
    on_mariadb::replace(c);
}

criterion_group!(benches, preloads, replace);
criterion_main!(benches);
