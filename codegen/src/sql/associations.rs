//! The statements of one association: its join query, its count, what
//! deleting the owner does to it, and for `many_to_many` the link helpers.
//!
//! Owner keys travel as ONE array parameter (SQLite: `rarray(?1)`), so the
//! same constant statement serves one owner or 100,000 and never meets a
//! limit on the number of parameters. Every query selects the target's
//! columns in struct order, then one more column: the owner key that row
//! belongs to (the "link" column), which the preload groups by.

use super::Dialect;
use crate::ir::{Association, AssociationKind, ColumnId, Literal, Schema, Table, TableId};

/// Aliases: `t` the target table, `j` the join table.
const TARGET: &str = "t";
const JOIN: &str = "j";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociationStatements {
    /// Target rows plus the link column, for the owner keys in array `?1`,
    /// in `preload_order` then target-key order.
    pub select: String,
    /// How many target rows one owner (`?1`) has; `None` for belongs_to.
    pub count: Option<String>,
    /// Run by the owner's `delete` before the owner row goes (`?1` = the
    /// owner's key): deletes children or join rows, or nulls children's keys.
    pub on_delete: Option<String>,
    /// The join-table helpers of a `many_to_many`.
    pub links: Option<LinkStatements>,
}

/// Statements over a join table; `?1` is the owner key, `?2` an array of target keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkStatements {
    /// Adds the missing links; an existing link (or a key repeated in `?2`) is left as it is.
    pub insert: String,
    /// Removes the links to the targets in `?2`.
    pub delete: String,
    /// Removes the links to every target NOT in `?2` (the first half of `replace`).
    pub retain: String,
    /// Removes every link of the owner.
    pub clear: String,
    /// `retain` then `insert` as ONE statement returning `(added, removed)`,
    /// where the dialect allows it (PostgreSQL's writable `WITH`); otherwise
    /// the emitter runs the two in a savepoint.
    pub replace: Option<String>,
    /// Run before `replace`, in the same transaction: locks the owner row so
    /// that a concurrent link insert (whose foreign-key check takes a share
    /// lock on that row) waits, and `replace` sees every committed link.
    /// Without it, READ COMMITTED lets a concurrent insert land between
    /// `replace`'s snapshot and its end: a state no serial order gives.
    pub lock_owner: Option<String>,
    /// Extra parameters of `insert` after `?2`, in order: what each binds.
    pub insert_params: Vec<LinkParam>,
}

/// A value the link insert binds besides the two keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkParam {
    /// The current time, for a join schema's timestamp column.
    Now,
}

impl AssociationStatements {
    /// Every statement, named as the generated constant names it.
    pub fn named(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("SELECT_SQL", self.select.as_str())];
        if let Some(count) = &self.count {
            out.push(("COUNT_SQL", count));
        }
        if let Some(links) = &self.links {
            out.extend([
                ("INSERT_SQL", links.insert.as_str()),
                ("DELETE_SQL", &links.delete),
                ("RETAIN_SQL", &links.retain),
                ("CLEAR_SQL", &links.clear),
            ]);
            if let Some(lock) = &links.lock_owner {
                out.push(("LOCK_OWNER_SQL", lock));
            }
            if let Some(replace) = &links.replace {
                out.push(("REPLACE_SQL", replace));
            }
        }
        if let Some(on_delete) = &self.on_delete {
            out.push(("ON_DELETE_SQL", on_delete));
        }
        out
    }
}

