//! Meaning: resolves every name of the schema, fills in every default, checks
//! what `schema-v1.md` asks, and builds the IR.
//!
//! All problems are collected; the IR is returned only when there are none.
//! The passes follow the dependencies between declarations, and each lives in
//! the module named for what it checks:
//!
//! 0. `enums`: the schema's enums, their values and Rust names; `embeds`:
//!    the embedded schemas, their Rust names and fields;
//! 1. `tables`: table, struct and module names, and `derives`: what
//!    `derive:` and `attributes:` add to each table's structs; then every
//!    table's columns:
//!    its key (`keys::declare_single_key`) and its fields;
//! 2. `keys`: the columns of `belongs_to` foreign keys (they need the
//!    targets' keys), then composite primary keys (they may name those);
//! 3. `tables`: timestamps (last, so that a clash points at them), and no
//!    table without columns;
//! 4. `associations`: every association, creating the tables of
//!    `stored_associations` and the join tables of `many_to_many`; then the
//!    indexes of join schemas, once every association over them is known;
//! 5. `through`: `through` paths, once every direct association is known;
//! 6. `struct_fields`: no two fields of a row struct share a Rust name;
//!    `derives`: the tables a row holds rows of derive as much as it does.
//!
//! `column_types` checks a field's `sql_type:` and `rust_type:` (with its
//! column, in `tables`; once foreign keys are known, that MySQL can index
//! the types of the columns it must); `context` holds what they share (the IR being
//! built, name lookups);
//! `literals` checks the values written in the schema (defaults, `where`),
//! and, once associations are known, that no foreign key is a `default_sql`.
//!
//! A pass reports into the same list and goes on: the order of the calls
//! below, and of the checks within a pass, decides which errors a schema
//! gets when one problem hides another.

mod associations;
mod column_types;
pub(crate) use column_types::mysql_index_lengths;
mod context;
pub(crate) mod derives;
mod embeds;
mod enums;
mod keys;
mod literals;
mod many_to_many;
mod stored_associations;
mod struct_fields;
mod tables;
mod through;

use crate::diagnostics::Diagnostics;
use crate::ir;
use crate::parse::ast;
use context::Context;

/// Items of the generated file's root, whose names a schema enum or embed
/// (also at the root) must not take.
const ROOT_ITEMS: &[&str] = &[
    "Loaded",
    "NotPreloaded",
    "Changes",
    "Edge",
    "Cached",
    "Client",
    "Transaction",
    "Atomic",
    "Within",
    "UnknownValue",
];

/// Checks `schema` and builds its IR; every problem goes to `diags`.
pub fn validate(schema: &ast::Schema, diags: &mut Diagnostics) -> Option<ir::Schema> {
    let mut cx = Context::new(schema, diags);
    enums::declare_enums(&mut cx);
    embeds::declare_embeds(&mut cx);
    tables::declare_tables(&mut cx);
    derives::resolve_struct_options(&mut cx);
    tables::declare_columns(&mut cx);
    keys::declare_foreign_key_columns(&mut cx);
    keys::resolve_composite_keys(&mut cx);
    tables::declare_timestamps(&mut cx);
    tables::check_tables_have_columns(&mut cx);
    associations::resolve_associations(&mut cx);
    many_to_many::index_join_schemas(&mut cx);
    literals::check_keys_have_no_default_sql(&mut cx);
    through::resolve_through_paths(&mut cx);
    column_types::check_mysql_indexed_types(&mut cx);
    struct_fields::check_struct_names(&mut cx);
    derives::check_held_rows_derive_as_much(&mut cx);
    if cx.diags.is_empty() {
        Some(ir::Schema {
            tables: cx.tables,
            enums: cx.enums,
            embeds: cx.embeds,
            query_files: schema
                .queries
                .iter()
                .map(|f| ir::QueryFile {
                    path: f.value.clone(),
                    span: f.span,
                })
                .collect(),
            queries: Vec::new(),
        })
    } else {
        None
    }
}
