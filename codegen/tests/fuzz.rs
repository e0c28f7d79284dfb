//! Robustness: `generate` gets thousands of mutated, random and hostile
//! schemas and must answer every one with located errors or with valid output
//! (Rust that parses, SQL that parses as SQLite), quickly, and never panic.
//!
//! Each test prints how many inputs were accepted and refused (`cargo test -p
//! codegen --test fuzz -- --nocapture`), so a strategy that drifts into
//! producing only garbage shows. `PROPTEST_CASES` does not apply: the case
//! counts are set per strategy to keep the file under a minute in debug.

use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mortise_build::Backend;
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::test_runner::{Config, TestRunner};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

// ---- the oracle ---------------------------------------------------------------

/// Where the reference schema is: its `queries:` files are read from there.
fn root() -> &'static std::path::Path {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Every input here takes well under a second in a debug build; only a
/// hang or a blowup (quadratic work, alias replay) comes near this. Generous,
/// so a loaded machine cannot fail it: speed is measured by the benchmark.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Checks one input; `true` when the schema was accepted.
fn check(text: &str) -> bool {
    let start = Instant::now();
    let result = mortise_build::generate_in(root(), text, "schema.yaml", Backend::Rusqlite);
    let elapsed = start.elapsed();
    assert!(
        elapsed < TIME_LIMIT,
        "generate took {elapsed:?} on {} bytes",
        text.len()
    );
    match result {
        Ok(code) => {
            if let Err(e) = syn::parse_file(&code) {
                panic!("generated Rust does not parse: {e}\n{code}");
            }
            let statements =
                mortise_build::statements_in(root(), text, "schema.yaml", Backend::Rusqlite)
                    .unwrap_or_else(|e| panic!("statements refuses what generate accepts:\n{e}"));
            for (name, sql) in statements {
                if let Err(e) = Parser::parse_sql(&SQLiteDialect {}, &sql) {
                    panic!("{name} does not parse as SQLite: {e}\n{sql}");
                }
            }
            true
        }
        Err(errors) => {
            // The reference schema's query file may be what a mutation breaks.
            let in_queries: usize = errors.others.iter().map(|e| e.diagnostics.len()).sum();
            assert!(
                !errors.diagnostics.is_empty() || in_queries > 0,
                "an Err without diagnostics"
            );
            assert!(
                !errors.to_string().trim().is_empty(),
                "errors render as nothing"
            );
            // A span may sit one line past the end (an error at end of input).
            let last = line_count(text) + 1;
            for d in &errors.diagnostics {
                let spans = std::iter::once(d.span).chain(d.related.iter().map(|(s, _)| *s));
                for span in spans {
                    assert!(
                        span.line <= last,
                        "{:?} points at line {} of {} lines: {}",
                        d.message,
                        span.line,
                        last - 1,
                        errors
                    );
                }
            }
            false
        }
    }
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` all end a line.
fn line_count(text: &str) -> u32 {
    let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

/// Accepted/refused counts of one strategy's run (atomics: the runner takes a `Fn`).
#[derive(Default)]
struct Tally {
    ok: AtomicUsize,
    err: AtomicUsize,
}

/// Runs `cases` inputs of `strategy` through [`check`], prints the tally, and
/// fails with the shrunk input on a panic or a broken promise.
fn fuzz<S>(name: &str, cases: u32, strategy: S) -> (usize, usize)
where
    S: Strategy,
    S::Value: AsRef<str> + Debug,
{
    // No regression files in the tree: a failure prints its shrunk input, to
    // be added to `past_failures_are_refused` once fixed.
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let tally = Tally::default();
    let result = TestRunner::new(config).run(&strategy, |text| {
        let counter = if check(text.as_ref()) {
            &tally.ok
        } else {
            &tally.err
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let (ok, err) = (tally.ok.into_inner(), tally.err.into_inner());
    eprintln!("fuzz {name}: {cases} cases, {ok} accepted, {err} refused");
    (ok, err)
}

/// A word list written as one string, so it stays a few lines long.
fn words(list: &'static str) -> Vec<&'static str> {
    list.split_whitespace().collect()
}

// ---- seed schemas -------------------------------------------------------------

const REFERENCE: &str = include_str!("../../schema.yaml");

/// The example of schema-v1.md.
const DESIGN_EXAMPLE: &str = r#"version: 1
tables:
  movies:
    fields:
      title: string
      tagline: string?            # `?` = nullable -> Option<String>
    associations:
      characters:  { has_many: characters }            # characters.movie_id
      distributor: { has_one: distributors }           # distributors.movie_id
      actors:      { many_to_many: actors, join_through: movies_actors, unique: true }
  characters:
    fields: { name: string }
    associations:
      movie: { belongs_to: movies }                    # adds column movie_id
  distributors:
    fields: { name: string }
    associations:
      movie: { belongs_to: movies }
  actors:
    fields: { name: string }
    associations:
      movies: { many_to_many: movies, join_through: movies_actors }   # back-reference
  users:
    fields: { name: string }
    associations:
      friends: { many_to_many: users, join_through: friendships, join_keys: { owner: user_id, related: friend_id } }
"#;

/// The less common options: defaults, uuid and composite keys, custom
/// timestamps, keyword names, filters, orders and a `through` path.
const OPTIONS: &str = r#"version: 1
defaults:
  timestamps: { inserted_at: created_at, updated_at: false }
tables:
  type:
    primary_key: { name: key, type: uuid, autogenerate: true }
    fields:
      self: string
      order: { type: int?, default: null }
      where: { type: boolean, default: true, column: where_col }
    associations:
      items: { has_many: items, where: { public: true }, preload_order: [price desc, id] }
      buyers: { has_many: { through: [items, buyer] } }
  items:
    struct: Thing
    module: things
    timestamps: false
    fields:
      public: boolean
      price: { type: decimal, default: "1.50" }
      data: json?
    associations:
      type: { belongs_to: type, on_delete: cascade }
      buyer: { belongs_to: people, null: true, on_delete: set_null }
  people:
    fields:
      name: { type: string, unique: true }
    associations:
      crates: { many_to_many: crates, join_through: crate_memberships, join_where: { role: admin }, join_defaults: { role: admin }, preload_order: [crate_memberships.role, name] }
  crates:
    fields:
      name: string
  crate_memberships:
    primary_key: [person_id, crate_id]
    fields:
      person_id: integer
      crate_id: integer
      role: { type: string, default: member }
    associations:
      person: { belongs_to: people, foreign_key: person_id, on_delete: cascade }
      crate: { belongs_to: crates, foreign_key: crate_id }
  log:
    primary_key: false
    fields:
      line: text
"#;

const SEEDS: [&str; 3] = [REFERENCE, DESIGN_EXAMPLE, OPTIONS];

#[test]
fn the_seeds_are_valid() {
    for seed in SEEDS {
        if let Err(e) = mortise_build::generate_in(root(), seed, "schema.yaml", Backend::Rusqlite) {
            panic!("a seed schema is refused:\n{e}");
        }
        assert!(check(seed));
    }
}

/// Inputs this fuzzing once broke the generator with, each now refused.
#[test]
fn past_failures_are_refused() {
    let cases = [
        // A table without columns generated `RETURNING` with nothing after it.
        "version: 1\ntables:\n  log:\n    primary_key: false\n".to_owned(),
        // An index name cut inside a multi-byte character panicked.
        format!(
            "version: 1\ntables:\n  a{}:\n    associations:\n      m: {{ belongs_to: b }}\n  b: {{}}\n",
            "é".repeat(30)
        ),
        // 64 levels of nesting overflowed a 2 MiB thread's stack in debug.
        (0..64).map(|i| format!("{:i$}a:\n", "")).collect(),
    ];
    for text in cases {
        assert!(!check(&text), "accepted:\n{text}");
    }
}

// ---- truncation, bytes, characters ----------------------------------------------

/// A seed cut at any char boundary: half-written files, unclosed flows.
fn truncated() -> impl Strategy<Value = String> {
    (select(SEEDS.to_vec()), any::<Index>()).prop_map(|(seed, at)| {
        let cut = at.index(seed.len() + 1);
        let cut = (0..=cut)
            .rev()
            .find(|&i| seed.is_char_boundary(i))
            .unwrap_or(0);
        seed[..cut].to_owned()
    })
}

#[test]
fn truncated_schemas() {
    fuzz("truncated", 400, truncated());
}

#[test]
fn random_bytes_and_characters() {
    let bytes = prop::collection::vec(any::<u8>(), 0..600)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    fuzz("random bytes", 300, bytes);
    fuzz("random unicode", 300, any::<String>());
    // YAML's own punctuation, so the parser's corners get reached.
    let yamlish = "[a-z0-9 :,{}\\[\\]\\-?&*!|>'\"#%@`\n\t\r~.]{0,300}";
    fuzz("yaml punctuation", 400, yamlish);
}

