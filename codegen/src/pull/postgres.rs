//! PostgreSQL's catalog (`pg_catalog`) as a [`Catalog`]: every schema but
//! the system's, `current_schema()` unprefixed.

use postgres::Client;

use super::catalog::{Catalog, Column, EnumType, ForeignKey, Table, default_of};
use super::types;

/// The schemas read: all but PostgreSQL's own.
const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

pub fn read(client: &mut Client) -> Result<Catalog, String> {
    let current: String = client
        .query_one("SELECT current_schema()::text", &[])
        .map_err(fail)?
        .get(0);
    let prefix = |schema: String| (schema != current).then_some(schema);
    let mut catalog = Catalog::default();

    for row in client
        .query(
            &format!(
                "SELECT n.nspname::text, t.typname::text, \
                        array_agg(e.enumlabel::text ORDER BY e.enumsortorder) \
                 FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
                 JOIN pg_namespace n ON n.oid = t.typnamespace \
                 WHERE {USER_SCHEMAS} GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            &[],
        )
        .map_err(fail)?
    {
        catalog.enums.push(EnumType {
            schema: prefix(row.get(0)),
            name: row.get(1),
            values: row.get(2),
        });
    }

    let relations = client
        .query(
            &format!(
                "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.relispartition, \
                        (SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
                         WHERE i.inhrelid = c.oid LIMIT 1) \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {USER_SCHEMAS} \
                 ORDER BY n.nspname, c.relname"
            ),
            &[],
        )
        .map_err(fail)?;
    for row in relations {
        let oid: u32 = row.get(0);
        let schema: String = row.get(1);
        let name: String = row.get(2);
        let kind: String = row.get(3);
        let shown = if schema == current {
            name.clone()
        } else {
            format!("{schema}.{name}")
        };
        if row.get::<_, bool>(4) {
            let parent: Option<String> = row.get(5);
            catalog.notes.push(format!(
                "table {shown}: a partition of {}, read through its parent",
                parent.unwrap_or_default()
            ));
            continue;
        }
        match kind.as_str() {
            "v" => catalog.notes.push(format!(
                "view {shown}: views are not declared (query it with a queries file)"
            )),
            "m" => catalog.notes.push(format!(
                "materialized view {shown}: views are not declared (query it with a queries file)"
            )),
            "f" => catalog
                .notes
                .push(format!("foreign table {shown}: not declared")),
            _ => catalog.tables.push(read_table(
                client,
                oid,
                prefix(schema),
                name,
                &catalog.enums,
                &current,
            )?),
        }
    }

    for row in client
        .query(
            &format!(
                "SELECT t.tgname::text, n.nspname::text, c.relname::text \
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE NOT t.tgisinternal AND {USER_SCHEMAS} ORDER BY 2, 3, 1"
            ),
            &[],
        )
        .map_err(fail)?
    {
        let (trigger, schema, table): (String, String, String) =
            (row.get(0), row.get(1), row.get(2));
        let table = if schema == current {
            table
        } else {
            format!("{schema}.{table}")
        };
        catalog.notes.push(format!(
            "trigger {trigger} on {table}: triggers are not declared; the database keeps running it"
        ));
    }
    Ok(catalog)
}

