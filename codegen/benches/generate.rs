//! How long `generate` takes on a large schema: `nice -n 19 cargo bench -p mortise-build --bench generate`
//! (100 and 1,000 tables).
//!
//! The schema is synthetic, made by `examples/synthetic_schema.rs`: `n`
//! tables of a few fields of various types, each table but the first
//! belonging to an earlier one (which has many of it back), and every 10th
//! table linked to its predecessor by a many-to-many.
//!
//! Peak memory, at 5,000 tables, of the `mortise generate` command (which
//! streams its output; `/usr/bin/time -v` reports it as "Maximum resident
//! set size"):
//!
//! ```sh
//! cargo build --release -p mortise-build --bin mortise --example synthetic_schema
//! target/release/examples/synthetic_schema 5000 > /tmp/5000.yaml
//! /usr/bin/time -v target/release/mortise generate /tmp/5000.yaml > /dev/null
//! ```
//!
//! Instruction counts, repeatable even on a busy machine:
//! `valgrind --tool=callgrind target/release/mortise generate /tmp/100.yaml > /dev/null`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use mortise_build::Backend;

#[path = "../examples/synthetic_schema.rs"]
mod synthetic;

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    // Seconds per run at 1000 tables: ten samples of equal size (flat, not
    // criterion's growing ones) keep the whole bench near a minute.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(3));
    for (tables, seconds) in [(100, 5), (1000, 15)] {
        let text = synthetic::schema(tables);
        // Measure the real thing: a schema that validates and generates.
        let code = mortise_build::generate(&text, Backend::Rusqlite)
            .unwrap_or_else(|e| panic!("the {tables}-table schema is refused:\n{e}"));
        eprintln!(
            "{tables} tables: {} lines of schema, {} lines of Rust",
            text.lines().count(),
            code.lines().count()
        );
        group.measurement_time(Duration::from_secs(seconds));
        group.bench_with_input(BenchmarkId::new("tables", tables), &text, |b, text| {
            b.iter(|| mortise_build::generate(black_box(text), Backend::Rusqlite));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
