//! Golden cases, one folder each:
//!
//! - `tests/generate/<case>/schema.yaml`: a valid schema. Its generated Rust is
//!   snapshotted beside it (`generated.snap`), so is its Mermaid diagram
//!   (`diagram.snap`), and every SQL statement it can
//!   run parses with sqlparser's SQLite dialect. The `tests` crate of the
//!   workspace also compiles every one of these under `deny(warnings)`.
//! - `tests/errors/<case>/schema.yaml`: a bad schema. Its rendered errors are
//!   snapshotted beside it (`errors.snap`).
//!
//! To accept new output: `INSTA_UPDATE=always cargo test -p mortise-build --test cases`,
//! then read the diff of the `.snap` files before committing.

use std::path::{Path, PathBuf};

use mortise_build::Backend;
use mortise_build::sql::Dialect;
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

fn cases(kind: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(kind);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("schema.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases under {}", root.display());
    dirs
}

/// Runs `check` on every case, then fails listing every case that failed.
fn each_case(kind: &str, check: impl Fn(&Path, &str, &str)) {
    let mut failed = Vec::new();
    for dir in cases(kind) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&dir, &name, &text)));
        if outcome.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "failing {kind} cases: {failed:?}");
}

fn snapshot(dir: &Path, name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(dir.join("schema.yaml"));
    settings.bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn valid_schemas_generate_the_expected_rust() {
    each_case("generate", |dir, case, text| {
        let code = mortise_build::generate_in(dir, text, "schema.yaml", Backend::Rusqlite)
            .unwrap_or_else(|e| panic!("case {case} should be valid:\n{e}"));
        snapshot(dir, "generated", &code);
    });
}

#[test]
fn valid_schemas_draw_the_expected_diagram() {
    each_case("generate", |dir, case, text| {
        let file = dir.join("schema.yaml");
        let diagram = mortise_build::diagram(text, &file.to_string_lossy())
            .unwrap_or_else(|e| panic!("case {case} should be valid:\n{e}"));
        snapshot(dir, "diagram", &diagram);
    });
}

#[test]
fn the_readme_shows_the_reference_schemas_diagram() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema = root.join("schema.yaml");
    let text = std::fs::read_to_string(&schema).unwrap();
    let diagram = mortise_build::diagram(&text, &schema.to_string_lossy()).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```mermaid\n{diagram}```")),
        "README.md's mermaid block differs from `mortise diagram schema.yaml`:\n{diagram}"
    );
}

#[test]
fn every_statement_parses_as_sqlite() {
    // rusqlite's statements (keys in `rarray`) and sqlx's (keys in `json_each`).
    for backend in [Backend::Rusqlite, Backend::SqlxSqlite] {
        each_case("generate", |dir, case, text| {
            let statements = mortise_build::statements_in(dir, text, "schema.yaml", backend)
                .unwrap_or_else(|e| panic!("case {case} should be valid:\n{e}"));
            assert!(!statements.is_empty());
            for (name, sql) in statements {
                if let Err(e) = Parser::parse_sql(&SQLiteDialect {}, &sql) {
                    panic!(
                        "case {case}: {name} ({}) does not parse as SQLite: {e}\n{sql}",
                        backend.name()
                    );
                }
            }
        });
    }
}

#[test]
fn every_statement_parses_as_postgres() {
    each_case("generate", |dir, case, text| {
        let statements = mortise_build::statements_in(dir, text, "schema.yaml", Backend::Postgres)
            .unwrap_or_else(|e| panic!("case {case} should be valid:\n{e}"));
        for (name, sql) in statements {
            let sql = without_do_blocks(&sql);
            if let Err(e) = Parser::parse_sql(&PostgreSqlDialect {}, &sql) {
                panic!("case {case}: {name} does not parse as PostgreSQL: {e}\n{sql}");
            }
        }
    });
}