fn read_table(
    client: &mut Client,
    oid: u32,
    schema: Option<String>,
    name: String,
    enums: &[EnumType],
    current: &str,
) -> Result<Table, String> {
    let mut notes = Vec::new();
    let mut columns = Vec::new();
    let rows = client
        .query(
            "SELECT a.attname::text, a.attnotnull, format_type(a.atttypid, a.atttypmod), \
                    t.typtype::text, t.typname::text, tn.nspname::text, \
                    format_type(t.typbasetype, t.typtypmod), bt.typname::text, \
                    et.typname::text, et.typtype::text, \
                    pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, \
                    CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END \
             FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
             JOIN pg_namespace tn ON tn.oid = t.typnamespace \
             LEFT JOIN pg_type bt ON bt.oid = t.typbasetype \
             LEFT JOIN pg_type et ON et.oid = COALESCE(NULLIF(bt.typelem, 0), NULLIF(t.typelem, 0)) \
                 AND COALESCE(bt.typcategory, t.typcategory) = 'A' \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            &[&oid],
        )
        .map_err(fail)?;
    for row in rows {
        let column: String = row.get(0);
        let not_null: bool = row.get(1);
        let formatted: String = row.get(2);
        let typtype: String = row.get(3);
        let typname: String = row.get(4);
        let type_schema: String = row.get(5);
        let base_formatted: Option<String> = row.get(6);
        let base_name: Option<String> = row.get(7);
        let element: Option<String> = row.get(8);
        let element_kind: Option<String> = row.get(9);
        let default: Option<String> = row.get(10);
        let identity: String = row.get(11);
        let generated: String = row.get(12);
        let typmod: i32 = row.get(13);
        if !generated.is_empty() {
            notes.push(format!(
                "column {column}: a generated column ({}), not declared: the database computes it",
                default.as_deref().unwrap_or("")
            ));
            continue;
        }
        let char_length = u32::try_from(typmod - 4).ok();
        let declared = if typtype == "e" {
            match enums.iter().find(|e| {
                e.name == typname && e.schema.as_deref().unwrap_or(current) == type_schema
            }) {
                // The writer declares it, or reads it as text if it cannot.
                Some(e) => types::Declared::of(&e.name),
                None => types::postgres("?", &formatted, None),
            }
        } else if typtype == "d" {
            // A domain: the field type of its base type, declared as the domain.
            let base = base_name.unwrap_or_default();
            let base = match &element {
                Some(e) => format!("{e}[]"),
                None => base,
            };
            let mut d =
                types::postgres(&base, base_formatted.as_deref().unwrap_or(""), char_length);
            d.sql_type = Some(formatted.clone());
            d
        } else {
            let name = match (&element, element_kind.as_deref()) {
                (_, Some("e")) => "?[]".to_owned(), // an enum array: text
                (Some(e), _) => format!("{e}[]"),
                (None, _) => typname.clone(),
            };
            types::postgres(&name, &formatted, char_length)
        };
        let mut autogenerate = !identity.is_empty();
        let mut default = default;
        if default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("))
        {
            autogenerate = true; // serial
            default = None;
        }
        let default = match (&default, &declared.field_type) {
            (Some(sql), Some(ty)) => Some(default_of(sql, ty)),
            _ => None,
        };
        columns.push(Column {
            name: column,
            field_type: declared.field_type,
            sql_type: declared.sql_type,
            note: declared.note,
            nullable: !not_null,
            default,
            autogenerate,
        });
    }

    let mut primary_key = Vec::new();
    let mut uniques = Vec::new();
    let mut foreign_keys = Vec::new();
    let constraints = client
        .query(
            "SELECT con.contype::text, con.conname::text, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), \
                    fn.nspname::text, fc.relname::text, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), \
                    con.confdeltype::text, pg_get_constraintdef(con.oid) \
             FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
             WHERE con.conrelid = $1 ORDER BY con.contype, con.conname",
            &[&oid],
        )
        .map_err(fail)?;
    for row in constraints {
        let kind: String = row.get(0);
        let constraint: String = row.get(1);
        let cols: Vec<String> = row.get(2);
        match kind.as_str() {
            "p" => primary_key = cols,
            "u" => uniques.push(cols),
            "f" => {
                let target_schema: String = row.get(3);
                let action: String = row.get(6);
                let on_delete = match action.as_str() {
                    "c" => Some("cascade"),
                    "n" => Some("set_null"),
                    "r" => Some("restrict"),
                    "a" => None,
                    _ => {
                        notes.push(format!(
                            "foreign key {constraint}: ON DELETE SET DEFAULT is not expressible; declared without it"
                        ));
                        None
                    }
                };
                foreign_keys.push(ForeignKey {
                    columns: cols,
                    target_schema: (target_schema != current).then_some(target_schema),
                    target: row.get(4),
                    target_columns: row.get(5),
                    on_delete,
                });
            }
            _ => {
                let definition: String = row.get(7);
                let what = if kind == "c" { "check" } else { "constraint" };
                notes.push(format!(
                    "{what} {constraint}: {definition}: not declared; the database keeps it"
                ));
            }
        }
    }
    let indexes = client
        .query(
            "SELECT i.relname::text, \
                    ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o), \
                    x.indpred IS NOT NULL OR 0 = ANY(x.indkey::int2[]) \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             WHERE x.indrelid = $1 AND x.indisunique AND NOT x.indisprimary \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
             ORDER BY i.relname",
            &[&oid],
        )
        .map_err(fail)?;
    for row in indexes {
        let index: String = row.get(0);
        if row.get::<_, bool>(2) {
            notes.push(format!(
                "unique index {index}: partial or on expressions, not declared"
            ));
            continue;
        }
        let cols: Vec<String> = row.get(1);
        if !uniques.contains(&cols) {
            uniques.push(cols);
        }
    }
    Ok(Table {
        schema,
        name,
        columns,
        primary_key,
        uniques,
        foreign_keys,
        notes,
    })
}

fn fail(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("cannot read PostgreSQL's catalog: {}", db.message()),
        None => format!("cannot read PostgreSQL's catalog: {e}"),
    }
}
