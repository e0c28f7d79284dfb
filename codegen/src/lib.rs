//! mortise's generator: `schema.yaml` in, typed Rust and checked SQL out.
//!
//! ```text
//! schema.yaml --parse (spans)--> ast --validate (all errors)--> ir --sql/<dialect>--> SQL constants
//!                                                                 \--emit/<backend>--> Rust, formatted
//! ```
//!
//! Use it from `build.rs` with [`Config`] (or [`compile`]), from tests and
//! tools with the pure [`generate`], and from a shell with the `mortise`
//! binary (`check`, `generate`, `sql`, `diagram`).

#[cfg(feature = "database")]
mod database;
pub mod diagnostics;
mod diagram;
mod emit;
pub mod ir;
pub mod names;
mod parse;
#[cfg(feature = "database")]
mod pull;
mod queries;
pub mod sql;
mod validate;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[cfg(feature = "database")]
pub use database::check_database;
pub use diagnostics::{Diagnostic, Errors, Span};
pub use emit::Backend;
#[cfg(feature = "database")]
pub use pull::pull;
use sql::Dialect;

/// Reads and checks a schema and the query files it names (read relative
/// to the directory of `file_name`, for every backend's dialect): its IR,
/// or every problem found.
///
/// `file_name` names the file in error messages.
pub fn check(schema_text: &str, file_name: &str) -> Result<ir::Schema, Errors> {
    check_in(dir_of(file_name), schema_text, file_name, &Dialect::ALL)
}

/// The directory a schema's query files are relative to.
fn dir_of(file_name: &str) -> &Path {
    Path::new(file_name).parent().unwrap_or(Path::new(""))
}

/// One line ending from here on: YAML reads a lone CR as a line break, and
/// so must everything that maps a location back to its line.
fn normalize_lines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// The schema alone: parsed and validated.
fn check_schema(schema_text: &str, file_name: &str) -> Result<ir::Schema, Errors> {
    let schema_text = normalize_lines(schema_text);
    let fail = |diagnostics: diagnostics::Diagnostics| Errors {
        file_name: file_name.to_owned(),
        source: schema_text.clone().into_owned(),
        diagnostics: diagnostics.into_sorted(),
        others: Vec::new(),
    };
    let mut diags = diagnostics::Diagnostics::default();
    let root = match parse::yaml::parse(&schema_text) {
        Ok(root) => root,
        Err(d) => {
            diags.push(d);
            return Err(fail(diags));
        }
    };
    let ast = parse::ast::read(&root, &schema_text, &mut diags);
    match validate::validate(&ast, &mut diags) {
        Some(ir) if diags.is_empty() => Ok(ir),
        _ => Err(fail(diags)),
    }
}

/// The schema, then its query files (relative to `dir`) checked for
/// `dialects`.
fn check_in(
    dir: &Path,
    schema_text: &str,
    file_name: &str,
    dialects: &[Dialect],
) -> Result<ir::Schema, Errors> {
    let mut ir = check_schema(schema_text, file_name)?;
    if dialects.contains(&Dialect::Mysql) {
        let mut problems = diagnostics::Diagnostics::default();
        validate::mysql_index_lengths(&ir)
            .into_iter()
            .for_each(|d| problems.push(d));
        if !problems.is_empty() {
            return Err(Errors {
                file_name: file_name.to_owned(),
                source: normalize_lines(schema_text).into_owned(),
                diagnostics: problems.into_sorted(),
                others: Vec::new(),
            });
        }
    }
    if ir.query_files.is_empty() {
        return Ok(ir);
    }
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    for file in &ir.query_files {
        let path = dir.join(&file.path);
        let problem = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    sources.push(queries::QuerySource {
                        path: file.path.clone(),
                        shown: Path::new(file_name)
                            .parent()
                            .unwrap_or(Path::new(""))
                            .join(&file.path)
                            .display()
                            .to_string(),
                        text: normalize_lines(&text).into_owned(),
                    });
                    continue;
                }
                Err(_) => "it is not UTF-8 text".to_owned(),
            },
            Err(e) => e.to_string(),
        };
        unreadable.push(
            Diagnostic::error(
                file.span,
                format!("cannot read query file {:?}: {problem}", file.path),
            )
            .with_label("this file")
            .with_help(format!(
                "query files are relative to the schema's directory ({})",
                path.display()
            )),
        );
    }
    if !unreadable.is_empty() {
        return Err(Errors {
            file_name: file_name.to_owned(),
            source: normalize_lines(schema_text).into_owned(),
            diagnostics: unreadable,
            others: Vec::new(),
        });
    }
    match queries::check(&ir, &sources, dialects) {
        Ok(found) => {
            ir.queries = found;
            Ok(ir)
        }
        Err(problems) => Err(Errors {
            file_name: file_name.to_owned(),
            source: normalize_lines(schema_text).into_owned(),
            diagnostics: Vec::new(),
            others: sources
                .into_iter()
                .zip(problems)
                .filter(|(_, p)| !p.is_empty())
                .map(|(source, problems)| {
                    let mut sorted = diagnostics::Diagnostics::default();
                    problems.into_iter().for_each(|d| sorted.push(d));
                    Errors {
                        file_name: source.shown,
                        source: source.text,
                        diagnostics: sorted.into_sorted(),
                        others: Vec::new(),
                    }
                })
                .collect(),
        }),
    }
}

