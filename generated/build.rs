// Generates $OUT_DIR/schema.rs from the reference schema, as a user's build.rs does.
fn main() {
    mortise_build::Config::new()
        .backend(mortise_build::Backend::Rusqlite)
        .compile("../schema.yaml")
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
}
