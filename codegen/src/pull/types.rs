//! A column's declared SQL type as a field type of the schema, and whether
//! the declaration needs `sql_type:` to stay exact.

use crate::ir::FieldType;
use crate::sql::Dialect;

/// A column's type as the schema declares it.
#[derive(Debug)]
pub struct Declared {
    /// `None` when no field type holds the column's values.
    pub field_type: Option<String>,
    pub sql_type: Option<String>,
    pub note: Option<String>,
}

impl Declared {
    /// A field type with the default column type.
    pub fn of(field_type: &str) -> Declared {
        Declared {
            field_type: Some(field_type.to_owned()),
            sql_type: None,
            note: None,
        }
    }

    /// `ty` declared as `sql` on `dialect`: `sql_type:` when `sql` is not
    /// the default column type of `ty`; a note when `sql` would not hold
    /// `ty`'s values as the generated code reads them (then the schema
    /// keeps the default type, which only its own DDL uses).
    fn written(dialect: Dialect, ty: FieldType, sql: &str) -> Declared {
        let name = ty_name(ty);
        if is_default(dialect, ty, sql) {
            return Declared::of(&name);
        }
        if dialect.reads(sql, ty) == Some(false) {
            return Declared {
                note: Some(format!(
                    "declared {sql}, whose {} affinity does not hold {name} values: the schema's DDL would declare {}",
                    affinity_word(sql),
                    dialect.column_type(ty)
                )),
                ..Declared::of(&name)
            };
        }
        Declared {
            sql_type: Some(sql.to_owned()),
            ..Declared::of(&name)
        }
    }
}

