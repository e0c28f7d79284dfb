//! A [`Catalog`] as the schema.yaml a person would have written: every
//! column a field (snake_case names, `column:` for the SQL name), every
//! foreign key a `belongs_to` and its `has_many`/`has_one`, every join
//! table a `many_to_many` on both sides, and what the format cannot say
//! kept as comments. Written by hand, in catalog order: the same catalog
//! gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use heck::ToSnakeCase;

use super::catalog::{Catalog, Column, Default, ForeignKey, Literal, Table};
use crate::names::singular;

/// A join table: a table whose primary key or a unique index is exactly
/// two single-column foreign keys, `owner` first (in the key's order).
/// A plain one is left undeclared, as mortise's DDL would create it.
struct Join {
    table: usize,
    owner: usize,
    related: usize,
    /// No other columns nor keys: left undeclared (a plain join table).
    plain: bool,
}

/// One association line of a table, in the order written.
struct Association {
    /// belongs_to 0, has_one/has_many 1, many_to_many 2: the order written.
    rank: u8,
    name: String,
    body: String,
    /// Why it is what it is, written above it.
    comment: Option<String>,
}

/// `database` says where it was pulled from (a comment); `dialect` is the
/// `sql_type:` key of its types (`sqlite`, `postgres`).
pub fn write(mut catalog: Catalog, database: &str, dialect: &str) -> String {
    if dialect == "sqlite" {
        align_integer_keys(&mut catalog);
    }
    // Tables all in one schema other than the current one: `defaults.prefix`.
    let default_prefix = match catalog.tables.first().map(|t| &t.schema) {
        Some(Some(schema))
            if catalog
                .tables
                .iter()
                .all(|t| t.schema.as_ref() == Some(schema)) =>
        {
            Some(schema.clone())
        }
        _ => None,
    };
    undeclared_enums_as_text(&mut catalog, default_prefix.as_deref());
    let catalog = &catalog;
    let tables = &catalog.tables;
    let mut notes = catalog.notes.clone();
    let find = |schema: &Option<String>, name: &str| {
        tables
            .iter()
            .position(|t| t.schema == *schema && t.name == name)
    };
    // Two schemas' tables of one name: the schema names a table by its name.
    let mut skipped = BTreeSet::new();
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|o| o.name == t.name) {
            notes.push(format!(
                "table {}.{}: another schema's table has its name, which the schema's table keys must tell apart",
                t.schema.as_deref().unwrap_or(""),
                t.name
            ));
            skipped.insert(i);
        }
    }

    // Foreign keys whose target is a declared table and a key or unique column set.
    // The table a foreign key of `owner` points at, when an association
    // can read it: a declared table's key or unique columns, of the same
    // types (as the generator wants).
    let target_of = |owner: &Table, fk: &ForeignKey| -> Option<usize> {
        let target = find(&fk.target_schema, &fk.target)?;
        let t = &tables[target];
        let columns = if fk.target_columns.is_empty() {
            &t.primary_key
        } else {
            &fk.target_columns
        };
        let ty = |table: &Table, c: &str| table.column(c).and_then(|c| c.field_type.clone());
        let same_types = columns.len() == fk.columns.len()
            && columns
                .iter()
                .zip(&fk.columns)
                .all(|(key, column)| ty(t, key) == ty(owner, column));
        (!skipped.contains(&target) && !columns.is_empty() && t.is_unique(columns) && same_types)
            .then_some(target)
    };
    let mut table_notes: Vec<Vec<String>> = tables.iter().map(|t| t.notes.clone()).collect();
    for (i, t) in tables.iter().enumerate() {
        for fk in &t.foreign_keys {
            if target_of(t, fk).is_none() {
                table_notes[i].push(format!(
                    "foreign key ({}) to {}: its target is not a declared table's key or unique columns of the same types, so no association",
                    fk.columns.join(", "),
                    fk.target
                ));
            }
        }
    }

    let joins: Vec<Join> = tables
        .iter()
        .enumerate()
        .filter(|(i, _)| !skipped.contains(i))
        .filter_map(|(i, t)| join(i, t, |fk| target_of(t, fk).is_some()))
        .collect();
    let plain = |i: usize| joins.iter().any(|j| j.table == i && j.plain);

    // Each table's taken Rust names: its fields', then its associations'.
    // The module's own name too: a module `employee` in `employee` is a mistake clippy names.
    let mut taken: Vec<BTreeSet<String>> = tables
        .iter()
        .map(|t| {
            let fields = t.columns.iter().map(|c| field_key(t, &c.name));
            fields.chain([t.name.to_snake_case()]).collect()
        })
        .collect();
    let mut associations: Vec<Vec<Association>> = tables.iter().map(|_| Vec::new()).collect();

    // belongs_to on the table holding the key, then has_many/has_one on its
    // target; their names by (table, foreign key), for through paths.
    let mut fk_names: BTreeMap<(usize, usize), (String, String)> = BTreeMap::new();
    for (i, t) in tables.iter().enumerate() {
        if skipped.contains(&i) || plain(i) {
            continue;
        }
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            let Some(target) = target_of(t, fk) else {
                continue;
            };
            let p = &tables[target];
            let to_same = t
                .foreign_keys
                .iter()
                .filter(|o| target_of(t, o) == Some(target))
                .count();
            let stripped = match fk.columns.as_slice() {
                [one] => one.to_snake_case().strip_suffix("_id").map(str::to_owned),
                _ => None,
            };
            let base = match stripped {
                Some(s) if !s.is_empty() => s,
                // A tree (`ReportsTo` to the same table): parent and children.
                _ if target == i && to_same == 1 => "parent".to_owned(),
                _ if to_same == 1 => singular(&p.name),
                _ => format!(
                    "{}_{}",
                    fk.columns
                        .iter()
                        .map(|c| c.to_snake_case())
                        .collect::<Vec<_>>()
                        .join("_"),
                    singular(&p.name)
                ),
            };
            let name = unique_name(&mut taken[i], &base);
            let mut body = format!(
                "belongs_to: {}, foreign_key: {}",
                yaml(&p.name),
                keys(t, &fk.columns)
            );
            if let Some(references) = references(p, fk) {
                write!(body, ", references: {references}").unwrap();
            }
            if let Some(action) = fk.on_delete {
                write!(body, ", on_delete: {action}").unwrap();
            }
            associations[i].push(Association {
                rank: 0,
                name: name.clone(),
                body,
                comment: None,
            });
            let belongs_to = name.clone();

            // The other side: named after this table, and after the
            // belongs_to when it is not the target's plain name.
            let one = t.is_unique(&fk.columns);
            let own = if one {
                singular(&t.name)
            } else {
                plural(&t.name)
            };
            let base = if name == singular(&p.name) || (to_same == 1 && target != i) {
                own
            } else if name == "parent" && target == i {
                (if one { "child" } else { "children" }).to_owned()
            } else {
                format!("{name}_{own}")
            };
            let name = unique_name(&mut taken[target], &base);
            let mut body = format!(
                "{}: {}, foreign_key: {}",
                if one { "has_one" } else { "has_many" },
                yaml(&t.name),
                keys(t, &fk.columns)
            );
            if let Some(references) = references(p, fk) {
                write!(body, ", references: {references}").unwrap();
            }
            fk_names.insert((i, k), (belongs_to, name.clone()));
            associations[target].push(Association {
                rank: 1,
                name,
                body,
                comment: None,
            });
        }
    }

    // many_to_many on both sides of each join table.
    for j in &joins {
        let jt = &tables[j.table];
        let (a, b) = (&jt.foreign_keys[j.owner], &jt.foreign_keys[j.related]);
        let (ta, tb) = (target_of(jt, a).unwrap(), target_of(jt, b).unwrap());
        let join_key = |fk: &ForeignKey, target: usize| {
            // A plain join table has no fields: its columns by SQL name.
            let column = if j.plain {
                match fk.columns.as_slice() {
                    [one] => yaml(one),
                    many => format!(
                        "[{}]",
                        many.iter().map(|c| yaml(c)).collect::<Vec<_>>().join(", ")
                    ),
                }
            } else {
                keys(jt, &fk.columns)
            };
            match references(&tables[target], fk) {
                Some(references) => format!("{{ column: {column}, references: {references} }}"),
                None => column,
            }
        };
        let sides = [(ta, tb, a, b), (tb, ta, b, a)];
        // Columns a new link must fill that the database does not.
        let unfilled: Option<Vec<&str>> = Some(
            jt.columns
                .iter()
                .filter(|c| !a.columns.contains(&c.name) && !b.columns.contains(&c.name))
                .filter(|c| !c.nullable && c.default.is_none() && !c.autogenerate)
                .map(|c| c.name.as_str())
                .collect(),
        )
        .filter(|columns: &Vec<&str>| !columns.is_empty());
        let self_names = (ta == tb).then(|| {
            let word = |fk: &ForeignKey| {
                let snake = fk.columns[0].to_snake_case();
                plural(snake.strip_suffix("_id").unwrap_or(&snake))
            };
            // (user_id, friend_id): `friends`, and the other way `friends_of`
            // (not `users`, which would read as every user).
            let (first, second) = (word(b), word(a));
            if first == second || second == plural(&tables[ta].name) {
                (first.clone(), format!("{first}_of"))
            } else {
                (first, second)
            }
        });
        for (side, (owner, related, own_key, other_key)) in sides.into_iter().enumerate() {
            let base = match &self_names {
                Some((first, second)) => {
                    if side == 0 {
                        first.clone()
                    } else {
                        second.clone()
                    }
                }
                None => plural(&tables[related].name),
            };
            let base = if ta != tb && taken[owner].contains(&base) {
                jt.name.to_snake_case()
            } else {
                base
            };
            let name = unique_name(&mut taken[owner], &base);
            let (own_index, other_index) = if side == 0 {
                (j.owner, j.related)
            } else {
                (j.related, j.owner)
            };
            let (body, comment) = match &unfilled {
                None => (
                    format!(
                        "many_to_many: {}, join_through: {}, join_keys: {{ owner: {}, related: {} }}",
                        yaml(&tables[related].name),
                        yaml(&jt.name),
                        join_key(own_key, owner),
                        join_key(other_key, related)
                    ),
                    None,
                ),
                // Links could not be written: the path through the join schema reads the same rows.
                Some(columns) => (
                    format!(
                        "has_many: {{ through: [{}, {}] }}",
                        yaml(&fk_names[&(j.table, own_index)].1),
                        yaml(&fk_names[&(j.table, other_index)].0)
                    ),
                    Some(format!(
                        "not a many_to_many: its link helpers could not fill {} of {} (NOT NULL without a default); \
                         add `join_defaults` to make it one",
                        columns.join(", "),
                        jt.name
                    )),
                ),
            };
            associations[owner].push(Association {
                rank: 2,
                name,
                body,
                comment,
            });
        }
    }

    for list in &mut associations {
        list.sort_by_key(|a| a.rank); // stable: catalog order within a kind
    }
    let mut out = String::new();
    writeln!(
        out,
        "# Pulled by `mortise pull` from {database}. Review the association names:\n\
         # they come from the foreign keys' columns and the tables' names."
    )
    .unwrap();
    if !notes.is_empty() {
        out.push_str("#\n# Not declared (the schema format cannot say it):\n");
        for note in &notes {
            writeln!(out, "#   - {}", one_line(note)).unwrap();
        }
    }
    out.push_str("version: 1\n");
    if let Some(prefix) = &default_prefix {
        writeln!(out, "defaults:\n  prefix: {}", yaml(prefix)).unwrap();
    }
    let enums: Vec<_> = catalog
        .enums
        .iter()
        .filter(|e| e.schema == default_prefix)
        .collect();
    if !enums.is_empty() {
        out.push_str("enums:\n");
        for e in enums {
            let values: Vec<String> = e.values.iter().map(|v| yaml(v)).collect();
            writeln!(out, "  {}: [{}]", yaml(&e.name), values.join(", ")).unwrap();
        }
    }
    out.push_str("tables:\n");
    let mut first = true;
    for (i, t) in tables.iter().enumerate() {
        if skipped.contains(&i) || plain(i) {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        let prefix = t.schema.as_ref().filter(|_| default_prefix.is_none());
        write_table(
            &mut out,
            t,
            prefix,
            &table_notes[i],
            &associations[i],
            dialect,
        );
    }
    out
}

