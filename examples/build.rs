// The PostgreSQL example's code: generated from the reference schema for
// tokio-postgres, wired as a user wires it (the SQLite examples use the
// `generated` crate).
fn main() {
    mortise_build::Config::new()
        .backend(mortise_build::Backend::TokioPostgres)
        .out_file_name("schema_tokio_postgres.rs")
        .compile("../schema.yaml")
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
}
