//! Generated code against the best hand-written code, in the same run, on
//! the `owner_target` database (made by `tests/data/owner_target/<backend>.sql`,
//! not by `create_all`): 1,000 owners, 200 targets, 5,500 links, a join
//! table keyed target-first with no index on its owner column. On every
//! backend (`handwritten_<backend>.rs`): rusqlite (groups `ot/…`),
//! `postgres` (`ot/pg/…`), `tokio-postgres` (`ot/pg_async/…`),
//! `sqlx-postgres` (`ot/pg_sqlx/…`), `sqlx-sqlite` (`ot/sqlite_sqlx/…`) and
//! `sqlx-mysql` on MariaDB (`ot/my/…`), where a second hand-written side,
//! on `mysql_async` (`handwritten_mysql_async.rs`), runs in the same groups
//! (`mysql_async`) and is paired with the generated side on its own
//! (`… (mysql_async)`); on `sqlx-sqlite` the second side is the same
//! hand-written sqlx code with each owner's replace in a savepoint
//! (`savepoint each`), the guarantee the generated `replace` gives:
//!
//! - `preload/owners->targets` (1,000 owners) and `preload/targets->owners`
//!   (200 owners): one query each;
//! - `replace/200 owners`: the link sets of 200 owners swapped between two
//!   sets of five (overlapping by two), in one transaction;
//! - `replace_many/200 owners`: the same swap by one `replace_many` call,
//!   against the hand-written bulk diff (the owners and the wanted pairs as
//!   arrays, a delete and an insert in one transaction) and, as a third
//!   side, the per-owner `replace` loop of the previous workload.
//!
//! The generated side runs on the client a user who cares would give it:
//! on PostgreSQL, the generated `Cached` (each statement prepared once per
//! connection), on a connection of its own; with sqlx, a connection of its
//! own (sqlx's statement cache); on SQLite, the connection (rusqlite's own
//! statement cache).
//!
//! The hand-written side is the best a person would write: each statement
//! prepared once, the keys as one array, the join table read first (on
//! SQLite, `CROSS JOIN`, as a person who read the plan would), rows grouped
//! per owner in a `HashMap` but not sorted; its replace is a delete of the
//! links not wanted and an insert of the missing ones per owner, with no
//! owner lock (the generated `replace` locks the owner row on the servers, so
//! that it serializes with concurrent link writers, and runs in a savepoint).
//!
//! Each pair also runs in turn, call by call, for a few seconds before
//! criterion measures it, and prints its median ratio (`paired …`).
//!
//! Run: `cargo bench -p mortise-tests --bench owner_target` (PostgreSQL
//! needs `DATABASE_URL`, MariaDB `MYSQL_URL`, e.g.
//! `MYSQL_URL=mysql://root@127.0.0.1:3306/test`; without one, its halves say
//! so loudly and measure nothing). Compare each pair's times: ratios, not
//! absolute times.

use criterion::{Criterion, criterion_group, criterion_main};

mod handwritten_mysql_async;
mod handwritten_postgres;
mod handwritten_rusqlite;
mod handwritten_sqlx_mysql;
mod handwritten_sqlx_postgres;
mod handwritten_sqlx_sqlite;
mod handwritten_tokio_postgres;
#[path = "../common/mysql_async_conn.rs"]
mod mysql_async_conn;
#[path = "../common/paired.rs"]
mod paired;

/// How long each pair also runs in turn, call by call ([`paired::compare`]).
const PAIRED: std::time::Duration = std::time::Duration::from_secs(4);

/// The sets `replace` swaps between for owner `owner`: five targets each,
/// two of them shared.
fn link_sets(owner: i64) -> [Vec<i64>; 2] {
    let first: Vec<i64> = (0..5).map(|k| (owner * 11 + k * 17) % 200 + 1).collect();
    let second: Vec<i64> = first[3..]
        .iter()
        .copied()
        .chain((0..3).map(|k| (owner * 13 + k * 29 + 7) % 200 + 1))
        .collect();
    [first, second]
}

