//! Schema enums: each value is stored as written (its label) and named in
//! Rust in PascalCase (`PG-13` is `Pg13`); labels and Rust names are unique
//! within an enum, and enum names among the file's root items.

use std::collections::HashMap;

use super::ROOT_ITEMS;
use super::context::Context;
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{Enum, Variant};
use crate::names::{RustIdent, is_rust_name};

/// PostgreSQL's longest enum label, in bytes.
const MAX_LABEL: usize = 63;

pub(super) fn declare_enums(cx: &mut Context<'_>) {
    let mut rust_names: HashMap<String, Span> = HashMap::new();
    let ast = cx.ast;
    for decl in &ast.enums {
        let sql_name = decl.sql_name.as_ref().unwrap_or(&decl.name);
        cx.check_sql_name(sql_name, "enum type");
        let rust = RustIdent::pascal(&decl.name.value);
        if !is_type_name(&rust) {
            cx.error(
                Diagnostic::error(
                    decl.name.span,
                    format!("enum {:?} has no Rust name", decl.name.value),
                )
                .with_label("no Rust type name in PascalCase (it needs a letter first, and cannot be `Self`)")
                .with_help("rename the enum (`sql_name:` keeps the PostgreSQL type's name)"),
            );
        } else if ROOT_ITEMS.contains(&rust.as_str()) {
            cx.error(
                Diagnostic::error(
                    decl.name.span,
                    format!(
                        "enum {:?} would be the Rust type {rust}, which the generated code defines",
                        decl.name.value
                    ),
                )
                .with_label("a name the generated file uses")
                .with_help("rename the enum (`sql_name:` keeps the PostgreSQL type's name)"),
            );
        } else if let Some(first) = rust_names.insert(rust.as_str().to_owned(), decl.name.span) {
            cx.error(
                Diagnostic::error(
                    decl.name.span,
                    format!(
                        "enum {:?} is the Rust type {rust}, as another enum is",
                        decl.name.value
                    ),
                )
                .with_label("the same Rust name")
                .with_related(first, "the other enum")
                .with_help("rename one of them"),
            );
        }
        if decl.values.is_empty() {
            cx.error(
                Diagnostic::error(decl.span, format!("enum {} has no values", decl.name.value))
                    .with_label("an empty list")
                    .with_help("list at least one value, e.g. `[G, PG, PG-13]`"),
            );
        }
        let mut labels: HashMap<&str, Span> = HashMap::new();
        let mut variants_by_rust: HashMap<String, &str> = HashMap::new();
        let mut variants = Vec::new();
        for value in &decl.values {
            let label = value.value.as_str();
            if let Some(&first) = labels.get(label) {
                cx.error(
                    Diagnostic::error(
                        value.span,
                        format!(
                            "value {label:?} is listed twice in enum {}",
                            decl.name.value
                        ),
                    )
                    .with_label("listed again here")
                    .with_related(first, "first listed here")
                    .with_help("remove one"),
                );
                continue;
            }
            labels.insert(label, value.span);
            if label.is_empty() || label.len() > MAX_LABEL || label.contains('\0') {
                cx.error(
                    Diagnostic::error(value.span, format!("enum value {label:?} cannot be stored"))
                        .with_label("empty, longer than 63 bytes, or with a NUL")
                        .with_help(
                            "PostgreSQL's enum labels are 1 to 63 bytes without NUL: shorten it",
                        ),
                );
                continue;
            }
            let rust = RustIdent::pascal(label);
            if !is_type_name(&rust) {
                cx.error(
                    Diagnostic::error(value.span, format!("enum value {label:?} has no Rust name"))
                        .with_label("no Rust type name in PascalCase (it needs a letter first, and cannot be `Self`)")
                        .with_help("start it with an ASCII letter, and use ASCII letters, digits, `-`, `_` or spaces (`PG-13` is `Pg13` in Rust)"),
                );
                continue;
            }
            if let Some(other) = variants_by_rust.insert(rust.as_str().to_owned(), label) {
                cx.error(
                    Diagnostic::error(value.span, format!("enum values {other:?} and {label:?} are both {rust} in Rust"))
                        .with_label(format!("also {rust}"))
                        .with_related(labels[other], format!("{other:?} is {rust}"))
                        .with_help("rename one of the values: Rust names drop `-`, `_` and spaces and change the case"),
                );
                continue;
            }
            variants.push(Variant {
                label: label.to_owned(),
                rust,
            });
        }
        cx.enums.push(Enum {
            name: decl.name.value.clone(),
            sql_name: sql_name.value.clone(),
            // PostgreSQL creates it in the schema's default prefix.
            prefix: cx.ast.defaults.prefix.as_ref().map(|p| p.value.clone()),
            rust,
            variants,
        });
    }
}

/// A PascalCase name the generated code can use without a lint: an ASCII
/// capital first, no `_` (an escaped keyword, `Self_`, has one).
fn is_type_name(rust: &RustIdent) -> bool {
    is_rust_name(rust.as_str())
        && rust.as_str().starts_with(|c: char| c.is_ascii_uppercase())
        && !rust.as_str().contains('_')
}