// ---- line mutations -----------------------------------------------------------

/// Words a line mutation may put in place of another: kinds, option names,
/// types, table names, keywords.
const WORDS: &str = "\
    has_many has_one belongs_to many_to_many through join_through join_keys owner related \
    foreign_key references on_delete cascade delete_all nilify_all set_null null unique where \
    preload_order string string? integer uuid text movies actors users tags posts type self \
    order true false id fields associations tables primary_key version defaults timestamps \
    &a *a [ }";

#[derive(Debug, Clone)]
enum LineOp {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Reindent(Index, i8),
    /// Swaps a line with the next line of the same indentation: a reordered key.
    SwapSibling(Index),
    /// Rotates the entries of the line's first `{ ... }`: shuffled flow keys.
    RotateFlow(Index, Index),
    ReplaceWord(Index, Index, Index),
}

fn line_op() -> impl Strategy<Value = LineOp> {
    prop_oneof![
        1 => any::<Index>().prop_map(LineOp::Delete),
        1 => any::<Index>().prop_map(LineOp::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineOp::Swap(a, b)),
        1 => (any::<Index>(), -4i8..=4).prop_map(|(a, d)| LineOp::Reindent(a, d)),
        2 => any::<Index>().prop_map(LineOp::SwapSibling),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineOp::RotateFlow(a, b)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, b, c)| LineOp::ReplaceWord(a, b, c)),
    ]
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn apply_line_op(lines: &mut Vec<String>, op: &LineOp) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    match op {
        LineOp::Delete(a) => {
            lines.remove(a.index(n));
        }
        LineOp::Duplicate(a) => {
            let i = a.index(n);
            lines.insert(i, lines[i].clone());
        }
        LineOp::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
        LineOp::Reindent(a, d) => {
            let line = &mut lines[a.index(n)];
            if *d >= 0 {
                line.insert_str(0, &" ".repeat(*d as usize));
            } else {
                let strip = indent_of(line).min(d.unsigned_abs() as usize);
                line.drain(..strip);
            }
        }
        LineOp::SwapSibling(a) => {
            let i = a.index(n);
            let indent = indent_of(&lines[i]);
            let next =
                (i + 1..n).find(|&j| indent_of(&lines[j]) <= indent && !lines[j].trim().is_empty());
            if let Some(j) = next.filter(|&j| indent_of(&lines[j]) == indent) {
                lines.swap(i, j);
            }
        }
        LineOp::RotateFlow(a, b) => {
            let line = &mut lines[a.index(n)];
            let (Some(open), Some(close)) = (line.find('{'), line.rfind('}')) else {
                return;
            };
            if open >= close {
                return;
            }
            // Splits at top-level commas only, so nested flows stay whole.
            let inner = &line[open + 1..close];
            let mut parts = Vec::new();
            let (mut depth, mut start) = (0i32, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(inner[start..i].trim().to_owned());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(inner[start..].trim().to_owned());
            let k = b.index(parts.len());
            parts.rotate_left(k);
            *line = format!(
                "{}{{ {} }}{}",
                &line[..open],
                parts.join(", "),
                &line[close + 1..]
            );
        }
        LineOp::ReplaceWord(a, b, c) => {
            let line = &mut lines[a.index(n)];
            let ranges = word_ranges(line);
            if ranges.is_empty() {
                return;
            }
            let (start, end) = ranges[b.index(ranges.len())];
            let replacements = words(WORDS);
            line.replace_range(start..end, replacements[c.index(replacements.len())]);
        }
    }
}

