//! Problems found in a schema, with where they are and how to fix them.
//!
//! Every phase pushes into one [`Diagnostics`] list so that a run reports all
//! problems, not only the first. [`Errors`] renders them against the source:
//!
//! ```text
//! schema.yaml:12:29: error: unknown table "actor" in association movies.actors
//!    |
//! 12 |       actors: { many_to_many: actor, join_through: movies_actors }
//!    |                               ^^^^^ no table has this name
//!    |
//!    = help: did you mean "actors"?
//! ```

use std::fmt;

/// A place in the schema file: 1-based line and column (in characters), and
/// the length of the token in characters (0 for a whole block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Span {
    pub const START: Span = Span {
        line: 1,
        column: 1,
        len: 0,
    };
    /// Not a place of the schema (a setting of `Config`, an unreadable
    /// file): rendered without a snippet.
    pub const NOWHERE: Span = Span {
        line: 0,
        column: 0,
        len: 0,
    };
}

/// One problem: a message at a span, an optional label under the token, an
/// optional hint, and other related places (a duplicate's first definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help only when there is one (e.g. a "did you mean" that found nothing).
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// The problems collected during one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Sorted by place, so output is stable whatever order the checks ran in.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.list
            .sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
        self.list.dedup();
        self.list
    }
}

/// Every problem of a schema, with the text needed to render them.
#[derive(Debug, Clone)]
pub struct Errors {
    pub file_name: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The problems of other files of the same run (the schema's query
    /// files), each rendered against its own text, after these.
    pub others: Vec<Errors>,
}

impl Errors {
    /// An error that is not about one place of the schema (an unreadable file,
    /// a failure while writing the output).
    pub fn plain(file_name: &str, message: impl Into<String>) -> Self {
        Errors {
            file_name: file_name.to_owned(),
            source: String::new(),
            diagnostics: vec![Diagnostic::error(Span::NOWHERE, message)],
            others: Vec::new(),
        }
    }
}

impl std::error::Error for Errors {}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = std::iter::once(self).chain(&self.others);
        let mut first = true;
        for file in files.clone() {
            for d in &file.diagnostics {
                if !first {
                    writeln!(f)?;
                }
                first = false;
                file.render(f, d)?;
            }
        }
        let n: usize = files.clone().map(|e| e.diagnostics.len()).sum();
        if n > 1 {
            writeln!(f)?;
            let with_problems: Vec<&str> = files
                .filter(|e| !e.diagnostics.is_empty())
                .map(|e| e.file_name.as_str())
                .collect();
            match with_problems.as_slice() {
                [one] => writeln!(f, "error: {one} found {n} problems")?,
                many => writeln!(f, "error: found {n} problems in {}", many.join(", "))?,
            }
        }
        Ok(())
    }
}

impl Errors {
    fn render(&self, f: &mut fmt::Formatter<'_>, d: &Diagnostic) -> fmt::Result {
        if d.span.line == 0 {
            writeln!(f, "{}: error: {}", self.file_name, d.message)?;
            if let Some(help) = &d.help {
                writeln!(f, "  = help: {help}")?;
            }
            return Ok(());
        }
        writeln!(
            f,
            "{}:{}:{}: error: {}",
            self.file_name, d.span.line, d.span.column, d.message
        )?;
        let width = d
            .related
            .iter()
            .map(|(s, _)| s.line)
            .chain([d.span.line])
            .max()
            .unwrap_or(1)
            .to_string()
            .len();
        let gutter = " ".repeat(width);
        // An empty file has no line to show.
        if self.source.lines().nth(d.span.line as usize - 1).is_some() {
            writeln!(f, "{gutter} |")?;
            self.snippet(f, width, d.span, d.label.as_deref())?;
        }
        for (span, label) in &d.related {
            writeln!(f, "{gutter} |")?;
            writeln!(
                f,
                "{gutter} = note: {}:{}:{}",
                self.file_name, span.line, span.column
            )?;
            self.snippet(f, width, *span, Some(label))?;
        }
        if let Some(help) = &d.help {
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{gutter} = help: {help}")?;
        }
        Ok(())
    }

    /// The source line, then a caret run under the token with its label.
    fn snippet(
        &self,
        f: &mut fmt::Formatter<'_>,
        width: usize,
        span: Span,
        label: Option<&str>,
    ) -> fmt::Result {
        let Some(line) = self.source.lines().nth(span.line as usize - 1) else {
            return Ok(());
        };
        let line = line.trim_end();
        writeln!(f, "{:>width$} | {line}", span.line)?;
        let line_chars = line.chars().count();
        let start = (span.column as usize).saturating_sub(1).min(line_chars);
        let len = (span.len as usize).clamp(1, (line_chars - start).max(1));
        // Keep tabs as tabs so the carets line up under tab-indented text.
        let pad: String = line
            .chars()
            .take(start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "{:width$} | {pad}{}", "", "^".repeat(len))?;
        match label {
            Some(label) => writeln!(f, " {label}"),
            None => writeln!(f),
        }
    }
}
