//! The user's own queries: `.sql` files the schema names (`queries:`), each
//! a list of `-- name: <function> :one|:many|:exec` blocks, checked against
//! the IR when the code is generated.
//!
//! ```text
//! file ─blocks─▶ named blocks ─tokens─▶ parameters, IN (:ids)
//!                     └─ sqlparser (each dialect) ─analyze─▶ tables, columns, types ─▶ ir::Query
//! ```
//!
//! A query becomes an `ir::Query`: its text in pieces (SQL as written,
//! parameters, array memberships, `*` expanded to the table's columns in row
//! order), its typed parameters, and what its rows are (a table's struct, or
//! a row struct of its own). `sql::query_sql` renders it per dialect.

mod analyze;
mod blocks;
mod read_back;

use sqlparser::ast::{self as sql, SetExpr, Spanned, Statement};
use sqlparser::parser::Parser;

use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{Piece, Query, QueryKind, QueryParam, QueryResult, Schema};
use crate::names::{RustIdent, singular};
use crate::sql::Dialect;
use analyze::{Analyzer, OutColumn, Rel, Ty, has_struct, row_column, span, statement_name};
use blocks::{Block, Tok};

/// A query file's text.
pub struct QuerySource {
    /// As the schema names it (relative to the schema's directory).
    pub path: String,
    /// As messages name it (relative to where the generator runs).
    pub shown: String,
    pub text: String,
}