/// Byte ranges of the identifier-like words of a line.
fn word_ranges(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        let word = c.is_ascii_alphanumeric() || c == '_' || c == '?';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[test]
fn line_mutations() {
    let strategy = (
        select(SEEDS.to_vec()),
        prop::collection::vec(line_op(), 1..=4),
    )
        .prop_map(|(seed, ops)| {
            let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
            for op in &ops {
                apply_line_op(&mut lines, op);
            }
            lines.join("\n")
        });
    fuzz("line mutations", 600, strategy);
}

// ---- valid-looking schemas ----------------------------------------------------

/// A YAML value, serialized by [`Writer`].
#[derive(Debug, Clone, PartialEq)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Entries),
}

/// A map's entries, in order; keys may be any value, as in YAML.
type Entries = Vec<(Y, Y)>;

fn s(text: &str) -> Y {
    Y::Str(text.to_owned())
}

fn map(entries: Vec<(&str, Y)>) -> Y {
    Y::Map(entries.into_iter().map(|(k, v)| (s(k), v)).collect())
}

/// Writes a [`Y`] as YAML, choosing block or flow style and quoting from a
/// seed, so the same schema shows up written in many ways.
struct Writer {
    seed: u64,
}

impl Writer {
    fn coin(&mut self) -> bool {
        // splitmix64: any deterministic bit source will do.
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) & 1 == 1
    }

    fn document(&mut self, y: &Y) -> String {
        let mut out = String::new();
        match y {
            Y::Map(entries) if !entries.is_empty() => self.block(entries, 0, &mut out),
            other => {
                out = self.inline(other);
                out.push('\n');
            }
        }
        out
    }

    fn block(&mut self, entries: &[(Y, Y)], indent: usize, out: &mut String) {
        for (key, value) in entries {
            let key = self.inline(key);
            out.push_str(&format!("{:indent$}{key}:", ""));
            match value {
                Y::Map(inner) if !inner.is_empty() && self.coin() => {
                    out.push('\n');
                    self.block(inner, indent + 2, out);
                }
                _ => {
                    let value = self.inline(value);
                    out.push_str(&format!(" {value}\n"));
                }
            }
        }
    }

    fn inline(&mut self, y: &Y) -> String {
        match y {
            Y::Null => "null".to_owned(),
            Y::Bool(b) => b.to_string(),
            Y::Int(i) => i.to_string(),
            Y::Float(f) => format!("{f:?}"),
            Y::Str(text) => self.string(text),
            Y::Seq(items) => {
                let items: Vec<String> = items.iter().map(|i| self.inline(i)).collect();
                format!("[{}]", items.join(", "))
            }
            Y::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.inline(k), self.inline(v)))
                    .collect();
                format!("{{ {} }}", entries.join(", "))
            }
        }
    }

    fn string(&mut self, text: &str) -> String {
        const RESERVED: &[&str] = &[
            "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
        ];
        let plain = text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_ .?".contains(c))
            && !text.ends_with(' ')
            && !RESERVED.contains(&text.to_ascii_lowercase().as_str());
        if plain && self.coin() {
            return text.to_owned();
        }
        if plain && self.coin() {
            return format!("'{text}'");
        }
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// Table names: ordinary plurals, Rust keywords, SQL reserved words.
const TABLES: &str = "\
    movies actors people tags chat_groups categories type self order select group crate where \
    matches data fn";
/// Field names: none ends in `_id` or is a key name, so clean schemas rarely collide.
const FIELDS: &str = "\
    title name body type self order select where value score Kind group_name created r2d2 loop";
const TYPES: &str = "\
    integer int float boolean string text binary uuid date time datetime json decimal";

/// A value of type `ty` for `default:` and `where:`; `None` for binary.
fn literal_for(ty: &str, nullable: bool, pick: u8) -> Option<Y> {
    if nullable && pick.is_multiple_of(4) {
        return Some(Y::Null);
    }
    Some(match ty {
        "integer" | "int" => Y::Int(i64::from(pick) - 100),
        "float" => Y::Float(f64::from(pick) / 8.0),
        "decimal" => s("12.50"),
        "boolean" => Y::Bool(pick.is_multiple_of(2)),
        "uuid" => s("123e4567-e89b-12d3-a456-426614174000"),
        "binary" => return None,
        // Quotes, backslashes and non-ASCII must survive into SQL and Rust.
        _ => s(["it's", "say \"hi\"", "back\\slash", "ünïcødé ✓", ""][pick as usize % 5]),
    })
}

#[derive(Debug, Clone)]
struct FieldPlan {
    name: &'static str,
    ty: &'static str,
    nullable: bool,
    /// 0-1 bare type, 2 `{ type }` with a default, 3 unique, 4 with a `column:`.
    form: u8,
    pick: u8,
}

#[derive(Debug, Clone)]
struct TablePlan {
    name: &'static str,
    fields: Vec<FieldPlan>,
    /// 0-3 default, 4 named, 5 uuid, 6 string key, 7 none, 8 composite.
    key: u8,
    timestamps: u8,
    rename: bool,
}

/// A relation between two tables, made of the associations that express it
/// the way a user would: each side consistent with the other.
#[derive(Debug, Clone)]
struct LinkPlan {
    from: Index,
    to: Index,
    /// 0 belongs_to, 1 + has_many back, 2 + has_one back, 3 many_to_many
    /// (plain join table), 4 many_to_many through a declared join schema.
    kind: u8,
    option: u8,
    through: bool,
}

#[derive(Debug, Clone)]
enum Perturb {
    AddKey(Index, &'static str),
    ReplaceScalar(Index, Y),
    RemoveEntry(Index),
    DuplicateEntry(Index),
}

#[derive(Debug, Clone)]
struct Plan {
    defaults: u8,
    tables: Vec<TablePlan>,
    links: Vec<LinkPlan>,
    perturbs: Vec<Perturb>,
    style: u64,
}

fn field_plan(name: &'static str) -> impl Strategy<Value = FieldPlan> {
    (select(words(TYPES)), any::<bool>(), 0u8..5, any::<u8>()).prop_map(
        move |(ty, nullable, form, pick)| FieldPlan {
            name,
            ty,
            nullable,
            form,
            pick,
        },
    )
}

fn table_plan(name: &'static str) -> impl Strategy<Value = TablePlan> {
    let fields = subsequence(words(FIELDS), 0..=4)
        .prop_shuffle()
        .prop_flat_map(|names| names.into_iter().map(field_plan).collect::<Vec<_>>());
    (fields, 0u8..9, 0u8..6, prop::bool::weighted(0.1)).prop_map(
        move |(fields, key, timestamps, rename)| TablePlan {
            name,
            fields,
            key,
            timestamps,
            rename,
        },
    )
}

fn scalar_junk() -> impl Strategy<Value = Y> {
    prop_oneof![
        select(words(
            "movies nope a-b self Self type string?? has_many cascade 🦀 id actors_id _ __"
        ))
        .prop_map(s),
        select(vec!["", "name desc", "x y z", " padded "]).prop_map(s),
        Just(Y::Null),
        any::<bool>().prop_map(Y::Bool),
        any::<i64>().prop_map(Y::Int),
        Just(Y::Float(f64::NAN)),
        Just(Y::Seq(vec![])),
        Just(Y::Map(vec![])),
        "[a-z_]{60,70}".prop_map(Y::Str),
        // Long non-ASCII: byte offsets inside a character.
        "[a-zé]{30,40}".prop_map(Y::Str),
    ]
}

fn perturb() -> impl Strategy<Value = Perturb> {
    let keys = select(words(
        "colour nul has_manyy foreign_keys type through belongs_to many_to_many join_keys id \
         movie_id null default",
    ));
    prop_oneof![
        1 => (any::<Index>(), keys).prop_map(|(i, k)| Perturb::AddKey(i, k)),
        2 => (any::<Index>(), scalar_junk()).prop_map(|(i, v)| Perturb::ReplaceScalar(i, v)),
        1 => any::<Index>().prop_map(Perturb::RemoveEntry),
        1 => any::<Index>().prop_map(Perturb::DuplicateEntry),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    let tables = subsequence(words(TABLES), 1..=6)
        .prop_shuffle()
        .prop_flat_map(|names| names.into_iter().map(table_plan).collect::<Vec<_>>());
    let link = (
        any::<Index>(),
        any::<Index>(),
        0u8..5,
        any::<u8>(),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(from, to, kind, option, through)| LinkPlan {
            from,
            to,
            kind,
            option,
            through,
        });
    // Half the schemas stay clean, so that many are accepted.
    let perturbs = prop_oneof![Just(Vec::new()), prop::collection::vec(perturb(), 1..=2),];
    (
        0u8..8,
        tables,
        prop::collection::vec(link, 0..=7),
        perturbs,
        any::<u64>(),
    )
        .prop_map(|(defaults, tables, links, perturbs, style)| Plan {
            defaults,
            tables,
            links,
            perturbs,
            style,
        })
}

/// The schema a [`Plan`] describes, as a YAML tree.
fn build(plan: &Plan) -> Y {
    use mortise_build::names::singular;
    let n = plan.tables.len();
    // Per table: its associations; tables a key points at; join schemas to add.
    let mut assocs: Vec<Vec<(String, Y)>> = vec![Vec::new(); n];
    let mut referenced = vec![false; n];
    let mut joins: Vec<(String, Y)> = Vec::new();
    let mut seen_pairs = Vec::new();
    let name = |i: usize| plan.tables[i].name;

    for link in &plan.links {
        let (from, to) = (link.from.index(n), link.to.index(n));
        let pair = (from.min(to), from.max(to));
        if seen_pairs.contains(&pair) {
            continue;
        }
        seen_pairs.push(pair);
        let opt = link.option;
        match link.kind {
            // `from` belongs to `to`; kinds 1 and 2 add the other side.
            0..=2 => {
                referenced[to] = true;
                let nullable = opt & 1 == 1;
                let mut bt = vec![("belongs_to", s(name(to)))];
                if nullable {
                    bt.push(("null", Y::Bool(true)));
                }
                match opt >> 1 & 3 {
                    1 => bt.push(("on_delete", s("cascade"))),
                    2 => bt.push((
                        "on_delete",
                        s(if nullable { "set_null" } else { "restrict" }),
                    )),
                    _ => {}
                }
                assocs[from].push((singular(name(to)), map(bt)));
                if link.kind == 0 {
                    continue;
                }
                let kind = if link.kind == 1 {
                    "has_many"
                } else {
                    "has_one"
                };
                let mut back = vec![(kind, s(name(from)))];
                match opt >> 3 & 3 {
                    1 => back.push(("on_delete", s("delete_all"))),
                    2 if nullable => back.push(("on_delete", s("nilify_all"))),
                    _ => {}
                }
                let fields = &plan.tables[from].fields;
                if opt & 0x20 != 0
                    && let Some(f) = fields.first()
                {
                    let dir = if opt & 0x40 != 0 { "desc" } else { "asc" };
                    back.push((
                        "preload_order",
                        Y::Seq(vec![s(&format!("{} {dir}", f.name))]),
                    ));
                }
                if opt & 0x80 != 0
                    && let Some(f) = fields.last()
                    && let Some(value) = literal_for(f.ty, f.nullable, opt)
                {
                    back.push(("where", map(vec![(f.name, value)])));
                }
                let back_name = format!(
                    "{}_{}",
                    if link.kind == 1 { "all" } else { "one" },
                    name(from)
                );
                assocs[to].push((back_name.clone(), map(back)));
                if link.through {
                    // to -> from -> (from's first association): a two-step path.
                    if let Some((step, _)) = assocs[from].first().cloned() {
                        let path = map(vec![("through", Y::Seq(vec![s(&back_name), s(&step)]))]);
                        assocs[to]
                            .push((format!("via_{back_name}"), map(vec![("has_many", path)])));
                    }
                }
            }
            // many_to_many over a plain join table, with a back-reference.
            3 => {
                referenced[from] = true;
                referenced[to] = true;
                let join = format!("{}_{}_links", name(from), name(to));
                let mut m2m = vec![("many_to_many", s(name(to))), ("join_through", s(&join))];
                if from == to {
                    let own = format!("{}_id", singular(name(from)));
                    let keys = map(vec![("owner", s(&own)), ("related", s("other_id"))]);
                    m2m.push(("join_keys", keys));
                }
                if opt & 1 == 1 {
                    m2m.push(("unique", Y::Bool(true)));
                }
                if opt & 2 == 2 {
                    m2m.push(("on_delete", s("delete_all")));
                }
                assocs[from].push((format!("m2m_{}", name(to)), map(m2m)));
                if from != to && opt & 4 == 4 {
                    let back = vec![("many_to_many", s(name(from))), ("join_through", s(&join))];
                    assocs[to].push((format!("m2m_{}", name(from)), map(back)));
                }
            }
            // many_to_many through a declared join schema with its own field.
            _ => {
                if from == to {
                    continue;
                }
                referenced[from] = true;
                referenced[to] = true;
                let join = format!("{}_{}_members", name(from), name(to));
                let body = map(vec![
                    (
                        "fields",
                        map(vec![(
                            "role",
                            map(vec![("type", s("string")), ("default", s("member"))]),
                        )]),
                    ),
                    ("timestamps", Y::Bool(opt & 1 == 1)),
                    (
                        "associations",
                        Y::Map(vec![
                            (
                                s(&singular(name(from))),
                                map(vec![
                                    ("belongs_to", s(name(from))),
                                    ("on_delete", s("cascade")),
                                ]),
                            ),
                            (
                                s(&singular(name(to))),
                                map(vec![("belongs_to", s(name(to)))]),
                            ),
                        ]),
                    ),
                ]);
                joins.push((join.clone(), body));
                let mut m2m = vec![("many_to_many", s(name(to))), ("join_through", s(&join))];
                if opt & 2 == 2 {
                    m2m.push(("join_where", map(vec![("role", s("admin"))])));
                    m2m.push(("join_defaults", map(vec![("role", s("admin"))])));
                }
                if opt & 4 == 4 {
                    m2m.push((
                        "preload_order",
                        Y::Seq(vec![s(&format!("{join}.role")), s("id desc")]),
                    ));
                }
                assocs[from].push((format!("m2m_{}", name(to)), map(m2m)));
            }
        }
    }

    let mut tables = Vec::new();
    for (i, t) in plan.tables.iter().enumerate() {
        tables.push((
            s(t.name),
            table_body(t, referenced[i], std::mem::take(&mut assocs[i])),
        ));
    }
    tables.extend(joins.into_iter().map(|(k, v)| (Y::Str(k), v)));

    let mut top = vec![(s("version"), Y::Int(1))];
    let defaults = match plan.defaults {
        0 => Some(map(vec![("timestamps", Y::Bool(true))])),
        1 => Some(map(vec![(
            "primary_key",
            map(vec![
                ("name", s("id")),
                ("type", s("integer")),
                ("autogenerate", Y::Bool(true)),
            ]),
        )])),
        2 => Some(map(vec![
            ("prefix", s("app")),
            ("foreign_key_type", s("integer")),
        ])),
        _ => None,
    };
    if let Some(d) = defaults {
        top.push((s("defaults"), d));
    }
    top.push((s("tables"), Y::Map(tables)));
    Y::Map(top)
}

fn table_body(t: &TablePlan, referenced: bool, assocs: Vec<(String, Y)>) -> Y {
    let mut body: Entries = Vec::new();
    let mut fields = Vec::new();
    for f in &t.fields {
        let ty = if f.nullable {
            format!("{}?", f.ty)
        } else {
            f.ty.to_owned()
        };
        let value = match f.form {
            0 | 1 => s(&ty),
            2 => match literal_for(f.ty, f.nullable, f.pick) {
                Some(d) => map(vec![("type", s(&ty)), ("default", d)]),
                None => s(&ty),
            },
            3 => map(vec![("type", s(&ty)), ("unique", Y::Bool(true))]),
            _ => map(vec![
                ("type", s(&ty)),
                ("column", s(&format!("{}_col", f.name))),
            ]),
        };
        fields.push((s(f.name), value));
    }
    // A table others point at keeps a single key, as a foreign key needs one.
    let first_required = t.fields.iter().find(|f| !f.nullable).map(|f| f.name);
    let key = match (t.key, referenced, first_required) {
        (4, _, _) => Some(map(vec![("name", s("key"))])),
        (5, _, _) => Some(map(vec![
            ("type", s("uuid")),
            ("autogenerate", Y::Bool(true)),
        ])),
        (6, _, _) => Some(map(vec![("name", s("code")), ("type", s("string"))])),
        (7, false, _) => Some(Y::Bool(false)),
        (8, false, Some(field)) => Some(Y::Seq(vec![s(field)])),
        _ => None,
    };
    if let Some(key) = key {
        body.push((s("primary_key"), key));
    }
    if t.rename {
        let pascal: String = t
            .name
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        body.push((s("struct"), s(&format!("{pascal}Row"))));
        body.push((s("module"), s(&format!("{}_rows", t.name))));
    }
    if !fields.is_empty() {
        body.push((s("fields"), Y::Map(fields)));
    }
    match t.timestamps {
        1 => body.push((s("timestamps"), Y::Bool(true))),
        2 => body.push((s("timestamps"), Y::Bool(false))),
        3 => body.push((
            s("timestamps"),
            map(vec![
                ("inserted_at", s("created_at")),
                ("updated_at", Y::Bool(false)),
            ]),
        )),
        _ => {}
    }
    if !assocs.is_empty() {
        body.push((
            s("associations"),
            Y::Map(assocs.into_iter().map(|(k, v)| (Y::Str(k), v)).collect()),
        ));
    }
    // An empty table is written `tags:` (null), as users do.
    if body.is_empty() {
        Y::Null
    } else {
        Y::Map(body)
    }
}

/// Calls `f` on every map of `y`, depth first.
fn each_map(y: &mut Y, f: &mut dyn FnMut(&mut Entries)) {
    match y {
        Y::Map(entries) => {
            f(entries);
            for (_, v) in entries.iter_mut() {
                each_map(v, f);
            }
        }
        Y::Seq(items) => items.iter_mut().for_each(|i| each_map(i, f)),
        _ => {}
    }
}

/// Calls `f` on every scalar of `y` (keys included), depth first.
fn each_scalar(y: &mut Y, f: &mut dyn FnMut(&mut Y)) {
    match y {
        Y::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                each_scalar(k, f);
                each_scalar(v, f);
            }
        }
        Y::Seq(items) => items.iter_mut().for_each(|i| each_scalar(i, f)),
        scalar => f(scalar),
    }
}

/// Applies `f` to the `at`th map (or scalar) of `y`, chosen uniformly.
fn at_map(y: &mut Y, at: &Index, f: impl FnOnce(&mut Entries)) {
    let mut count = 0;
    each_map(y, &mut |_| count += 1);
    let target = at.index(count.max(1));
    let (mut i, mut f) = (0, Some(f));
    each_map(y, &mut |m| {
        if i == target
            && let Some(f) = f.take()
        {
            f(m);
        }
        i += 1;
    });
}

fn apply_perturb(y: &mut Y, p: &Perturb) {
    match p {
        Perturb::AddKey(at, key) => at_map(y, at, |m| m.push((s(key), s("x")))),
        Perturb::RemoveEntry(at) => at_map(y, at, |m| {
            if !m.is_empty() {
                m.remove(at.index(m.len()));
            }
        }),
        Perturb::DuplicateEntry(at) => at_map(y, at, |m| {
            if !m.is_empty() {
                let entry = m[at.index(m.len())].clone();
                m.push(entry);
            }
        }),
        Perturb::ReplaceScalar(at, value) => {
            let mut count = 0;
            each_scalar(y, &mut |_| count += 1);
            let target = at.index(count.max(1));
            let mut i = 0;
            each_scalar(y, &mut |v| {
                if i == target {
                    *v = value.clone();
                }
                i += 1;
            });
        }
    }
}

fn valid_looking() -> impl Strategy<Value = String> {
    plan().prop_map(|plan| {
        let mut y = build(&plan);
        for p in &plan.perturbs {
            apply_perturb(&mut y, p);
        }
        Writer { seed: plan.style }.document(&y)
    })
}

#[test]
fn valid_looking_schemas() {
    let (ok, err) = fuzz("valid-looking", 1000, valid_looking());
    // Half the plans are clean: if few pass, the strategy (or the generator)
    // has drifted and the fuzzing no longer reaches the emitters.
    assert!(
        ok * 4 >= ok + err,
        "only {ok} of {} valid-looking schemas were accepted",
        ok + err
    );
}

// ---- hostile documents ----------------------------------------------------------

/// Nesting of every kind YAML has, at `depth`, alone or where a schema value goes.
fn nested(kind: u8, depth: usize, inside_schema: bool) -> String {
    let deep = match kind {
        0 => "[".repeat(depth),
        1 => format!("{}x{}", "[".repeat(depth), "]".repeat(depth)),
        2 => "{a: ".repeat(depth),
        3 => format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth)),
        4 => format!("{}x", "- ".repeat(depth)),
        // Block maps, one more space per level (quadratic size: keep depth small).
        _ => (0..depth.min(1500))
            .map(|i| format!("{:i$}a:\n", ""))
            .collect(),
    };
    if inside_schema {
        let deep = deep.replace('\n', "\n      ");
        format!("version: 1\ntables:\n  t:\n    fields:\n      {deep}\n")
    } else {
        deep
    }
}

