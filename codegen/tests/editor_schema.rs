//! The editor schema (`codegen/mortise.schema.json`, JSON Schema draft-07,
//! what the VS Code YAML extension validates against) kept true: every
//! schema the generator accepts passes it, and every bad-input case whose
//! mistake is one of shape (an unknown option, a value of the wrong kind, a
//! kind key missing or doubled) fails it. The cases it cannot see (names
//! that must exist, types that must agree) are listed below with the reason,
//! so a new error case has to be sorted into one or the other.

use std::path::{Path, PathBuf};

/// Error cases the JSON Schema lets through, and why: each needs the rest
/// of the schema (a table, a column, a type declared elsewhere), the
/// database's rules or a query file, which only `mortise check` knows.
const ONLY_CHECK_SEES: &[(&str, &str)] = &[
    ("association_key_not_a_key_type", "the key column's type"),
    (
        "association_name_clashes_with_field",
        "names across fields and associations",
    ),
    (
        "association_to_plain_join_table",
        "which tables are join tables",
    ),
    ("autogenerate_string_key", "the key's type"),
    (
        "back_reference_links_other_tables",
        "the other side's declaration",
    ),
    (
        "back_reference_swapped_join_keys",
        "the other side's declaration",
    ),
    ("belongs_to_table_without_primary_key", "the target's key"),
    ("columns_differ_only_in_case", "names across columns"),
    ("composite_key_not_known_yet", "the target's key"),
    ("default_not_a_value_of_its_type", "the column's type"),
    ("default_out_of_range", "the column's type"),
    ("default_sql_problems", "SQL expressions"),
    ("default_wrong_type", "the column's type"),
    ("edges_field_clashes", "names across join schema and target"),
    ("embed_problems", "which embeds and types exist"),
    (
        "field_collides_with_foreign_key",
        "names across fields and keys",
    ),
    (
        "foreign_key_type_mismatch",
        "the types of two tables' columns",
    ),
    ("foreign_key_with_default_sql", "which columns are keys"),
    ("has_many_target_lacks_foreign_key", "the target's columns"),
    ("join_schema_column_unfillable", "the join schema's columns"),
    (
        "join_schema_key_type_mismatch",
        "the types of two tables' columns",
    ),
    ("join_schema_missing_keys", "the join schema's columns"),
    (
        "key_too_long_on_mysql",
        "every index's columns' MySQL types, added up",
    ),
    ("literal_with_nul", "characters inside values"),
    (
        "module_not_rust_identifier",
        "Rust keywords and identifiers",
    ),
    ("name_too_long", "the databases' name limits"),
    (
        "nilify_all_non_null_foreign_key",
        "the key column's nullability",
    ),
    ("query_ambiguous_column", "a query file's SQL"),
    ("query_duplicate_name", "a query file's SQL"),
    ("query_enum_array", "a query file's SQL"),
    ("query_exec_with_rows", "a query file's SQL"),
    ("query_insert_without_columns", "a query file's SQL"),
    ("query_list_and_value", "a query file's SQL"),
    ("query_many_without_rows", "a query file's SQL"),
    ("query_missing_file", "the files beside the schema"),
    ("query_missing_name", "a query file's SQL"),
    ("query_name_not_rust", "a query file's SQL"),
    ("query_not_a_query", "a query file's SQL"),
    ("query_one_dialect_only", "a query file's SQL"),
    ("query_positional_parameter", "a query file's SQL"),
    ("query_sqlite_date_cast", "a query file's SQL"),
    ("query_syntax_error", "a query file's SQL"),
    ("query_two_statements", "a query file's SQL"),
    ("query_type_mismatch", "a query file's SQL"),
    ("query_uninferable_result", "a query file's SQL"),
    ("query_unknown_alias", "a query file's SQL"),
    ("query_unknown_column", "a query file's SQL"),
    ("query_unknown_kind", "a query file's SQL"),
    ("query_unknown_table", "a query file's SQL"),
    ("query_unnamed_column", "a query file's SQL"),
    ("query_unquoted_mixed_case", "a query file's SQL"),
    ("query_update_returning_on_mysql", "a query file's SQL"),
    ("query_untyped_parameter", "a query file's SQL"),
    ("rust_field_name_collision", "names across fields"),
    ("rust_type_problems", "Rust types"),
    ("same_module_name", "names across tables"),
    ("same_struct_name", "names across tables"),
    (
        "self_many_to_many_equal_join_keys",
        "the two join keys' defaults",
    ),
    ("serde_attribute_without_serde_derive", "Rust attributes"),
    (
        "set_null_on_non_null_belongs_to",
        "the key column's nullability",
    ),
    ("smallint_default_out_of_range", "the column's type"),
    (
        "sql_type_not_indexable_on_mysql",
        "which columns are keys, indexed or in foreign keys",
    ),
    (
        "stored_association_table_taken_or_no_owner_column",
        "names across tables",
    ),
    ("stored_association_unknown_struct", "which structs exist"),
    (
        "struct_not_rust_identifier",
        "Rust keywords and identifiers",
    ),
    ("table_name_not_sql_identifier", "SQL identifiers"),
    (
        "table_without_columns",
        "the table's key and fields together",
    ),
    ("tables_differ_only_in_case", "names across tables"),
    ("through_ordered_by_a_path_column", "the path's tables"),
    ("through_ordered_by_an_enum", "the column's type"),
    ("through_path_does_not_connect", "the path's associations"),
    (
        "through_unknown_first_association",
        "the path's associations",
    ),
    ("timestamp_collides_with_field", "names across fields"),
    ("two_fields_same_column", "names across fields"),
    (
        "unknown_column_in_composite_primary_key",
        "the table's columns",
    ),
    ("unknown_column_in_join_where", "the join table's columns"),
    ("unknown_column_in_preload_order", "the target's columns"),
    ("unknown_column_in_references", "the target's columns"),
    ("unknown_column_in_where", "the target's columns"),
    (
        "unknown_field_type",
        "enum and embed names share the type position",
    ),
    ("unknown_table_in_association", "which tables exist"),
    ("where_value_wrong_type", "the column's type"),
];

