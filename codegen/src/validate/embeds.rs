//! Embedded schemas (`embeds:`): each a Rust struct at the file's root,
//! named in PascalCase; its fields are JSON keys with types. An embed's
//! field may name an embed declared before it (so no embed holds itself).

use std::collections::HashMap;

use super::ROOT_ITEMS;
use super::context::Context;
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{Embed, EmbedField, FieldType};
use crate::names::{RustIdent, is_rust_name};

pub(super) fn declare_embeds(cx: &mut Context<'_>) {
    let ast = cx.ast;
    let mut rust_names: HashMap<String, Span> = cx
        .enums
        .iter()
        .zip(&ast.enums)
        .map(|(e, decl)| (e.rust.as_str().to_owned(), decl.name.span))
        .collect();
    for (id, decl) in ast.embeds.iter().enumerate() {
        let rust = RustIdent::pascal(&decl.name.value);
        let usable = is_rust_name(rust.as_str())
            && rust.as_str().starts_with(|c: char| c.is_ascii_uppercase())
            && rust.as_str() != "Self";
        if !usable || ROOT_ITEMS.contains(&rust.as_str()) {
            cx.error(
                Diagnostic::error(decl.name.span, format!("embed {:?} has no Rust name of its own", decl.name.value))
                    .with_label(format!("the Rust type would be {rust}, which is no type name or one the generated file defines"))
                    .with_help("rename the embed: it needs a letter first, e.g. `address`"),
            );
        } else if let Some(first) = rust_names.insert(rust.as_str().to_owned(), decl.name.span) {
            cx.error(
                Diagnostic::error(
                    decl.name.span,
                    format!(
                        "embed {:?} is the Rust type {rust}, as another enum or embed is",
                        decl.name.value
                    ),
                )
                .with_label("the same Rust name")
                .with_related(first, "the other one")
                .with_help("rename one of them"),
            );
        }
        if decl.fields.is_empty() {
            cx.error(
                Diagnostic::error(
                    decl.name.span,
                    format!("embed {} has no fields", decl.name.value),
                )
                .with_help("declare its fields, e.g. `address: { street: string, zip: string? }`"),
            );
        }
        let mut fields = Vec::new();
        let mut rust_fields: HashMap<String, Span> = HashMap::new();
        for (name, ty) in &decl.fields {
            let field = RustIdent::snake(&name.value);
            if !is_rust_name(field.unraw()) {
                cx.error(
                    Diagnostic::error(
                        name.span,
                        format!(
                            "field {:?} of embed {} has no Rust name",
                            name.value, decl.name.value
                        ),
                    )
                    .with_label("no Rust field name in snake_case")
                    .with_help("use ASCII letters, digits and `_`, starting with a letter"),
                );
                continue;
            }
            if let Some(first) = rust_fields.insert(field.unraw().to_owned(), name.span) {
                cx.error(
                    Diagnostic::error(
                        name.span,
                        format!(
                            "fields of embed {} are both `{}` in Rust",
                            decl.name.value,
                            field.unraw()
                        ),
                    )
                    .with_related(first, "the other field")
                    .with_help("rename one of them"),
                );
                continue;
            }
            let Some(ty) = ty else { continue };
            if let FieldType::Embed { id: other, .. } = ty.value.ty
                && other >= id
            {
                cx.error(
                    Diagnostic::error(ty.span, format!("embed {} holds embed {}, declared at or after it", decl.name.value, ast.embeds[other].name.value))
                        .with_label("an embed declared later, or itself")
                        .with_help("declare the embed it holds first (an embed cannot hold itself, even as a list)"),
                );
                continue;
            }
            fields.push(EmbedField {
                name: name.value.clone(),
                field,
                ty: ty.value.ty,
                nullable: ty.value.nullable,
            });
        }
        cx.embeds.push(Embed {
            name: decl.name.value.clone(),
            rust,
            fields,
        });
    }
}
