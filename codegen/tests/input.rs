//! The schema file as it arrives: line endings of any platform, text that is
//! not UTF-8, more than one YAML document. Each is read or refused with a
//! location, never misread.

use mortise_build::Backend;

#[test]
fn cr_only_line_endings_read_like_lf() {
    let lf = "version: 1\ntables:\n  t:\n    fields: { on: string, y: int }\n";
    for text in [lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
        let ir = mortise_build::check(&text, "schema.yaml").expect("valid with any line ending");
        let (_, table) = ir.entities().next().unwrap();
        let names: Vec<&str> = table.columns.iter().map(|c| c.sql_name.as_str()).collect();
        // YAML 1.1 would read `on` and `y` as booleans: the source text decides.
        assert_eq!(names, ["id", "on", "y"], "{text:?}");
        assert_eq!(
            mortise_build::generate(&text, Backend::Rusqlite).unwrap(),
            mortise_build::generate(lf, Backend::Rusqlite).unwrap()
        );
    }
}

#[test]
fn an_error_in_a_cr_only_file_shows_its_line() {
    let text = "version: 1\rtables:\r  t:\r    fields: { x: strin }\r";
    let rendered = mortise_build::check(text, "schema.yaml")
        .unwrap_err()
        .to_string();
    assert!(rendered.contains("schema.yaml:4:"), "{rendered}");
    assert!(
        rendered.contains("4 |     fields: { x: strin }"),
        "{rendered}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let path = std::env::temp_dir().join(format!("mortise-latin1-{}.yaml", std::process::id()));
    std::fs::write(
        &path,
        b"version: 1\ntables:\n  t:\n    fields: { n\xe9: string }\n",
    )
    .unwrap();
    let errors = mortise_build::read_schema(&path, "latin1.yaml").unwrap_err();
    std::fs::remove_file(&path).unwrap();
    let d = &errors.diagnostics[0];
    assert_eq!((d.span.line, d.span.column), (4, 16));
    assert!(d.help.as_deref().unwrap().contains("UTF-8"));
    let rendered = errors.to_string();
    assert!(
        rendered.starts_with("latin1.yaml:4:16: error: the schema is not UTF-8 text"),
        "{rendered}"
    );
}

#[test]
fn two_yaml_documents_are_refused_in_our_words() {
    let text = "version: 1\ntables:\n  t:\n    fields: { x: string }\n---\nversion: 1\n";
    let rendered = mortise_build::check(text, "schema.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        rendered.contains("more than one YAML document"),
        "{rendered}"
    );
    assert!(
        !rendered.contains("from_str"),
        "no parser API in the message: {rendered}"
    );
}

#[test]
fn too_deep_a_schema_says_how_deep_and_what_to_do() {
    let text = format!("version: 1\nx: {}{}\n", "[".repeat(20), "]".repeat(20));
    let errors = mortise_build::check(&text, "schema.yaml").unwrap_err();
    let d = &errors.diagnostics[0];
    assert!(
        d.message.contains("nested too deeply (17 levels)"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("16 levels deep"));
}