#[test]
fn deep_nesting() {
    for kind in 0..6 {
        for inside in [false, true] {
            check(&nested(kind, 10_000, inside));
        }
    }
    let strategy = (0u8..6, 1usize..3000, any::<bool>()).prop_map(|(k, d, i)| nested(k, d, i));
    fuzz("deep nesting", 60, strategy);
}

/// Billion laughs: `levels` anchors, each a list of `width` aliases of the last.
fn alias_bomb(levels: usize, width: usize, merge: bool) -> String {
    let mut out = String::from("x0: &x0 [lol, lol]\n");
    for l in 1..=levels {
        let aliases = vec![format!("*x{}", l - 1); width].join(", ");
        if merge {
            // Merge keys replay maps instead of lists.
            let keys: Vec<String> = (0..width).map(|i| format!("k{i}: *x{}", l - 1)).collect();
            out.push_str(&format!(
                "x{l}: &x{l} {{ <<: {{ {} }} }}\n",
                keys.join(", ")
            ));
        } else {
            out.push_str(&format!("x{l}: &x{l} [{aliases}]\n"));
        }
    }
    out
}

#[test]
fn alias_bombs() {
    for (levels, width) in [(9, 10), (20, 10), (40, 2), (5, 1000)] {
        check(&alias_bomb(levels, width, false));
        check(&alias_bomb(levels, width, true));
    }
    // A field set shared through an alias: accepted at a sane size, refused
    // (not slowly expanded) at a huge one.
    let shared = |tables: usize, fields: usize| {
        let fields: Vec<String> = (0..fields).map(|i| format!("f{i}: string")).collect();
        let mut text = format!(
            "version: 1\ntables:\n  t0: {{ fields: &f {{ {} }} }}\n",
            fields.join(", ")
        );
        for i in 1..tables {
            text.push_str(&format!("  t{i}: {{ fields: *f }}\n"));
        }
        text
    };
    assert!(check(&shared(50, 20)));
    check(&shared(3000, 50));
    check("version: 1\ntables: &t { a: { fields: *t } }\n");
    check("a: &a [*a]\n");
    check("version: 1\ntables: { a: { fields: { <<: *nope } } }\n");
    let strategy = (1usize..8, 1usize..8, any::<bool>()).prop_map(|(l, w, m)| alias_bomb(l, w, m));
    // Most hit the replay budget, at ~0.5 s each in debug: a few suffice.
    fuzz("alias bombs", 12, strategy);
}

