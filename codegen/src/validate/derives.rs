//! `derive:` and `attributes:` (in `defaults`, a table, or `Config`): Rust
//! text added to the generated structs, parsed with syn. A table's lists add
//! to those of `defaults` and `Config`. A row struct holds its associations'
//! rows, so a table derives nothing that the tables it holds rows of do not.

use super::context::Context;
use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{self, DESERIALIZE, SERIALIZE, StructOptions, TableKind, same_path};
use crate::parse::ast::{self, Sp};

/// What is wrong with one derive or attribute.
pub(crate) struct Problem {
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) help: String,
}

impl Problem {
    fn new(message: String, label: &str, help: &str) -> Self {
        Problem {
            message,
            label: label.to_owned(),
            help: help.to_owned(),
        }
    }
}

/// mortise's own derives: every struct it generates has them already.
const OWN: [&str; 3] = ["Debug", "Clone", "PartialEq"];

/// A derive path, as the generated code writes it (`serde::Serialize`).
pub(crate) fn derive_path(text: &str) -> Result<String, Problem> {
    let path: syn::Path = syn::parse_str(text.trim()).map_err(|_| {
        let help = if text.contains(',') {
            "write one derive per list item, e.g. `[serde::Serialize, serde::Deserialize]`"
        } else {
            "write the path of a derive macro, e.g. `serde::Serialize`"
        };
        Problem::new(
            format!("{text:?} is not a Rust path"),
            "not the path of a derive macro",
            help,
        )
    })?;
    if path.segments.iter().any(|s| !s.arguments.is_none()) {
        return Err(Problem::new(
            format!("derive {text:?} has generic arguments"),
            "a derive path has none",
            "write the macro's path alone, e.g. `serde::Serialize`",
        ));
    }
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (first, last) = (names[0].as_str(), names[names.len() - 1].as_str());
    if path.leading_colon.is_none() && matches!(first, "self" | "super") {
        return Err(Problem::new(
            format!("derive {text:?} is relative to the module it is written in"),
            "the generated structs live in modules of their own",
            "write the path from the crate root (`crate::...`) or from a dependency (`serde::Serialize`)",
        ));
    }
    let standard = names.len() == 1 || matches!(first, "std" | "core" | "alloc");
    if standard && OWN.contains(&last) {
        return Err(Problem::new(
            format!("mortise already derives `{last}`"),
            "derived on every generated struct",
            "remove it: rows, `New...` structs, `Link`, `Edge` and `Loaded` all derive `Debug`, `Clone` and `PartialEq`",
        ));
    }
    if standard && last == "Default" {
        return Err(Problem::new(
            "mortise already implements `Default` where it can".to_owned(),
            "`New...` and `Link` have it (from the schema's `default`s); a row has none",
            "remove it: a row's key and timestamps come from the database, so a row struct has no `Default`",
        ));
    }
    if path.leading_colon.is_none()
        && names.len() == 1
        && matches!(last, "Serialize" | "Deserialize")
    {
        return Err(Problem::new(
            format!("write serde's derive as `serde::{last}`"),
            "a `use` of yours does not reach the generated modules",
            "write `serde::Serialize` or `serde::Deserialize`: mortise recognizes serde by this path and makes association fields serialize",
        ));
    }
    let mut written = String::new();
    if path.leading_colon.is_some() {
        written.push_str("::");
    }
    written.push_str(&names.join("::"));
    Ok(written)
}

/// An outer attribute, as written (trimmed); and whether it is `#[serde(...)]`.
pub(crate) fn attribute(text: &str) -> Result<(String, bool), Problem> {
    let text = text.trim();
    let example = "write one outer attribute, e.g. `#[serde(rename_all = \"camelCase\")]`";
    if text.starts_with("#!") {
        return Err(Problem::new(
            format!("{text:?} is an inner attribute"),
            "it would apply to the module, not the struct",
            "write `#[...]`, not `#![...]`",
        ));
    }
    let parser = syn::Attribute::parse_outer;
    let attributes = syn::parse::Parser::parse_str(parser, text).map_err(|e| {
        Problem::new(
            format!("{text:?} is not a Rust attribute"),
            &format!("does not parse: {e}"),
            example,
        )
    })?;
    let [one] = attributes.as_slice() else {
        return Err(Problem::new(
            format!("{text:?} holds {} attributes", attributes.len()),
            "one attribute per list item",
            example,
        ));
    };
    if one.path().is_ident("derive") {
        return Err(Problem::new(
            format!("{text:?} is a derive"),
            "derives go in `derive:`",
            "list the derive macro in `derive:` instead, e.g. `derive: [serde::Serialize]`: mortise merges it with its own derives",
        ));
    }
    Ok((text.to_owned(), one.path().is_ident("serde")))
}

/// Fills every declared table's `options` from `defaults` and its own lists.
/// Runs before tables are copied (a `{ table, struct }` association's table
/// is a copy of its struct's table), so copies carry them too.
pub(super) fn resolve_struct_options(cx: &mut Context<'_>) {
    let ast = cx.ast;
    let defaults = checked(cx, &ast.defaults.rust);
    // An attribute of `defaults` is reported once, not once per table.
    let mut reported: Vec<Span> = Vec::new();
    for (id, table) in ast.tables.iter().enumerate() {
        let own = checked(cx, &table.rust);
        let mut options = StructOptions::default();
        for derive in defaults.derives.iter().chain(&own.derives) {
            options.add_derive(&derive.value);
        }
        for attribute in defaults.attributes.iter().chain(&own.attributes) {
            if !options.attributes.contains(&attribute.text) {
                options.attributes.push(attribute.text.clone());
            }
        }
        for attribute in defaults.attributes.iter().chain(&own.attributes) {
            if attribute.serde && !options.serde() && !reported.contains(&attribute.span) {
                reported.push(attribute.span);
                cx.error(
                    Diagnostic::error(attribute.span, format!("a serde attribute on table {}, which derives no serde trait", table.name.value))
                        .with_label("serde reads this only beside its derives")
                        .with_help(format!("add `serde::Serialize` and/or `serde::Deserialize` to the `derive:` of {} (or of `defaults`)", table.name.value)),
                );
            }
        }
        cx.tables[id].options = options;
    }
}