#[test]
fn every_statement_parses_as_mysql() {
    each_case("generate", |dir, case, text| {
        let statements =
            mortise_build::dialect_statements_in(dir, text, "schema.yaml", Dialect::Mysql)
                .unwrap_or_else(|e| panic!("case {case} should be valid:\n{e}"));
        for (name, sql) in statements {
            // sqlparser knows no compound statement (`BEGIN NOT ATOMIC`):
            // each statement in one that reads or writes a table instead.
            let inner = mortise_build::sql::block_statements(&sql).unwrap_or_else(|| vec![sql]);
            for sql in inner {
                let sql = without_mariadb_syntax(&sql);
                if let Err(e) = Parser::parse_sql(&MySqlDialect {}, &sql) {
                    panic!("case {case}: {name} does not parse as MySQL: {e}\n{sql}");
                }
            }
        }
    });
}

/// Forms of MariaDB's that sqlparser 0.63 does not know, as forms it does
/// (the server itself runs every statement in the `tests` crate's
/// `mariadb_statements`): `FOREIGN KEY IF NOT EXISTS`, a collation in a
/// `JSON_TABLE` column, and `CHAR(n USING charset)`.
fn without_mariadb_syntax(sql: &str) -> String {
    let mut out = sql
        .replace("FOREIGN KEY IF NOT EXISTS", "FOREIGN KEY")
        .replace(" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH", " PATH");
    while let Some(start) = out.find(" USING utf8mb4)") {
        out.replace_range(start..start + " USING utf8mb4".len(), "");
    }
    out
}

/// sqlparser has no `DO` block: the statement inside each of the DDL's
/// (`CREATE TYPE ... AS ENUM`) is parsed instead.
fn without_do_blocks(sql: &str) -> String {
    const END: &str = "; EXCEPTION WHEN duplicate_object THEN NULL; END $mortise$";
    let mut out = String::new();
    let mut rest = sql;
    while let Some(start) = rest.find("DO $mortise$ BEGIN ") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + "DO $mortise$ BEGIN ".len()..];
        let end = inner
            .find(END)
            .expect("a DO block ends as mortise writes it");
        out.push_str(&inner[..end]);
        rest = &inner[end + END.len()..];
    }
    out + rest
}

#[test]
fn postgres_backends_generate_the_expected_rust() {
    // One snapshot per driver, of the case that has every association kind.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generate/chinook");
    let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
    for (backend, name) in [
        (Backend::Postgres, "postgres"),
        (Backend::TokioPostgres, "tokio_postgres"),
    ] {
        let code = mortise_build::generate(&text, backend).unwrap_or_else(|e| panic!("{e}"));
        snapshot(&dir, name, &code);
    }
    // And of the case of the types whose PostgreSQL column and driver type
    // differ most, of the case of every type's literal, of enums, and of
    // arrays, SQL types, custom Rust types, embeds, queries of the user's
    // own, and writes through associations (a has_one's owner lock).
    for case in [
        "association_writes",
        "real_types",
        "defaults",
        "enums",
        "arrays",
        "sql_types",
        "custom_types",
        "embeds",
        "movie_queries",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/generate")
            .join(case);
        let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
        let code = mortise_build::generate_in(&dir, &text, "schema.yaml", Backend::Postgres)
            .unwrap_or_else(|e| panic!("{e}"));
        snapshot(&dir, "postgres", &code);
    }
}

#[test]
fn sqlx_postgres_generates_the_expected_rust() {
    // The reference-like cases (every association kind, writes through
    // associations, a join table with a schema of its own, composite keys),
    // and those where sqlx needs conversions of mortise's: enums, fixed-length
    // and extension text (`bpchar`, `unknown`), embeds.
    for case in [
        "chinook",
        "association_writes",
        "join_schema",
        "composite",
        "enums",
        "real_types",
        "sql_types",
        "embeds",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/generate")
            .join(case);
        let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
        let code = mortise_build::generate_in(&dir, &text, "schema.yaml", Backend::SqlxPostgres)
            .unwrap_or_else(|e| panic!("{e}"));
        snapshot(&dir, "sqlx_postgres", &code);
    }
}

#[test]
fn sqlx_mysql_generates_the_expected_rust() {
    // MariaDB: Chinook as upstream's MySQL script makes it, writes through
    // associations (statements that bind a parameter twice), a join table
    // with a schema of its own, composite keys (JSON arrays of arrays),
    // enums (`ENUM` columns), arrays and embeds (JSON columns), and
    // columns of their own SQL types (`sql_type:`'s `mysql:`), and queries
    // of the user's own (`UPDATE … RETURNING` as three statements).
    for case in [
        "chinook_mysql",
        "association_writes",
        "join_schema",
        "composite",
        "enums",
        "arrays",
        "embeds",
        "sql_types",
        "movie_queries",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/generate")
            .join(case);
        let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
        let code = mortise_build::generate_in(&dir, &text, "schema.yaml", Backend::SqlxMysql)
            .unwrap_or_else(|e| panic!("{e}"));
        snapshot(&dir, "sqlx_mysql", &code);
    }
}