/// The benchmarks of one backend: `$backend` is its suite adapter, `$hand`
/// its hand-written side, `$prefix` the prefix of its group names; with
/// `$other as "name"`, a second hand-written side (on a driver of its own,
/// with the same functions as `$hand`), measured in the same groups
/// (`name`) and paired with the generated side on its own (`… (name)`).
macro_rules! owner_target_benches {
    ($($backend:ident)::+, $hand:ident, $prefix:literal $(, $other:ident as $other_name:literal)?) => {
        /// The database, made by its script; `None` when the backend's
        /// server is not configured.
        fn database(test: &str) -> Option<$($backend)::+::Db> {
            #[allow(unused_imports)]
            use $($backend)::+::*;
            let db = Db::fresh(test)?;
            db.exec(&mortise_tests::suite::script("owner_target", SCRIPTS));
            Some(db)
        }

        pub fn preloads(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use owner_target::{owners, targets};
            use super::$hand as hand;
            let Some(db) = database("bench_ot_preloads") else { return };
            let statements = hand::Statements::prepare(&db);
            $(let other_statements = super::$other::Statements::prepare(&db);)?
            let generated = generated_client!(db, owner_target);

            let mut owners = q!(db, owners::Owner::all()).unwrap();
            let mut expected = owners.clone();
            q!(db, owners::targets::preload(owners.iter_mut())).unwrap();
            hand::owner_targets(&db, &statements, &mut expected).unwrap();
            let same_rows = |loaded: &[owners::Owner]| {
                for (got, want) in owners.iter().zip(loaded) {
                    let mut want: Vec<_> = want.targets.get().unwrap().iter().map(|t| t.target_id).collect();
                    want.sort_unstable();
                    let got: Vec<_> = got.targets.iter().map(|t| t.target_id).collect();
                    assert_eq!(got, want, "both sides load the same rows");
                }
            };
            same_rows(&expected);
            $(
                let mut other_loaded = owners.clone();
                super::$other::owner_targets(&db, &other_statements, &mut other_loaded).unwrap();
                same_rows(&other_loaded);
            )?
            super::paired::compare(
                concat!($prefix, "preload/owners->targets"),
                super::PAIRED,
                || q!(generated, owners::targets::preload(black_box(owners.iter_mut()))).unwrap(),
                || hand::owner_targets(&db, &statements, black_box(&mut expected)).unwrap(),
            );
            $(super::paired::compare(
                concat!($prefix, "preload/owners->targets (", $other_name, ")"),
                super::PAIRED,
                || q!(generated, owners::targets::preload(black_box(owners.iter_mut()))).unwrap(),
                || super::$other::owner_targets(&db, &other_statements, black_box(&mut other_loaded)).unwrap(),
            );)?
            let mut group = c.benchmark_group(concat!($prefix, "preload/owners->targets"));
            group.bench_function("generated", |b| {
                b.iter(|| q!(generated, owners::targets::preload(black_box(owners.iter_mut()))).unwrap())
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| hand::owner_targets(&db, &statements, black_box(&mut expected)).unwrap())
            });
            $(group.bench_function($other_name, |b| {
                b.iter(|| super::$other::owner_targets(&db, &other_statements, black_box(&mut other_loaded)).unwrap())
            });)?
            group.finish();

            let mut targets = q!(db, targets::Target::all()).unwrap();
            let mut expected = targets.clone();
            q!(db, targets::owners::preload(targets.iter_mut())).unwrap();
            hand::target_owners(&db, &statements, &mut expected).unwrap();
            let same_rows = |loaded: &[targets::Target]| {
                for (got, want) in targets.iter().zip(loaded) {
                    let mut want: Vec<_> = want.owners.get().unwrap().iter().map(|o| o.owner_id).collect();
                    want.sort_unstable();
                    let got: Vec<_> = got.owners.iter().map(|o| o.owner_id).collect();
                    assert_eq!(got, want, "both sides load the same rows");
                }
            };
            same_rows(&expected);
            $(
                let mut other_loaded = targets.clone();
                super::$other::target_owners(&db, &other_statements, &mut other_loaded).unwrap();
                same_rows(&other_loaded);
            )?
            super::paired::compare(
                concat!($prefix, "preload/targets->owners"),
                super::PAIRED,
                || q!(generated, targets::owners::preload(black_box(targets.iter_mut()))).unwrap(),
                || hand::target_owners(&db, &statements, black_box(&mut expected)).unwrap(),
            );
            $(super::paired::compare(
                concat!($prefix, "preload/targets->owners (", $other_name, ")"),
                super::PAIRED,
                || q!(generated, targets::owners::preload(black_box(targets.iter_mut()))).unwrap(),
                || super::$other::target_owners(&db, &other_statements, black_box(&mut other_loaded)).unwrap(),
            );)?
            let mut group = c.benchmark_group(concat!($prefix, "preload/targets->owners"));
            group.bench_function("generated", |b| {
                b.iter(|| q!(generated, targets::owners::preload(black_box(targets.iter_mut()))).unwrap())
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| hand::target_owners(&db, &statements, black_box(&mut expected)).unwrap())
            });
            $(group.bench_function($other_name, |b| {
                b.iter(|| super::$other::target_owners(&db, &other_statements, black_box(&mut other_loaded)).unwrap())
            });)?
            group.finish();
        }

        pub fn replace(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use owner_target::owners;
            use super::$hand as hand;
            let Some(db) = database("bench_ot_replace") else { return };
            let statements = hand::Statements::prepare(&db);
            $(let other_statements = super::$other::Statements::prepare(&db);)?
            let generated = generated_client!(db, owner_target);
            let sets: Vec<(i64, [Vec<i64>; 2])> = (1..=200).map(|o| (o, super::link_sets(o))).collect();
            let links = |db: &Db| db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" WHERE "OwnerId" <= 200 ORDER BY 1, 2"#);

            // Both sides leave the same table.
            for side in [0, 1] {
                in_transaction!(generated, tx => for (owner, sets) in &sets {
                    q!(tx, owners::targets::replace(*owner, &sets[side])).unwrap();
                });
            }
            let left_by_generated = links(&db);
            hand::replace_all(&db, &statements, &sets, 0).unwrap();
            hand::replace_all(&db, &statements, &sets, 1).unwrap();
            assert_eq!(links(&db), left_by_generated, "both sides leave the same links");
            $(
                super::$other::replace_all(&db, &other_statements, &sets, 0).unwrap();
                super::$other::replace_all(&db, &other_statements, &sets, 1).unwrap();
                assert_eq!(links(&db), left_by_generated, concat!($other_name, " leaves the same links"));
            )?

            let mut side = 0;
            // One side for both: each call, whichever side makes it, swaps every set.
            let paired_side = std::cell::Cell::new(0);
            let swap = || {
                paired_side.set(1 - paired_side.get());
                paired_side.get()
            };
            super::paired::compare(
                concat!($prefix, "replace/200 owners"),
                super::PAIRED,
                || {
                    let side = swap();
                    in_transaction!(generated, tx => for (owner, sets) in &sets {
                        q!(tx, owners::targets::replace(*owner, black_box(&sets[side]))).unwrap();
                    });
                },
                || hand::replace_all(&db, &statements, black_box(&sets), swap()).unwrap(),
            );
            $(super::paired::compare(
                concat!($prefix, "replace/200 owners (", $other_name, ")"),
                super::PAIRED,
                || {
                    let side = swap();
                    in_transaction!(generated, tx => for (owner, sets) in &sets {
                        q!(tx, owners::targets::replace(*owner, black_box(&sets[side]))).unwrap();
                    });
                },
                || super::$other::replace_all(&db, &other_statements, black_box(&sets), swap()).unwrap(),
            );)?
            let mut group = c.benchmark_group(concat!($prefix, "replace/200 owners"));
            group.bench_function("generated", |b| {
                b.iter(|| {
                    side = 1 - side;
                    in_transaction!(generated, tx => for (owner, sets) in &sets {
                        q!(tx, owners::targets::replace(*owner, black_box(&sets[side]))).unwrap();
                    });
                })
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| {
                    side = 1 - side;
                    hand::replace_all(&db, &statements, black_box(&sets), side).unwrap();
                })
            });
            $(group.bench_function($other_name, |b| {
                b.iter(|| {
                    side = 1 - side;
                    super::$other::replace_all(&db, &other_statements, black_box(&sets), side).unwrap();
                })
            });)?
            group.finish();
        }

        pub fn replace_many(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use owner_target::owners;
            use super::$hand as hand;
            let Some(db) = database("bench_ot_replace_many") else { return };
            let statements = hand::Statements::prepare(&db);
            $(let other_statements = super::$other::Statements::prepare(&db);)?
            let generated = generated_client!(db, owner_target);
            let sets: Vec<(i64, [Vec<i64>; 2])> = (1..=200).map(|o| (o, super::link_sets(o))).collect();
            // The caller's sets of each side, as replace_many takes them.
            let many: [Vec<(i64, &[i64])>; 2] =
                [0, 1].map(|side| sets.iter().map(|(owner, sets)| (*owner, sets[side].as_slice())).collect());
            let links = |db: &Db| db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget" ORDER BY 1, 2"#);

            // The three sides leave the same table, and say what changed.
            let before = links(&db);
            let first = q!(generated, owners::targets::replace_many(&many[0])).unwrap();
            let second = q!(generated, owners::targets::replace_many(&many[1])).unwrap();
            assert!(second.added > 500 && second.removed > 500, "about three of five links change per owner: {second:?}");
            let left_by_generated = links(&db);
            assert_ne!(left_by_generated, before);
            hand::replace_bulk(&db, &statements, &sets, 0).unwrap();
            hand::replace_bulk(&db, &statements, &sets, 1).unwrap();
            assert_eq!(links(&db), left_by_generated, "the bulk diff leaves the same links");
            $(
                super::$other::replace_bulk(&db, &other_statements, &sets, 0).unwrap();
                super::$other::replace_bulk(&db, &other_statements, &sets, 1).unwrap();
                assert_eq!(links(&db), left_by_generated, concat!("the ", $other_name, " bulk diff leaves the same links"));
            )?
            for side in [0, 1] {
                in_transaction!(generated, tx => for (owner, sets) in &sets {
                    q!(tx, owners::targets::replace(*owner, &sets[side])).unwrap();
                });
            }
            assert_eq!(links(&db), left_by_generated, "the loop leaves the same links");
            eprintln!("{}replace_many: first call {first:?}", $prefix);

            // One side for all: each call, whichever side makes it, swaps every set.
            let paired_side = std::cell::Cell::new(0);
            let swap = || {
                paired_side.set(1 - paired_side.get());
                paired_side.get()
            };
            super::paired::compare3(
                concat!($prefix, "replace_many/200 owners"),
                super::PAIRED,
                || {
                    q!(generated, owners::targets::replace_many(black_box(&many[swap()]))).unwrap();
                },
                || hand::replace_bulk(&db, &statements, black_box(&sets), swap()).unwrap(),
                ("replace loop", || {
                    let side = swap();
                    in_transaction!(generated, tx => for (owner, sets) in &sets {
                        q!(tx, owners::targets::replace(*owner, black_box(&sets[side]))).unwrap();
                    });
                }),
            );
            $(super::paired::compare(
                concat!($prefix, "replace_many/200 owners (", $other_name, ")"),
                super::PAIRED,
                || {
                    q!(generated, owners::targets::replace_many(black_box(&many[swap()]))).unwrap();
                },
                || super::$other::replace_bulk(&db, &other_statements, black_box(&sets), swap()).unwrap(),
            );)?
            let mut side = 0;
            let mut group = c.benchmark_group(concat!($prefix, "replace_many/200 owners"));
            group.bench_function("generated", |b| {
                b.iter(|| {
                    side = 1 - side;
                    q!(generated, owners::targets::replace_many(black_box(&many[side]))).unwrap();
                })
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| {
                    side = 1 - side;
                    hand::replace_bulk(&db, &statements, black_box(&sets), side).unwrap();
                })
            });
            $(group.bench_function($other_name, |b| {
                b.iter(|| {
                    side = 1 - side;
                    super::$other::replace_bulk(&db, &other_statements, black_box(&sets), side).unwrap();
                })
            });)?
            group.finish();
        }
    };
}

