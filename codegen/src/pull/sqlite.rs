//! SQLite's catalog (`sqlite_schema` and the `pragma_*` table functions)
//! as a [`Catalog`].

use rusqlite::Connection;

use super::catalog::{Catalog, Column, EnumType, ForeignKey, Table, default_of};
use super::types::{self, Declared};

pub fn read(db: &Connection) -> Result<Catalog, String> {
    let mut catalog = Catalog::default();
    let objects: Vec<(String, String, String, Option<String>)> = query(
        db,
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (kind, name, table, sql) in &objects {
        match kind.as_str() {
            "table" => {
                let sql = sql.as_deref().unwrap_or("");
                if sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL") {
                    catalog.notes.push(format!(
                        "virtual table {name}: a module's table, not declared"
                    ));
                    continue;
                }
                catalog
                    .tables
                    .push(read_table(db, name, sql, &mut catalog.enums)?);
            }
            "view" => catalog.notes.push(format!(
                "view {name}: views are not declared (query it with a queries file)"
            )),
            "trigger" => catalog.notes.push(format!(
                "trigger {name} on {table}: triggers are not declared; the database keeps running it"
            )),
            _ => {} // Indexes: read with their table.
        }
    }
    // SQLite's names are case-insensitive: `REFERENCES language (languageid)`
    // names table `Language` and its column `LanguageId`.
    let exact: Vec<(String, Vec<String>)> = catalog
        .tables
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.columns.iter().map(|c| c.name.clone()).collect(),
            )
        })
        .collect();
    for fk in catalog.tables.iter_mut().flat_map(|t| &mut t.foreign_keys) {
        if let Some((name, columns)) = exact
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&fk.target))
        {
            fk.target = name.clone();
            for column in &mut fk.target_columns {
                if let Some(c) = columns.iter().find(|c| c.eq_ignore_ascii_case(column)) {
                    *column = c.clone();
                }
            }
        }
    }
    Ok(catalog)
}

fn read_table(
    db: &Connection,
    name: &str,
    sql: &str,
    enums: &mut Vec<EnumType>,
) -> Result<Table, String> {
    let rows: Vec<(String, String, bool, Option<String>, i64)> = query(
        db,
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut pk: Vec<(i64, String)> = rows
        .iter()
        .filter(|r| r.4 > 0)
        .map(|r| (r.4, r.0.clone()))
        .collect();
    pk.sort();
    let primary_key: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
    let autoincrement = sql.to_ascii_uppercase().contains("AUTOINCREMENT");
    let (checks, mut notes) = checks(sql);

    let mut columns = Vec::new();
    for (column, declared, not_null, default, pk) in rows {
        let mut declared = types::sqlite(&declared);
        // `CHECK ("col" IN ('a', ...))`, as mortise writes an enum.
        if let Some(values) = checks.iter().find_map(|(c, v)| (*c == column).then_some(v)) {
            let enum_name = format!("{}_{}", heck_snake(name), heck_snake(&column));
            enums.push(EnumType {
                schema: None,
                name: enum_name.clone(),
                values: values.clone(),
            });
            declared = Declared::of(&enum_name);
        }
        let Declared {
            field_type,
            sql_type,
            note,
        } = declared;
        // A key column is NOT NULL whatever the table says (SQLite lets a
        // non-INTEGER key hold NULL, which no program relies on).
        let nullable = !not_null && pk == 0;
        let default = match (&default, &field_type) {
            (Some(sql), Some(ty)) => Some(default_of(sql, ty)),
            _ => None,
        };
        columns.push(Column {
            name: column,
            field_type,
            sql_type,
            note,
            nullable,
            default,
            autogenerate: autoincrement && pk > 0 && primary_key.len() == 1,
        });
    }

    let mut uniques = Vec::new();
    let indexes: Vec<(String, bool, String, bool)> = query(
        db,
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (index, unique, origin, partial) in indexes {
        if !unique || origin == "pk" {
            continue;
        }
        let cols: Vec<Option<String>> = query(
            db,
            "SELECT name FROM pragma_index_info(?1) ORDER BY seqno",
            [&index],
            |r| r.get(0),
        )?;
        if partial || cols.iter().any(Option::is_none) {
            notes.push(format!(
                "unique index {index}: partial or on expressions, not declared"
            ));
            continue;
        }
        let cols: Vec<String> = cols.into_iter().flatten().collect();
        if !uniques.contains(&cols) {
            uniques.push(cols);
        }
    }

    let fk_rows: Vec<(i64, String, String, Option<String>, String)> = query(
        db,
        "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut foreign_keys: Vec<(i64, ForeignKey)> = Vec::new();
    for (id, target, from, to, on_delete) in fk_rows {
        if foreign_keys.last().is_none_or(|(last, _)| *last != id) {
            let on_delete = match on_delete.as_str() {
                "CASCADE" => Some("cascade"),
                "SET NULL" => Some("set_null"),
                "RESTRICT" => Some("restrict"),
                "NO ACTION" => None,
                other => {
                    notes.push(format!(
                        "foreign key to {target}: ON DELETE {other} is not expressible; declared without it"
                    ));
                    None
                }
            };
            foreign_keys.push((
                id,
                ForeignKey {
                    columns: Vec::new(),
                    target_schema: None,
                    target: target.clone(),
                    target_columns: Vec::new(),
                    on_delete,
                },
            ));
        }
        let fk = &mut foreign_keys.last_mut().expect("pushed above").1;
        fk.columns.push(from);
        // `REFERENCES t` without columns names t's primary key: empty, resolved by the writer.
        if let Some(to) = to {
            fk.target_columns.push(to);
        }
    }
    // pragma_foreign_key_list numbers them last declared first.
    foreign_keys.sort_by_key(|(id, _)| std::cmp::Reverse(*id));

    Ok(Table {
        schema: None,
        name: name.to_owned(),
        columns,
        primary_key,
        uniques,
        foreign_keys: foreign_keys.into_iter().map(|(_, fk)| fk).collect(),
        notes,
    })
}

/// The table's CHECK constraints: those of the form `col IN ('a', ...)`
/// (an enum, as mortise writes one) as (column, values), the others as
/// notes.
fn checks(sql: &str) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let mut enums = Vec::new();
    let mut notes = Vec::new();
    let tokens = types::tokens(sql);
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].eq_ignore_ascii_case("CHECK")
            && tokens.get(i + 1).map(String::as_str) == Some("(")
        {
            let mut depth = 0;
            let mut end = i + 1;
            for (j, t) in tokens.iter().enumerate().skip(i + 1) {
                match t.as_str() {
                    "(" => depth += 1,
                    ")" => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = j;
                    break;
                }
            }
            let inner = &tokens[i + 2..end];
            match types::in_list(inner) {
                Some(found) => enums.push(found),
                None => notes.push(format!(
                    "CHECK ({}): check constraints are not declared; the database keeps it",
                    inner.join(" ")
                )),
            }
            i = end;
        }
        i += 1;
    }
    (enums, notes)
}

fn heck_snake(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name)
}

fn query<T, P: rusqlite::Params>(
    db: &Connection,
    sql: &str,
    params: P,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, String> {
    let read = || -> rusqlite::Result<Vec<T>> {
        let mut statement = db.prepare(sql)?;
        statement.query_map(params, row)?.collect()
    };
    read().map_err(|e| format!("cannot read SQLite's catalog: {e}"))
}
