//! `mortise check --database URL`: every statement the generated code can
//! run (table CRUD, association SQL, the user's queries) prepared against
//! a live database, which reports what it refuses: a column the database
//! does not have, a type it cannot compare, a table missing. Nothing is
//! executed. Built with the `database` feature (it links rusqlite and
//! postgres, which a build script does not need).

use std::path::Path;

use crate::diagnostics::{Diagnostic, Errors, Span};
use crate::sql::{self, Dialect};
use crate::{Backend, check_in, read_schema};

/// A database to check against: a SQLite file, or a PostgreSQL server.
enum Database {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

impl Database {
    /// `postgres://…` or `postgresql://…` is a server; anything else the
    /// path of an existing SQLite file (opened read-only).
    fn open(url: &str) -> Result<Database, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let client = postgres::Client::connect(url, postgres::NoTls)
                .map_err(|e| format!("cannot connect to {url}: {e}"))?;
            return Ok(Database::Postgres(Box::new(client)));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if !Path::new(path).is_file() {
            return Err(format!(
                "no SQLite database at {path} (give a file path, or a postgres:// URL)"
            ));
        }
        let db = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| format!("cannot open {path}: {e}"))?;
        rusqlite::vtab::array::load_module(&db).map_err(|e| e.to_string())?;
        // SQLite reads a double-quoted name that no column has as a string
        // (`SELECT "born"` gives the text 'born'): off, so that a missing
        // column is the error it is.
        for config in [
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_DQS_DML,
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_DQS_DDL,
        ] {
            db.set_db_config(config, false).map_err(|e| e.to_string())?;
        }
        Ok(Database::Sqlite(db))
    }

    fn backend(&self) -> Backend {
        match self {
            Database::Sqlite(_) => Backend::Rusqlite,
            Database::Postgres(_) => Backend::Postgres,
        }
    }

    /// The database's objection to `sql`, if it has one.
    fn refuses(&mut self, sql: &str) -> Option<String> {
        match self {
            Database::Sqlite(db) => db.prepare(sql).err().map(|e| e.to_string()),
            Database::Postgres(client) => {
                client.prepare(sql).err().map(|e| match e.as_db_error() {
                    Some(db) => db.message().to_owned(),
                    None => e.to_string(),
                })
            }
        }
    }
}

/// Checks the schema at `schema` and its query files, then prepares every
/// statement against the database at `url`: `Ok` when it takes them all,
/// else every statement it refuses (queries located at their name in
/// their file; the schema's own statements named by their constant).
pub fn check_database(schema: &Path, url: &str) -> Result<(), Errors> {
    let shown = schema.display().to_string();
    let mut database = Database::open(url).map_err(|e| Errors::plain(&shown, e))?;
    let backend = database.backend();
    let dialect = backend.dialect();
    let text = read_schema(schema, &shown)?;
    let dir = schema.parent().unwrap_or(Path::new(""));
    let ir = check_in(dir, &text, &shown, &[dialect])?;

    let mut schema_problems = Vec::new();
    for (id, table) in ir.entities() {
        let module = table.module.unraw();
        let mut named: Vec<(String, String)> = sql::table_statements(dialect, &ir, id)
            .named()
            .into_iter()
            .map(|(name, sql)| (format!("{module}::{name}"), sql.to_owned()))
            .collect();
        for assoc in &table.associations {
            let statements = sql::association_statements(dialect, &ir, id, assoc);
            let writes = sql::write_statements(dialect, &ir, id, assoc);
            for (name, sql) in statements.named().into_iter().chain(writes.named()) {
                named.push((
                    format!("{module}::{}::{name}", assoc.module.unraw()),
                    sql.to_owned(),
                ));
            }
        }
        for (name, sql) in named {
            if let Some(problem) = database.refuses(&sql) {
                schema_problems.push(
                    Diagnostic::error(
                        Span::NOWHERE,
                        format!(
                            "{} refuses `{name}` of table {}: {problem}",
                            database_name(dialect),
                            table.sql_name
                        ),
                    )
                    .with_help(format!(
                        "the database differs from the schema; the statement is:\n    {sql}"
                    )),
                );
            }
        }
    }

    let mut query_problems: Vec<(String, Vec<Diagnostic>)> = Vec::new();
    for query in &ir.queries {
        let sql = sql::query_sql(dialect, &ir, query);
        let Some(problem) = database.refuses(&sql) else {
            continue;
        };
        let d = Diagnostic::error(
            query.span,
            format!(
                "{} refuses query {}: {problem}",
                database_name(dialect),
                query.name.unraw()
            ),
        )
        .with_label("prepared against the database")
        .with_help(format!(
            "the statement as the generated code runs it:\n    {sql}"
        ));
        match query_problems.iter_mut().find(|(f, _)| *f == query.file) {
            Some((_, list)) => list.push(d),
            None => query_problems.push((query.file.clone(), vec![d])),
        }
    }

    if schema_problems.is_empty() && query_problems.is_empty() {
        return Ok(());
    }
    let others = query_problems
        .into_iter()
        .map(|(file, diagnostics)| Errors {
            file_name: dir.join(&file).display().to_string(),
            source: std::fs::read_to_string(dir.join(&file))
                .map(|t| t.replace("\r\n", "\n").replace('\r', "\n"))
                .unwrap_or_default(),
            diagnostics,
            others: Vec::new(),
        })
        .collect();
    Err(Errors {
        file_name: shown,
        source: text,
        diagnostics: schema_problems,
        others,
    })
}

fn database_name(dialect: Dialect) -> &'static str {
    dialect.database()
}
