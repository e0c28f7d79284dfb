//! One statement of a query file checked against the schema: every table
//! and column resolved, each parameter's type inferred from where it is
//! used, each result column's type and nullability inferred from the
//! schema (outer joins make columns nullable).
//!
//! Inference is deliberately plain: a column has its schema type; `count`
//! is a 64-bit integer; `min`, `max`, `coalesce`, `lower`, ... follow their
//! argument; a `CAST` names its type. Anything else (`sum`, arithmetic on
//! literals, most functions) differs between backends, so a result column
//! or a parameter there is a located error asking for a `CAST`.

use sqlparser::ast::{
    self as sql, BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    JoinConstraint, JoinOperator, ObjectName, SelectItem, SelectItemQualifiedWildcardKind, SetExpr,
    Spanned, Statement, TableFactor, TableWithJoins, TimezoneInfo, UnaryOperator,
};

use sqlparser::tokenizer::Span as TokSpan;

use crate::diagnostics::{Diagnostic, Span};
use crate::ir::{Column, FieldType, Piece, Schema, TableId, TableKind};
use crate::names::{RustIdent, did_you_mean};

/// A type as inference sees it: a schema type, or a literal's, which
/// compares with several.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Field(FieldType),
    /// `'text'`: compares with anything but numbers.
    Text,
    /// `42`, `1.5`: compares with numbers.
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ty {
    pub(super) kind: Kind,
    pub(super) nullable: bool,
}

impl Ty {
    fn field(ty: FieldType, nullable: bool) -> Ty {
        Ty {
            kind: Kind::Field(ty),
            nullable,
        }
    }
}

/// A relation of a `FROM`: a table or a subquery, by the name it is
/// referred to.
#[derive(Debug, Clone)]
pub(super) struct Rel {
    /// The alias, else the table's name, as written.
    pub(super) name: sql::Ident,
    pub(super) table: Option<TableId>,
    pub(super) columns: Vec<(String, Ty)>,
}

/// A result column.
#[derive(Debug, Clone)]
pub(super) struct OutColumn {
    pub(super) name: Option<String>,
    pub(super) ty: Option<Ty>,
    pub(super) span: Span,
    /// A whole relation's columns (`*`, `m.*`).
    pub(super) star: Option<Rel>,
}

/// A parameter as uses reveal it.
#[derive(Debug, Clone)]
pub(super) struct ParamUse {
    pub(super) name: String,
    pub(super) ty: Option<(FieldType, Span)>,
    pub(super) nullable: bool,
    pub(super) array: bool,
    pub(super) first: Span,
}

pub(super) struct Analyzer<'a> {
    pub(super) schema: &'a Schema,
    /// Whether PostgreSQL is among the dialects: it folds unquoted names to
    /// lower case, so `TrackId` unquoted is a name no column has.
    pub(super) folds_case: bool,
    /// Whether SQLite is among the dialects: its `CAST` to a date or time
    /// type makes a number of the text it stores them as.
    pub(super) sqlite: bool,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) params: Vec<ParamUse>,
    /// `*` and `m.*` to expand: where (sqlparser locations), and into what.
    pub(super) stars: Vec<(TokSpan, Vec<Piece>)>,
    /// Result columns of an enum type, read as text on PostgreSQL: where
    /// each ends.
    pub(super) enum_columns: Vec<TokSpan>,
}

/// A span in the file from sqlparser's (lines and columns are the file's:
/// the block's text keeps its lines).
pub(super) fn span(s: TokSpan) -> Span {
    let (line, column) = (s.start.line, s.start.column);
    let len = if s.end.line == s.start.line {
        s.end.column.saturating_sub(s.start.column)
    } else {
        1
    };
    Span {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        len: u32::try_from(len.max(1)).unwrap_or(u32::MAX),
    }
}

/// Whether an identifier as written names `sql_name`: exactly when
/// quoted, ignoring ASCII case otherwise.
fn names(ident: &sql::Ident, sql_name: &str) -> bool {
    if ident.quote_style.is_some() {
        ident.value == sql_name
    } else {
        ident.value.eq_ignore_ascii_case(sql_name)
    }
}

type Scopes<'s> = &'s [Vec<Rel>];