/// A table's row struct holds its associations' rows (and a join schema's
/// rows in edges): those tables must derive at least what it derives.
pub(super) fn check_held_rows_derive_as_much(cx: &mut Context<'_>) {
    let ast = cx.ast;
    let mut problems = Vec::new();
    for (id, table) in ast.tables.iter().enumerate() {
        let owner = &cx.tables[id];
        for assoc in &owner.associations {
            let target = cx
                .templates
                .get(&assoc.target)
                .copied()
                .unwrap_or(assoc.target);
            let join = match (&assoc.edges_field, &assoc.kind) {
                (Some(_), ir::AssociationKind::ManyToMany { join_table, .. }) => Some(*join_table),
                _ => None,
            };
            for held in std::iter::once(target).chain(join) {
                let held_table = &cx.tables[held];
                if held_table.kind != TableKind::Entity {
                    continue;
                }
                for derive in &owner.options.derives {
                    if held_table.options.derives(derive) {
                        continue;
                    }
                    let at = table
                        .rust
                        .derive
                        .iter()
                        .find(|d| derive_path(&d.value).is_ok_and(|p| same_path(&p, derive)));
                    let assoc_span = table
                        .associations
                        .iter()
                        .find(|a| a.name.value == assoc.name)
                        .map(|a| a.name.span);
                    let Some(span) = at.map(|d| d.span).or(assoc_span) else {
                        continue;
                    };
                    let how = if Some(held) == join {
                        "links through"
                    } else {
                        "holds"
                    };
                    let mut d = Diagnostic::error(
                        span,
                        format!(
                            "table {} derives `{derive}`, and its association {:?} {how} rows of {}, which does not",
                            table.name.value, assoc.name, held_table.sql_name
                        ),
                    )
                    .with_label("the row struct derives it for its association fields too")
                    .with_help(format!(
                        "add `{derive}` to the `derive:` of {} (or put it in `defaults.derive` for every table)",
                        held_table.sql_name
                    ));
                    if let (Some(_), Some(assoc_span)) = (at, assoc_span) {
                        d = d.with_related(assoc_span, "the association");
                    }
                    problems.push(d);
                }
            }
        }
    }
    for d in problems {
        cx.error(d);
    }
}

/// Adds `Config`'s derives and attributes to every declared table; every
/// problem, as plain text.
pub(crate) fn add_config(
    schema: &mut ir::Schema,
    derives: &[String],
    attributes: &[String],
) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let derives: Vec<String> = derives
        .iter()
        .filter_map(|d| derive_path(d).map_err(|p| problems.push(p)).ok())
        .collect();
    let attributes: Vec<(String, bool)> = attributes
        .iter()
        .filter_map(|a| attribute(a).map_err(|p| problems.push(p)).ok())
        .collect();
    for table in &mut schema.tables {
        if table.kind == TableKind::PlainJoin {
            continue;
        }
        for derive in &derives {
            table.options.add_derive(derive);
        }
        for (text, _) in &attributes {
            if !table.options.attributes.contains(text) {
                table.options.attributes.push(text.clone());
            }
        }
    }
    for (text, _) in attributes.iter().filter(|(_, serde)| *serde) {
        if let Some(table) = schema
            .tables
            .iter()
            .find(|t| t.kind == TableKind::Entity && !t.options.serde())
        {
            problems.push(Problem::new(
                format!("Config::attribute({text:?}) is a serde attribute, and table {} derives no serde trait", table.sql_name),
                "",
                &format!("derive `{SERIALIZE}` and/or `{DESERIALIZE}` on every table (`Config::derive` or `defaults.derive`)"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A list's derives and attributes that pass their checks; the others reported.
struct Checked {
    derives: Vec<Sp<String>>,
    attributes: Vec<CheckedAttribute>,
}

struct CheckedAttribute {
    text: String,
    serde: bool,
    span: Span,
}

fn checked(cx: &mut Context<'_>, options: &ast::RustOptions) -> Checked {
    let mut out = Checked {
        derives: Vec::new(),
        attributes: Vec::new(),
    };
    for derive in &options.derive {
        match derive_path(&derive.value) {
            Ok(path) => {
                if let Some(first) = out.derives.iter().find(|d| same_path(&d.value, &path)) {
                    let first = first.span;
                    cx.error(
                        Diagnostic::error(derive.span, format!("`{path}` is listed twice"))
                            .with_label("listed again here")
                            .with_related(first, "first listed here")
                            .with_help("list each derive once"),
                    );
                    continue;
                }
                out.derives.push(Sp {
                    value: path,
                    span: derive.span,
                });
            }
            Err(p) => report(cx, derive.span, p),
        }
    }
    for attr in &options.attributes {
        match attribute(&attr.value) {
            Ok((text, serde)) => out.attributes.push(CheckedAttribute {
                text,
                serde,
                span: attr.span,
            }),
            Err(p) => report(cx, attr.span, p),
        }
    }
    out
}

fn report(cx: &mut Context<'_>, span: Span, p: Problem) {
    cx.error(
        Diagnostic::error(span, p.message)
            .with_label(p.label)
            .with_help(p.help),
    );
}