fn editor_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("codegen/mortise.schema.json"))
        .expect("codegen/mortise.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the editor schema is JSON");
    jsonschema::draft7::new(&schema).expect("a valid draft-07 schema")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `schema.yaml` of each case folder under `dir`, by case name.
fn cases(dir: &str) -> Vec<(String, PathBuf)> {
    let dir = root().join(dir);
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("schema.yaml").is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, path.join("schema.yaml"))
        })
        .collect();
    cases.sort();
    cases
}

/// The document as the editor sees it (YAML 1.2 into JSON values), or
/// the YAML error an editor's own parser flags before any schema.
fn as_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    yaml_as_json(&text)
}

fn yaml_as_json(text: &str) -> Result<serde_json::Value, String> {
    serde_saphyr::from_str::<Json>(text)
        .map(|json| json.0)
        .map_err(|e| e.to_string())
}

/// A YAML value as JSON, keys as their text: the option `null:` is the
/// key "null" to an editor and to mortise, where YAML reads a null.
struct Json(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor { key: false }).map(Json)
    }
}

/// A map key: any scalar, as text.
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let value = d.deserialize_any(JsonVisitor { key: true })?;
        Ok(Key(match value {
            serde_json::Value::String(text) => text,
            serde_json::Value::Null => "null".to_owned(),
            other => other.to_string(),
        }))
    }
}

struct JsonVisitor {
    key: bool,
}

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(if self.key {
            "a scalar key"
        } else {
            "a YAML value"
        })
    }
    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(items.into())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut entries = serde_json::Map::new();
        while let Some((Key(key), Json(value))) = map.next_entry()? {
            entries.insert(key, value);
        }
        Ok(entries.into())
    }
}

/// The editor schema's complaints about `document`, one line each.
fn complaints(validator: &jsonschema::Validator, document: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_schema_the_generator_accepts_passes_the_editor_schema() {
    let validator = editor_schema();
    let mut schemas = cases("codegen/tests/generate");
    schemas.push(("reference".into(), root().join("schema.yaml")));
    // What `mortise pull` writes (its golden files), which users edit next.
    for pulled in ["chinook_sqlite", "chinook_pg", "odd_sqlite", "odd_pg"] {
        let path = root().join(format!("tests/data/pulled/{pulled}.yaml"));
        schemas.push((format!("pulled {pulled}"), path));
    }
    for (name, path) in schemas {
        let document = as_json(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let complaints = complaints(&validator, &document);
        assert!(complaints.is_empty(), "{name}: {complaints:#?}");
    }
}

#[test]
fn every_mistake_of_shape_fails_the_editor_schema() {
    let validator = editor_schema();
    let mut wrong = Vec::new();
    for (name, path) in cases("codegen/tests/errors") {
        let refused =
            as_json(&path).is_ok_and(|doc| !validator.is_valid(&doc)) || as_json(&path).is_err();
        let listed = ONLY_CHECK_SEES.iter().any(|(case, _)| *case == name);
        match (refused, listed) {
            (false, false) => wrong.push(format!(
                "{name}: the editor schema accepts it; refuse its mistake there, or list it in ONLY_CHECK_SEES with the reason"
            )),
            (true, true) => wrong.push(format!(
                "{name}: the editor schema refuses it; take it out of ONLY_CHECK_SEES"
            )),
            _ => {}
        }
    }
    for (case, _) in ONLY_CHECK_SEES {
        if !root().join("codegen/tests/errors").join(case).is_dir() {
            wrong.push(format!("{case}: listed, but no such error case"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A few mistakes of shape, each refused where it is: what an editor
/// underlines as the user types.
#[test]
fn the_editor_schema_points_at_the_mistake() {
    let validator = editor_schema();
    for (yaml, path) in [
        ("tables: { t: { feilds: { a: string } } }", "/tables/t"),
        ("tables: { t: { fields: { a: 3 } } }", "/tables/t/fields/a"),
        (
            "tables: { t: { associations: { u: { has_many: u, join_through: x } } } }",
            "/tables/t/associations/u",
        ),
        (
            "tables: { t: { associations: { u: { belongs_to: u, has_one: u } } } }",
            "/tables/t/associations/u",
        ),
        (
            "tables: { t: { associations: { u: { has_many: u, on_delete: cascade } } } }",
            "/tables/t/associations/u",
        ),
        (
            "tables: { t: { associations: { u: { has_many: u, preload_limit: 0 } } } }",
            "/tables/t/associations/u",
        ),
        ("version: 2\ntables: { t: }", "/version"),
        ("tables: {}", "/tables"),
    ] {
        let document = yaml_as_json(yaml).unwrap();
        let complaints = complaints(&validator, &document);
        assert!(
            complaints
                .iter()
                .any(|c| c.starts_with(&format!("{path}: "))),
            "{yaml}: {complaints:#?}"
        );
        assert!(
            mortise_build::check(yaml, "schema.yaml").is_err(),
            "the generator refuses it too: {yaml}"
        );
    }
}