fn write_table(
    out: &mut String,
    t: &Table,
    prefix: Option<&String>,
    notes: &[String],
    associations: &[Association],
    dialect: &str,
) {
    writeln!(out, "  {}:", yaml(&t.name)).unwrap();
    for note in notes {
        writeln!(out, "    # {}", one_line(note)).unwrap();
    }
    let snake = t.name.to_snake_case();
    if snake != t.name {
        writeln!(out, "    module: {}", yaml(&snake)).unwrap();
    }
    if let Some(schema) = prefix {
        writeln!(out, "    prefix: {}", yaml(schema)).unwrap();
    }
    // A key with a type of its own is a field, named by a list (the key
    // map has no `sql_type`).
    let single_key = match t.primary_key.as_slice() {
        [one] => t.column(one).filter(|c| c.sql_type.is_none()),
        _ => None,
    };
    match (single_key, t.primary_key.as_slice()) {
        (Some(c), _) => {
            let mut key = format!("name: {}", yaml(&field_key(t, &c.name)));
            if field_key(t, &c.name) != c.name {
                write!(key, ", column: {}", yaml(&c.name)).unwrap();
            }
            let ty = c.field_type.as_deref().unwrap_or("string");
            write!(
                key,
                ", type: {}, autogenerate: {}",
                yaml(ty),
                c.autogenerate
            )
            .unwrap();
            writeln!(out, "    primary_key: {{ {key} }}").unwrap();
        }
        (None, []) => out
            .push_str("    # No primary key: no get, update or delete.\n    primary_key: false\n"),
        (None, columns) => {
            let names: Vec<String> = columns.iter().map(|c| yaml(&field_key(t, c))).collect();
            writeln!(out, "    primary_key: [{}]", names.join(", ")).unwrap();
        }
    }
    for unique in &t.uniques {
        if unique.len() > 1 {
            writeln!(
                out,
                "    # unique ({}): a unique index over several columns is not declared; the database keeps it",
                unique.join(", ")
            )
            .unwrap();
        }
    }
    let fields: Vec<&Column> = t
        .columns
        .iter()
        .filter(|c| single_key.is_none_or(|k| k.name != c.name))
        .collect();
    if !fields.is_empty() {
        out.push_str("    fields:\n");
    }
    for c in fields {
        if let Some(note) = &c.note {
            writeln!(out, "      # {}: {}", c.name, one_line(note)).unwrap();
        }
        let ty = format!(
            "{}{}",
            c.field_type.as_deref().unwrap_or("string"),
            if c.nullable { "?" } else { "" }
        );
        let key = field_key(t, &c.name);
        let mut options = Vec::new();
        if key != c.name {
            options.push(format!("column: {}", yaml(&c.name)));
        }
        match &c.default {
            Some(Default::Literal(Literal::Text(text))) => {
                options.push(format!("default: {}", quoted(text)))
            }
            Some(Default::Literal(Literal::Number(n))) => options.push(format!("default: {n}")),
            Some(Default::Literal(Literal::Bool(b))) => options.push(format!("default: {b}")),
            Some(Default::Sql(sql)) => options.push(format!("default_sql: {}", quoted(sql))),
            None => {}
        }
        if t.uniques.iter().any(|u| u.len() == 1 && u[0] == c.name) {
            options.push("unique: true".to_owned());
        }
        if let Some(sql) = &c.sql_type {
            // The type as this database declares it; another backend keeps its default.
            options.push(format!("sql_type: {{ {dialect}: {} }}", yaml(sql)));
        }
        if options.is_empty() {
            writeln!(out, "      {}: {}", yaml(&key), yaml(&ty)).unwrap();
        } else {
            writeln!(
                out,
                "      {}: {{ type: {}, {} }}",
                yaml(&key),
                yaml(&ty),
                options.join(", ")
            )
            .unwrap();
        }
    }
    if !associations.is_empty() {
        out.push_str("    associations:\n");
        for a in associations {
            if let Some(comment) = &a.comment {
                writeln!(out, "      # {}", one_line(comment)).unwrap();
            }
            writeln!(out, "      {}: {{ {} }}", yaml(&a.name), a.body).unwrap();
        }
    }
}

