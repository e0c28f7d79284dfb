//! What a database's catalog says, the same for every backend: tables,
//! columns with their schema types, keys, foreign keys, and what the
//! schema format cannot express (kept as notes with their reason).

/// A database's tables and types, each list in a fixed order (tables by
/// schema and name, columns by position) so that pulling is deterministic.
#[derive(Debug, Default)]
pub struct Catalog {
    pub tables: Vec<Table>,
    /// PostgreSQL enum types: (schema, name, values in declared order).
    pub enums: Vec<EnumType>,
    /// Objects the schema cannot declare (views, triggers...), each a line.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct EnumType {
    pub schema: Option<String>,
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug)]
pub struct Table {
    /// The PostgreSQL schema, `None` for `public` and on SQLite.
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<Column>,
    /// The primary key's columns in key order; empty when there is none.
    pub primary_key: Vec<String>,
    /// Unique constraints and unique indexes (not the primary key), each
    /// its columns in index order.
    pub uniques: Vec<Vec<String>>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Table constraints the schema cannot express (checks...), each a line.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct Column {
    pub name: String,
    /// The schema's field type (`integer`, `char(3)`, `text[]`, an enum's
    /// name), or `None` when no field type holds the column.
    pub field_type: Option<String>,
    /// The SQL type as the catalog declares it, written as `sql_type:`
    /// when it is not the field type's default column type.
    pub sql_type: Option<String>,
    /// Why the column cannot be declared, or what its declaration loses.
    pub note: Option<String>,
    pub nullable: bool,
    pub default: Option<Default>,
    /// The database assigns it (identity, serial, AUTOINCREMENT).
    pub autogenerate: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    /// A value written in the schema as YAML (its text as YAML writes it).
    Literal(Literal),
    /// An SQL expression the database evaluates (`now()`).
    Sql(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Number(String),
    Bool(bool),
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub target_schema: Option<String>,
    pub target: String,
    pub target_columns: Vec<String>,
    /// `cascade`, `set_null`, `restrict`, or `None` for no action; an
    /// action the schema lacks (`SET DEFAULT`) is noted on the table.
    pub on_delete: Option<&'static str>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether exactly these columns (in any order) are the primary key or
    /// a unique index.
    pub fn is_unique(&self, columns: &[String]) -> bool {
        let same =
            |key: &[String]| key.len() == columns.len() && columns.iter().all(|c| key.contains(c));
        (!self.primary_key.is_empty() && same(&self.primary_key))
            || self.uniques.iter().any(|u| same(u))
    }
}

/// A default's SQL text (`'a''b'::text`, `42`, `CURRENT_TIMESTAMP`) as
/// the schema writes it: a literal when it is one of `field_type`'s values
/// the schema can check, else the expression.
pub fn default_of(sql: &str, field_type: &str) -> Default {
    // PostgreSQL writes negative numbers in parentheses (`(-1)`), mortise's
    // DDL every `default_sql`.
    let text = without_parentheses(sql.trim());
    let base = field_type.trim_end_matches('?');
    let numeric = matches!(
        base,
        "integer" | "int" | "smallint" | "float" | "float4" | "decimal"
    );
    let textual = matches!(base, "string" | "text") || base.starts_with("char(");
    // `'value'` with an optional `::type` cast PostgreSQL adds.
    let quoted = quoted_literal(text);
    if numeric {
        let number = without_parentheses(quoted.as_deref().unwrap_or(text));
        if is_number(number) {
            return Default::Literal(Literal::Number(number.to_owned()));
        }
    } else if base == "boolean" {
        match quoted
            .as_deref()
            .unwrap_or(text)
            .to_ascii_lowercase()
            .as_str()
        {
            "true" | "1" | "t" => return Default::Literal(Literal::Bool(true)),
            "false" | "0" | "f" => return Default::Literal(Literal::Bool(false)),
            _ => {}
        }
    } else if (textual || !is_builtin(base))
        && !base.ends_with("[]")
        && let Some(value) = quoted
    {
        // Text, or an enum's value.
        return Default::Literal(Literal::Text(value));
    }
    Default::Sql(one_expression(text))
}

/// `text` in parentheses when a comma outside them would read as the end of
/// the expression to the schema's check (`ARRAY['a', 'b']`).
fn one_expression(text: &str) -> String {
    let (mut depth, mut quoted) = (0, false);
    let top_level_comma = text.chars().any(|c| {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ => {}
        }
        c == ',' && depth == 0 && !quoted
    });
    if top_level_comma {
        format!("({text})")
    } else {
        text.to_owned()
    }
}

/// `text` without the parentheses that enclose all of it (`(a) + (b)` keeps its own).
fn without_parentheses(mut text: &str) -> &str {
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        let mut depth = 0;
        let balanced = inner.chars().all(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth >= 0
        });
        if !balanced || depth != 0 {
            break;
        }
        text = inner.trim();
    }
    text
}

/// Whether `ty` is one of the schema's own types (else an enum's name).
fn is_builtin(ty: &str) -> bool {
    ty.starts_with("char(") || crate::ir::FieldType::names().any(|name| name == ty)
}

/// `'it''s'` or `'it''s'::character varying` as its value.
fn quoted_literal(text: &str) -> Option<String> {
    let rest = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            value.push(c);
            continue;
        }
        if rest[i + 1..].starts_with('\'') {
            value.push('\'');
            chars.next();
            continue;
        }
        let after = rest[i + 1..].trim();
        return (after.is_empty() || after.starts_with("::")).then_some(value);
    }
    None
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_become_literals_when_the_schema_can_check_them() {
        let lit = |l| Default::Literal(l);
        assert_eq!(
            default_of("'it''s'::text", "string"),
            lit(Literal::Text("it's".into()))
        );
        assert_eq!(
            default_of("'(-1)'", "integer"),
            lit(Literal::Number("-1".into()))
        );
        assert_eq!(
            default_of("(-1.5)", "decimal"),
            lit(Literal::Number("-1.5".into()))
        );
        assert_eq!(default_of("true", "boolean"), lit(Literal::Bool(true)));
        assert_eq!(default_of("0", "boolean"), lit(Literal::Bool(false)));
        assert_eq!(
            default_of("'PG'::mpaa_rating", "mpaa_rating"),
            lit(Literal::Text("PG".into()))
        );
        assert_eq!(
            default_of("now()", "datetime"),
            Default::Sql("now()".into())
        );
        assert_eq!(
            default_of("'2020-01-01'::date", "date"),
            Default::Sql("'2020-01-01'::date".into())
        );
        assert_eq!(
            default_of("'a' || 'b'", "string"),
            Default::Sql("'a' || 'b'".into())
        );
        assert_eq!(
            default_of("(CURRENT_TIMESTAMP)", "timestamp"),
            Default::Sql("CURRENT_TIMESTAMP".into())
        );
        assert_eq!(
            default_of("(1) + (2)", "datetime"),
            Default::Sql("(1) + (2)".into())
        );
        assert_eq!(
            default_of("nextval('x')", "integer"),
            Default::Sql("nextval('x')".into())
        );
    }
}
