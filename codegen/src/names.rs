//! Names: the one place that turns schema names into Rust identifiers, and the
//! rules for what a SQL name may be.
//!
//! Every Rust identifier of the generated code is a [`RustIdent`] made here
//! (casing, `r#` for keywords, a trailing `_` for the keywords that cannot be
//! raw, a leading `_` before a digit) and turned into tokens here, by
//! [`RustIdent::to_ident`]. Formatting identifiers anywhere else is a bug:
//! `format_ident!("type")` fails late and `format_ident!("r#self")` panics.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// A Rust identifier exactly as written in code (`title`, `r#type`, `self_`, `_2fa`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent(String);

impl RustIdent {
    /// snake_case, for fields, modules and functions.
    pub fn snake(name: &str) -> RustIdent {
        escape(&name.to_snake_case())
    }

    /// PascalCase, for types.
    pub fn pascal(name: &str) -> RustIdent {
        escape(&name.to_upper_camel_case())
    }

    /// `name` as given (a `struct:` or `module:` override), only escaped.
    pub fn verbatim(name: &str) -> RustIdent {
        escape(name)
    }

    /// The type name of a table's insert struct: `Movie` -> `NewMovie`,
    /// `_2faCode` -> `New2faCode`, `Self_` -> `NewSelf` (escapes dropped).
    pub fn prefixed(prefix: &str, ident: &RustIdent) -> RustIdent {
        let bare = ident.unraw().trim_start_matches('_').trim_end_matches('_');
        escape(&format!("{prefix}{bare}"))
    }

    /// A function parameter named after a field, renamed when it would
    /// shadow a name the generated bodies use (`db`, `new`, `statement`, ...).
    pub fn parameter(field: &RustIdent) -> RustIdent {
        const TAKEN: &[&str] = &["db", "new", "row", "rows", "statement", "changed"];
        if TAKEN.contains(&field.as_str()) {
            RustIdent(format!("{}_", field.0))
        } else {
            field.clone()
        }
    }

    /// The parameter naming a row by its key: the key field of table
    /// `movies` named `id` gives `movie_id` (`movie_ids` for a list); a field
    /// that already starts with the singular (`playlist_id`) is kept.
    pub fn key_parameter(table: &str, field: &str, plural: bool) -> RustIdent {
        let one = singular(table);
        let base = if field.starts_with(&format!("{one}_")) || field == one {
            field.to_owned()
        } else {
            format!("{one}_{field}")
        };
        let name = if plural { format!("{base}s") } else { base };
        RustIdent::parameter(&RustIdent::snake(&name))
    }