/// `t` as a join table, if it is one (see [`Join`]); `usable` tells the
/// foreign keys that point at a declared table's key.
fn join(i: usize, t: &Table, usable: impl Fn(&ForeignKey) -> bool) -> Option<Join> {
    let keys = std::iter::once(&t.primary_key)
        .chain(&t.uniques)
        .filter(|k| !k.is_empty());
    for key in keys {
        // The foreign key holding the key's first column, and one holding the rest.
        let covers = |fk: &ForeignKey, columns: &[&String]| {
            usable(fk)
                && fk.columns.len() == columns.len()
                && columns.iter().all(|c| fk.columns.contains(c))
        };
        let Some(owner) = t.foreign_keys.iter().position(|fk| {
            fk.columns.contains(&key[0]) && fk.columns.iter().all(|c| key.contains(c))
        }) else {
            continue;
        };
        let rest: Vec<&String> = key
            .iter()
            .filter(|c| !t.foreign_keys[owner].columns.contains(c))
            .collect();
        if !covers(
            &t.foreign_keys[owner],
            &key.iter().filter(|c| !rest.contains(c)).collect::<Vec<_>>(),
        ) || rest.is_empty()
        {
            continue;
        }
        let Some(related) = t.foreign_keys.iter().position(|fk| covers(fk, &rest)) else {
            continue;
        };
        // Just the key: a plain join table (whose ON DELETE actions the
        // schema's DDL would make CASCADE). Anything else is declared.
        let plain = t.schema.is_none()
            && t.columns.len() == key.len()
            && t.primary_key.len() == key.len()
            && t.foreign_keys.len() == 2
            && t.columns.iter().all(|c| !c.nullable && c.note.is_none());
        return Some(Join {
            table: i,
            owner,
            related,
            plain,
        });
    }
    None
}