/// Builds the statements of association `assoc` of table `owner`.
pub fn association_statements(
    dialect: Dialect,
    schema: &Schema,
    owner: TableId,
    assoc: &Association,
) -> AssociationStatements {
    let owner_table = &schema.tables[owner];
    let target = &schema.tables[assoc.target];
    let q = |table: &Table, alias: &str, column: ColumnId| {
        format!("{alias}.{}", dialect.quote(&table.columns[column].sql_name))
    };
    let columns = target_columns(dialect, target);
    let from_target = format!("{} AS {TARGET}", dialect.table_name(target));
    let mut filters: Vec<String> = assoc
        .filter
        .iter()
        .map(|(c, value)| equals(dialect, &q(target, TARGET, *c), value))
        .collect();

    match &assoc.kind {
        AssociationKind::BelongsTo { references, .. } => {
            let link = q(target, TARGET, *references);
            let mut conditions = vec![dialect.in_array(&link, 1)];
            conditions.append(&mut filters);
            AssociationStatements {
                select: format!(
                    "SELECT {columns}, {link} FROM {from_target} WHERE {}{}",
                    conditions.join(" AND "),
                    order_by(dialect, schema, assoc, None)
                ),
                count: None,
                on_delete: None,
                links: None,
            }
        }
        AssociationKind::Has {
            foreign_key,
            references,
            on_delete,
            ..
        } => {
            let link = q(target, TARGET, *foreign_key);
            let mut conditions = vec![dialect.in_array(&link, 1)];
            conditions.extend(filters.iter().cloned());
            let mut count_conditions = vec![format!("{link} = {}", dialect.placeholder(1))];
            count_conditions.extend(filters);
            let fk = dialect.quote(&target.columns[*foreign_key].sql_name);
            let owner_value = owner_key_value(dialect, owner_table, *references);
            let on_delete = match on_delete {
                crate::ir::OnDelete::Nothing => None,
                crate::ir::OnDelete::DeleteAll => Some(format!(
                    "DELETE FROM {} WHERE {fk} = {owner_value}",
                    dialect.table_name(target)
                )),
                crate::ir::OnDelete::NilifyAll => Some(format!(
                    "UPDATE {} SET {fk} = NULL WHERE {fk} = {owner_value}",
                    dialect.table_name(target)
                )),
            };
            AssociationStatements {
                select: format!(
                    "SELECT {columns}, {link} FROM {from_target} WHERE {}{}",
                    conditions.join(" AND "),
                    order_by(dialect, schema, assoc, None)
                ),
                count: Some(format!(
                    "SELECT count(*) FROM {from_target} WHERE {}",
                    count_conditions.join(" AND ")
                )),
                on_delete,
                links: None,
            }
        }
        AssociationKind::ManyToMany {
            join_table,
            owner_key,
            related_key,
            on_delete,
            join_filter,
            join_defaults,
        } => {
            let join = &schema.tables[*join_table];
            let link = q(join, JOIN, owner_key.column);
            let join_on = format!(
                "JOIN {} AS {JOIN} ON {} = {}",
                dialect.table_name(join),
                q(join, JOIN, related_key.column),
                q(target, TARGET, related_key.references)
            );
            let join_conditions: Vec<String> = join_filter
                .iter()
                .map(|(c, value)| equals(dialect, &q(join, JOIN, *c), value))
                .collect();
            let mut conditions = vec![dialect.in_array(&link, 1)];
            conditions.extend(join_conditions.iter().cloned());
            conditions.extend(filters.iter().cloned());
            let mut count_conditions = vec![format!("{link} = {}", dialect.placeholder(1))];
            count_conditions.extend(join_conditions.iter().cloned());
            let count = if filters.is_empty() {
                // Links alone answer the count: no need to read the targets.
                format!(
                    "SELECT count(*) FROM {} AS {JOIN} WHERE {}",
                    dialect.table_name(join),
                    count_conditions.join(" AND ")
                )
            } else {
                count_conditions.extend(filters);
                format!(
                    "SELECT count(*) FROM {from_target} {join_on} WHERE {}",
                    count_conditions.join(" AND ")
                )
            };
            let links = link_statements(
                dialect,
                join,
                owner_key.column,
                related_key.column,
                join_filter,
                join_defaults,
                (owner_table, owner_key.references),
            );
            let on_delete =
                (*on_delete == crate::ir::OnDelete::DeleteAll).then(|| {
                    let owner_value = owner_key_value(dialect, owner_table, owner_key.references);
                    let mut conditions = vec![format!(
                        "{} = {owner_value}",
                        dialect.quote(&join.columns[owner_key.column].sql_name)
                    )];
                    conditions.extend(join_filter.iter().map(|(c, v)| {
                        equals(dialect, &dialect.quote(&join.columns[*c].sql_name), v)
                    }));
                    format!(
                        "DELETE FROM {} WHERE {}",
                        dialect.table_name(join),
                        conditions.join(" AND ")
                    )
                });
            AssociationStatements {
                select: format!(
                    "SELECT {columns}, {link} FROM {from_target} {join_on} WHERE {}{}",
                    conditions.join(" AND "),
                    order_by(dialect, schema, assoc, Some(join))
                ),
                count: Some(count),
                on_delete,
                links: Some(links),
            }
        }
        AssociationKind::Through { path, .. } => {
            let chain = through_chain(dialect, schema, owner, path);
            let mut conditions = vec![dialect.in_array(&chain.link, 1)];
            conditions.extend(chain.conditions.iter().cloned());
            conditions.extend(filters.iter().cloned());
            let mut count_conditions = vec![format!("{} = {}", chain.link, dialect.placeholder(1))];
            count_conditions.extend(chain.conditions);
            count_conditions.extend(filters);
            // A target reached along two routes is one row: DISTINCT.
            AssociationStatements {
                select: format!(
                    "SELECT DISTINCT {columns}, {} FROM {} WHERE {}{}",
                    chain.link,
                    chain.from,
                    conditions.join(" AND "),
                    order_by(dialect, schema, assoc, None)
                ),
                count: Some(format!(
                    "SELECT count(*) FROM (SELECT DISTINCT {columns} FROM {} WHERE {}) AS reached",
                    chain.from,
                    count_conditions.join(" AND ")
                )),
                on_delete: None,
                links: None,
            }
        }
    }
}