fn affinity_word(sql: &str) -> &'static str {
    let upper = sql.to_ascii_uppercase();
    if upper.contains("INT") {
        "INTEGER"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| upper.contains(t)) {
        "TEXT"
    } else if upper.contains("BLOB") || upper.is_empty() {
        "BLOB"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| upper.contains(t)) {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// The schema's name of `ty` (`char(3)`, `text[]`).
fn ty_name(ty: FieldType) -> String {
    match ty {
        FieldType::Char(n) => format!("char({n})"),
        FieldType::Array(element) => format!("{}[]", ty_name(*element)),
        other => other.name().to_owned(),
    }
}

/// Whether `sql` is what the schema's DDL declares for `ty` (PostgreSQL's
/// catalog spells some types long: `timestamp with time zone`).
fn is_default(dialect: Dialect, ty: FieldType, sql: &str) -> bool {
    let spelled = sql
        .to_ascii_lowercase()
        .replace("timestamp with time zone", "timestamptz")
        .replace("timestamp without time zone", "timestamp")
        .replace("time without time zone", "time");
    spelled.eq_ignore_ascii_case(&dialect.column_type(ty))
}

/// A SQLite column's declared type (anything goes: SQLite gives it an
/// affinity by its rules) as a field type.
pub fn sqlite(declared: &str) -> Declared {
    let upper = declared.trim().to_ascii_uppercase();
    let base = upper.split('(').next().unwrap_or("").trim();
    let length = || {
        upper
            .split_once('(')
            .and_then(|(_, n)| n.trim_end_matches(')').trim().parse::<u32>().ok())
    };
    let ty = match base {
        "SMALLINT" | "INT2" | "TINYINT" => FieldType::SmallInt,
        "BOOLEAN" | "BOOL" => FieldType::Boolean,
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" | "FLOAT8" => FieldType::Float,
        "NUMERIC" | "DECIMAL" => FieldType::Decimal,
        "CHAR" | "CHARACTER" | "NCHAR" => match length() {
            Some(n) if n > 0 => FieldType::Char(n),
            _ => FieldType::String,
        },
        "BLOB" | "" => FieldType::Binary,
        "DATE" => FieldType::Date,
        "TIME" => FieldType::Time,
        "DATETIME" | "TIMESTAMP" => FieldType::Timestamp,
        "TIMESTAMPTZ" => FieldType::Datetime,
        "UUID" => FieldType::Uuid,
        "JSON" | "JSONB" => FieldType::Json,
        _ => match affinity_word(&upper) {
            "INTEGER" => FieldType::Integer,
            "TEXT" => FieldType::String,
            "REAL" => FieldType::Float,
            "BLOB" => FieldType::Binary,
            _ => FieldType::Decimal,
        },
    };
    let mut out = Declared::written(Dialect::Sqlite, ty, declared.trim());
    if base.is_empty() {
        out.note = Some("declared without a type (BLOB affinity): read as binary".to_owned());
    }
    out
}

/// A PostgreSQL type by its catalog name (`int4`, `bpchar`; an array's
/// element name with `[]`) and its `format_type` text, as a field type:
/// a type the drivers do not know (an extension's, `interval`, `inet`) is
/// a `string` the generated code reads as text.
pub fn postgres(typname: &str, formatted: &str, char_length: Option<u32>) -> Declared {
    if let Some(element) = typname.strip_suffix("[]") {
        let inner = postgres(element, formatted.trim_end_matches("[]"), char_length);
        let element_sql = formatted.trim_end_matches("[]");
        // The drivers read no array of a type they do not know (an enum's,
        // an extension's): the generated code reads it as its text.
        if element == "?"
            || Dialect::Postgres
                .reads(element_sql, FieldType::String)
                .is_none()
        {
            return Declared {
                sql_type: Some(formatted.to_owned()),
                note: Some(format!(
                    "an array of {element_sql}, which the drivers do not read: read as its text ('{{a,b}}')"
                )),
                ..Declared::of("string")
            };
        }
        let ty = inner.field_type.as_deref().and_then(FieldType::from_name);
        // An array of a type read as text (varchar(n)'s) is a `string[]`.
        return match ty
            .filter(|_| inner.sql_type.is_none())
            .and_then(FieldType::array_of)
        {
            Some(array) => Declared::written(Dialect::Postgres, array, formatted),
            None => Declared {
                sql_type: Some(formatted.to_owned()),
                ..Declared::of("string[]")
            },
        };
    }
    let ty = match typname {
        "int8" => FieldType::Integer,
        "int4" => FieldType::Int,
        "int2" => FieldType::SmallInt,
        "float8" => FieldType::Float,
        "float4" => FieldType::Float4,
        "bool" => FieldType::Boolean,
        "text" | "varchar" | "name" => FieldType::String,
        "bpchar" => match char_length {
            Some(n) if n > 0 => FieldType::Char(n),
            _ => FieldType::String,
        },
        "bytea" => FieldType::Binary,
        "uuid" => FieldType::Uuid,
        "date" => FieldType::Date,
        "time" => FieldType::Time,
        "timestamptz" => FieldType::Datetime,
        "timestamp" => FieldType::Timestamp,
        "json" | "jsonb" => FieldType::Json,
        "numeric" => FieldType::Decimal,
        _ => {
            return Declared {
                sql_type: Some(formatted.to_owned()),
                note: None,
                ..Declared::of("string")
            };
        }
    };
    Declared::written(Dialect::Postgres, ty, formatted)
}

/// SQL text as tokens: names (quotes removed), strings (kept quoted),
/// numbers, and single punctuation characters.
pub fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            // A string, kept with its quotes ('' inside).
            let mut s = String::from('\'');
            i += 1;
            while i < chars.len() {
                s.push(chars[i]);
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            out.push(s);
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == close {
                    if close != ']' && chars.get(i + 1) == Some(&close) {
                        s.push(close);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(s);
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// `col IN ('a', 'b')` (tokens) as the column and its values.
pub fn in_list(tokens: &[String]) -> Option<(String, Vec<String>)> {
    let [column, keyword, open, rest @ ..] = tokens else {
        return None;
    };
    if !keyword.eq_ignore_ascii_case("IN") || open != "(" || rest.last()? != ")" {
        return None;
    }
    let mut values = Vec::new();
    for (i, token) in rest[..rest.len() - 1].iter().enumerate() {
        if i % 2 == 1 {
            if token != "," {
                return None;
            }
            continue;
        }
        let value = token.strip_prefix('\'')?.strip_suffix('\'')?;
        values.push(value.replace("''", "'"));
    }
    (!values.is_empty()).then(|| (column.clone(), values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_types_as_field_types() {
        let t = |sql: &str| {
            let d = sqlite(sql);
            (d.field_type.unwrap(), d.sql_type, d.note.is_some())
        };
        assert_eq!(t("INTEGER"), ("integer".into(), None, false));
        assert_eq!(
            t("NVARCHAR(160)"),
            ("string".into(), Some("NVARCHAR(160)".into()), false)
        );
        assert_eq!(
            t("NUMERIC(10,2)"),
            ("decimal".into(), Some("NUMERIC(10,2)".into()), false)
        );
        assert_eq!(t("CHARACTER(3)"), ("char(3)".into(), None, false));
        // NUMERIC affinity would turn '2020-01-01 10:00:00' into... nothing, but '2020' into 2020.
        assert_eq!(t("DATETIME"), ("timestamp".into(), None, true));
        assert_eq!(t("SMALLINT"), ("smallint".into(), None, false));
    }

    #[test]
    fn postgres_types_as_field_types() {
        let t = |name: &str, formatted: &str, n| {
            let d = postgres(name, formatted, n);
            (d.field_type.unwrap(), d.sql_type)
        };
        assert_eq!(t("int4", "integer", None), ("int".into(), None));
        assert_eq!(
            t("varchar", "character varying(160)", None),
            ("string".into(), Some("character varying(160)".into()))
        );
        assert_eq!(
            t("bpchar", "character(3)", Some(3)),
            ("char(3)".into(), None)
        );
        assert_eq!(
            t("timestamptz", "timestamp with time zone", None),
            ("datetime".into(), None)
        );
        assert_eq!(t("text[]", "text[]", None), ("string[]".into(), None));
        assert_eq!(
            t("citext", "public.citext", None),
            ("string".into(), Some("public.citext".into()))
        );
    }

    #[test]
    fn in_lists_are_enums() {
        let found = in_list(&tokens(r#""rating" IN ('G', 'PG-13', 'it''s')"#));
        assert_eq!(
            found,
            Some((
                "rating".into(),
                vec!["G".into(), "PG-13".into(), "it's".into()]
            ))
        );
        assert_eq!(in_list(&tokens("length > 0")), None);
    }
}
