//! `mortise diagram`: the schema as a Mermaid `erDiagram`, for READMEs and
//! docs.
//!
//! Every declared table is an entity with its columns (schema type, name,
//! `PK`/`FK`/`UK`, "null" for a nullable one); every foreign key is one
//! relationship from the referenced table (zero or one child where a
//! has_one or a unique key says so), labelled with the has_one/has_many
//! associations over it, else with its columns. A
//! plain join table is not drawn as a table: it is the many-to-many it
//! carries (`}o--o{`, labelled with its name). A join schema has columns of
//! its own, so it is an entity with its two foreign keys, and the
//! many-to-many it carries is drawn dashed beside them.

use std::fmt::Write as _;

use crate::ir::{AssociationKind, Schema, Table, TableId, TableKind};

/// The diagram of `schema`, deterministic: tables in schema order.
pub fn diagram(schema: &Schema) -> String {
    let mut out = String::from("erDiagram\n");
    for table in schema
        .tables
        .iter()
        .filter(|t| t.kind != TableKind::PlainJoin)
    {
        entity(&mut out, table);
    }
    for (id, table) in schema.tables.iter().enumerate() {
        if table.kind == TableKind::PlainJoin {
            continue;
        }
        for fk in &table.foreign_keys {
            let parent = &schema.tables[fk.target];
            // The parent's has_one/has_many over this key name the line.
            let (mut one, mut names) = (is_unique(table, &fk.columns), Vec::new());
            for assoc in &parent.associations {
                if let AssociationKind::Has {
                    many, foreign_key, ..
                } = &assoc.kind
                    && assoc.target == id
                    && *foreign_key == fk.columns
                {
                    one |= !many;
                    names.push(assoc.name.as_str());
                }
            }
            if names.is_empty() {
                names = fk
                    .columns
                    .iter()
                    .map(|c| table.columns[*c].sql_name.as_str())
                    .collect();
            }
            let nullable = fk.columns.iter().any(|c| table.columns[*c].nullable);
            let left = if nullable { "|o" } else { "||" };
            let right = if one { "o|" } else { "o{" };
            let _ = writeln!(
                out,
                "    {} {left}--{right} {} : \"{}\"",
                name(parent),
                name(table),
                label(&names.join(", "))
            );
        }
    }
    for (join, (a, b), dashed) in many_to_manys(schema) {
        let line = if dashed { ".." } else { "--" };
        let _ = writeln!(
            out,
            "    {} }}o{line}o{{ {} : \"{}\"",
            name(&schema.tables[a]),
            name(&schema.tables[b]),
            label(&schema.tables[join].sql_name)
        );
    }
    out
}

/// One entity block: each column as `type name [keys] ["null"]`.
fn entity(out: &mut String, table: &Table) {
    let _ = writeln!(out, "    {} {{", name(table));
    let in_fk = |c: usize| table.foreign_keys.iter().any(|fk| fk.columns.contains(&c));
    for (id, column) in table.columns.iter().enumerate() {
        let mut keys = Vec::new();
        if table.primary_key.contains(&id) {
            keys.push("PK");
        }
        if in_fk(id) {
            keys.push("FK");
        }
        if column.unique {
            keys.push("UK");
        }
        let keys = if keys.is_empty() {
            String::new()
        } else {
            format!(" {}", keys.join(", "))
        };
        let comment = if column.nullable { " \"null\"" } else { "" };
        let _ = writeln!(
            out,
            "        {} {}{keys}{comment}",
            word(&column.ty.to_string().replace("[]", "_array")),
            word(&column.sql_name)
        );
    }
    let _ = writeln!(out, "    }}");
}

/// Each join table once, with the two tables it links (the first
/// association's direction) and whether it is a join schema (drawn dashed).
fn many_to_manys(schema: &Schema) -> Vec<(TableId, (TableId, TableId), bool)> {
    let mut out: Vec<(TableId, (TableId, TableId), bool)> = Vec::new();
    for (owner, table) in schema.tables.iter().enumerate() {
        for assoc in &table.associations {
            let AssociationKind::ManyToMany { join_table, .. } = assoc.kind else {
                continue;
            };
            if out.iter().any(|(j, _, _)| *j == join_table) {
                continue;
            }
            let dashed = schema.tables[join_table].kind == TableKind::Entity;
            out.push((join_table, (owner, assoc.target), dashed));
        }
    }
    out
}

/// Whether `columns` are unique in `table`: its key, a unique index, or one
/// unique column.
fn is_unique(table: &Table, columns: &[usize]) -> bool {
    let same =
        |other: &[usize]| other.len() == columns.len() && columns.iter().all(|c| other.contains(c));
    same(&table.primary_key)
        || table.indexes.iter().any(|i| i.unique && same(&i.columns))
        || matches!(columns, [one] if table.columns[*one].unique)
}

/// An entity's name: the table's, where Mermaid reads it as a name, else
/// its module's (a Rust identifier).
fn name(table: &Table) -> String {
    let sql = &table.sql_name;
    if is_word(sql) {
        sql.clone()
    } else {
        table.module.unraw().to_owned()
    }
}

/// A type or column name as Mermaid reads one: letters, digits, `_`, `-`,
/// starting with a letter; anything else becomes `_`.
fn word(text: &str) -> String {
    let mut word: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '(' || c == ')' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        word.insert(0, 'c');
    }
    word
}

fn is_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A relationship label: in double quotes, which it must not hold.
fn label(text: &str) -> String {
    text.replace('"', "'")
}
