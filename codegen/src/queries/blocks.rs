//! A query file cut into its named blocks, and each block's SQL cut into
//! tokens: enough to find the named parameters (`:year`), the array
//! memberships (`IN (:ids)`, `= ANY(:ids)`) and the end of the statement,
//! outside strings, quoted names and comments.
//!
//! ```sql
//! -- name: recent_movies :many
//! -- Movies released in or after a year, newest first.
//! SELECT * FROM movies WHERE released >= :year ORDER BY released DESC LIMIT :limit;
//! ```

use crate::diagnostics::{Diagnostic, Span};
use crate::ir::QueryKind;
use crate::names::{did_you_mean, is_rust_name};

/// One `-- name:` block of a file.
pub(super) struct Block {
    /// The name as written, and where.
    pub(super) name: String,
    pub(super) name_span: Span,
    pub(super) kind: QueryKind,
    pub(super) doc: String,
    /// The file's text with every line before the statement blanked, so
    /// that lines and columns in it (sqlparser's too) are the file's.
    pub(super) text: String,
    /// Where the statement starts in `text` (a byte offset).
    pub(super) start: usize,
    /// The `-- name:` line, where problems of the whole block are shown.
    pub(super) line: u32,
}

/// The file's blocks; problems (no `-- name:`, a malformed one) go to `diags`.
pub(super) fn blocks(source: &str, diags: &mut Vec<Diagnostic>) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| header_rest(lines[i]).is_some())
        .collect();
    // Text before the first block: only blank lines and comments.
    let first = headers.first().copied().unwrap_or(lines.len());
    if let Some(i) = (0..first).find(|&i| {
        let line = lines[i].trim();
        !line.is_empty() && !line.starts_with("--")
    }) {
        diags.push(
            Diagnostic::error(
                line_span(lines[i], i),
                "this SQL has no `-- name:` line before it",
            )
            .with_label("a statement without a name")
            .with_help("start each query with `-- name: <function_name> :one|:many|:exec` on the line above it"),
        );
    }
    let mut out = Vec::new();
    for (n, &h) in headers.iter().enumerate() {
        let end = headers.get(n + 1).copied().unwrap_or(lines.len());
        if let Some(block) = block(&lines, h, end, diags) {
            out.push(block);
        }
    }
    out
}

/// What follows `-- name:` on a header line.
fn header_rest(line: &str) -> Option<&str> {
    let comment = line.trim_start().strip_prefix("--")?;
    comment.trim_start().strip_prefix("name:")
}