    /// The text as written in code, with its `r#` if it has one.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name without `r#`: what a reader sees, and what collisions are about.
    pub fn unraw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    /// The token for `quote!`.
    pub fn to_ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        match self.0.strip_prefix("r#") {
            Some(raw) => proc_macro2::Ident::new_raw(raw, span),
            None => proc_macro2::Ident::new(&self.0, span),
        }
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keywords of Rust 2024 (strict and reserved) that `r#` makes usable.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_`.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

fn escape(text: &str) -> RustIdent {
    if text.is_empty() {
        return RustIdent("_empty".to_owned());
    }
    if NON_RAW_KEYWORDS.contains(&text) {
        return RustIdent(format!("{text}_"));
    }
    if RAW_KEYWORDS.contains(&text) {
        return RustIdent(format!("r#{text}"));
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return RustIdent(format!("_{text}"));
    }
    RustIdent(text.to_owned())
}

/// Whether `text` may be given as a Rust name (`struct:`, `module:`): ASCII
/// letters, digits and `_`, not starting with a digit. Keywords are allowed
/// (they are escaped).
pub fn is_rust_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && text.chars().any(|c| c.is_ascii_alphanumeric())
}

/// The longest identifier every backend keeps whole (PostgreSQL truncates
/// names past 63 bytes, silently).
pub const MAX_SQL_NAME: usize = 63;

/// Why `text` is not a portable SQL name, if it is not: ASCII letters, digits
/// and `_`, with at least one letter or digit, at most 63 bytes. Quoting makes
/// reserved words (`order`, `group`) and a leading digit safe on every backend.
pub fn sql_name_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some("a name cannot be empty".to_owned());
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!(
            "{:?} is not allowed in a name (use ASCII letters, digits and `_`)",
            c
        ));
    }
    if !text.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Some("a name needs at least one letter or digit".to_owned());
    }
    if text.len() > MAX_SQL_NAME {
        return Some(format!(
            "a name is at most {MAX_SQL_NAME} bytes long (PostgreSQL cuts longer ones), this one has {}",
            text.len()
        ));
    }
    None
}

/// The singular of a table name, used for struct names and default foreign
/// keys: `movies` -> `movie`, `people` -> `person`, `chat_groups` ->
/// `chat_group`, `PlaylistTrack` -> `playlist_track`. Only the last word of a
/// snake_case name changes. A name that is already singular stays as it is.
pub fn singular(table: &str) -> String {
    let snake = table.to_snake_case();
    let (head, last) = match snake.rfind('_') {
        Some(i) => snake.split_at(i + 1),
        None => ("", snake.as_str()),
    };
    format!("{head}{}", singular_word(last))
}

fn singular_word(word: &str) -> String {
    const IRREGULAR: &[(&str, &str)] = &[
        ("people", "person"),
        ("men", "man"),
        ("women", "woman"),
        ("children", "child"),
        ("mice", "mouse"),
        ("geese", "goose"),
        ("feet", "foot"),
        ("teeth", "tooth"),
        ("oxen", "ox"),
        ("indices", "index"),
        ("vertices", "vertex"),
        ("matrices", "matrix"),
        ("criteria", "criterion"),
        ("phenomena", "phenomenon"),
        ("quizzes", "quiz"),
        ("movies", "movie"),
        ("cookies", "cookie"),
        ("ties", "tie"),
        ("pies", "pie"),
        ("lies", "lie"),
        ("shoes", "shoe"),
        ("toes", "toe"),
        ("canoes", "canoe"),
        ("leaves", "leaf"),
        ("lives", "life"),
        ("wives", "wife"),
        ("knives", "knife"),
        ("wolves", "wolf"),
        ("halves", "half"),
        ("shelves", "shelf"),
        ("thieves", "thief"),
        ("loaves", "loaf"),
        ("calves", "calf"),
        ("selves", "self"),
        ("aliases", "alias"),
        ("statuses", "status"),
        ("buses", "bus"),
        ("bonuses", "bonus"),
        ("viruses", "virus"),
        ("campuses", "campus"),
    ];
    const UNCOUNTABLE: &[&str] = &[
        "data",
        "metadata",
        "news",
        "series",
        "species",
        "information",
        "equipment",
        "feedback",
        "sheep",
        "fish",
        "deer",
        "media",
        "staff",
        "software",
        "hardware",
        "music",
        "status",
        "bus",
        "analysis",
        "basis",
        "axis",
        "crisis",
        "address",
        "access",
        "progress",
        "class",
        "process",
    ];
    if word.is_empty() || UNCOUNTABLE.contains(&word) {
        return word.to_owned();
    }
    if let Some((_, one)) = IRREGULAR.iter().find(|(many, _)| *many == word) {
        return (*one).to_owned();
    }
    let rules: &[(&str, &str)] = &[
        ("sses", "ss"),
        ("shes", "sh"),
        ("ches", "ch"),
        ("xes", "x"),
        ("zzes", "zz"),
        ("oes", "o"),
        ("ies", "y"),
        ("ss", "ss"),
        ("us", "us"),
        ("is", "is"),
        ("s", ""),
    ];
    for (suffix, replacement) in rules {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return format!("{stem}{replacement}");
        }
    }
    word.to_owned()
}

/// The known name closest to `wanted`, for "did you mean" hints.
///
/// Names longer than [`MAX_HINT_LEN`] get no hint: the edit distance costs the
/// product of the lengths, and two 20 000-character names took a minute.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if wanted.len() > MAX_HINT_LEN {
        return None;
    }
    let wanted_lower = wanted.to_ascii_lowercase();
    known
        .into_iter()
        .filter(|k| k.len() <= MAX_HINT_LEN)
        .map(|k| (edit_distance(&wanted_lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len().max(wanted.len()) / 3).max(1))
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// Twice the longest valid name: a typo of a valid name still gets its hint.
const MAX_HINT_LEN: usize = 2 * MAX_SQL_NAME;

/// A `did you mean "x"?` hint, when a close name exists.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wanted, known).map(|k| format!("did you mean {k:?}?"))
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`:
/// the optimal string alignment distance, so `emial` is one edit from `email`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_of_table_names() {
        for (plural, one) in [
            ("movies", "movie"),
            ("people", "person"),
            ("chat_groups", "chat_group"),
            ("categories", "category"),
            ("addresses", "address"),
            ("boxes", "box"),
            ("matches", "match"),
            ("heroes", "hero"),
            ("status", "status"),
            ("PlaylistTrack", "playlist_track"),
            ("user_languages", "user_language"),
            ("movies_actors", "movies_actor"),
            ("data", "data"),
            ("s", "s"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    #[test]
    fn identifiers_are_escaped() {
        assert_eq!(RustIdent::snake("type").as_str(), "r#type");
        assert_eq!(RustIdent::snake("self").as_str(), "self_");
        assert_eq!(RustIdent::pascal("self").as_str(), "Self_");
        assert_eq!(RustIdent::snake("2fa").as_str(), "_2fa");
        assert_eq!(RustIdent::snake("PlaylistId").as_str(), "playlist_id");
        assert_eq!(RustIdent::pascal("chat_group").as_str(), "ChatGroup");
        assert_eq!(RustIdent::verbatim("crate").as_str(), "crate_");
        let digit = RustIdent::pascal("2fa_code");
        assert_eq!(RustIdent::prefixed("New", &digit).as_str(), "New2faCode");
        assert_eq!(
            RustIdent::prefixed("New", &RustIdent::pascal("self")).as_str(),
            "NewSelf"
        );
        for ident in ["r#type", "self_", "_2fa", "r#gen"] {
            let made = RustIdent(ident.to_owned()).to_ident();
            assert_eq!(made.to_string(), ident);
        }
    }

    #[test]
    fn sql_names() {
        assert!(sql_name_problem("order").is_none());
        assert!(sql_name_problem("2fa").is_none());
        assert!(sql_name_problem("a-b").is_some());
        assert!(sql_name_problem("").is_some());
        assert!(sql_name_problem("__").is_some());
        assert!(sql_name_problem(&"x".repeat(64)).is_some());
    }

    #[test]
    fn hints() {
        assert_eq!(closest("actor", ["actors", "movies"]), Some("actors"));
        assert_eq!(closest("zzz", ["actors", "movies"]), None);
        assert_eq!(closest("emial", ["email", "name"]), Some("email"));
    }
}
