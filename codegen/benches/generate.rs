//! How long `generate` takes on a large schema: `cargo bench -p mortise-build --bench generate`.
//!
//! The schema is synthetic: `n` tables of a few fields of various types, each
//! table but the first belonging to an earlier one (which has many of it back),
//! and every 10th table linked to its predecessor by a many-to-many.

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use mortise_build::Backend;

/// A valid schema of `n` tables, as text.
fn schema(n: usize) -> String {
    let mut out = String::from("version: 1\ntables:\n");
    for i in 0..n {
        writeln!(out, "  t{i}:").unwrap();
        out.push_str(
            "    fields:\n      name: string\n      score: int?\n      price: { type: decimal, default: \"0\" }\n      active: { type: boolean, default: true }\n      seen: datetime?\n      data: json?\n",
        );
        // Halving gives every parent two children and keeps the tree shallow,
        // like real schemas, while still spreading keys over every table.
        let mut associations = String::new();
        if i > 0 {
            writeln!(
                associations,
                "      parent: {{ belongs_to: t{}, on_delete: cascade }}",
                i / 2
            )
            .unwrap();
        }
        for child in [2 * i, 2 * i + 1] {
            if child > 0 && child < n {
                writeln!(
                    associations,
                    "      kids{child}: {{ has_many: t{child}, foreign_key: parent_id, preload_order: [name asc] }}"
                )
                .unwrap();
            }
        }
        if i % 10 == 9 {
            writeln!(
                associations,
                "      tagged: {{ many_to_many: t{}, join_through: t{i}_tags, unique: true }}",
                i - 1
            )
            .unwrap();
        }
        if !associations.is_empty() {
            out.push_str("    associations:\n");
            out.push_str(&associations);
        }
    }
    out
}

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    // Seconds per run at 1000 tables: ten samples of equal size (flat, not
    // criterion's growing ones) keep the whole bench near a minute.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(3));
    for (tables, seconds) in [(100, 5), (1000, 35)] {
        let text = schema(tables);
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
