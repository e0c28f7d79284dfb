//! mortise's generator: `schema.yaml` in, typed Rust and checked SQL out.
//!
//! ```text
//! schema.yaml --parse (spans)--> ast --validate (all errors)--> ir --sql/<dialect>--> SQL constants
//!                                                                 \--emit/<backend>--> Rust, formatted
//! ```
//!
//! Use it from `build.rs` with [`Config`] (or [`compile`]), from tests and
//! tools with the pure [`generate`], and from a shell with the `mortise`
//! binary (`check`, `generate`, `sql`).

pub mod diagnostics;
mod emit;
pub mod ir;
pub mod names;
mod parse;
pub mod sql;
mod validate;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Errors, Span};
pub use emit::Backend;

/// Reads and checks a schema: its IR, or every problem found.
///
/// `file_name` only names the file in error messages.
pub fn check(schema_text: &str, file_name: &str) -> Result<ir::Schema, Errors> {
    // One line ending from here on: YAML reads a lone CR as a line break, and
    // so must everything that maps a location back to its line.
    let normalized;
    let schema_text = if schema_text.contains('\r') {
        normalized = schema_text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        schema_text
    };
    let fail = |diagnostics: diagnostics::Diagnostics| Errors {
        file_name: file_name.to_owned(),
        source: schema_text.to_owned(),
        diagnostics: diagnostics.into_sorted(),
    };
    let mut diags = diagnostics::Diagnostics::default();
    let root = match parse::yaml::parse(schema_text) {
        Ok(root) => root,
        Err(d) => {
            diags.push(d);
            return Err(fail(diags));
        }
    };
    let ast = parse::ast::read(&root, schema_text, &mut diags);
    match validate::validate(&ast, &mut diags) {
        Some(ir) if diags.is_empty() => Ok(ir),
        _ => Err(fail(diags)),
    }
}

/// The generated Rust for a schema, for `backend` (pure: no files, no env).
pub fn generate(schema_text: &str, backend: Backend) -> Result<String, Errors> {
    generate_named(schema_text, "schema.yaml", backend)
}