/// The joins of a `through` path, from the table holding the owner's key
/// value to the final target (aliased `t`; the hops before it `s1`, `s2`, ...,
/// their join tables `j1`, `j2`, ...).
struct Chain {
    from: String,
    /// The column equal to the owner's key.
    link: String,
    /// The hops' own `where` and `join_where`.
    conditions: Vec<String>,
}

fn through_chain(
    dialect: Dialect,
    schema: &Schema,
    owner: TableId,
    path: &[crate::ir::Step],
) -> Chain {
    let alias = |i: usize| {
        if i + 1 == path.len() {
            TARGET.to_owned()
        } else {
            format!("s{}", i + 1)
        }
    };
    let q = |table: &Table, alias: &str, column: ColumnId| {
        format!("{alias}.{}", dialect.quote(&table.columns[column].sql_name))
    };
    let mut from = String::new();
    let mut link = String::new();
    let mut conditions = Vec::new();
    let mut previous = (owner, String::new());
    for (i, step) in path.iter().enumerate() {
        let assoc = &schema.tables[step.table].associations[step.association];
        let (here, prev_table) = (alias(i), &schema.tables[previous.0]);
        let target = &schema.tables[assoc.target];
        let named = format!("{} AS {here}", dialect.table_name(target));
        conditions.extend(
            assoc
                .filter
                .iter()
                .map(|(c, v)| equals(dialect, &q(target, &here, *c), v)),
        );
        match &assoc.kind {
            AssociationKind::BelongsTo {
                foreign_key,
                references,
            } => {
                if i == 0 {
                    from = named;
                    link = q(target, &here, *references);
                } else {
                    from.push_str(&format!(
                        " JOIN {named} ON {} = {}",
                        q(target, &here, *references),
                        q(prev_table, &previous.1, *foreign_key)
                    ));
                }
            }
            AssociationKind::Has {
                foreign_key,
                references,
                ..
            } => {
                if i == 0 {
                    from = named;
                    link = q(target, &here, *foreign_key);
                } else {
                    from.push_str(&format!(
                        " JOIN {named} ON {} = {}",
                        q(target, &here, *foreign_key),
                        q(prev_table, &previous.1, *references)
                    ));
                }
            }
            AssociationKind::ManyToMany {
                join_table,
                owner_key,
                related_key,
                join_filter,
                ..
            } => {
                let join = &schema.tables[*join_table];
                let join_alias = format!("{JOIN}{}", i + 1);
                let join_named = format!("{} AS {join_alias}", dialect.table_name(join));
                if i == 0 {
                    from = join_named;
                    link = q(join, &join_alias, owner_key.column);
                } else {
                    from.push_str(&format!(
                        " JOIN {join_named} ON {} = {}",
                        q(join, &join_alias, owner_key.column),
                        q(prev_table, &previous.1, owner_key.references)
                    ));
                }
                from.push_str(&format!(
                    " JOIN {named} ON {} = {}",
                    q(target, &here, related_key.references),
                    q(join, &join_alias, related_key.column)
                ));
                conditions.extend(
                    join_filter
                        .iter()
                        .map(|(c, v)| equals(dialect, &q(join, &join_alias, *c), v)),
                );
            }
            // `validate` refuses a path that steps through another `through`.
            AssociationKind::Through { .. } => {}
        }
        previous = (assoc.target, here);
    }
    Chain {
        from,
        link,
        conditions,
    }
}

