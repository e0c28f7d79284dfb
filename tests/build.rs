//! Generates every valid golden case of the generator (`codegen/tests/generate/*/schema.yaml`)
//! into a module of this crate, so that each one is compiled under `deny(warnings)` and can be
//! run against a real database.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let cases_dir = Path::new("../codegen/tests/generate");
    println!("cargo:rerun-if-changed={}", cases_dir.display());
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut cases: Vec<_> = std::fs::read_dir(cases_dir)
        .expect("the generator's golden cases")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("schema.yaml").is_file())
        .collect();
    cases.sort();
    let mut modules = String::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let file = format!("{name}.rs");
        codegen::Config::new()
            .out_file_name(&file)
            .compile(case.join("schema.yaml"))
            .unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(1)
            });
        writeln!(
            modules,
            "/// Generated from `codegen/tests/generate/{name}/schema.yaml`.\npub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n}}"
        )
        .unwrap();
    }
    std::fs::write(Path::new(&out_dir).join("cases.rs"), modules).expect("write cases.rs");
}