/// The schema as a Mermaid `erDiagram` (tables, keys, and the
/// relationships its foreign keys and join tables make), once it checks.
pub fn diagram(schema_text: &str, file_name: &str) -> Result<String, Errors> {
    check(schema_text, file_name).map(|ir| diagram::diagram(&ir))
}

/// The generated Rust for a schema, for `backend` (query files, if the
/// schema names any, are read relative to the current directory).
pub fn generate(schema_text: &str, backend: Backend) -> Result<String, Errors> {
    generate_named(schema_text, "schema.yaml", backend)
}

/// [`generate`], naming the schema file in messages and the generated docs;
/// its query files are read relative to that file's directory.
pub fn generate_named(
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<String, Errors> {
    generate_in(dir_of(file_name), schema_text, file_name, backend)
}

/// [`generate_named`], reading the query files relative to `dir`.
pub fn generate_in(
    dir: &Path,
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<String, Errors> {
    let ir = check_in(dir, schema_text, file_name, &[backend.dialect()])?;
    emit::emit(&ir, backend, file_name).map_err(|e| Errors::plain(file_name, e))
}

/// [`generate_named`], writing the Rust to `out` as it is made instead of
/// returning it, so that memory holds a few tables' code at a time, not the
/// whole file (hundreds of megabytes for thousands of tables). A schema
/// error writes nothing; after an internal error or a failed write, `out`
/// may hold part of the file.
pub fn generate_to(
    schema_text: &str,
    file_name: &str,
    backend: Backend,
    out: &mut dyn Write,
) -> Result<(), Errors> {
    let ir = check_in(
        dir_of(file_name),
        schema_text,
        file_name,
        &[backend.dialect()],
    )?;
    let cannot_write = |e: std::io::Error| format!("cannot write the output: {e}");
    emit::emit_to(&ir, backend, file_name, &mut |text| {
        out.write_all(text.as_bytes()).map_err(cannot_write)
    })
    .and_then(|()| out.flush().map_err(cannot_write))
    .map_err(|e| Errors::plain(file_name, e))
}

/// Every SQL statement the generated code can run for this schema, named as
/// its constant is (`movies::INSERT_SQL`, `movies::actors::SELECT_SQL`,
/// `queries::RECENT_MOVIES_SQL`), then the DDL (`CREATE_SQL`, one entry
/// per statement).
pub fn statements(
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<Vec<(String, String)>, Errors> {
    statements_in(dir_of(file_name), schema_text, file_name, backend)
}

/// [`statements`], reading the query files relative to `dir`.
pub fn statements_in(
    dir: &Path,
    schema_text: &str,
    file_name: &str,
    backend: Backend,
) -> Result<Vec<(String, String)>, Errors> {
    dialect_statements_in(dir, schema_text, file_name, backend.dialect())
}

/// [`statements_in`] for a SQL dialect rather than a backend: MariaDB's
/// ([`Dialect::Mysql`]) has its statements, checked against the server,
/// before it has a backend.
pub fn dialect_statements_in(
    dir: &Path,
    schema_text: &str,
    file_name: &str,
    dialect: Dialect,
) -> Result<Vec<(String, String)>, Errors> {
    let ir = check_in(dir, schema_text, file_name, &[dialect])?;
    let mut out = Vec::new();
    for (id, table) in ir.entities() {
        let module = table.module.unraw();
        for (name, sql) in sql::table_statements(dialect, &ir, id).named() {
            out.push((format!("{module}::{name}"), sql.to_owned()));
        }
        for assoc in &table.associations {
            let statements = sql::association_statements(dialect, &ir, id, assoc);
            let writes = sql::write_statements(dialect, &ir, id, assoc);
            for (name, sql) in statements.named().into_iter().chain(writes.named()) {
                out.push((
                    format!("{module}::{}::{name}", assoc.module.unraw()),
                    sql.to_owned(),
                ));
            }
        }
    }
    for query in &ir.queries {
        let name = query.name.unraw().to_uppercase();
        let read_back = sql::read_back_sql(dialect, &ir, query);
        if let Some((lock, _)) = &read_back {
            out.push((format!("queries::{name}_LOCK_SQL"), lock.clone()));
        }
        out.push((
            format!("queries::{name}_SQL"),
            sql::query_sql(dialect, &ir, query),
        ));
        if let Some((_, read)) = read_back {
            out.push((format!("queries::{name}_READ_SQL"), read));
        }
    }
    for sql in sql::create_statements(dialect, &ir) {
        out.push(("CREATE_SQL".to_owned(), sql));
    }
    for (_, sql) in &mut out {
        *sql = sql::finished(sql);
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
/// mortise_build::Config::new()
///     .backend(mortise_build::Backend::Rusqlite)
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

    /// The generated Rust for `schema_text` with these settings; `file_name`
    /// names the schema in messages, and its query files are read relative
    /// to that file's directory.
    pub fn generate(&self, schema_text: &str, file_name: &str) -> Result<String, Errors> {
        let ir = check_in(
            dir_of(file_name),
            schema_text,
            file_name,
            &[self.backend.dialect()],
        )?;
        self.emit(ir, file_name)
    }

    fn emit(&self, ir: ir::Schema, file_name: &str) -> Result<String, Errors> {
        let ir = self.configured(ir, file_name)?;
        emit::emit(&ir, self.backend, file_name).map_err(|e| Errors::plain(file_name, e))
    }

    /// `ir` with this configuration's derives and attributes added.
    fn configured(&self, mut ir: ir::Schema, file_name: &str) -> Result<ir::Schema, Errors> {
        validate::derives::add_config(&mut ir, &self.derives, &self.attributes).map_err(
            |problems| Errors {
                file_name: file_name.to_owned(),
                source: String::new(),
                diagnostics: problems
                    .into_iter()
                    .map(|p| Diagnostic::error(Span::NOWHERE, p.message).with_help(p.help))
                    .collect(),
                others: Vec::new(),
            },
        )?;
        Ok(ir)
    }

    /// Reads `schema` (and its query files), generates, and writes the
    /// output file (only when its content changed, so an unchanged schema
    /// rebuilds nothing).
    pub fn compile(&self, schema: impl AsRef<Path>) -> Result<(), Errors> {
        let schema = schema.as_ref();
        let shown = schema.display().to_string();
        if self.rerun_if_changed {
            println!("cargo:rerun-if-changed={shown}");
        }
        let text = read_schema(schema, &shown)?;
        let dir = schema.parent().unwrap_or(Path::new(""));
        let ir = check_in(dir, &text, &shown, &[self.backend.dialect()]);
        if self.rerun_if_changed
            && let Ok(ir) = &ir
        {
            for file in &ir.query_files {
                println!("cargo:rerun-if-changed={}", dir.join(&file.path).display());
            }
        }
        let ir = self.configured(ir?, &shown)?;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Errors::plain(&shown, "OUT_DIR is not set: call compile from a build script, or set Config::out_dir")
            })?,
        };
        let path = out_dir.join(&self.file_name);
        // Streamed into the file: a large schema's code never sits whole in memory.
        write_if_changed(&path, |out| {
            emit::emit_to(&ir, self.backend, &shown, &mut |text| {
                out.write_all(text.as_bytes())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
            })
        })
        .map_err(|e| Errors::plain(&shown, e))
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
            others: Vec::new(),
        }
    })
}

