//! What every pass shares: the IR being built, the lookups from names to
//! tables and columns (with "did you mean" for unknown ones), and the errors.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::{self, Column, ColumnId, FieldType, Generated, TableId, TableKind};
use crate::names::{did_you_mean, sql_name_problem};
use crate::parse::ast::{self, Sp};

/// The schema being built. Passes add tables and columns through it so that
/// the lookups below stay in step with `tables`.
pub(super) struct Context<'a> {
    pub(super) ast: &'a ast::Schema,
    pub(super) diags: &'a mut Diagnostics,
    pub(super) tables: Vec<ir::Table>,
    /// Table name -> id, for declared tables and plain join tables.
    pub(super) by_name: HashMap<String, TableId>,
    /// Per table, per column: the name used in the schema (a field's key),
    /// which references may use besides the SQL name.
    pub(super) column_names: Vec<Vec<String>>,
    /// Per table, per column: where it comes from, to point at both sides of a clash.
    pub(super) column_spans: Vec<Vec<Span>>,
    /// Per table: lowercase SQL name -> column, for clashes (SQLite and
    /// MySQL compare names without case); and schema or SQL name -> column.
    pub(super) columns_by_sql: Vec<HashMap<String, ColumnId>>,
    pub(super) columns_by_name: Vec<HashMap<String, ColumnId>>,
    /// Columns whose type could not be read (already reported): skip type checks.
    pub(super) untyped: HashSet<(TableId, ColumnId)>,
    /// Storage table -> the declared table whose struct its rows are.
    pub(super) templates: HashMap<TableId, TableId>,
    /// The schema's enums, in `ast.enums` order (`FieldType::Enum` indexes both).
    pub(super) enums: Vec<ir::Enum>,
    /// The schema's embeds, in `ast.embeds` order (`FieldType::Embed` indexes both).
    pub(super) embeds: Vec<ir::Embed>,
}

impl<'a> Context<'a> {
    pub(super) fn new(ast: &'a ast::Schema, diags: &'a mut Diagnostics) -> Self {
        Context {
            ast,
            diags,
            tables: Vec::new(),
            by_name: HashMap::new(),
            column_names: Vec::new(),
            column_spans: Vec::new(),
            columns_by_sql: Vec::new(),
            columns_by_name: Vec::new(),
            untyped: HashSet::new(),
            templates: HashMap::new(),
            enums: Vec::new(),
            embeds: Vec::new(),
        }
    }
}