/// Every query of `sources` (the schema's `query_files`, in order), checked
/// for each of `dialects`: the queries, or each file's problems (one list
/// per source, in order).
pub(crate) fn check(
    schema: &Schema,
    sources: &[QuerySource],
    dialects: &[Dialect],
) -> Result<Vec<Query>, Vec<Vec<Diagnostic>>> {
    let mut problems: Vec<Vec<Diagnostic>> = vec![Vec::new(); sources.len()];
    let mut queries = Vec::new();
    // Where each name was first defined: (file, span).
    let mut defined: Vec<(String, usize, Span)> = Vec::new();
    let mut row_names: Vec<(String, usize, Span)> = Vec::new();
    for (file, source) in sources.iter().enumerate() {
        let diags = &mut problems[file];
        for block in blocks::blocks(&source.text, diags) {
            let name = RustIdent::snake(&block.name);
            if let Some((_, first_file, first)) = defined.iter().find(|(n, ..)| *n == name.unraw())
            {
                let d = Diagnostic::error(
                    block.name_span,
                    format!("a query named {} is defined twice", block.name),
                )
                .with_label("defined again");
                let d = if *first_file == file {
                    d.with_related(*first, "first defined here")
                        .with_help("each query is a function: give this one another name")
                } else {
                    d.with_help(format!(
                        "first defined in {} at line {}; give one another name",
                        sources[*first_file].shown, first.line
                    ))
                };
                diags.push(d);
                continue;
            }
            defined.push((name.unraw().to_owned(), file, block.name_span));
            match query(schema, &block, &source.path, dialects) {
                Ok(query) => {
                    if let QueryResult::Row { name: row, .. } = &query.result {
                        if let Some((_, _, first)) =
                            row_names.iter().find(|(n, ..)| n == row.unraw())
                        {
                            diags.push(
                                Diagnostic::error(block.name_span, format!("query {} would name its row struct {row}, as another query does", block.name))
                                    .with_help(format!("rename one of the queries (the other is at line {})", first.line)),
                            );
                            continue;
                        }
                        row_names.push((row.unraw().to_owned(), file, block.name_span));
                    }
                    queries.push(query);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
    }
    if problems.iter().all(Vec::is_empty) {
        Ok(queries)
    } else {
        Err(problems)
    }
}

fn parser_dialect(dialect: Dialect) -> Box<dyn sqlparser::dialect::Dialect> {
    match dialect {
        Dialect::Sqlite | Dialect::SqliteJson => Box::new(sqlparser::dialect::SQLiteDialect {}),
        Dialect::Postgres => Box::new(sqlparser::dialect::PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(sqlparser::dialect::MySqlDialect {}),
    }
}

/// Where sqlparser says its error is (`... at Line: 3, Column: 8`).
fn parse_error_span(message: &str, fallback: Span) -> (String, Span) {
    let Some(at) = message.rfind(" at Line: ") else {
        return (message.to_owned(), fallback);
    };
    let position = &message[at + " at Line: ".len()..];
    let mut numbers = position
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse::<u32>().ok());
    match (numbers.next(), numbers.next()) {
        (Some(line), Some(column)) if line > 0 => (
            message[..at].to_owned(),
            Span {
                line,
                column: column.max(1),
                len: 1,
            },
        ),
        _ => (message.to_owned(), fallback),
    }
}

/// One block checked: its `ir::Query`, or its problems.
fn query(
    schema: &Schema,
    block: &Block,
    file: &str,
    dialects: &[Dialect],
) -> Result<Query, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let header = Span {
        line: block.line,
        column: 1,
        len: 0,
    };
    let tokens = blocks::tokens(&block.text, block.start);
    let end = match tokens.last() {
        Some(t) if t.tok == Tok::Punct(';') => t.start,
        Some(t) => t.end,
        None => block.start,
    };
    let at = |byte: usize| offset_span(&block.text, byte);
    for t in &tokens {
        if t.tok == Tok::Positional {
            diags.push(
                Diagnostic::error(
                    Span {
                        len: u32::try_from(t.end - t.start).unwrap_or(1),
                        ..at(t.start)
                    },
                    "a positional parameter in a query file",
                )
                .with_label("not a named parameter")
                .with_help("name it, e.g. `:year`: mortise numbers parameters for each backend"),
            );
        }
    }
    // Parameters in the order of their first use.
    let mut params: Vec<analyze::ParamUse> = Vec::new();
    for t in &tokens {
        if let Tok::Param(name) = &t.tok
            && !params.iter().any(|p| &p.name == name)
        {
            params.push(analyze::ParamUse {
                name: name.clone(),
                ty: None,
                nullable: false,
                array: false,
                first: Span {
                    len: u32::try_from(t.end - t.start).unwrap_or(1),
                    ..at(t.start)
                },
            });
        }
    }
    let memberships = blocks::memberships(&tokens);
    let param_index = |params: &[analyze::ParamUse], t: &blocks::Token| match &t.tok {
        Tok::Param(name) => params.iter().position(|p| &p.name == name),
        _ => None,
    };
    for m in &memberships {
        if let Some(i) = param_index(&params, &tokens[m.param]) {
            params[i].array = true;
        }
    }
    for (n, t) in tokens.iter().enumerate() {
        if let Some(i) = param_index(&params, t)
            && params[i].array
            && !memberships.iter().any(|m| m.param == n)
        {
            diags.push(
                Diagnostic::error(
                    Span {
                        len: u32::try_from(t.end - t.start).unwrap_or(1),
                        ..at(t.start)
                    },
                    format!(
                        ":{} is a list here and a single value elsewhere",
                        params[i].name
                    ),
                )
                .with_label("a single value")
                .with_help("use two parameters: one for the list (`IN (:ids)`), one for the value"),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    // Parse for every dialect; analyze the first parse.
    let text = &block.text[..end];
    let mut parsed: Option<Statement> = None;
    let statement_end = tokens
        .iter()
        .rev()
        .find(|t| t.end <= end)
        .map_or(header, |t| at(t.start));
    let mut refused: Vec<(Dialect, String, Span)> = Vec::new();
    for &dialect in dialects {
        match Parser::parse_sql(parser_dialect(dialect).as_ref(), text) {
            Ok(mut statements) if statements.len() == 1 => {
                if parsed.is_none() {
                    parsed = statements.pop();
                }
            }
            Ok(statements) if statements.is_empty() => {
                diags.push(Diagnostic::error(
                    header,
                    format!("query {} has no statement", block.name),
                ));
                return Err(diags);
            }
            Ok(statements) => {
                diags.push(
                    Diagnostic::error(
                        span(statements[1].span()),
                        format!("query {} holds {} statements", block.name, statements.len()),
                    )
                    .with_label("a second statement")
                    .with_help(
                        "one block is one statement: give this one a `-- name:` line of its own",
                    ),
                );
                return Err(diags);
            }
            Err(e) => {
                let message = match &e {
                    sqlparser::parser::ParserError::ParserError(m)
                    | sqlparser::parser::ParserError::TokenizerError(m) => m.clone(),
                    other => other.to_string(),
                };
                let (message, place) = parse_error_span(&message, statement_end);
                refused.push((dialect, message, place));
            }
        }
    }
    let same_everywhere = refused.len() == dialects.len()
        && refused
            .windows(2)
            .all(|w| w[0].1 == w[1].1 && w[0].2 == w[1].2);
    if same_everywhere && let Some((_, message, place)) = refused.first() {
        diags.push(
            Diagnostic::error(
                *place,
                format!("query {} is not valid SQL: {message}", block.name),
            )
            .with_label("here")
            .with_help("check the statement's syntax"),
        );
    } else {
        for (dialect, message, place) in refused {
            diags.push(
                Diagnostic::error(
                    place,
                    format!(
                        "query {} is not valid {} SQL: {message}",
                        block.name,
                        dialect.database()
                    ),
                )
                .with_label(format!("{} stops here", dialect.database()))
                .with_help(format!(
                    "a query file serves every backend: write SQL that {} reads too",
                    dialect.database()
                )),
            );
        }
    }
    let Some(statement) = parsed else {
        return Err(diags);
    };
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut analyzer = Analyzer {
        schema,
        folds_case: dialects.contains(&Dialect::Postgres),
        sqlite: dialects.iter().any(|d| d.is_sqlite()),
        diags: Vec::new(),
        params,
        stars: Vec::new(),
        enum_columns: Vec::new(),
    };
    let columns = statement_columns(&mut analyzer, &statement, block);
    let columns = match (block.kind, columns) {
        (QueryKind::Exec, Some(_)) => {
            analyzer.diags.push(
                Diagnostic::error(
                    block.name_span,
                    format!("query {} returns rows, but is `:exec`", block.name),
                )
                .with_label("`:exec` counts changed rows")
                .with_help("use `:many` (every row) or `:one` (the first row)"),
            );
            None
        }
        (QueryKind::One | QueryKind::Many, None) => {
            analyzer.diags.push(
                Diagnostic::error(
                    block.name_span,
                    format!(
                        "query {} returns no rows, but is `{}`",
                        block.name,
                        block.kind.annotation()
                    ),
                )
                .with_label(format!("{} without RETURNING", statement_name(&statement)))
                .with_help("use `:exec` to get the number of rows changed, or add `RETURNING *`"),
            );
            None
        }
        (_, columns) => columns,
    };
    // What cannot be inferred is reported only when nothing else was: an
    // unknown column leaves its comparison's parameter untyped too.
    let primary = analyzer.diags.len();
    for p in &analyzer.params {
        if primary == 0 && p.ty.is_none() {
            analyzer.diags.push(
                Diagnostic::error(
                    p.first,
                    format!("mortise cannot tell the type of :{}", p.name),
                )
                .with_label("compared with no column here")
                .with_help(format!(
                    "compare it with a column, or write CAST(:{} AS BIGINT) (or TEXT, ...)",
                    p.name
                )),
            );
        }
    }
    let result = match columns {
        None => QueryResult::Nothing,
        Some(columns) => result(&mut analyzer, block, columns, primary == 0),
    };
    for p in &analyzer.params {
        if let (true, Some((ty, at))) = (p.array, p.ty)
            && matches!(
                ty,
                crate::ir::FieldType::Decimal
                    | crate::ir::FieldType::Json
                    | crate::ir::FieldType::Enum(_)
                    | crate::ir::FieldType::Array(_)
                    | crate::ir::FieldType::Embed { .. }
            )
        {
            let (what, help) = match ty {
                crate::ir::FieldType::Enum(id) => (
                    format!("enum {}", schema.enums[id].name),
                    format!(
                        "compare the values' text: `CAST(column AS TEXT) IN (:{})`",
                        p.name
                    ),
                ),
                other => (
                    other.to_string(),
                    "compare with a list of keys or text instead".to_owned(),
                ),
            };
            analyzer.diags.push(
                Diagnostic::error(
                    at,
                    format!("a list of {what} values cannot be one array parameter"),
                )
                .with_label("a list of these")
                .with_help(help),
            );
        }
    }
    if !analyzer.diags.is_empty() {
        return Err(analyzer.diags);
    }
    let read_back = if dialects.contains(&Dialect::Mysql) {
        match read_back::read_back(&mut analyzer, &statement, block, &tokens, &memberships, end) {
            Ok(read_back) => read_back,
            Err(refused) => return Err(vec![refused]),
        }
    } else {
        None
    };
    let pieces = pieces(block, &tokens, &memberships, &analyzer, block.start, end);
    let params = analyzer
        .params
        .iter()
        .map(|p| QueryParam {
            name: parameter_name(&p.name),
            ty: p.ty.map_or(crate::ir::FieldType::Text, |(t, _)| t),
            nullable: p.nullable && !p.array,
            array: p.array,
        })
        .collect();
    Ok(Query {
        name: RustIdent::snake(&block.name),
        file: file.to_owned(),
        span: block.name_span,
        doc: block.doc.clone(),
        kind: block.kind,
        writes: !matches!(statement, Statement::Query(_)),
        pieces,
        params,
        result,
        read_back,
    })
}

/// A parameter's Rust name, clear of the names generated bodies use.
fn parameter_name(name: &str) -> RustIdent {
    const TAKEN: &[&str] = &[
        "db",
        "client",
        "statement",
        "rows",
        "row",
        "keys",
        "found",
        "tx",
        "count",
    ];
    let ident = RustIdent::snake(name);
    if TAKEN.contains(&ident.as_str()) {
        RustIdent::verbatim(&format!("{}_", ident.as_str()))
    } else {
        ident
    }
}

/// The statement's result columns (`None`: it returns no rows); its
/// clauses checked on the way.
fn statement_columns(
    a: &mut Analyzer,
    statement: &Statement,
    block: &Block,
) -> Option<Vec<OutColumn>> {
    match statement {
        Statement::Query(q) => Some(a.query(q, &[])),
        Statement::Insert(insert) => {
            let sql::TableObject::TableName(name) = &insert.table else {
                a.diags.push(Diagnostic::error(
                    block.name_span,
                    "mortise cannot check an INSERT into a table function",
                ));
                return None;
            };
            let id = a.table(name)?;
            let table = &a.schema.tables[id];
            let shown = insert
                .table_alias
                .as_ref()
                .map(|t| t.alias.clone())
                .or_else(|| name.0.last().and_then(|p| p.as_ident()).cloned())
                .unwrap_or_else(|| sql::Ident::new(&table.sql_name));
            let rel = Rel {
                name: shown,
                table: Some(id),
                columns: table
                    .columns
                    .iter()
                    .map(|c| (c.sql_name.clone(), analyze_ty(c)))
                    .collect(),
            };
            if insert.columns.is_empty() {
                a.diags.push(
                    Diagnostic::error(span(name.span()), "an INSERT in a query file lists its columns")
                        .with_label("no column list")
                        .with_help(format!("write `INSERT INTO {} (col, ...) VALUES (...)`: a table mortise did not create may order its columns differently", table.sql_name)),
                );
                return None;
            }
            let mut targets: Vec<Option<Ty>> = Vec::new();
            for column in &insert.columns {
                let ident = column.0.last().and_then(|p| p.as_ident())?;
                targets.push(a.column_of_rel(&rel, ident));
            }
            if let Some(source) = &insert.source {
                match source.body.as_ref() {
                    SetExpr::Values(values) => {
                        for row in &values.rows {
                            if row.content.len() != targets.len() {
                                a.diags.push(
                                    Diagnostic::error(
                                        span(row.opening_token.0.span),
                                        format!(
                                            "{} values for {} columns",
                                            row.content.len(),
                                            targets.len()
                                        ),
                                    )
                                    .with_help("give one value per listed column"),
                                );
                                continue;
                            }
                            for (value, target) in row.content.iter().zip(&targets) {
                                a.expect_value(value, *target);
                            }
                        }
                    }
                    SetExpr::Select(select) => {
                        a.query(source, &[]);
                        for (item, target) in select.projection.iter().zip(&targets) {
                            if let sql::SelectItem::UnnamedExpr(e) = item {
                                a.expect_value(e, *target);
                            }
                        }
                    }
                    _ => {
                        a.query(source, &[]);
                    }
                }
            }
            if let Some(sqlparser::ast::OnInsert::OnConflict(conflict)) = &insert.on
                && let sqlparser::ast::OnConflictAction::DoUpdate(update) = &conflict.action
            {
                let mut excluded = rel.clone();
                excluded.name = sql::Ident::new("excluded");
                let scopes = vec![vec![rel.clone(), excluded]];
                a.assignments(&update.assignments, &rel, &scopes);
                if let Some(selection) = &update.selection {
                    a.expr(selection, &scopes);
                }
            }
            insert
                .returning
                .as_ref()
                .map(|items| a.items(items, std::slice::from_ref(&rel), &[vec![rel.clone()]]))
        }
        Statement::Update(update) => {
            let mut rels = a.relations(std::slice::from_ref(&update.table), &[]);
            let target = rels.first().cloned()?;
            if let Some(from) = &update.from {
                let (sqlparser::ast::UpdateTableFromKind::BeforeSet(items)
                | sqlparser::ast::UpdateTableFromKind::AfterSet(items)) = from;
                rels.extend(a.relations(items, &[]));
            }
            let scopes = vec![rels.clone()];
            a.assignments(&update.assignments, &target, &scopes);
            if let Some(selection) = &update.selection {
                a.condition_in(selection, &scopes);
            }
            update
                .returning
                .as_ref()
                .map(|items| a.items(items, std::slice::from_ref(&target), &scopes))
        }
        Statement::Delete(delete) => {
            let (sql::FromTable::WithFromKeyword(items) | sql::FromTable::WithoutKeyword(items)) =
                &delete.from;
            let mut rels = a.relations(items, &[]);
            let target = rels.first().cloned()?;
            if let Some(using) = &delete.using {
                rels.extend(a.relations(using, &[]));
            }
            let scopes = vec![rels.clone()];
            if let Some(selection) = &delete.selection {
                a.condition_in(selection, &scopes);
            }
            delete
                .returning
                .as_ref()
                .map(|items| a.items(items, std::slice::from_ref(&target), &scopes))
        }
        _ => {
            a.diags.push(
                Diagnostic::error(
                    block.name_span,
                    "a query file holds SELECT, INSERT, UPDATE and DELETE statements",
                )
                .with_label("not one of those")
                .with_help("schema changes belong in schema.yaml; create_all writes them"),
            );
            None
        }
    }
}

fn analyze_ty(c: &crate::ir::Column) -> Ty {
    Ty {
        kind: analyze::Kind::Field(c.ty),
        nullable: c.nullable,
    }
}

/// What the query's rows are: exactly one table's row (`*` or `m.*` of a
/// table not outer-joined) is that table's struct; anything else a row
/// struct of the query's own.
fn result(
    a: &mut Analyzer,
    block: &Block,
    columns: Vec<OutColumn>,
    report_types: bool,
) -> QueryResult {
    if let [only] = columns.as_slice()
        && let Some(rel) = &only.star
        && let Some(id) = rel.table
        && has_struct(a.schema, id)
        && rel
            .columns
            .iter()
            .zip(&a.schema.tables[id].columns)
            .all(|((_, ty), c)| ty.nullable == c.nullable)
    {
        return QueryResult::Table(id);
    }
    let mut fields: Vec<crate::ir::Column> = Vec::new();
    let mut add = |a: &mut Analyzer, column: Option<crate::ir::Column>, at: Span| {
        let Some(column) = column else { return };
        if fields.iter().any(|f| f.field == column.field) {
            a.diags.push(
                Diagnostic::error(
                    at,
                    format!("two result columns are named {}", column.field.unraw()),
                )
                .with_label("a second one")
                .with_help("give one of them another name with AS"),
            );
            return;
        }
        fields.push(column);
    };
    for c in columns {
        if let Some(rel) = c.star {
            for (name, ty) in rel.columns {
                add(a, row_column(&name, ty), c.span);
            }
            continue;
        }
        let Some(name) = c.name else {
            a.diags.push(
                Diagnostic::error(c.span, "this result column has no name")
                    .with_label("becomes a field of the row struct")
                    .with_help("name it with AS, e.g. `count(*) AS films`"),
            );
            continue;
        };
        match c.ty.and_then(|ty| row_column(&name, ty)) {
            Some(column) => add(a, Some(column), c.span),
            None if !report_types => {}
            None => a.diags.push(
                Diagnostic::error(
                    c.span,
                    format!("mortise cannot tell the type of result column {name}"),
                )
                .with_label("its type differs between backends, or is unknown")
                .with_help(format!(
                    "CAST it to the type you want, e.g. `CAST(sum(x) AS BIGINT) AS {name}`"
                )),
            ),
        }
    }
    let name = RustIdent::pascal(&format!("{}_row", singular(&block.name)));
    QueryResult::Row {
        name,
        columns: fields,
    }
}

/// A byte offset of a block's text as a span of one character.
fn offset_span(text: &str, byte: usize) -> Span {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Span {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(text[line_start..byte].chars().count() + 1).unwrap_or(u32::MAX),
        len: 1,
    }
}

/// The byte offset of a sqlparser location in a block's text.
fn location_offset(text: &str, location: sqlparser::tokenizer::Location) -> usize {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == usize::try_from(location.line).unwrap_or(usize::MAX) {
            let column = usize::try_from(location.column)
                .unwrap_or(1)
                .saturating_sub(1);
            return offset
                + line
                    .char_indices()
                    .nth(column)
                    .map_or(line.len(), |(i, _)| i);
        }
        offset += line.len();
    }
    text.len()
}

/// The statement's text from byte `from` to `end` as pieces: SQL as
/// written between the parameters, the array memberships and the expanded
/// stars, without the space around it.
fn pieces(
    block: &Block,
    tokens: &[blocks::Token],
    memberships: &[blocks::Membership],
    a: &Analyzer,
    from: usize,
    end: usize,
) -> Vec<Piece> {
    let index = |name: &str| a.params.iter().position(|p| p.name == name).unwrap_or(0);
    let mut replaced: Vec<(usize, usize, Vec<Piece>)> = Vec::new();
    for m in memberships {
        if let Tok::Param(name) = &tokens[m.param].tok {
            replaced.push((
                tokens[m.first].start,
                tokens[m.last].end,
                vec![Piece::InArray {
                    param: index(name),
                    negated: m.negated,
                }],
            ));
        }
    }
    for (n, t) in tokens.iter().enumerate() {
        if let Tok::Param(name) = &t.tok
            && !memberships.iter().any(|m| m.param == n)
        {
            replaced.push((t.start, t.end, vec![Piece::Param(index(name))]));
        }
    }
    for (at, star) in &a.stars {
        let start = location_offset(&block.text, at.start);
        let stop = location_offset(&block.text, at.end);
        replaced.push((start, stop.max(start + 1), star.clone()));
    }
    for at in &a.enum_columns {
        let end = location_offset(&block.text, at.end);
        replaced.push((end, end, vec![Piece::ReadAsText]));
    }
    replaced.sort_by_key(|(start, ..)| *start);
    let mut out = Vec::new();
    let mut at = from;
    for (start, stop, pieces) in replaced {
        if start < at || stop > end {
            continue;
        }
        out.push(Piece::Text(block.text[at..start].to_owned()));
        out.extend(pieces);
        at = stop;
    }
    out.push(Piece::Text(block.text[at..end].to_owned()));
    // The statement as written, without its indentation or trailing space.
    if let Some(Piece::Text(first)) = out.first_mut() {
        *first = first.trim_start().to_owned();
    }
    if let Some(Piece::Text(last)) = out.last_mut() {
        *last = last.trim_end().to_owned();
    }
    out.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    out
}
