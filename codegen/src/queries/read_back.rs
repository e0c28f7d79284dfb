//! `UPDATE … RETURNING` for MySQL/MariaDB, which have `RETURNING` on
//! `INSERT` and `DELETE` (MariaDB ≥ 10.5) but not on `UPDATE`: the
//! statements of an [`ir::ReadBack`], cut from the user's own text so
//! that its parameters, `*` and list memberships render as everywhere else.

use sqlparser::ast::{self as sql, Spanned, Statement};

use super::analyze::{Analyzer, span};
use super::blocks::{Block, Membership, Tok, Token};
use super::pieces;
use crate::diagnostics::Diagnostic;
use crate::ir::{Piece, ReadBack};
use crate::sql::Dialect;

/// The read-back of `statement` when it is an `UPDATE … RETURNING`
/// (`Ok(None)` for anything else), or why MySQL cannot run it so.
pub(super) fn read_back(
    a: &mut Analyzer,
    statement: &Statement,
    block: &Block,
    tokens: &[Token],
    memberships: &[Membership],
    end: usize,
) -> Result<Option<ReadBack>, Diagnostic> {
    let Statement::Update(update) = statement else {
        return Ok(None);
    };
    if update.returning.is_none() {
        return Ok(None);
    }
    // The clauses, by their keywords outside parentheses.
    let mut depth = 0usize;
    let mut top_level: Vec<(&str, &Token)> = Vec::new();
    for t in tokens.iter().filter(|t| t.start < end) {
        match &t.tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth = depth.saturating_sub(1),
            Tok::Word(word) if depth == 0 => top_level.push((word.as_str(), t)),
            _ => {}
        }
    }
    let keyword = |name: &str| top_level.iter().find(|(w, _)| *w == name).map(|(_, t)| *t);
    let (Some(update_kw), Some(set_kw), Some(returning_kw)) =
        (keyword("UPDATE"), keyword("SET"), keyword("RETURNING"))
    else {
        return Ok(None);
    };
    let refused = |at: crate::diagnostics::Span, message: String| {
        Diagnostic::error(at, message)
            .with_label("MySQL and MariaDB have no RETURNING on UPDATE")
            .with_help(
                "write the UPDATE as `:exec` and read the rows with a query of their own, \
                 in one transaction",
            )
    };
    let on_mysql = "on MySQL/MariaDB, mortise runs an UPDATE … RETURNING as a locking SELECT \
                    of the rows' keys, the UPDATE, and a SELECT of those rows by key";
    let sql::TableFactor::Table { name, .. } = &update.table.relation else {
        return Err(refused(
            span(update.table.span()),
            format!("{on_mysql}: it needs a table here"),
        ));
    };
    if !update.table.joins.is_empty() || update.from.is_some() {
        return Err(refused(
            span(update.table.span()),
            format!("{on_mysql}: it needs the UPDATE to change one table, without joins or FROM"),
        ));
    }
    let Some(id) = a.table(name) else {
        return Ok(None);
    };
    let schema = a.schema;
    let table = &schema.tables[id];
    let keys: Vec<&crate::ir::Column> = table
        .primary_key
        .iter()
        .map(|&c| &table.columns[c])
        .collect();
    if keys.is_empty() {
        return Err(refused(
            span(name.span()),
            format!("{on_mysql}: table {} has no primary key", table.sql_name),
        ));
    }
    for assignment in &update.assignments {
        let targets: Vec<&sql::ObjectName> = match &assignment.target {
            sql::AssignmentTarget::ColumnName(column) => vec![column],
            sql::AssignmentTarget::Tuple(columns) => columns.iter().collect(),
        };
        let changes_key = targets.iter().any(|target| {
            target
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|ident| {
                    keys.iter()
                        .any(|k| k.sql_name.eq_ignore_ascii_case(&ident.value))
                })
        });
        if changes_key {
            return Err(refused(
                span(assignment.span()),
                format!("{on_mysql}: this one changes that key"),
            ));
        }
    }

    let dialect = Dialect::Mysql;
    let quoted: Vec<String> = keys.iter().map(|c| dialect.quote(&c.sql_name)).collect();
    let types: Vec<crate::ir::FieldType> = keys.iter().map(|c| c.ty).collect();
    let table_text = block.text[update_kw.end..set_kw.start].trim();
    // WHERE, ORDER BY and LIMIT (whichever come first after SET's list).
    let tail_start = top_level
        .iter()
        .filter(|(_, t)| t.start > set_kw.start && t.start < returning_kw.start)
        .find(|(w, _)| matches!(*w, "WHERE" | "ORDER" | "LIMIT"))
        .map_or(returning_kw.start, |(_, t)| t.start);
    let cut = |from: usize, to: usize| pieces(block, tokens, memberships, a, from, to);

    let mut lock = vec![Piece::Text(format!(
        "SELECT {} FROM {table_text}",
        quoted.join(", ")
    ))];
    let tail = cut(tail_start, returning_kw.start);
    if !tail.is_empty() {
        lock.push(Piece::Text(" ".to_owned()));
        lock.extend(tail);
    }
    lock.push(Piece::Text(" FOR UPDATE".to_owned()));

    let update_pieces = cut(block.start, returning_kw.start);

    let mut read = vec![Piece::Text("SELECT ".to_owned())];
    read.extend(cut(returning_kw.end, end));
    read.push(Piece::Text(format!(
        " FROM {table_text} WHERE {}",
        dialect.in_keys(&quoted, a.params.len() + 1, &types)
    )));
    Ok(Some(ReadBack {
        table: id,
        lock: joined(lock),
        update: update_pieces,
        read: joined(read),
    }))
}

/// Adjacent text pieces as one.
fn joined(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Text(last)), Piece::Text(next)) => last.push_str(&next),
            (_, piece) => out.push(piece),
        }
    }
    out
}