impl Analyzer<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// PostgreSQL reads an unquoted name in lower case.
    fn check_case(&mut self, ident: &sql::Ident, sql_name: &str) {
        if self.folds_case && ident.quote_style.is_none() && sql_name != sql_name.to_lowercase() {
            self.error(
                Diagnostic::error(
                    span(ident.span),
                    format!(
                        "PostgreSQL reads the unquoted name {} as {:?}",
                        ident.value,
                        ident.value.to_lowercase()
                    ),
                )
                .with_label("not the name as declared")
                .with_help(format!("quote it: \"{sql_name}\"")),
            );
        }
    }

    /// The table an object name names.
    pub(super) fn table(&mut self, name: &ObjectName) -> Option<TableId> {
        let parts: Vec<&sql::Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
        let (prefix, last) = match parts.as_slice() {
            [last] => (None, *last),
            [.., prefix, last] => (Some(*prefix), *last),
            [] => return None,
        };
        let found = self.schema.tables.iter().position(|t| {
            names(last, &t.sql_name)
                && prefix.is_none_or(|p| t.prefix.as_deref().is_some_and(|tp| names(p, tp)))
        });
        match found {
            Some(id) => {
                self.check_case(last, &self.schema.tables[id].sql_name.clone());
                Some(id)
            }
            None => {
                let known = self.schema.tables.iter().map(|t| t.sql_name.as_str());
                let help = did_you_mean(&last.value, known).unwrap_or_else(|| {
                    "query only tables the schema declares (or the join tables its associations name)".to_owned()
                });
                self.error(
                    Diagnostic::error(span(last.span), format!("unknown table {:?}", last.value))
                        .with_label("no table of the schema has this name")
                        .with_help(help),
                );
                None
            }
        }
    }

    fn table_rel(&self, id: TableId, name: sql::Ident) -> Rel {
        let table = &self.schema.tables[id];
        Rel {
            name,
            table: Some(id),
            columns: table
                .columns
                .iter()
                .map(|c| (c.sql_name.clone(), Ty::field(c.ty, c.nullable)))
                .collect(),
        }
    }

    /// A relation of a `FROM` or `JOIN`.
    fn factor(&mut self, factor: &TableFactor, outer: Scopes) -> Option<Rel> {
        match factor {
            TableFactor::Table {
                name, alias, args, ..
            } if args.is_none() => {
                let id = self.table(name)?;
                let shown = alias.as_ref().map_or_else(
                    || {
                        name.0
                            .last()
                            .and_then(|p| p.as_ident())
                            .cloned()
                            .unwrap_or_else(|| sql::Ident::new(""))
                    },
                    |a| a.name.clone(),
                );
                Some(self.table_rel(id, shown))
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let columns = self.query(subquery, outer);
                let Some(alias) = alias else {
                    self.error(
                        Diagnostic::error(span(factor.span()), "a subquery in FROM needs an alias")
                            .with_help("write `(SELECT ...) AS recent`"),
                    );
                    return None;
                };
                let mut cols = Vec::new();
                for c in columns {
                    match c.star {
                        Some(rel) => cols.extend(rel.columns),
                        None => {
                            if let (Some(name), Some(ty)) = (c.name, c.ty) {
                                cols.push((name, ty));
                            }
                        }
                    }
                }
                Some(Rel {
                    name: alias.name.clone(),
                    table: None,
                    columns: cols,
                })
            }
            other => {
                self.error(
                    Diagnostic::error(
                        span(other.span()),
                        "mortise cannot check this kind of FROM item",
                    )
                    .with_help("query tables (with joins) or subqueries with an alias"),
                );
                None
            }
        }
    }

    /// The relations of a `FROM` list with its joins; `ON` conditions are
    /// checked as they come. Outer joins make a side's columns nullable.
    pub(super) fn relations(&mut self, from: &[TableWithJoins], outer: Scopes) -> Vec<Rel> {
        let mut rels: Vec<Rel> = Vec::new();
        for item in from {
            if let Some(rel) = self.factor(&item.relation, outer) {
                rels.push(rel);
            }
            for join in &item.joins {
                let Some(mut rel) = self.factor(&join.relation, outer) else {
                    continue;
                };
                let nullable = |rels: &mut [Rel]| {
                    for r in rels {
                        for c in &mut r.columns {
                            c.1.nullable = true;
                        }
                    }
                };
                let constraint = match &join.join_operator {
                    JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => {
                        nullable(std::slice::from_mut(&mut rel));
                        Some(c)
                    }
                    JoinOperator::Right(c) | JoinOperator::RightOuter(c) => {
                        nullable(&mut rels);
                        Some(c)
                    }
                    JoinOperator::FullOuter(c) => {
                        nullable(&mut rels);
                        nullable(std::slice::from_mut(&mut rel));
                        Some(c)
                    }
                    JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c) => {
                        Some(c)
                    }
                    _ => None,
                };
                rels.push(rel);
                match constraint {
                    Some(JoinConstraint::On(on)) => {
                        let scopes = scopes_with(outer, &rels);
                        self.condition(on, &scopes);
                    }
                    Some(JoinConstraint::Using(columns)) => {
                        let scopes = scopes_with(outer, &rels);
                        for c in columns {
                            if let Some(ident) = c.0.last().and_then(|p| p.as_ident()) {
                                self.column(&scopes, None, ident, &[]);
                            }
                        }
                    }
                    Some(JoinConstraint::Natural | JoinConstraint::None) => {}
                    None => self.error(
                        Diagnostic::error(
                            span(join.relation.span()),
                            "mortise cannot check this kind of join",
                        )
                        .with_help("use JOIN, LEFT JOIN, RIGHT JOIN, FULL JOIN or CROSS JOIN"),
                    ),
                }
            }
        }
        rels
    }

    /// A column reference: `title`, `m.title`.
    fn column(
        &mut self,
        scopes: Scopes,
        qualifier: Option<&sql::Ident>,
        ident: &sql::Ident,
        aliases: &[(String, Ty)],
    ) -> Option<Ty> {
        if let Some(q) = qualifier {
            let rel = scopes
                .iter()
                .rev()
                .flat_map(|s| s.iter())
                .find(|r| {
                    names(q, &r.name.value)
                        || (r.name.quote_style.is_some() && q.value == r.name.value)
                })
                .cloned();
            let Some(rel) = rel else {
                let known: Vec<String> = scopes
                    .iter()
                    .flatten()
                    .map(|r| r.name.value.clone())
                    .collect();
                self.error(
                    Diagnostic::error(
                        span(q.span),
                        format!("no table or alias {:?} in this query", q.value),
                    )
                    .with_label("not in FROM")
                    .with_help_opt(did_you_mean(&q.value, known.iter().map(String::as_str)))
                    .with_help_opt(known.is_empty().then(|| "add the table to FROM".to_owned())),
                );
                return None;
            };
            return self.column_of(&rel, ident);
        }
        for scope in scopes.iter().rev() {
            let matches: Vec<&Rel> = scope
                .iter()
                .filter(|r| r.columns.iter().any(|(c, _)| names(ident, c)))
                .collect();
            match matches.as_slice() {
                [] => continue,
                [rel] => {
                    let rel = (*rel).clone();
                    return self.column_of(&rel, ident);
                }
                [first, second, ..] => {
                    let help = format!(
                        "qualify it: `{}.{}` or `{}.{}`",
                        first.name.value, ident.value, second.name.value, ident.value
                    );
                    self.error(
                        Diagnostic::error(
                            span(ident.span),
                            format!("column {:?} is ambiguous", ident.value),
                        )
                        .with_label(format!(
                            "in both {} and {}",
                            first.name.value, second.name.value
                        ))
                        .with_help(help),
                    );
                    return None;
                }
            }
        }
        if let Some((_, ty)) = aliases.iter().find(|(a, _)| names(ident, a)) {
            return Some(*ty);
        }
        let known: Vec<String> = scopes
            .iter()
            .flatten()
            .flat_map(|r| r.columns.iter().map(|(c, _)| c.clone()))
            .chain(aliases.iter().map(|(a, _)| a.clone()))
            .collect();
        let message = if scopes.iter().all(Vec::is_empty) {
            format!("column {:?} has no table to come from", ident.value)
        } else {
            format!("unknown column {:?}", ident.value)
        };
        self.error(
            Diagnostic::error(span(ident.span), message)
                .with_label("no table of this query has it")
                .with_help(
                    did_you_mean(&ident.value, known.iter().map(String::as_str))
                        .unwrap_or_else(|| "check the column names in schema.yaml".to_owned()),
                ),
        );
        None
    }

    fn column_of(&mut self, rel: &Rel, ident: &sql::Ident) -> Option<Ty> {
        if let Some((name, ty)) = rel.columns.iter().find(|(c, _)| names(ident, c)) {
            let name = name.clone();
            self.check_case(ident, &name);
            return Some(*ty);
        }
        let what = match rel.table {
            Some(id) => format!("table {:?}", self.schema.tables[id].sql_name),
            None => format!("subquery {:?}", rel.name.value),
        };
        self.error(
            Diagnostic::error(
                span(ident.span),
                format!("{what} has no column {:?}", ident.value),
            )
            .with_label("unknown column")
            .with_help(
                did_you_mean(&ident.value, rel.columns.iter().map(|(c, _)| c.as_str()))
                    .unwrap_or_else(|| {
                        format!(
                            "its columns: {}",
                            rel.columns
                                .iter()
                                .map(|(c, _)| c.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }),
            ),
        );
        None
    }

    /// The parameter `expr` is, if it is one (in parentheses too).
    fn param_of(&self, expr: &Expr) -> Option<(usize, Span)> {
        match expr {
            Expr::Nested(inner) => self.param_of(inner),
            Expr::Value(v) => match &v.value {
                sql::Value::Placeholder(p) => {
                    let name = p.strip_prefix(':')?;
                    let i = self.params.iter().position(|u| u.name == name)?;
                    Some((i, span(v.span)))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// What a use of parameter `i` at `at` tells of its type.
    fn assign(&mut self, i: usize, ty: FieldType, nullable: bool, at: Span) {
        let param = &mut self.params[i];
        param.nullable |= nullable;
        match param.ty {
            None => param.ty = Some((ty, at)),
            Some((known, first)) if !same_param_type(known, ty) => {
                let name = param.name.clone();
                self.error(
                    Diagnostic::error(at, format!(":{name} is used as {ty} here, and as {known} before"))
                        .with_label(format!("a {ty} here"))
                        .with_related(first, format!("a {known} here"))
                        .with_help(format!("one parameter has one type: use two parameters, or CAST(:{name} AS ...) where it differs")),
                );
            }
            Some(_) => {}
        }
    }

    /// `expr` where a value of type `want` belongs (a column it is
    /// compared with or written to): a parameter gets that type.
    fn expect(&mut self, expr: &Expr, want: Option<Ty>, nullable_param: bool, scopes: Scopes) {
        match (self.param_of(expr), want) {
            (
                Some((i, at)),
                Some(Ty {
                    kind: Kind::Field(ty),
                    ..
                }),
            ) => self.assign(i, ty, nullable_param, at),
            (
                Some((i, at)),
                Some(Ty {
                    kind: Kind::Text, ..
                }),
            ) => self.assign(i, FieldType::Text, nullable_param, at),
            (Some(_), _) => {}
            (None, _) => {
                self.expr(expr, scopes);
            }
        }
    }

    /// A condition (`WHERE`, `ON`, `HAVING`).
    fn condition(&mut self, expr: &Expr, scopes: Scopes) {
        if let Some((i, at)) = self.param_of(expr) {
            self.assign(i, FieldType::Boolean, false, at);
        } else {
            self.expr(expr, scopes);
        }
    }

    /// Two sides compared: each types the other's parameter; two typed
    /// sides must be comparable.
    fn compare(&mut self, left: &Expr, right: &Expr, scopes: Scopes, at: TokSpan) -> Option<Ty> {
        let (l, r) = (self.param_of(left), self.param_of(right));
        match (l, r) {
            (Some(_), Some(_)) => None,
            (Some(_), None) => {
                let t = self.expr(right, scopes);
                self.expect(left, t, false, scopes);
                t
            }
            (None, Some(_)) => {
                let t = self.expr(left, scopes);
                self.expect(right, t, false, scopes);
                t
            }
            (None, None) => {
                let (lt, rt) = (self.expr(left, scopes), self.expr(right, scopes));
                if let (Some(a), Some(b)) = (lt, rt)
                    && !comparable(a.kind, b.kind)
                {
                    self.error(
                        Diagnostic::error(
                            span(at),
                            format!(
                                "compares {} with {}",
                                kind_name(self.schema, a.kind),
                                kind_name(self.schema, b.kind)
                            ),
                        )
                        .with_label("these types do not compare")
                        .with_help("compare values of one type, or CAST one side"),
                    );
                }
                match (lt, rt) {
                    (Some(a), Some(b)) => Some(Ty {
                        kind: a.kind,
                        nullable: a.nullable || b.nullable,
                    }),
                    (a, b) => a.or(b),
                }
            }
        }
    }

    /// The type of `expr`, `None` when it cannot be told; every column in
    /// it resolved, every parameter typed where its use tells.
    pub(super) fn expr(&mut self, expr: &Expr, scopes: Scopes) -> Option<Ty> {
        self.expr_with(expr, scopes, &[])
    }

    fn expr_with(&mut self, expr: &Expr, scopes: Scopes, aliases: &[(String, Ty)]) -> Option<Ty> {
        let boolean = |nullable| Some(Ty::field(FieldType::Boolean, nullable));
        match expr {
            Expr::Identifier(ident) => self.column(scopes, None, ident, aliases),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [.., q, c] => self.column(scopes, Some(q), c, &[]),
                [c] => self.column(scopes, None, c, aliases),
                [] => None,
            },
            Expr::Nested(inner) => self.expr_with(inner, scopes, aliases),
            Expr::Value(v) => match &v.value {
                sql::Value::Number(..) => Some(Ty {
                    kind: Kind::Number,
                    nullable: false,
                }),
                sql::Value::SingleQuotedString(_) | sql::Value::EscapedStringLiteral(_) => {
                    Some(Ty {
                        kind: Kind::Text,
                        nullable: false,
                    })
                }
                sql::Value::Boolean(_) => boolean(false),
                _ => None,
            },
            Expr::BinaryOp { left, op, right } => match op {
                BinaryOperator::Eq
                | BinaryOperator::NotEq
                | BinaryOperator::Lt
                | BinaryOperator::LtEq
                | BinaryOperator::Gt
                | BinaryOperator::GtEq => {
                    let t = self.compare(left, right, scopes, expr.span());
                    boolean(t.is_none_or(|t| t.nullable))
                }
                BinaryOperator::And | BinaryOperator::Or => {
                    self.condition(left, scopes);
                    self.condition(right, scopes);
                    boolean(true)
                }
                BinaryOperator::StringConcat => {
                    let l = self.string_operand(left, scopes);
                    let r = self.string_operand(right, scopes);
                    Some(Ty::field(FieldType::Text, l || r))
                }
                BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide
                | BinaryOperator::Modulo => {
                    let t = self.compare(left, right, scopes, expr.span());
                    t.filter(|t| matches!(t.kind, Kind::Field(_)))
                }
                _ => {
                    self.expr(left, scopes);
                    self.expr(right, scopes);
                    None
                }
            },
            Expr::UnaryOp { op, expr: inner } => match op {
                UnaryOperator::Not => {
                    self.condition(inner, scopes);
                    boolean(true)
                }
                _ => self.expr(inner, scopes),
            },
            Expr::IsNull(inner)
            | Expr::IsNotNull(inner)
            | Expr::IsTrue(inner)
            | Expr::IsFalse(inner)
            | Expr::IsNotTrue(inner)
            | Expr::IsNotFalse(inner) => {
                self.expr(inner, scopes);
                boolean(false)
            }
            Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
                self.compare(a, b, scopes, expr.span());
                boolean(false)
            }
            Expr::InList { expr: e, list, .. } => {
                let t = self.expr(e, scopes);
                match list.as_slice() {
                    [one]
                        if self
                            .param_of(one)
                            .is_some_and(|(i, _)| self.params[i].array) =>
                    {
                        self.expect(one, t, false, scopes)
                    }
                    _ => {
                        for item in list {
                            self.expect(item, t, false, scopes);
                        }
                    }
                }
                boolean(true)
            }
            Expr::InSubquery {
                expr: e, subquery, ..
            } => {
                self.expr(e, scopes);
                self.query(subquery, scopes);
                boolean(true)
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                let t = self.expr(left, scopes);
                if self.param_of(right).is_some() {
                    self.expect(right, t, false, scopes);
                } else {
                    self.expr(right, scopes);
                }
                boolean(true)
            }
            Expr::Between {
                expr: e, low, high, ..
            } => {
                let t = self.expr(e, scopes);
                self.expect(low, t, false, scopes);
                self.expect(high, t, false, scopes);
                boolean(true)
            }
            Expr::Like {
                expr: e, pattern, ..
            }
            | Expr::ILike {
                expr: e, pattern, ..
            } => {
                self.expr(e, scopes);
                self.expect(
                    pattern,
                    Some(Ty::field(FieldType::Text, false)),
                    false,
                    scopes,
                );
                boolean(true)
            }
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                let Some(ty) = self.cast_type(data_type) else {
                    self.expr(inner, scopes);
                    self.error(
                        Diagnostic::error(span(expr.span()), format!("mortise has no Rust type for {data_type}"))
                            .with_help("cast to one of: BIGINT, INTEGER, SMALLINT, DOUBLE PRECISION, REAL, NUMERIC, BOOLEAN, TEXT, BYTEA, UUID, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, JSONB, or a schema enum's name"),
                    );
                    return None;
                };
                if self.sqlite
                    && matches!(
                        ty,
                        FieldType::Date
                            | FieldType::Time
                            | FieldType::Timestamp
                            | FieldType::Datetime
                            | FieldType::Uuid
                    )
                {
                    self.error(
                        Diagnostic::error(span(expr.span()), format!("SQLite's CAST to {data_type} makes a number of the text it stores a {ty} as"))
                            .with_label("'2001-02-03' would become 2001")
                            .with_help("drop the CAST: min, max and coalesce keep their column's type, and a parameter takes the type of the column it meets"),
                    );
                }
                if let Some((i, at)) = self.param_of(inner) {
                    self.assign(i, ty, false, at);
                    return Some(Ty::field(ty, false));
                }
                let inner = self.expr(inner, scopes);
                Some(Ty::field(ty, inner.is_none_or(|t| t.nullable)))
            }
            Expr::Function(f) => self.function(f, scopes),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let operand = operand.as_ref().and_then(|o| self.expr(o, scopes));
                let mut result: Option<Ty> = None;
                let mut nullable = else_result.is_none();
                for when in conditions {
                    match operand {
                        Some(_) => self.expect(&when.condition, operand, false, scopes),
                        None => self.condition(&when.condition, scopes),
                    }
                    let t = self.expr(&when.result, scopes);
                    nullable |= t.is_none_or(|t| t.nullable);
                    result = result.or(t.filter(|t| matches!(t.kind, Kind::Field(_))));
                }
                if let Some(e) = else_result {
                    let t = self.expr(e, scopes);
                    nullable |= t.is_none_or(|t| t.nullable);
                    result = result.or(t.filter(|t| matches!(t.kind, Kind::Field(_))));
                }
                result.map(|t| Ty { nullable, ..t })
            }
            Expr::Exists { subquery, .. } => {
                self.query(subquery, scopes);
                boolean(false)
            }
            Expr::Subquery(q) => {
                let columns = self.query(q, scopes);
                match columns.as_slice() {
                    [one] if one.star.is_none() => one.ty.map(|t| Ty {
                        nullable: true,
                        ..t
                    }),
                    _ => None,
                }
            }
            Expr::Tuple(items) => {
                for item in items {
                    self.expr(item, scopes);
                }
                None
            }
            _ => None,
        }
    }

    /// An operand of `||`: a parameter there is text. Whether it is nullable.
    fn string_operand(&mut self, e: &Expr, scopes: Scopes) -> bool {
        if let Some((i, at)) = self.param_of(e) {
            self.assign(i, FieldType::Text, false, at);
            return false;
        }
        self.expr(e, scopes).is_none_or(|t| t.nullable)
    }

    fn function(&mut self, f: &sql::Function, scopes: Scopes) -> Option<Ty> {
        let name = f
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| i.value.to_ascii_lowercase())
            .unwrap_or_default();
        let mut args: Vec<&Expr> = Vec::new();
        if let FunctionArguments::List(list) = &f.args {
            for arg in &list.args {
                match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                    | FunctionArg::Named {
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } => args.push(e),
                    // `count(*)`: a `*` names no column.
                    _ => {}
                }
            }
        }
        let first_typed = |me: &mut Self, args: &[&Expr]| {
            let types: Vec<Option<Ty>> = args.iter().map(|a| me.expr(a, scopes)).collect();
            let field = types
                .iter()
                .flatten()
                .find(|t| matches!(t.kind, Kind::Field(_)))
                .copied();
            // Its parameters take the type of its typed arguments.
            if let Some(t) = field {
                for a in args {
                    if let Some((i, at)) = me.param_of(a)
                        && let Kind::Field(ty) = t.kind
                    {
                        me.assign(i, ty, false, at);
                    }
                }
            }
            (field, types)
        };
        match name.as_str() {
            "count" => {
                for a in &args {
                    self.expr(a, scopes);
                }
                Some(Ty::field(FieldType::Integer, false))
            }
            "min" | "max" => {
                let (t, _) = first_typed(self, &args);
                t.map(|t| Ty {
                    nullable: true,
                    ..t
                })
            }
            "coalesce" | "ifnull" => {
                let (t, types) = first_typed(self, &args);
                let nullable = types.iter().all(|t| t.is_none_or(|t| t.nullable));
                t.map(|t| Ty { nullable, ..t })
            }
            "lower" | "upper" | "trim" | "ltrim" | "rtrim" => {
                let nullable = args.iter().any(|a| self.string_operand(a, scopes));
                Some(Ty::field(FieldType::Text, nullable))
            }
            "length" | "char_length" => {
                let nullable = args.iter().any(|a| self.string_operand(a, scopes));
                Some(Ty::field(FieldType::Int, nullable))
            }
            _ => {
                for a in &args {
                    self.expr(a, scopes);
                }
                None
            }
        }
    }

    /// The schema type a `CAST` names.
    fn cast_type(&self, data_type: &DataType) -> Option<FieldType> {
        Some(match data_type {
            DataType::BigInt(_) | DataType::Int8(_) => FieldType::Integer,
            DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => FieldType::Int,
            DataType::SmallInt(_) | DataType::Int2(_) => FieldType::SmallInt,
            DataType::DoublePrecision | DataType::Float8 | DataType::Double(_) => FieldType::Float,
            DataType::Real | DataType::Float4 => FieldType::Float4,
            DataType::Numeric(_) | DataType::Decimal(_) => FieldType::Decimal,
            DataType::Boolean | DataType::Bool => FieldType::Boolean,
            DataType::Text | DataType::Varchar(_) | DataType::String(_) => FieldType::Text,
            DataType::Bytea | DataType::Blob(_) => FieldType::Binary,
            DataType::Uuid => FieldType::Uuid,
            DataType::Date => FieldType::Date,
            DataType::Time(..) => FieldType::Time,
            DataType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => {
                FieldType::Datetime
            }
            DataType::Timestamp(..) | DataType::Datetime(_) => FieldType::Timestamp,
            DataType::JSON | DataType::JSONB => FieldType::Json,
            DataType::Custom(name, _) => {
                let last = name.0.last()?.as_ident()?;
                if last.value.eq_ignore_ascii_case("timestamptz") {
                    return Some(FieldType::Datetime);
                }
                let id = self
                    .schema
                    .enums
                    .iter()
                    .position(|e| names(last, &e.sql_name) || names(last, &e.name))?;
                FieldType::Enum(id)
            }
            _ => return None,
        })
    }

    /// A query's result columns; its clauses checked.
    pub(super) fn query(&mut self, q: &sql::Query, outer: Scopes) -> Vec<OutColumn> {
        if let Some(with) = &q.with {
            self.error(
                Diagnostic::error(
                    span(with.span()),
                    "mortise does not check WITH (common table expressions) in query files yet",
                )
                .with_help("write the CTE as a subquery in FROM, with an alias"),
            );
            return Vec::new();
        }
        let (columns, scope) = self.set_expr(&q.body, outer);
        let aliases: Vec<(String, Ty)> = columns
            .iter()
            .filter_map(|c| Some((c.name.clone()?, c.ty?)))
            .collect();
        let scopes = scopes_with(outer, &scope);
        if let Some(order_by) = &q.order_by
            && let sql::OrderByKind::Expressions(items) = &order_by.kind
        {
            for item in items {
                self.expr_with(&item.expr, &scopes, &aliases);
            }
        }
        let integer = Some(Ty::field(FieldType::Integer, false));
        match &q.limit_clause {
            Some(sql::LimitClause::LimitOffset { limit, offset, .. }) => {
                if let Some(limit) = limit {
                    self.expect(limit, integer, false, &scopes);
                }
                if let Some(offset) = offset {
                    self.expect(&offset.value, integer, false, &scopes);
                }
            }
            Some(sql::LimitClause::OffsetCommaLimit { offset, limit }) => {
                self.expect(offset, integer, false, &scopes);
                self.expect(limit, integer, false, &scopes);
            }
            None => {}
        }
        columns
    }

    /// A query body's columns and (for a plain SELECT) the scope its
    /// `ORDER BY` sees.
    fn set_expr(&mut self, body: &SetExpr, outer: Scopes) -> (Vec<OutColumn>, Vec<Rel>) {
        match body {
            SetExpr::Select(select) => self.select(select, outer),
            SetExpr::Query(q) => (self.query(q, outer), Vec::new()),
            SetExpr::SetOperation { left, right, .. } => {
                let (mut l, _) = self.set_expr(left, outer);
                let (r, _) = self.set_expr(right, outer);
                for (a, b) in l.iter_mut().zip(&r) {
                    if let (Some(at), Some(bt)) = (&mut a.ty, b.ty) {
                        at.nullable |= bt.nullable;
                    }
                }
                (l, Vec::new())
            }
            SetExpr::Values(values) => {
                for row in &values.rows {
                    for e in &row.content {
                        self.expr(e, outer);
                    }
                }
                (Vec::new(), Vec::new())
            }
            other => {
                self.error(
                    Diagnostic::error(span(other.span()), "mortise cannot check this kind of query")
                        .with_help("write a SELECT (with joins, subqueries, UNION), or an INSERT, UPDATE or DELETE"),
                );
                (Vec::new(), Vec::new())
            }
        }
    }

    fn select(&mut self, s: &sql::Select, outer: Scopes) -> (Vec<OutColumn>, Vec<Rel>) {
        let rels = self.relations(&s.from, outer);
        let scopes = scopes_with(outer, &rels);
        if let Some(selection) = &s.selection {
            self.condition(selection, &scopes);
        }
        if let sql::GroupByExpr::Expressions(exprs, _) = &s.group_by {
            for e in exprs {
                self.expr(e, &scopes);
            }
        }
        if let Some(having) = &s.having {
            self.condition(having, &scopes);
        }
        let columns = self.items(&s.projection, &rels, &scopes);
        (columns, rels)
    }

    /// A select list (or `RETURNING`): its columns; `*` and `m.*` noted for
    /// expansion.
    pub(super) fn items(
        &mut self,
        items: &[SelectItem],
        rels: &[Rel],
        scopes: Scopes,
    ) -> Vec<OutColumn> {
        let mut out = Vec::new();
        for item in items {
            match item {
                SelectItem::Wildcard(options) => {
                    let at = options.wildcard_token.0.span;
                    if rels.is_empty() && !self.diags.is_empty() {
                        continue;
                    }
                    if rels.is_empty() {
                        self.error(
                            Diagnostic::error(span(at), "`*` without a table")
                                .with_label("no FROM")
                                .with_help("select from a table: `SELECT * FROM movies`"),
                        );
                    }
                    let mut pieces = Vec::new();
                    for (n, rel) in rels.iter().enumerate() {
                        if n > 0 {
                            pieces.push(Piece::Text(", ".to_owned()));
                        }
                        pieces.push(star_piece(rel));
                        out.push(OutColumn {
                            name: None,
                            ty: None,
                            span: span(at),
                            star: Some(rel.clone()),
                        });
                    }
                    self.stars.push((at, pieces));
                }
                SelectItem::QualifiedWildcard(kind, options) => {
                    let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        self.error(
                            Diagnostic::error(span(item.span()), "mortise cannot check this `.*`")
                                .with_help("select a table's columns with `alias.*`"),
                        );
                        continue;
                    };
                    let Some(q) = name.0.last().and_then(|p| p.as_ident()) else {
                        continue;
                    };
                    let rel = rels
                        .iter()
                        .find(|r| names(q, &r.name.value) || q.value == r.name.value)
                        .cloned();
                    let Some(rel) = rel else {
                        let known: Vec<&str> = rels.iter().map(|r| r.name.value.as_str()).collect();
                        self.error(
                            Diagnostic::error(
                                span(q.span),
                                format!("no table or alias {:?} in this query", q.value),
                            )
                            .with_label("not in FROM")
                            .with_help_opt(did_you_mean(&q.value, known)),
                        );
                        continue;
                    };
                    let whole = TokSpan::new(q.span.start, options.wildcard_token.0.span.end);
                    self.stars.push((whole, vec![star_piece(&rel)]));
                    out.push(OutColumn {
                        name: None,
                        ty: None,
                        span: span(whole),
                        star: Some(rel),
                    });
                }
                SelectItem::UnnamedExpr(e) => {
                    let ty = self.result_expr(e, scopes);
                    self.note_enum_column(e, ty);
                    let name = match e {
                        Expr::Identifier(i) => Some(i.value.clone()),
                        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.clone()),
                        _ => None,
                    };
                    out.push(OutColumn {
                        name,
                        ty,
                        span: span(e.span()),
                        star: None,
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let ty = self.result_expr(expr, scopes);
                    self.note_enum_column(expr, ty);
                    out.push(OutColumn {
                        name: Some(alias.value.clone()),
                        ty,
                        span: span(expr.span()),
                        star: None,
                    });
                }
                other => self.error(
                    Diagnostic::error(span(other.span()), "mortise cannot check this select item")
                        .with_help("select columns, expressions with AS, `*` or `alias.*`"),
                ),
            }
        }
        out
    }

    /// A column of `rel` (an INSERT's column list).
    pub(super) fn column_of_rel(&mut self, rel: &Rel, ident: &sql::Ident) -> Option<Ty> {
        self.column_of(rel, ident)
    }

    /// A value written into a column of type `target`: a parameter there
    /// is of the column's type, `Option` when the column is nullable.
    pub(super) fn expect_value(&mut self, value: &Expr, target: Option<Ty>) {
        let nullable = target.is_some_and(|t| t.nullable);
        self.expect(value, target, nullable, &[]);
    }

    /// `SET col = value, ...` of an UPDATE (or an upsert) on `target`.
    pub(super) fn assignments(
        &mut self,
        assignments: &[sql::Assignment],
        target: &Rel,
        scopes: Scopes,
    ) {
        for assignment in assignments {
            let sql::AssignmentTarget::ColumnName(name) = &assignment.target else {
                self.expr(&assignment.value, scopes);
                continue;
            };
            let Some(ident) = name.0.last().and_then(|p| p.as_ident()) else {
                continue;
            };
            let t = self.column_of(target, ident);
            self.expect(&assignment.value, t, t.is_some_and(|t| t.nullable), scopes);
        }
    }

    pub(super) fn condition_in(&mut self, expr: &Expr, scopes: Scopes) {
        self.condition(expr, scopes);
    }

    /// A result column that is an enum column, read as text on PostgreSQL
    /// (the drivers' lookup of a type they do not know can hang a typed
    /// statement: see `Dialect::selected`).
    fn note_enum_column(&mut self, e: &Expr, ty: Option<Ty>) {
        let plain = matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        if plain
            && matches!(
                ty,
                Some(Ty {
                    kind: Kind::Field(FieldType::Enum(_)),
                    ..
                })
            )
        {
            self.enum_columns.push(e.span());
        }
    }

    /// A result column's expression: a parameter there has no type to take.
    fn result_expr(&mut self, e: &Expr, scopes: Scopes) -> Option<Ty> {
        self.expr(e, scopes)
    }
}