mod on_rusqlite {
    owner_target_benches!(mortise_tests::suite::sqlite, handwritten_rusqlite, "ot/");
}

mod on_postgres {
    owner_target_benches!(
        mortise_tests::suite::postgres,
        handwritten_postgres,
        "ot/pg/"
    );
}

mod on_tokio_postgres {
    owner_target_benches!(
        mortise_tests::suite::tokio_postgres,
        handwritten_tokio_postgres,
        "ot/pg_async/"
    );
}

mod on_sqlx_postgres {
    owner_target_benches!(
        mortise_tests::suite::sqlx_postgres,
        handwritten_sqlx_postgres,
        "ot/pg_sqlx/"
    );
}

/// sqlx on SQLite also against the hand-written code with a savepoint per
/// replace (the generated `replace`'s guarantee).
use handwritten_sqlx_sqlite::savepoint_each as handwritten_sqlx_sqlite_savepoint_each;

mod on_sqlx_sqlite {
    owner_target_benches!(
        mortise_tests::suite::sqlx_sqlite,
        handwritten_sqlx_sqlite,
        "ot/sqlite_sqlx/",
        handwritten_sqlx_sqlite_savepoint_each as "savepoint each"
    );
}

mod on_mariadb {
    owner_target_benches!(
        mortise_tests::suite::mariadb,
        handwritten_sqlx_mysql,
        "ot/my/",
        handwritten_mysql_async as "mysql_async"
    );
}

fn preloads(c: &mut Criterion) {
    on_rusqlite::preloads(c);
    on_postgres::preloads(c);
    on_tokio_postgres::preloads(c);
    on_sqlx_postgres::preloads(c);
    on_sqlx_sqlite::preloads(c);
    on_mariadb::preloads(c);
}

fn replace(c: &mut Criterion) {
    on_rusqlite::replace(c);
    on_postgres::replace(c);
    on_tokio_postgres::replace(c);
    on_sqlx_postgres::replace(c);
    on_sqlx_sqlite::replace(c);
    on_mariadb::replace(c);
}

fn replace_many(c: &mut Criterion) {
    on_rusqlite::replace_many(c);
    on_postgres::replace_many(c);
    on_tokio_postgres::replace_many(c);
    on_sqlx_postgres::replace_many(c);
    on_sqlx_sqlite::replace_many(c);
    on_mariadb::replace_many(c);
}

criterion_group!(benches, preloads, replace, replace_many);
criterion_main!(benches);