fn line_span(line: &str, index: usize) -> Span {
    let indent = line.len() - line.trim_start().len();
    Span {
        line: to_u32(index + 1),
        column: to_u32(line[..indent].chars().count() + 1),
        len: to_u32(line.trim().chars().count()),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn block(lines: &[&str], header: usize, end: usize, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let line = lines[header];
    let rest = header_rest(line)?;
    let rest_column = line.len() - rest.len();
    let words: Vec<(usize, &str)> = words(rest).map(|(at, w)| (rest_column + at, w)).collect();
    let span_of = |at: usize, word: &str| Span {
        line: to_u32(header + 1),
        column: to_u32(line[..at].chars().count() + 1),
        len: to_u32(word.chars().count()),
    };
    let header_span = line_span(line, header);
    let Some(&(name_at, name)) = words.first() else {
        diags.push(
            Diagnostic::error(header_span, "`-- name:` without a name")
                .with_help("write `-- name: recent_movies :many`"),
        );
        return None;
    };
    let name_span = span_of(name_at, name);
    let mut ok = true;
    if !is_rust_name(name) {
        diags.push(
            Diagnostic::error(
                name_span,
                format!("query name {name:?} is not a Rust identifier"),
            )
            .with_label("becomes the function's name")
            .with_help(
                "use letters, digits and `_`, not starting with a digit, e.g. `recent_movies`",
            ),
        );
        ok = false;
    }
    let kind = match words.get(1) {
        None => {
            diags.push(
                Diagnostic::error(name_span, format!("query {name} does not say what it returns"))
                    .with_label("no `:one`, `:many` or `:exec` after the name")
                    .with_help(format!(
                        "write `-- name: {name} :many` (every row), `:one` (the first row, if any) or `:exec` (rows changed)"
                    )),
            );
            None
        }
        Some(&(at, word)) => {
            let kind = match word {
                ":one" => Some(QueryKind::One),
                ":many" => Some(QueryKind::Many),
                ":exec" => Some(QueryKind::Exec),
                _ => None,
            };
            if kind.is_none() {
                diags.push(
                    Diagnostic::error(span_of(at, word), format!("unknown query kind {word:?}"))
                        .with_label("expected `:one`, `:many` or `:exec`")
                        .with_help(
                            did_you_mean(word, [":one", ":many", ":exec"])
                                .or_else(|| {
                                    (!word.starts_with(':'))
                                        .then(|| format!("the kind starts with a colon: `:{word}`"))
                                })
                                .unwrap_or_else(|| {
                                    "`:one` (the first row), `:many` (every row) or `:exec` (rows changed)".to_owned()
                                }),
                        ),
                );
            }
            kind
        }
    };
    if let Some(&(at, word)) = words.get(2) {
        diags.push(
            Diagnostic::error(span_of(at, word), format!("unexpected {word:?} after the query kind"))
                .with_help("a `-- name:` line holds a name and a kind only; describe the query on the comment lines below it"),
        );
        ok = false;
    }
    // The doc: the comment lines right after the header.
    let mut doc = Vec::new();
    let mut sql_line = header + 1;
    while sql_line < end {
        let Some(comment) = lines[sql_line].trim_start().strip_prefix("--") else {
            break;
        };
        doc.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end());
        sql_line += 1;
    }
    let mut text = "\n".repeat(sql_line);
    let start = text.len();
    for line in &lines[sql_line..end] {
        text.push_str(line);
        text.push('\n');
    }
    if text[start..]
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
    {
        diags.push(
            Diagnostic::error(header_span, format!("query {name} has no SQL"))
                .with_help("write the statement on the lines after `-- name:` and its comments"),
        );
        return None;
    }
    Some(Block {
        name: name.to_owned(),
        name_span,
        kind: kind.filter(|_| ok)?,
        doc: doc.join("\n").trim().to_owned(),
        text,
        start,
        line: to_u32(header + 1),
    })
}

/// The whitespace-separated words of `text`, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A token of a statement, outside strings, quoted names and comments.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// A keyword or unquoted name, upper-cased.
    Word(String),
    /// `:name`.
    Param(String),
    /// A positional parameter (`?`, `?1`, `$1`), which query files do not use.
    Positional,
    /// One character of punctuation.
    Punct(char),
    /// A string, a quoted name, a number.
    Other,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// Byte offsets in the block's text.
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The tokens of `text[start..]`.
pub(super) fn tokens(text: &str, start: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    while i < bytes.len() {
        let b = bytes[i];
        let begin = i;
        let tok = match b {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                continue;
            }
            b'\'' | b'"' | b'`' => {
                // A doubled quote is the quote itself.
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b {
                        if bytes.get(i + 1) == Some(&b) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                Tok::Other
            }
            b':' if bytes.get(i + 1) == Some(&b':') => {
                i += 2;
                Tok::Punct(':')
            }
            b':' if bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') =>
            {
                i += 1;
                while i < bytes.len() && ident(bytes[i]) {
                    i += 1;
                }
                Tok::Param(text[begin + 1..i].to_owned())
            }
            b'?' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                Tok::Positional
            }
            b'$' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                Tok::Positional
            }
            b'$' => {
                // A dollar-quoted string: `$tag$ ... $tag$`.
                let tag_end = text[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(e) if bytes[e] == b'$' => {
                        let tag = &text[i..=e];
                        i = text[e + 1..]
                            .find(tag)
                            .map_or(bytes.len(), |n| e + 1 + n + tag.len());
                        Tok::Other
                    }
                    _ => {
                        i += 1;
                        Tok::Punct('$')
                    }
                }
            }
            b if b.is_ascii_digit() => {
                while i < bytes.len() && (ident(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                Tok::Other
            }
            b if ident(b) => {
                while i < bytes.len() && ident(bytes[i]) {
                    i += 1;
                }
                Tok::Word(text[begin..i].to_ascii_uppercase())
            }
            _ => {
                // One character, whatever its width.
                let c = text[i..].chars().next().unwrap_or('\0');
                i += c.len_utf8().max(1);
                Tok::Punct(c)
            }
        };
        out.push(Token {
            tok,
            start: begin,
            end: i,
        });
    }
    out
}

/// A membership in an array parameter: `IN (:ids)`, `NOT IN (:ids)`,
/// `= ANY(:ids)`, `<> ALL(:ids)`: the tokens it spans (from the operator
/// to the closing parenthesis), the parameter's token and whether it is
/// negated.
pub(super) struct Membership {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) param: usize,
    pub(super) negated: bool,
}

pub(super) fn memberships(tokens: &[Token]) -> Vec<Membership> {
    let word = |i: usize, w: &str| matches!(tokens.get(i), Some(Token { tok: Tok::Word(x), .. }) if x == w);
    let punct = |i: usize, c: char| matches!(tokens.get(i), Some(Token { tok: Tok::Punct(x), .. }) if *x == c);
    let mut out = Vec::new();
    for (p, token) in tokens.iter().enumerate() {
        if !matches!(token.tok, Tok::Param(_)) || p < 3 || !punct(p - 1, '(') || !punct(p + 1, ')')
        {
            continue;
        }
        let op = p - 2;
        let (first, negated) = if word(op, "IN") {
            if op >= 1 && word(op - 1, "NOT") {
                (op - 1, true)
            } else {
                (op, false)
            }
        } else if word(op, "ANY") || word(op, "SOME") {
            if !punct(op - 1, '=') {
                continue;
            }
            (op - 1, false)
        } else if word(op, "ALL") {
            // `<> ALL` or `!= ALL`.
            if op >= 2
                && (punct(op - 2, '<') && punct(op - 1, '>')
                    || punct(op - 2, '!') && punct(op - 1, '='))
            {
                (op - 2, true)
            } else {
                continue;
            }
        } else {
            continue;
        };
        out.push(Membership {
            first,
            last: p + 1,
            param: p,
            negated,
        });
    }
    out
}
