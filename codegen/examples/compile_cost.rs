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
//!
//! Seconds are noisy on a shared machine (builds of the same code here
//! vary by a third). `--instructions` counts instead what rustc executes
//! to compile the crate, under valgrind's callgrind (`RUSTC_WRAPPER`, Unix; one
//! build of each, about 50 times slower): the same on every run, so a
//! change to the generated code shows as its own figure.

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
    let mut measure = Measure::Seconds;
    let mut sizes = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--instructions" {
            measure = Measure::Instructions;
            continue;
        }
        sizes.push(arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: compile_cost [--instructions] [ASSOCIATIONS]...");
            std::process::exit(2)
        }));
    }
    if sizes.is_empty() {
        sizes = vec![10, 100, 500];
    }
    let dir = std::env::temp_dir().join("mortise-compile-cost");
    std::fs::create_dir_all(dir.join("src")).expect("create the crate's directory");
    std::fs::write(dir.join("Cargo.toml"), MANIFEST).expect("write Cargo.toml");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock")).expect("copy the workspace's Cargo.lock");

    eprintln!("building the dependencies once, in {}", dir.display());
    write_lib(&dir, None);
    build(&dir, Measure::Seconds);
    let empty = measure.of(&dir);
    println!("crate without generated code: {}", measure.show(empty));
    println!();
    println!(
        "| associations | tables | lines of Rust | build | added | added per 100 associations | per 100 more than the row above |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut previous: Option<(usize, f64)> = None;
    for wanted in sizes {
        let (tables, schema) = schema_with(wanted);
        let associations = associations(&schema);
        let code = mortise_build::generate(&schema, Backend::Rusqlite)
            .unwrap_or_else(|e| panic!("the synthetic schema is refused:\n{e}"));
        write_lib(&dir, Some(&code));
        let built = measure.of(&dir);
        let added = (built - empty).max(0.0);
        // The slope: what each further association costs, without the
        // code every schema has once (`mortise_support`, `create_all`).
        let marginal = match previous {
            Some((count, before)) if associations > count => {
                measure.show((built - before) * 100.0 / (associations - count) as f64)
            }
            _ => String::new(),
        };
        println!(
            "| {associations} | {tables} | {} | {} | {} | {} | {marginal} |",
            code.lines().count(),
            measure.show(built),
            measure.show(added),
            measure.show(added * 100.0 / associations as f64)
        );
        previous = Some((associations, built));
    }
}

/// What a build of the crate is measured in.
#[derive(Clone, Copy, PartialEq)]
enum Measure {
    /// Wall-clock seconds, the median of `RUNS` builds.
    Seconds,
    /// Millions of instructions rustc executes, counted by callgrind.
    Instructions,
}

impl Measure {
    /// `value` with its unit: seconds to the hundredth, instructions in millions.
    fn show(self, value: f64) -> String {
        match self {
            Measure::Seconds => format!("{value:.2} s"),
            Measure::Instructions => format!("{value:.0} M instructions"),
        }
    }

    /// The crate's own code built (each run first changes its `lib.rs`'s
    /// modification time), measured.
    fn of(self, dir: &Path) -> f64 {
        let runs = if self == Measure::Seconds { RUNS } else { 1 };
        let mut values: Vec<f64> = (0..runs)
            .map(|_| {
                let lib = dir.join("src/lib.rs");
                let text = std::fs::read(&lib).expect("read lib.rs");
                std::fs::write(&lib, text).expect("touch lib.rs");
                build(dir, self)
            })
            .collect();
        values.sort_by(f64::total_cmp);
        values[runs / 2]
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

/// One `cargo build` of the crate: how long it took, or the instructions
/// of the compilers it ran (under callgrind, whose log files say so).
fn build(dir: &Path, measure: Measure) -> f64 {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let logs = dir.join("callgrind");
    let mut command = Command::new(cargo);
    command
        .args(["build", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_INCREMENTAL", "0");
    if measure == Measure::Instructions {
        let _ = std::fs::remove_dir_all(&logs);
        std::fs::create_dir_all(&logs).expect("create the callgrind log directory");
        // Valgrind takes a tool's options on its command line only.
        let wrapper = dir.join("callgrind-rustc.sh");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file={}/%p.log \"$@\"\n",
                logs.display()
            ),
        )
        .expect("write the rustc wrapper");
        make_executable(&wrapper);
        command.env("RUSTC_WRAPPER", &wrapper);
    }
    let start = Instant::now();
    let status = command.status().expect("run cargo");
    let took = start.elapsed();
    assert!(status.success(), "cargo build failed in {}", dir.display());
    match measure {
        Measure::Seconds => secs(took),
        Measure::Instructions => instructions(&logs) as f64 / 1e6,
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .expect("make the rustc wrapper executable");
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {
    panic!("--instructions runs rustc under valgrind, which needs a Unix");
}

/// The instructions callgrind counted in every process it logged in `logs`
/// (cargo asks the compiler its version through the wrapper too).
fn instructions(logs: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(logs).expect("read the callgrind logs") {
        let log = std::fs::read_to_string(entry.expect("a log").path()).expect("read a log");
        total += log
            .lines()
            .filter_map(|line| line.split("Collected : ").nth(1))
            .filter_map(|n| n.trim().parse::<u64>().ok())
            .sum::<u64>();
    }
    assert!(
        total > 0,
        "callgrind counted nothing: is valgrind installed?"
    );
    total
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