#[test]
fn sqlx_sqlite_generates_the_expected_rust() {
    // SQLite through sqlx: Chinook as upstream's file holds it, writes
    // through associations, a join table with a schema of its own, composite
    // keys (JSON arrays of arrays in `json_each`), the types SQLite holds in
    // several forms (`Lenient`), enums, arrays and embeds (JSON text).
    for case in [
        "chinook",
        "association_writes",
        "join_schema",
        "composite",
        "real_types",
        "enums",
        "arrays",
        "embeds",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/generate")
            .join(case);
        let text = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
        let code = mortise_build::generate_in(&dir, &text, "schema.yaml", Backend::SqlxSqlite)
            .unwrap_or_else(|e| panic!("{e}"));
        snapshot(&dir, "sqlx_sqlite", &code);
    }
}

#[test]
fn generation_is_deterministic() {
    each_case("generate", |dir, case, text| {
        let first =
            mortise_build::generate_in(dir, text, "schema.yaml", Backend::Rusqlite).unwrap();
        let second =
            mortise_build::generate_in(dir, text, "schema.yaml", Backend::Rusqlite).unwrap();
        assert_eq!(first, second, "case {case} differs between two runs");
    });
}

#[test]
fn bad_schemas_report_located_errors() {
    each_case("errors", |dir, case, text| {
        // Query files are checked for every dialect `mortise check` checks,
        // or, when the case names a backend in its file `backend`, for the
        // dialect generating for that backend checks (MySQL's).
        let file = dir.join("schema.yaml").to_string_lossy().into_owned();
        let outcome = match std::fs::read_to_string(dir.join("backend")) {
            Ok(name) => {
                let backend = Backend::from_name(name.trim())
                    .unwrap_or_else(|| panic!("case {case}: unknown backend {name:?}"));
                let checked = mortise_build::check(text, &file);
                assert!(
                    checked.is_ok(),
                    "case {case}: check refuses it: {checked:?}"
                );
                mortise_build::generate_in(dir, text, &file, backend).map(drop)
            }
            Err(_) => mortise_build::check(text, &file).map(drop),
        };
        let errors = match outcome {
            Ok(()) => panic!("case {case} should be refused"),
            Err(errors) => errors,
        };
        let rendered = errors
            .to_string()
            .replace(&format!("{}/", dir.display()), "");
        let all = errors
            .diagnostics
            .iter()
            .chain(errors.others.iter().flat_map(|e| &e.diagnostics));
        for d in all {
            assert!(
                d.span.line > 0,
                "case {case}: an error without a location: {}",
                d.message
            );
            assert!(
                d.help.is_some(),
                "case {case}: an error without a hint: {}",
                d.message
            );
        }
        snapshot(dir, "errors", &rendered);
    });
}

#[test]
fn schema_text_never_leaves_its_sql_doc_block() {
    // A fence closes only on a line of at least as many backticks as opened
    // it (CommonMark); a block of any other language would be a doctest.
    each_case("generate", |dir, case, text| {
        let code = mortise_build::generate_in(dir, text, "schema.yaml", Backend::Rusqlite).unwrap();
        let mut open: Option<usize> = None;
        for line in code.lines() {
            let Some(doc) = line.trim_start().strip_prefix("///") else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            let ticks = doc.chars().take_while(|c| *c == '`').count();
            match open {
                Some(n) if ticks >= n && doc.trim_end().len() == ticks => open = None,
                Some(_) => {}
                None if ticks >= 3 => {
                    assert_eq!(
                        &doc[ticks..],
                        "sql",
                        "case {case}: a doc block that is not SQL: {line}"
                    );
                    open = Some(ticks);
                }
                None => {}
            }
        }
        assert_eq!(open, None, "case {case}: a doc block left open");
    });
}
