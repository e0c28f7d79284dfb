//! Reads for many owners in one statement (issue 14), generated against
//! the best hand-written code in the same run, on the `owner_target`
//! database (made by `tests/data/owner_target/<backend>.sql`, not by
//! `create_all`: 1,000 owners, 200 targets, 5,500 links, a join table keyed
//! target-first with no index on its owner column). On every backend
//! (`handwritten_<backend>.rs`): rusqlite (groups `reads/…`), `postgres`
//! (`reads/pg/…`) and `tokio-postgres` (`reads/pg_async/…`):
//!
//! - `first 3/owners->targets`: `preload_first(owners, 3)` of 1,000 owners
//!   against a hand-written `row_number() OVER (PARTITION BY owner ORDER BY
//!   target) <= $2` query;
//! - `counts/owners->targets`: `counts(owners)` of 1,000 owners against a
//!   hand-written `GROUP BY` count.
//!
//! The hand-written side: each statement prepared once, the keys as one
//! array, rows grouped per owner in a `HashMap` but not sorted. The generated
//! side runs on the client a user who cares would give it (the generated
//! `Cached` on PostgreSQL, the connection on SQLite).
//!
//! Each pair first runs in turn, call by call, for a few seconds (`paired …`:
//! the median of each side and their ratio), then under criterion.
//!
//! Run: `DATABASE_URL=… cargo bench -p mortise-tests --bench reads`.

use criterion::{Criterion, criterion_group, criterion_main};

mod handwritten_postgres;
mod handwritten_rusqlite;
mod handwritten_tokio_postgres;
#[path = "../common/paired.rs"]
mod paired;

/// How long each pair also runs in turn, call by call ([`paired::compare`]).
const PAIRED: std::time::Duration = std::time::Duration::from_secs(4);

/// The benchmarks of one backend: `$backend` is its suite adapter, `$hand`
/// its hand-written side, `$prefix` the prefix of its group names.
macro_rules! reads_benches {
    ($($backend:ident)::+, $hand:ident, $prefix:literal) => {
        /// The database, made by its script; `None` when the backend's
        /// server is not configured.
        fn database(test: &str) -> Option<$($backend)::+::Db> {
            #[allow(unused_imports)]
            use $($backend)::+::*;
            let db = Db::fresh(test)?;
            db.exec(&mortise_tests::suite::script("owner_target", SCRIPTS));
            Some(db)
        }

        pub fn reads(c: &mut criterion::Criterion) {
            use std::hint::black_box;
            use $($backend)::+::*;
            use owner_target::owners;
            use super::$hand as hand;
            let Some(db) = database("bench_reads") else { return };
            let statements = hand::Statements::prepare(&db);
            let generated = generated_client!(db, owner_target);

            // The first 3 targets of each of 1,000 owners.
            let mut owners = q!(db, owners::Owner::all()).unwrap();
            let mut expected = owners.clone();
            q!(db, owners::targets::preload_first(owners.iter_mut(), 3)).unwrap();
            hand::first_targets(&db, &statements, &mut expected, 3).unwrap();
            for (got, want) in owners.iter().zip(&expected) {
                let mut want: Vec<_> = want.targets.get().unwrap().iter().map(|t| t.target_id).collect();
                want.sort_unstable();
                let got: Vec<_> = got.targets.iter().map(|t| t.target_id).collect();
                assert_eq!(got, want, "both sides load the same rows");
                assert!(got.len() <= 3);
            }
            super::paired::compare(
                concat!($prefix, "first 3/owners->targets"),
                super::PAIRED,
                || q!(generated, owners::targets::preload_first(black_box(owners.iter_mut()), 3)).unwrap(),
                || hand::first_targets(&db, &statements, black_box(&mut expected), 3).unwrap(),
            );
            let mut group = c.benchmark_group(concat!($prefix, "first 3/owners->targets"));
            group.bench_function("generated", |b| {
                b.iter(|| q!(generated, owners::targets::preload_first(black_box(owners.iter_mut()), 3)).unwrap())
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| hand::first_targets(&db, &statements, black_box(&mut expected), 3).unwrap())
            });
            group.finish();

            // How many targets each of 1,000 owners has.
            assert_eq!(
                q!(generated, owners::targets::counts(&owners)).unwrap(),
                hand::count_targets(&db, &statements, &owners).unwrap(),
                "both sides count the same"
            );
            super::paired::compare(
                concat!($prefix, "counts/owners->targets"),
                super::PAIRED,
                || {
                    black_box(q!(generated, owners::targets::counts(black_box(&owners))).unwrap());
                },
                || {
                    black_box(hand::count_targets(&db, &statements, black_box(&owners)).unwrap());
                },
            );
            let mut group = c.benchmark_group(concat!($prefix, "counts/owners->targets"));
            group.bench_function("generated", |b| {
                b.iter(|| q!(generated, owners::targets::counts(black_box(&owners))).unwrap())
            });
            group.bench_function("handwritten", |b| {
                b.iter(|| hand::count_targets(&db, &statements, black_box(&owners)).unwrap())
            });
            group.finish();
        }
    };
}

mod on_rusqlite {
    reads_benches!(mortise_tests::suite::sqlite, handwritten_rusqlite, "reads/");
}

mod on_postgres {
    reads_benches!(
        mortise_tests::suite::postgres,
        handwritten_postgres,
        "reads/pg/"
    );
}

mod on_tokio_postgres {
    reads_benches!(
        mortise_tests::suite::tokio_postgres,
        handwritten_tokio_postgres,
        "reads/pg_async/"
    );
}

fn reads(c: &mut Criterion) {
    on_rusqlite::reads(c);
    on_postgres::reads(c);
    on_tokio_postgres::reads(c);
}

criterion_group!(benches, reads);
criterion_main!(benches);