/// `outer` with one more scope.
fn scopes_with(outer: Scopes, rels: &[Rel]) -> Vec<Vec<Rel>> {
    let mut scopes = outer.to_vec();
    scopes.push(rels.to_vec());
    scopes
}

/// What `*` of a relation becomes: a table's columns in row order, or a
/// subquery's.
fn star_piece(rel: &Rel) -> Piece {
    let qualifier = rel.name.to_string();
    match rel.table {
        Some(table) => Piece::Columns { qualifier, table },
        None => Piece::Text(
            rel.columns
                .iter()
                .map(|(c, _)| format!("{qualifier}.\"{}\"", c.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// Whether a parameter used as `a` and as `b` is one Rust type.
fn same_param_type(a: FieldType, b: FieldType) -> bool {
    let text = |t| matches!(t, FieldType::String | FieldType::Text | FieldType::Char(_));
    a == b || (text(a) && text(b))
}

/// The kinds of value that compare with each other.
fn class(kind: Kind) -> u8 {
    match kind {
        Kind::Number => 0,
        Kind::Text => 1,
        Kind::Field(ty) => match ty {
            FieldType::Integer
            | FieldType::Int
            | FieldType::SmallInt
            | FieldType::Float
            | FieldType::Float4
            | FieldType::Decimal => 0,
            FieldType::String | FieldType::Text | FieldType::Char(_) => 1,
            FieldType::Boolean => 2,
            FieldType::Binary => 3,
            FieldType::Uuid => 4,
            FieldType::Date | FieldType::Datetime | FieldType::Timestamp => 5,
            FieldType::Time => 6,
            FieldType::Json => 7,
            FieldType::Enum(id) => 8 + u8::try_from(id.min(200)).unwrap_or(200),
            FieldType::Embed { .. } => 250,
            FieldType::Array(_) => 251,
        },
    }
}

fn comparable(a: Kind, b: Kind) -> bool {
    match (a, b) {
        // A quoted literal is read as the other side's type.
        (Kind::Text, other) | (other, Kind::Text) => class(other) != 0,
        _ => class(a) == class(b),
    }
}

fn kind_name(schema: &Schema, kind: Kind) -> String {
    match kind {
        Kind::Number => "a number".to_owned(),
        Kind::Text => "a string".to_owned(),
        Kind::Field(FieldType::Enum(id)) => format!("enum {}", schema.enums[id].name),
        Kind::Field(ty) => format!("{ty}"),
    }
}

/// A result column of a query's own row struct.
pub(super) fn row_column(name: &str, ty: Ty) -> Option<Column> {
    let Kind::Field(field_type) = ty.kind else {
        return None;
    };
    Some(Column {
        sql_name: name.to_owned(),
        field: RustIdent::snake(name),
        ty: field_type,
        nullable: ty.nullable,
        default: None,
        unique: false,
        generated: None,
        sql_type: crate::ir::SqlType::default(),
        rust_type: None,
    })
}

/// Whether a table has a row struct of its own to return.
pub(super) fn has_struct(schema: &Schema, id: TableId) -> bool {
    schema.tables[id].kind == TableKind::Entity
}

/// The statement kinds, for messages.
pub(super) fn statement_name(statement: &Statement) -> &'static str {
    match statement {
        Statement::Query(_) => "a SELECT",
        Statement::Insert(_) => "an INSERT",
        Statement::Update(_) => "an UPDATE",
        Statement::Delete(_) => "a DELETE",
        _ => "this statement",
    }
}