fn link_statements(
    dialect: Dialect,
    join: &Table,
    owner: ColumnId,
    related: ColumnId,
    join_filter: &[(ColumnId, Literal)],
    join_defaults: &[(ColumnId, Literal)],
    owner_row: (&Table, ColumnId),
) -> LinkStatements {
    let table = dialect.table_name(join);
    let owner_col = dialect.quote(&join.columns[owner].sql_name);
    let related_col = dialect.quote(&join.columns[related].sql_name);
    let scope: String = join_filter
        .iter()
        .map(|(c, v)| {
            format!(
                " AND {}",
                equals(dialect, &dialect.quote(&join.columns[*c].sql_name), v)
            )
        })
        .collect();

    // The inserted row: both keys, the `join_where` values (which must hold
    // for the new link to be one of this association's), the `join_defaults`,
    // the timestamps; the database fills the rest from column defaults.
    let mut columns = vec![owner_col.clone(), related_col.clone()];
    let mut values = vec![dialect.placeholder(1), "value".to_owned()];
    let mut insert_params = Vec::new();
    let mut written: Vec<ColumnId> = vec![owner, related];
    for (c, literal) in join_filter.iter().chain(join_defaults) {
        if !written.contains(c) {
            written.push(*c);
            columns.push(dialect.quote(&join.columns[*c].sql_name));
            values.push(dialect.literal(literal));
        }
    }
    for (id, column) in join.columns.iter().enumerate() {
        if matches!(
            column.generated,
            Some(crate::ir::Generated::InsertedAt | crate::ir::Generated::UpdatedAt)
        ) && !written.contains(&id)
        {
            insert_params.push(LinkParam::Now);
            columns.push(dialect.quote(&column.sql_name));
            values.push(dialect.placeholder(2 + insert_params.len()));
        }
    }
    let mut links = LinkStatements {
        // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
        insert: format!(
            "INSERT INTO {table} ({}) SELECT {} FROM {} WHERE true ON CONFLICT DO NOTHING",
            columns.join(", "),
            values.join(", "),
            dialect.array_source(2, join.columns[related].ty)
        ),
        delete: format!(
            "DELETE FROM {table} WHERE {owner_col} = {}{scope} AND {}",
            dialect.placeholder(1),
            dialect.in_array(&related_col, 2)
        ),
        retain: format!(
            "DELETE FROM {table} WHERE {owner_col} = {}{scope} AND {}",
            dialect.placeholder(1),
            dialect.not_in_array(&related_col, 2)
        ),
        clear: format!(
            "DELETE FROM {table} WHERE {owner_col} = {}{scope}",
            dialect.placeholder(1)
        ),
        insert_params,
        replace: None,
        lock_owner: None,
    };
    if dialect.writable_ctes() {
        let (owner_table, owner_column) = owner_row;
        let owner_match = format!(
            "FROM {} WHERE {} = {}",
            dialect.table_name(owner_table),
            dialect.quote(&owner_table.columns[owner_column].sql_name),
            dialect.placeholder(1)
        );
        // `replace` composes the plain insert, after its own owner lock.
        links.replace = Some(format!(
            "WITH removed AS ({} RETURNING 1), added AS ({} RETURNING 1) \
             SELECT (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM removed) AS removed",
            links.retain, links.insert
        ));
        links.lock_owner = Some(format!("SELECT 1 {owner_match} FOR UPDATE"));
        // A link insert takes a share lock on the owner BEFORE it writes a row
        // (the CTE is read for the first row), so it waits for a running
        // `replace` instead of deadlocking with it; inserts don't block each
        // other. The LEFT JOIN keeps rows when the owner is missing, so the
        // foreign key still reports it.
        links.insert = format!(
            "WITH owner AS (SELECT 1 {owner_match} FOR SHARE) INSERT INTO {table} ({}) SELECT {} FROM {} LEFT JOIN owner ON true WHERE true ON CONFLICT DO NOTHING",
            columns.join(", "),
            values.join(", "),
            dialect.array_source(2, join.columns[related].ty)
        );
    }
    links
}