/// A table named `name` whose association points at table `target`; the
/// key is explicit (`? key`) since YAML caps plain keys at 1024 characters.
fn long_names(name: &str, target: &str) -> String {
    format!(
        "version: 1\ntables:\n  ? {name}\n  : {{ associations: {{ x: {{ belongs_to: {target} }} }} }}\n"
    )
}

#[test]
fn huge_keys() {
    let long = "a".repeat(200_000);
    check(&format!(
        "version: 1\ntables:\n  {long}:\n    fields: {{ name: string }}\n"
    ));
    check(&format!("{long}: 1\n"));
    // An unknown table's "did you mean" must not compare long names at length.
    check(&long_names(&long, &"b".repeat(200_000)));
    check(&long_names(&long, &format!("{}b", &long[1..])));
    let strategy = ("[a-zé]{1,3}", 20usize..5000, "[a-z]{1,3}", 20usize..5000)
        .prop_map(|(a, n, b, m)| long_names(&a.repeat(n), &b.repeat(m)));
    fuzz("huge keys", 30, strategy);
}

/// A table of `fields` fields, and a schema of `tables` tables.
fn wide_maps(fields: usize, tables: usize) -> [String; 2] {
    let fields: Vec<String> = (0..fields).map(|i| format!("      f{i}: string")).collect();
    let tables: Vec<String> = (0..tables)
        .map(|i| format!("  t{i}: {{ fields: {{ a: string }} }}"))
        .collect();
    [
        format!(
            "version: 1\ntables:\n  t:\n    fields:\n{}\n",
            fields.join("\n")
        ),
        format!("version: 1\ntables:\n{}\n", tables.join("\n")),
    ]
}

#[test]
fn wide_maps_of_realistic_size() {
    // Tables cost output (~100 lines each); the bench measures 1000 of them.
    for text in wide_maps(2_000, 200) {
        assert!(check(&text));
    }
}

/// 20,000 fields in one table: the reader's and the validator's checks use
/// maps, so reading stays linear (0.6 s in debug; it took ~15 s when they were
/// scans). Only `check` is timed: emitting a 20,000-field struct is real work.
#[test]
fn wide_maps_stay_fast() {
    let [fields, _] = wide_maps(20_000, 0);
    let start = Instant::now();
    assert!(mortise_build::check(&fields, "schema.yaml").is_ok());
    assert!(
        start.elapsed() < TIME_LIMIT,
        "check took {:?}",
        start.elapsed()
    );
}