/// [`generate`], naming the schema file in messages and the generated docs.
pub fn generate_named(
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<String, Errors> {
    let ir = check(schema_text, file_name)?;
    emit::emit(&ir, backend, file_name).map_err(|e| Errors::plain(file_name, e))
}

/// Every SQL statement the generated code can run for this schema, named as
/// its constant is (`movies::INSERT_SQL`, `movies::actors::SELECT_SQL`), then
/// the DDL (`CREATE_SQL`, one entry per statement).
pub fn statements(
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<Vec<(String, String)>, Errors> {
    let ir = check(schema_text, file_name)?;
    let dialect = backend.dialect();
    let mut out = Vec::new();
    for (id, table) in ir.entities() {
        let module = table.module.unraw();
        for (name, sql) in sql::table_statements(dialect, &ir, id).named() {
            out.push((format!("{module}::{name}"), sql.to_owned()));
        }
        for assoc in &table.associations {
            let statements = sql::association_statements(dialect, &ir, id, assoc);
            for (name, sql) in statements.named() {
                out.push((
                    format!("{module}::{}::{name}", assoc.module.unraw()),
                    sql.to_owned(),
                ));
            }
        }
    }
    for sql in sql::create_statements(dialect, &ir) {
        out.push(("CREATE_SQL".to_owned(), sql));
    }
    Ok(out)
}

/// Generates `$OUT_DIR/schema.rs` from `schema` with the default settings.
pub fn compile(schema: impl AsRef<Path>) -> Result<(), Errors> {
    Config::new().compile(schema)
}

/// Settings of a generation run, for `build.rs` (prost-build style).
///
/// ```no_run
/// // in build.rs's main:
/// codegen::Config::new()
///     .backend(codegen::Backend::Rusqlite)
///     .compile("schema.yaml")
///     .unwrap_or_else(|e| { eprintln!("{e}"); std::process::exit(1) });
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    backend: Backend,
    out_dir: Option<PathBuf>,
    file_name: String,
    rerun_if_changed: bool,
    derives: Vec<String>,
    attributes: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    pub fn new() -> Self {
        Config {
            backend: Backend::default(),
            out_dir: None,
            file_name: "schema.rs".to_owned(),
            rerun_if_changed: true,
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    pub fn backend(&mut self, backend: Backend) -> &mut Self {
        self.backend = backend;
        self
    }

    /// Where to write; `$OUT_DIR` (set by cargo for build scripts) by default.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name; `schema.rs` by default.
    pub fn out_file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// Whether to print `cargo:rerun-if-changed=<schema>` (on by default).
    /// Without it, cargo reruns the build script whenever any file of the
    /// package changes.
    pub fn rerun_if_changed(&mut self, on: bool) -> &mut Self {
        self.rerun_if_changed = on;
        self
    }

    /// Derives `path` (e.g. `serde::Serialize`) on every table's row and
    /// `New...` structs, as the schema's `defaults.derive` does; added to
    /// the schema's lists (a derive in both is derived once).
    pub fn derive(&mut self, path: impl Into<String>) -> &mut Self {
        self.derives.push(path.into());
        self
    }

    /// Puts an outer attribute (e.g. `#[serde(rename_all = "camelCase")]`)
    /// on every table's row and `New...` structs, after the schema's
    /// `defaults.attributes` and the table's own.
    pub fn attribute(&mut self, attribute: impl Into<String>) -> &mut Self {
        self.attributes.push(attribute.into());
        self
    }

    /// The generated Rust for `schema_text` with these settings (pure: no
    /// files, no env); `file_name` names the schema in messages.
    pub fn generate(&self, schema_text: &str, file_name: &str) -> Result<String, Errors> {
        let mut ir = check(schema_text, file_name)?;
        validate::derives::add_config(&mut ir, &self.derives, &self.attributes).map_err(
            |problems| Errors {
                file_name: file_name.to_owned(),
                source: String::new(),
                diagnostics: problems
                    .into_iter()
                    .map(|p| Diagnostic::error(Span::NOWHERE, p.message).with_help(p.help))
                    .collect(),
            },
        )?;
        emit::emit(&ir, self.backend, file_name).map_err(|e| Errors::plain(file_name, e))
    }

    /// Reads `schema`, generates, and writes the output file (only when its
    /// content changed, so an unchanged schema rebuilds nothing).
    pub fn compile(&self, schema: impl AsRef<Path>) -> Result<(), Errors> {
        let schema = schema.as_ref();
        let shown = schema.display().to_string();
        if self.rerun_if_changed {
            println!("cargo:rerun-if-changed={shown}");
        }
        let text = read_schema(schema, &shown)?;
        let code = self.generate(&text, &shown)?;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Errors::plain(&shown, "OUT_DIR is not set: call compile from a build script, or set Config::out_dir")
            })?,
        };
        let path = out_dir.join(&self.file_name);
        write_if_changed(&path, &code)
            .map_err(|e| Errors::plain(&shown, format!("cannot write {}: {e}", path.display())))
    }
}

/// The text of the schema file at `path` (named `shown` in messages). A file
/// that is not UTF-8 is an error located at its first bad byte.
pub fn read_schema(path: &Path, shown: &str) -> Result<String, Errors> {
    let bytes = std::fs::read(path)
        .map_err(|e| Errors::plain(shown, format!("cannot read the schema: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let span = Span {
            line: u32::try_from(valid.iter().filter(|b| **b == b'\n').count() + 1)
                .unwrap_or(u32::MAX),
            column: u32::try_from(
                String::from_utf8_lossy(&valid[line_start..])
                    .chars()
                    .count()
                    + 1,
            )
            .unwrap_or(u32::MAX),
            len: 1,
        };
        Errors {
            file_name: shown.to_owned(),
            source: String::from_utf8_lossy(bytes).into_owned(),
            diagnostics: vec![
                Diagnostic::error(span, "the schema is not UTF-8 text")
                    .with_label("not UTF-8")
                    .with_help(
                        "save the file as UTF-8 (names and strings may use any Unicode character)",
                    ),
            ],
        }
    })
}

fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Write then rename, so a failed write never leaves half a file behind.
    let partial = path.with_extension("rs.partial");
    std::fs::write(&partial, content)?;
    std::fs::rename(&partial, path)
}
