//! A YAML document as a tree in which every node keeps its location.
//!
//! serde-saphyr parses; we deserialize into this generic tree instead of typed
//! structs so that the schema reader (`parse::ast`) can report *every* problem
//! of a file in one run, each at its own token. Typed serde structs stop at the
//! first error and lose spans inside untagged enums.
//!
//! Duplicate keys are passed through (not refused by the parser) so that the
//! reader can point at both places, which the parser's own error cannot.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::{Diagnostic, Span};

/// A YAML node and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// The value of a YAML node; mappings keep their entries in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value is named in messages ("expected a map, found a list").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

impl Node {
    /// The node as text, for keys and names: scalars print as written, so
    /// the option `null:` (which YAML reads as a null key) is "null".
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null => Some("null".to_owned()),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// Parses `text`; a syntax error (or a breached resource budget: alias bombs,
/// deep nesting) becomes one located diagnostic.
pub fn parse(text: &str) -> Result<Node, Diagnostic> {
    // serde-saphyr's default budget, tightened where a schema needs far less:
    // - nesting: a schema is at most 8 levels deep, and each level costs
    //   ~32 KiB of stack in a debug build, so the default 64 overflows a
    //   2 MiB thread (a test, a spawned build step);
    // - merge keys (`<<: *a`) and alias replays: at the defaults (10_000 and
    //   1_000_000) a 300-byte bomb takes seconds to refuse in a debug build.
    //   A tenth is still far more than a schema sharing field sets needs.
    let mut options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        budget: serde_saphyr::budget! { max_depth: 16, max_merge_keys: 1_000 },
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    let parsed: Result<Node, serde_saphyr::Error> =
        serde_saphyr::from_str_with_options(text, options);
    let mut root = parsed.map_err(|error| {
        let span = error
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| span_of(&l))
            .unwrap_or(Span::START);
        let message = syntax_message(&error);
        let help = if message.contains("nested too deeply") {
            "a schema is at most 16 levels deep: flatten the nesting"
        } else if message.contains("a resource limit of the YAML reader") {
            "the YAML reader bounds a schema's size and its alias and merge-key expansion: split the file, or share less through aliases"
        } else if message.contains("more than one YAML document") {
            "remove the `---` and what follows it: one schema per file"
        } else {
            "the schema must be valid YAML: a map with `version` and `tables`"
        };
        Diagnostic::error(span, message).with_help(help)
    })?;
    let lines: Vec<&str> = text.lines().collect();
    yaml_1_2_booleans(&mut root, &lines);
    Ok(root)
}

/// Turns YAML 1.1 booleans (`y`, `n`, `yes`, `no`, `on`, `off`) back into
/// the text they were written as: a field named `y` or `on` must not become
/// `true`. The parser reads them as booleans on the untyped path, so the
/// original token is taken from the source at the node's span.
fn yaml_1_2_booleans(node: &mut Node, lines: &[&str]) {
    match &mut node.value {
        Value::Bool(_) => {
            if let Some(text) = written(lines, node.span)
                && !matches!(
                    text.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                )
                && !text.is_empty()
                && !text.starts_with(['!', '*'])
            {
                node.value = Value::Str(text);
            }
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|item| yaml_1_2_booleans(item, lines)),
        Value::Map(entries) => entries.iter_mut().for_each(|(key, value)| {
            yaml_1_2_booleans(key, lines);
            yaml_1_2_booleans(value, lines);
        }),
        _ => {}
    }
}

/// The text at `span`, as written in the source's `lines`.
pub(crate) fn written(lines: &[&str], span: Span) -> Option<String> {
    lines.get((span.line as usize).wrapping_sub(1)).map(|line| {
        line.chars()
            .skip(span.column.saturating_sub(1) as usize)
            .take(span.len as usize)
            .collect()
    })
}

/// serde-saphyr's message without its own "error: line L column C:" prefix,
/// since our renderer prints the location itself.
fn syntax_message(error: &serde_saphyr::Error) -> String {
    let full = error.without_snippet().to_string();
    let mut message = full.trim().strip_prefix("error:").unwrap_or(&full).trim();
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        message = after;
    }
    // The first line is the message; the rest repeats the location.
    let first = message.lines().next().unwrap_or("invalid YAML").trim();
    let first = first.split(" at line ").next().unwrap_or(first);
    if let Some(depth) = first.strip_prefix("budget breached: Depth { depth: ") {
        let depth: String = depth.chars().take_while(char::is_ascii_digit).collect();
        return format!(
            "the schema is nested too deeply ({depth} levels): a resource limit of the YAML reader"
        );
    }
    if first.starts_with("multiple YAML documents") {
        return "the file holds more than one YAML document".to_owned();
    }
    if first.starts_with("budget breached") || first.contains("limit exceeded") {
        return format!(
            "the schema is too large to read ({first}): a resource limit of the YAML reader"
        );
    }
    format!("invalid YAML: {first}")
}

fn span_of(location: &serde_saphyr::Location) -> Span {
    let len = location.span().len();
    Span {
        line: u32::try_from(location.line()).unwrap_or(u32::MAX),
        column: u32::try_from(location.column()).unwrap_or(u32::MAX),
        len: u32::try_from(len).unwrap_or(1),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            span: span_of(&spanned.referenced),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans_are_text() {
        let node = parse("{ y: n, on: off, yes: true }").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("a map")
        };
        let texts: Vec<(Value, Value)> = entries
            .into_iter()
            .map(|(k, v)| (k.value, v.value))
            .collect();
        assert_eq!(
            texts,
            [
                (Value::Str("y".into()), Value::Str("n".into())),
                (Value::Str("on".into()), Value::Str("off".into())),
                (Value::Str("yes".into()), Value::Bool(true)),
            ]
        );
    }
}
