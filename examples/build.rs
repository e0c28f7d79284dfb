// The PostgreSQL example's code: generated from the reference schema for
// tokio-postgres, wired as a user wires it (the SQLite examples use the
// `generated` crate).
fn main() {
    codegen::Config::new()
        .backend(codegen::Backend::TokioPostgres)
        .out_file_name("schema_tokio_postgres.rs")
        .compile("../schema.yaml")
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
}
