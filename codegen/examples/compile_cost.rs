//! What the generated code costs its user's crate to compile:
//! `cargo run --release -p mortise-build --example compile_cost -- 10 100 500`
//! (numbers of associations; these by default).
//!
//! For each size it generates the synthetic schema of `synthetic_schema.rs`
//! with at least that many associations (rusqlite backend), builds a crate
//! holding the code as a user's crate does (`include!` at its root, under
//! `deny(warnings)`), and builds the same crate without it: a debug build,
//! incremental off, dependencies built once before anything is timed. It
//! prints the median of three builds of each, the seconds the generated
//! code adds per 100 associations, and the slope between sizes (what 100
//! more associations add, without the code every schema has once). The crate lives in
//! `$TMPDIR/mortise-compile-cost`, with this workspace's `Cargo.lock`, so
//! its dependencies are the versions the tests use.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mortise_build::Backend;

mod synthetic_schema;

const MANIFEST: &str = r#"[package]
name = "mortise-compile-cost"
version = "0.0.0"
edition = "2024"
publish = false

# Not a member of any workspace above it.
[workspace]

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["clock", "std"] }
rusqlite = { version = "0.39", features = ["bundled", "array", "chrono", "serde_json"] }
rust_decimal = "1"
serde_json = "1"
"#;

/// Builds of each crate, of which the median is reported.
const RUNS: usize = 3;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| {
            arg.parse().unwrap_or_else(|_| {
                eprintln!("usage: compile_cost [ASSOCIATIONS]...");
                std::process::exit(2)
            })
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 100, 500]
    } else {
        sizes
    };
    let dir = std::env::temp_dir().join("mortise-compile-cost");
    std::fs::create_dir_all(dir.join("src")).expect("create the crate's directory");
    std::fs::write(dir.join("Cargo.toml"), MANIFEST).expect("write Cargo.toml");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock")).expect("copy the workspace's Cargo.lock");

    eprintln!("building the dependencies once, in {}", dir.display());
    write_lib(&dir, None);
    build(&dir);
    let empty = median_build(&dir);
    println!("crate without generated code: {:.2} s", secs(empty));
    println!();
    println!(
        "| associations | tables | lines of Rust | build | added | added per 100 associations | per 100 more than the row above |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut previous: Option<(usize, Duration)> = None;
    for wanted in sizes {
        let (tables, schema) = schema_with(wanted);
        let associations = associations(&schema);
        let code = mortise_build::generate(&schema, Backend::Rusqlite)
            .unwrap_or_else(|e| panic!("the synthetic schema is refused:\n{e}"));
        write_lib(&dir, Some(&code));
        let built = median_build(&dir);
        let added = built.saturating_sub(empty);
        // The slope: what each further association costs, without the
        // code every schema has once (`mortise_support`, `create_all`).
        let marginal = match previous {
            Some((count, time)) if associations > count => format!(
                "{:.2} s",
                (secs(built) - secs(time)) * 100.0 / (associations - count) as f64
            ),
            _ => String::new(),
        };
        println!(
            "| {associations} | {tables} | {} | {:.2} s | {:.2} s | {:.2} s | {marginal} |",
            code.lines().count(),
            secs(built),
            secs(added),
            secs(added) * 100.0 / associations as f64
        );
        previous = Some((associations, built));
    }
}

/// The smallest synthetic schema with at least `wanted` associations, and
/// its number of tables.
fn schema_with(wanted: usize) -> (usize, String) {
    (1..)
        .map(|tables| (tables, synthetic_schema::schema(tables)))
        .find(|(_, schema)| associations(schema) >= wanted)
        .expect("schemas grow without end")
}

/// Associations the synthetic schema declares (one per line).
fn associations(schema: &str) -> usize {
    schema
        .lines()
        .filter(|line| {
            ["belongs_to:", "has_many:", "many_to_many:"]
                .iter()
                .any(|kind| line.contains(kind))
        })
        .count()
}

/// The crate's `lib.rs`: the generated code as a user includes it, or none.
fn write_lib(dir: &Path, code: Option<&str>) {
    let mut lib = String::from("#![deny(warnings)]\n");
    if let Some(code) = code {
        std::fs::write(dir.join("src/schema.rs"), code).expect("write schema.rs");
        lib.push_str("include!(\"schema.rs\");\n");
    }
    std::fs::write(dir.join("src/lib.rs"), lib).expect("write lib.rs");
}

/// The median time of `RUNS` builds of the crate (its own code only: each
/// run first changes its `lib.rs`'s modification time).
fn median_build(dir: &Path) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let lib = dir.join("src/lib.rs");
            let text = std::fs::read(&lib).expect("read lib.rs");
            std::fs::write(&lib, text).expect("touch lib.rs");
            build(dir)
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

/// One `cargo build` of the crate: how long it took.
fn build(dir: &Path) -> Duration {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let start = Instant::now();
    let status = Command::new(cargo)
        .args(["build", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .expect("run cargo");
    let took = start.elapsed();
    assert!(status.success(), "cargo build failed in {}", dir.display());
    took
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
