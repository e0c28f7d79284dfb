//! Generates every valid golden case of the generator (`codegen/tests/generate/*/schema.yaml`)
//! into a module of this crate, for each backend, so that each one is compiled under
//! `deny(warnings)` and can be run against a real database:
//!
//! - rusqlite: `mortise_tests::<case>` (the reference schema is the `generated` crate);
//! - postgres: `mortise_tests::pg::<case>`, plus `pg::reference` from `../schema.yaml`;
//! - tokio-postgres: `mortise_tests::pg_async::<case>`, plus `pg_async::reference`;
//! - sqlx-postgres: `mortise_tests::pg_sqlx::<case>`, plus `pg_sqlx::reference`;
//! - sqlx-mysql (MariaDB): `mortise_tests::maria::<case>`, plus `maria::reference`;
//! - sqlx-sqlite: `mortise_tests::sqlite_sqlx::<case>`, plus `sqlite_sqlx::reference`;
//!
//! and the schemas `mortise pull` wrote from Chinook (`data/pulled/`), each
//! for its own database: `pulled_chinook_sqlite` (rusqlite) and
//! `pulled_chinook_pg` (postgres); and the one pulled from an odd SQLite
//! database and a PostgreSQL one of the tests' own (`pulled_odd_sqlite`,
//! `pulled_odd_pg`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use mortise_build::Backend;

fn main() {
    let cases_dir = Path::new("../codegen/tests/generate");
    println!("cargo:rerun-if-changed={}", cases_dir.display());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(cases_dir)
        .expect("the generator's golden cases")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("schema.yaml").is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path.join("schema.yaml"),
            )
        })
        .collect();
    cases.sort();
    let reference = ("reference".to_owned(), PathBuf::from("../schema.yaml"));

    let mut modules = String::new();
    for (name, schema) in &cases {
        modules += &module(Backend::Rusqlite, "", name, schema);
    }
    for (backend, prefix) in [
        (Backend::Postgres, "pg"),
        (Backend::TokioPostgres, "pg_async"),
        (Backend::SqlxPostgres, "pg_sqlx"),
        (Backend::SqlxMysql, "maria"),
        (Backend::SqlxSqlite, "sqlite_sqlx"),
    ] {
        let mut inner = String::new();
        for (name, schema) in cases.iter().chain([&reference]) {
            inner += &module(backend, prefix, name, schema);
        }
        writeln!(
            modules,
            "/// Generated for the {} backend.\npub mod {prefix} {{\n{inner}}}",
            backend.name()
        )
        .unwrap();
    }
    let pulled = Path::new("data/pulled");
    println!("cargo:rerun-if-changed={}", pulled.display());
    modules += &module(
        Backend::Rusqlite,
        "",
        "pulled_chinook_sqlite",
        &pulled.join("chinook_sqlite.yaml"),
    );
    modules += &module(
        Backend::Rusqlite,
        "",
        "pulled_odd_sqlite",
        &pulled.join("odd_sqlite.yaml"),
    );
    modules += &module(
        Backend::Postgres,
        "pg",
        "pulled_chinook_pg",
        &pulled.join("chinook_pg.yaml"),
    );
    modules += &module(
        Backend::Postgres,
        "pg",
        "pulled_odd_pg",
        &pulled.join("odd_pg.yaml"),
    );
    std::fs::write(out_dir.join("cases.rs"), modules).expect("write cases.rs");
}

/// Generates `schema` for `backend` and returns the module that includes it.
fn module(backend: Backend, prefix: &str, name: &str, schema: &Path) -> String {
    let file = if prefix.is_empty() {
        format!("{name}.rs")
    } else {
        format!("{prefix}_{name}.rs")
    };
    mortise_build::Config::new()
        .backend(backend)
        .out_file_name(&file)
        .compile(schema)
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
    format!(
        "/// Generated from `{}` for {}.\npub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n}}\n",
        schema.display(),
        backend.name()
    )
}