impl Context<'_> {
    pub(super) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(super) fn check_sql_name(&mut self, name: &Sp<String>, what: &str) -> bool {
        match sql_name_problem(&name.value) {
            None => true,
            Some(problem) => {
                self.error(
                    Diagnostic::error(name.span, format!("{what} {:?} is not a valid name", name.value))
                        .with_label(problem)
                        .with_help("names become quoted SQL identifiers and Rust identifiers: use letters, digits and `_` (`order`, `type` or `self` are fine)"),
                );
                false
            }
        }
    }

    /// Adds a column unless its SQL name is taken (case-insensitively, as
    /// SQLite and MySQL compare names); returns its id.
    pub(super) fn add_column(
        &mut self,
        table: TableId,
        schema_name: String,
        column: Column,
        span: Span,
    ) -> Option<ColumnId> {
        let t = &self.tables[table];
        let lower = column.sql_name.to_ascii_lowercase();
        if let Some(&existing) = self.columns_by_sql[table].get(&lower) {
            let other = &self.column_names[table][existing];
            let message = if t.columns[existing].sql_name == column.sql_name {
                format!(
                    "column {:?} of table {} is declared twice",
                    column.sql_name, t.sql_name
                )
            } else {
                format!(
                    "column {:?} of table {} differs from column {:?} only in case",
                    column.sql_name, t.sql_name, t.columns[existing].sql_name
                )
            };
            // Timestamps come last, so a timestamp is always the second column.
            let timestamp = match column.generated {
                Some(Generated::InsertedAt) => Some("inserted_at"),
                Some(Generated::UpdatedAt) => Some("updated_at"),
                _ => None,
            };
            let (label, help) = if let Some(timestamp) = timestamp {
                (
                    format!("the timestamps add column {:?}", column.sql_name),
                    format!(
                        "rename the timestamp (`timestamps: {{ {timestamp}: another_name }}`) or the other column"
                    ),
                )
            } else if t.primary_key.contains(&existing) {
                (
                    "this column".to_owned(),
                    format!(
                        "{other:?} is the table's primary key: rename the field, or set `primary_key` on the table"
                    ),
                )
            } else {
                (
                    "this column".to_owned(),
                    "rename one of them (a field can keep its Rust name and set `column:`)"
                        .to_owned(),
                )
            };
            let first = self.column_spans[table][existing];
            let first_label = format!("column {:?} comes from here", t.columns[existing].sql_name);
            self.error(
                Diagnostic::error(span, message)
                    .with_label(label)
                    .with_related(first, first_label)
                    .with_help(help),
            );
            return None;
        }
        let id = self.tables[table].columns.len();
        self.columns_by_sql[table].insert(lower, id);
        // A schema name wins over another column's SQL name.
        self.columns_by_name[table]
            .entry(column.sql_name.clone())
            .or_insert(id);
        self.columns_by_name[table].insert(schema_name.clone(), id);
        self.tables[table].columns.push(column);
        self.column_names[table].push(schema_name);
        self.column_spans[table].push(span);
        Some(id)
    }

    /// A column by the name the schema uses for it, or by its SQL name.
    pub(super) fn find_column(&self, table: TableId, name: &str) -> Option<ColumnId> {
        self.columns_by_name[table].get(name).copied()
    }

    pub(super) fn unknown_column(&mut self, table: TableId, name: &Sp<String>, context: &str) {
        let t = &self.tables[table];
        let known: Vec<&str> = self.column_names[table]
            .iter()
            .map(String::as_str)
            .collect();
        let help = did_you_mean(&name.value, known.iter().copied()).unwrap_or_else(|| {
            if known.is_empty() {
                format!("table {} has no columns", t.sql_name)
            } else {
                format!("the columns of {} are: {}", t.sql_name, known.join(", "))
            }
        });
        self.error(
            Diagnostic::error(
                name.span,
                format!(
                    "unknown column {:?} of table {} in {context}",
                    name.value, t.sql_name
                ),
            )
            .with_label(format!("{} has no such column", t.sql_name))
            .with_help(help),
        );
    }

    /// The declared table an association names, reporting an unknown one.
    pub(super) fn target_table(
        &mut self,
        owner: &str,
        assoc: &ast::Association,
        target: &Sp<String>,
    ) -> Option<TableId> {
        // A plain join table has no module or row struct to point at.
        if let Some(&id) = self.by_name.get(&target.value)
            && self.tables[id].kind == TableKind::Entity
        {
            return Some(id);
        }
        let join_only = self
            .ast
            .tables
            .iter()
            .flat_map(|t| &t.associations)
            .any(|a| {
                a.join_through
                    .as_ref()
                    .is_some_and(|j| j.value == target.value)
            });
        let (label, help) = if join_only {
            (
                "only a plain join table (named by `join_through`)",
                format!(
                    "declare {} under `tables:` to make it a join schema that associations can point at",
                    target.value
                ),
            )
        } else {
            let help = did_you_mean(
                &target.value,
                self.ast.tables.iter().map(|t| t.name.value.as_str()),
            )
            .unwrap_or_else(|| "declare the table under `tables:`, or fix the name".to_owned());
            ("no table has this name", help)
        };
        self.error(
            Diagnostic::error(
                target.span,
                format!(
                    "unknown table {:?} in association {owner}.{}",
                    target.value, assoc.name.value
                ),
            )
            .with_label(label)
            .with_help(help),
        );
        None
    }
}

/// The type's name with its article, for messages: "an integer", "a uuid".
pub(super) fn a(ty: FieldType) -> String {
    let article = if ty.to_string().starts_with(['i', 'e']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {ty}")
}
