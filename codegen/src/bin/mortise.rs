//! `mortise`: check a schema, print its generated Rust, its SQL, or its
//! diagram; or pull a schema from a database.

use std::process::ExitCode;

use mortise_build::Backend;

const USAGE: &str = "\
mortise: typed Rust and checked SQL from a schema.yaml

usage:
  mortise check SCHEMA [--database URL]      report every problem; exit 1 if any, print nothing if none;
                                             with --database, also prepare every statement the generated
                                             code runs against that database (a SQLite file or a
                                             postgres:// URL; needs the `database` feature)
  mortise generate SCHEMA [--backend NAME]   print the generated Rust
  mortise sql SCHEMA [--backend NAME]        print every SQL statement, then the DDL
  mortise diagram SCHEMA                     print the tables and their relationships as a Mermaid
                                             erDiagram (for a README: in a ```mermaid block)
  mortise pull SOURCE [-o SCHEMA]            write the schema of an existing database (a SQLite file or a
                                             postgres:// URL) to SCHEMA, or print it; needs the
                                             `database` feature

backends: rusqlite (default), postgres, tokio-postgres, sqlx-postgres, sqlx-mysql, sqlx-sqlite";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Schema(errors)) => {
            eprint!("{errors}");
            ExitCode::FAILURE
        }
    }
}

enum Command {
    Check,
    Generate,
    Sql,
    Diagram,
}

enum Failure {
    Usage(String),
    Schema(mortise_build::Errors),
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some(command) = args.first() else {
        return Err(Failure::Usage("no command given".to_owned()));
    };
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!("{USAGE}");
        return Ok(());
    }
    if command == "pull" {
        return pull_command(&args[1..]);
    }
    let command = match command.as_str() {
        "check" => Command::Check,
        "generate" => Command::Generate,
        "sql" => Command::Sql,
        "diagram" => Command::Diagram,
        other => return Err(Failure::Usage(format!("unknown command {other:?}"))),
    };
    let mut schema = None;
    let mut backend = Backend::default();
    let mut database: Option<String> = None;
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--backend" => {
                let name = rest
                    .next()
                    .ok_or_else(|| Failure::Usage("--backend needs a name".to_owned()))?;
                backend = Backend::from_name(name)
                    .ok_or_else(|| Failure::Usage(format!("unknown backend {name:?}")))?;
            }
            "--database" if matches!(command, Command::Check) => {
                let url = rest
                    .next()
                    .ok_or_else(|| Failure::Usage("--database needs a URL or a file".to_owned()))?;
                database = Some(url.to_owned());
            }
            flag if flag.starts_with('-') => {
                return Err(Failure::Usage(format!("unknown option {flag:?}")));
            }
            path if schema.is_none() => schema = Some(path.to_owned()),
            extra => return Err(Failure::Usage(format!("unexpected argument {extra:?}"))),
        }
    }
    let Some(path) = schema else {
        return Err(Failure::Usage("a schema file is needed".to_owned()));
    };
    let text =
        mortise_build::read_schema(std::path::Path::new(&path), &path).map_err(Failure::Schema)?;
    match command {
        Command::Check => {
            mortise_build::check(&text, &path).map_err(Failure::Schema)?;
            if let Some(url) = database {
                check_database(&path, &url)?;
            }
        }
        Command::Generate => {
            // Streamed: a large schema's file never sits whole in memory.
            let mut out = Recorded {
                inner: std::io::BufWriter::new(std::io::stdout().lock()),
                error: None,
            };
            let generated = mortise_build::generate_to(&text, &path, backend, &mut out);
            match out.error {
                Some((std::io::ErrorKind::BrokenPipe, _)) => {}
                Some((_, e)) => {
                    eprintln!("error: cannot write the output: {e}");
                    std::process::exit(1);
                }
                None => generated.map_err(Failure::Schema)?,
            }
        }
        Command::Sql => {
            let statements =
                mortise_build::statements(&text, &path, backend).map_err(Failure::Schema)?;
            let listing: String = statements
                .iter()
                .map(|(name, sql)| format!("-- {name}\n{sql};\n\n"))
                .collect();
            write_stdout(&listing);
        }
        Command::Diagram => {
            let diagram = mortise_build::diagram(&text, &path).map_err(Failure::Schema)?;
            write_stdout(&diagram);
        }
    }
    Ok(())
}

/// `pull SOURCE [-o SCHEMA]`.
fn pull_command(args: &[String]) -> Result<(), Failure> {
    let mut source = None;
    let mut output = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-o" | "--output" => {
                let path = rest
                    .next()
                    .ok_or_else(|| Failure::Usage(format!("{arg} needs a file path")))?;
                output = Some(path.to_owned());
            }
            flag if flag.starts_with('-') => {
                return Err(Failure::Usage(format!("unknown option {flag:?}")));
            }
            given if source.is_none() => source = Some(given.to_owned()),
            extra => return Err(Failure::Usage(format!("unexpected argument {extra:?}"))),
        }
    }
    let Some(source) = source else {
        return Err(Failure::Usage(
            "pull needs a SOURCE: a SQLite file or a postgres:// URL".to_owned(),
        ));
    };
    let schema =
        pull(&source).map_err(|e| Failure::Schema(mortise_build::Errors::plain(&source, e)))?;
    match output {
        Some(path) => std::fs::write(&path, schema).map_err(|e| {
            Failure::Schema(mortise_build::Errors::plain(
                &path,
                format!("cannot write {path}: {e}"),
            ))
        }),
        None => {
            write_stdout(&schema);
            Ok(())
        }
    }
}

#[cfg(feature = "database")]
fn pull(source: &str) -> Result<String, String> {
    mortise_build::pull(source)
}

#[cfg(not(feature = "database"))]
fn pull(_source: &str) -> Result<String, String> {
    Err(
        "this mortise was built without database support: build it with `--features database` \
         (e.g. `cargo run -p mortise-build --features database -- pull chinook.sqlite -o schema.yaml`)"
            .to_owned(),
    )
}

#[cfg(feature = "database")]
fn check_database(path: &str, url: &str) -> Result<(), Failure> {
    mortise_build::check_database(std::path::Path::new(path), url).map_err(Failure::Schema)
}

#[cfg(not(feature = "database"))]
fn check_database(_path: &str, _url: &str) -> Result<(), Failure> {
    Err(Failure::Usage(
        "this mortise was built without database support: build it with `--features database` \
         (e.g. `cargo run -p mortise-build --features database -- check schema.yaml --database URL`)"
            .to_owned(),
    ))
}

/// Prints to stdout; a closed pipe (`mortise sql s.yaml | head`) ends quietly.
fn write_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(1);
    }
}

/// A writer remembering its first error, so that a closed pipe
/// (`mortise generate s.yaml | head`) can end quietly, as in `write_stdout`.
struct Recorded<W> {
    inner: W,
    error: Option<(std::io::ErrorKind, String)>,
}

impl<W: std::io::Write> std::io::Write for Recorded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf);
        self.remember(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.inner.flush();
        self.remember(flushed)
    }
}

impl<W> Recorded<W> {
    fn remember<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result
            && e.kind() != std::io::ErrorKind::Interrupted
        {
            self.error.get_or_insert_with(|| (e.kind(), e.to_string()));
        }
        result
    }
}