/// Writes what `write` makes (a piece at a time) to `path`, unless `path`
/// holds exactly that already, so that an unchanged schema rebuilds
/// nothing. It goes to a `.partial` file first, renamed over `path` once
/// whole, so a failed write never leaves half a file behind.
fn write_if_changed(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(cannot)?;
    }
    let partial = path.with_extension("rs.partial");
    let written = std::fs::File::create(&partial)
        .map_err(cannot)
        .and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            out.flush().map_err(cannot)
        })
        .and_then(|()| {
            if same_contents(&partial, path) {
                std::fs::remove_file(&partial).map_err(cannot)
            } else {
                std::fs::rename(&partial, path).map_err(cannot)
            }
        });
    if written.is_err() {
        // Best effort: the error about to be reported matters more.
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Whether the files `a` and `b` hold the same bytes (not when either
/// cannot be read), read a block at a time.
fn same_contents(a: &Path, b: &Path) -> bool {
    let len = |path: &Path| std::fs::metadata(path).map(|m| m.len()).ok();
    let Some(mut left) = len(a).filter(|n| Some(*n) == len(b)) else {
        return false;
    };
    let (Ok(mut a), Ok(mut b)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    const BLOCK: usize = 1 << 16;
    let (mut x, mut y) = (vec![0; BLOCK], vec![0; BLOCK]);
    while left > 0 {
        let n = usize::try_from(left).map_or(BLOCK, |left| left.min(BLOCK));
        if a.read_exact(&mut x[..n]).is_err()
            || b.read_exact(&mut y[..n]).is_err()
            || x[..n] != y[..n]
        {
            return false;
        }
        left -= n as u64;
    }
    true
}