/// `?1` when the association references the owner's key; otherwise the
/// referenced column of the owner row whose key is `?1`.
fn owner_key_value(dialect: Dialect, owner: &Table, references: ColumnId) -> String {
    if owner.single_key() == Some(references) {
        return dialect.placeholder(1);
    }
    let key = super::assignments(dialect, owner, &owner.primary_key, 1, " AND ");
    format!(
        "(SELECT {} FROM {} WHERE {key})",
        dialect.quote(&owner.columns[references].sql_name),
        dialect.table_name(owner)
    )
}

fn target_columns(dialect: Dialect, target: &Table) -> String {
    target
        .columns
        .iter()
        .map(|c| format!("{TARGET}.{}", dialect.quote(&c.sql_name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// ` ORDER BY` the association's `preload_order`, then the target's key
/// (every column without one), so the same database gives the same order.
fn order_by(
    dialect: Dialect,
    schema: &Schema,
    assoc: &Association,
    join: Option<&Table>,
) -> String {
    let target = &schema.tables[assoc.target];
    let mut terms: Vec<String> = assoc
        .order
        .iter()
        .map(|o| {
            let (alias, table) = match (o.on_join_table, join) {
                (true, Some(join)) => (JOIN, join),
                _ => (TARGET, target),
            };
            let direction = if o.descending { " DESC" } else { " ASC" };
            format!(
                "{alias}.{}{direction}",
                dialect.quote(&table.columns[o.column].sql_name)
            )
        })
        .collect();
    let tie_break: Vec<ColumnId> = if target.primary_key.is_empty() {
        (0..target.columns.len()).collect()
    } else {
        target.primary_key.clone()
    };
    for c in tie_break {
        let term = format!("{TARGET}.{}", dialect.quote(&target.columns[c].sql_name));
        if !terms.iter().any(|t| t.starts_with(&format!("{term} "))) {
            terms.push(term);
        }
    }
    format!(" ORDER BY {}", terms.join(", "))
}

/// `column = literal`, or `column IS NULL`.
fn equals(dialect: Dialect, column: &str, value: &Literal) -> String {
    match value {
        Literal::Null => format!("{column} IS NULL"),
        other => format!("{column} = {}", dialect.literal(other)),
    }
}