/// The schema's name of column `column` of `t`: its SQL name when that is
/// snake_case (or snake_casing it would meet another column), else its
/// snake_case (with `column:` the SQL name).
fn field_key(t: &Table, column: &str) -> String {
    let snake = column.to_snake_case();
    let clash = t
        .columns
        .iter()
        .any(|c| c.name != column && (c.name == snake || c.name.to_snake_case() == snake));
    if snake.is_empty() || clash || !crate::names::is_rust_name(&snake) {
        column.to_owned()
    } else {
        snake
    }
}

/// Columns of `t` by their field names: one plain, several a YAML list.
fn keys(t: &Table, columns: &[String]) -> String {
    match columns {
        [one] => yaml(&field_key(t, one)),
        _ => format!(
            "[{}]",
            columns
                .iter()
                .map(|c| yaml(&field_key(t, c)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `references:` of a foreign key to `target`, when not its primary key.
fn references(target: &Table, fk: &ForeignKey) -> Option<String> {
    if fk.target_columns.is_empty() || fk.target_columns == target.primary_key {
        return None;
    }
    Some(keys(target, &fk.target_columns))
}

/// `base`, or `base_2`, `base_3`... the first not taken; taken from now on.
fn unique_name(taken: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The plural of a table's name, snake_case: a name already plural stays.
fn plural(name: &str) -> String {
    let snake = name.to_snake_case();
    if singular(&snake) != snake {
        return snake;
    }
    let (head, last) = match snake.rfind('_') {
        Some(i) => snake.split_at(i + 1),
        None => ("", snake.as_str()),
    };
    let word = match last {
        "person" => "people".to_owned(),
        "child" => "children".to_owned(),
        w if ["s", "x", "z", "ch", "sh"].iter().any(|e| w.ends_with(e)) => format!("{w}es"),
        w if w.ends_with('y') && !w.ends_with("ay") && !w.ends_with("ey") && !w.ends_with("oy") => {
            format!("{}ies", &w[..w.len() - 1])
        }
        w => format!("{w}s"),
    };
    format!("{head}{word}")
}

/// `text` as a YAML scalar: plain when YAML reads it back as this string
/// (in flow context too), else double-quoted.
fn yaml(text: &str) -> String {
    const WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !WORDS.contains(&text.to_ascii_lowercase().as_str());
    if plain { text.to_owned() } else { quoted(text) }
}

/// `text` double-quoted, with YAML's escapes.
fn quoted(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A note on one comment line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SQLite stores every integer alike: a foreign key declared narrower or
/// wider than the integer key it references (`SMALLINT` to an `INTEGER
/// PRIMARY KEY`) takes the key's field type, its declaration kept as
/// `sql_type:`.
fn align_integer_keys(catalog: &mut Catalog) {
    let integer =
        |ty: &Option<String>| matches!(ty.as_deref(), Some("integer" | "int" | "smallint"));
    let mut changes = Vec::new();
    for (i, t) in catalog.tables.iter().enumerate() {
        for fk in &t.foreign_keys {
            let Some(target) = catalog
                .tables
                .iter()
                .find(|o| o.schema == fk.target_schema && o.name == fk.target)
            else {
                continue;
            };
            let keys = if fk.target_columns.is_empty() {
                &target.primary_key
            } else {
                &fk.target_columns
            };
            for (column, key) in fk.columns.iter().zip(keys) {
                let (Some(c), Some(k)) = (t.column(column), target.column(key)) else {
                    continue;
                };
                if c.field_type != k.field_type && integer(&c.field_type) && integer(&k.field_type)
                {
                    changes.push((i, column.clone(), k.field_type.clone()));
                }
            }
        }
    }
    for (i, column, ty) in changes {
        let c = catalog.tables[i]
            .columns
            .iter_mut()
            .find(|c| c.name == column)
            .expect("found above");
        if c.sql_type.is_none() {
            c.sql_type = Some(
                crate::sql::Dialect::Sqlite.column_type(
                    crate::ir::FieldType::from_name(c.field_type.as_deref().unwrap_or("integer"))
                        .unwrap_or(crate::ir::FieldType::Integer),
                ),
            );
        }
        c.field_type = ty;
    }
}

/// An enum type the schema cannot declare (mortise creates a schema's
/// enums in `defaults.prefix`, or unqualified): its columns are text of
/// that type, read as text.
fn undeclared_enums_as_text(catalog: &mut Catalog, default_prefix: Option<&str>) {
    let undeclared: Vec<(String, String)> = catalog
        .enums
        .iter()
        .filter(|e| e.schema.as_deref() != default_prefix)
        .map(|e| {
            let schema = e.schema.as_deref().unwrap_or("public");
            (e.name.clone(), format!("{schema}.{}", e.name))
        })
        .collect();
    for t in &mut catalog.tables {
        for c in &mut t.columns {
            let Some((_, qualified)) = undeclared
                .iter()
                .find(|(name, _)| c.field_type.as_ref() == Some(name))
            else {
                continue;
            };
            c.note = Some(format!(
                "enum type {qualified} is not in the schema's prefix: read as text"
            ));
            c.field_type = Some("string".to_owned());
            c.sql_type = Some(qualified.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(yaml("film_id"), "film_id");
        assert_eq!(yaml("NUMERIC(10,2)"), "\"NUMERIC(10,2)\"");
        assert_eq!(yaml("yes"), "\"yes\"");
        assert_eq!(yaml("1"), "\"1\"");
        assert_eq!(quoted("a\"b\\c\n"), r#""a\"b\\c\n""#);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("film"), "films");
        assert_eq!(plural("films"), "films");
        assert_eq!(plural("PlaylistTrack"), "playlist_tracks");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("address"), "addresses");
        assert_eq!(plural("person"), "people");
    }
}
