//! The resolved schema: plain data with every default filled in, every name
//! resolved to an index, and both names of everything (SQL and Rust).
//!
//! Nothing here knows about tokens or a SQL dialect; the SQL builder and the
//! Rust emitters are functions from this to text and tokens. Indexes
//! ([`TableId`], [`ColumnId`]) are valid by construction: `validate` only
//! builds an IR from a schema without errors.

use crate::names::RustIdent;

/// Index into [`Schema::tables`].
pub type TableId = usize;
/// Index into [`Table::columns`] of the table it belongs to.
pub type ColumnId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Declared tables in file order, then the plain join tables that
    /// `many_to_many` associations create, in order of first use.
    pub tables: Vec<Table>,
    /// Declared enums in file order; `FieldType::Enum` holds an index.
    pub enums: Vec<Enum>,
    /// Declared embedded schemas in file order; `FieldType::Embed` holds an index.
    pub embeds: Vec<Embed>,
    /// The `queries:` files the schema names, in order.
    pub query_files: Vec<QueryFile>,
    /// The queries of those files, checked against the tables (filled by
    /// `queries::analyze`, after `validate`).
    pub queries: Vec<Query>,
}

/// A file of the user's own SQL, as the schema names it (relative to the
/// schema file), and where.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFile {
    pub path: String,
    pub span: crate::diagnostics::Span,
}

/// A query of the user's own (`-- name: recent_movies :many`), checked
/// against the schema: a generated function.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The function's name, as the `-- name:` line gives it.
    pub name: RustIdent,
    /// The file it is in, as the schema names it.
    pub file: String,
    /// Where its name is, in that file.
    pub span: crate::diagnostics::Span,
    /// The comment lines after `-- name:`, for the function's rustdoc.
    pub doc: String,
    pub kind: QueryKind,
    /// An INSERT, UPDATE or DELETE (run to its end even for `:one`).
    pub writes: bool,
    /// The statement, with its parameters and `*` marked, for each dialect
    /// to render (`sql::query_sql`).
    pub pieces: Vec<Piece>,
    /// In the order of their first use.
    pub params: Vec<QueryParam>,
    pub result: QueryResult,
    /// An `UPDATE … RETURNING` as MySQL/MariaDB runs it (they have no
    /// `RETURNING` on `UPDATE`); `None` for every other statement, and
    /// when the dialects checked do not include MySQL.
    pub read_back: Option<ReadBack>,
}

/// `UPDATE … RETURNING` in three statements, in one transaction: lock the
/// rows the `UPDATE` would change and take their keys (`SELECT key …
/// FOR UPDATE` with the statement's own `WHERE`, `ORDER BY` and `LIMIT`),
/// run the `UPDATE` without its `RETURNING`, then read the `RETURNING`
/// list of the locked rows by key. The locks keep other writers off those
/// rows and, under MySQL's default isolation (REPEATABLE READ, whose
/// locking reads lock the gaps too), keep new rows out of the `WHERE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadBack {
    /// The updated table, whose primary key the rows are read back by.
    pub table: TableId,
    pub lock: Vec<Piece>,
    pub update: Vec<Piece>,
    /// Ends with the keys' membership in one array parameter, numbered
    /// after the query's own parameters.
    pub read: Vec<Piece>,
}

/// What a query's function returns, from its `-- name:` annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// `:one`: the first row, if any.
    One,
    /// `:many`: every row.
    Many,
    /// `:exec`: the number of rows changed.
    Exec,
}

impl QueryKind {
    pub fn annotation(self) -> &'static str {
        match self {
            QueryKind::One => ":one",
            QueryKind::Many => ":many",
            QueryKind::Exec => ":exec",
        }
    }
}

/// A named parameter (`:year`) of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryParam {
    /// The Rust parameter (`year`).
    pub name: RustIdent,
    pub ty: FieldType,
    /// Written into a nullable column: `Option<T>`.
    pub nullable: bool,
    /// `IN (:ids)` or `= ANY(:ids)`: a slice, bound as ONE array.
    pub array: bool,
}

/// A piece of a query's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// SQL as the user wrote it.
    Text(String),
    /// A parameter (index into `Query::params`), as the dialect's placeholder.
    Param(usize),
    /// `IN (:ids)` / `= ANY(:ids)` (or `NOT IN` / `<> ALL`): membership in
    /// an array parameter, as the dialect writes it.
    InArray { param: usize, negated: bool },
    /// `*` or `m.*`: the columns of a table in its row struct's order,
    /// qualified by `qualifier` (as written, or the table's name).
    Columns { qualifier: String, table: TableId },
    /// After a result column of an enum type: read as text on PostgreSQL
    /// (see `Dialect::selected`), nothing on SQLite.
    ReadAsText,
}

/// What a query's rows are.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryResult {
    /// No rows (`:exec`).
    Nothing,
    /// Exactly a table's row: its struct, which every association preloads into.
    Table(TableId),
    /// Any other columns: a struct of the query's own (`RecentMovieRow`).
    Row {
        name: RustIdent,
        columns: Vec<Column>,
    },
}

/// Index into `Schema::embeds`.
pub type EmbedId = usize;

/// An embedded schema (Ecto's `embeds_one`/`embeds_many`): the shape of a
/// JSON column, a serde struct at the root of the generated file.
#[derive(Debug, Clone, PartialEq)]
pub struct Embed {
    /// As the schema names it (`address`).
    pub name: String,
    pub rust: RustIdent,
    pub fields: Vec<EmbedField>,
}

/// A field of an embedded schema: a key of its JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedField {
    /// The JSON key, as the schema names it.
    pub name: String,
    pub field: RustIdent,
    pub ty: FieldType,
    /// `Option<T>`: a missing key or `null`.
    pub nullable: bool,
}

/// Index into `Schema::enums`.
pub type EnumId = usize;

/// A schema enum: a PostgreSQL `CREATE TYPE ... AS ENUM`, TEXT with a
/// `CHECK` on SQLite, a Rust enum at the root of the generated file.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// As the schema names it (`mpaa_rating`), for messages.
    pub name: String,
    /// The PostgreSQL type (`sql_name:`, else the name).
    pub sql_name: String,
    /// The PostgreSQL schema of the type: `defaults.prefix` (a table's
    /// own `prefix` does not move the enums it uses).
    pub prefix: Option<String>,
    pub rust: RustIdent,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value stored (`PG-13`).
    pub label: String,
    /// Its Rust name (`Pg13`).
    pub rust: RustIdent,
}

impl Schema {
    /// The tables users program against (plain join tables have no module).
    pub fn entities(&self) -> impl Iterator<Item = (TableId, &Table)> {
        self.tables
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TableKind::Entity)
    }

    /// Tables in an order where a referenced table comes before the tables
    /// whose foreign keys point at it (declaration order otherwise; a cycle is
    /// broken at declaration order, which SQLite accepts).
    pub fn creation_order(&self) -> Vec<TableId> {
        let mut order = Vec::with_capacity(self.tables.len());
        let mut state = vec![0u8; self.tables.len()]; // 0 new, 1 visiting, 2 done
        fn visit(schema: &Schema, id: TableId, state: &mut [u8], order: &mut Vec<TableId>) {
            if state[id] != 0 {
                return;
            }
            state[id] = 1;
            for fk in &schema.tables[id].foreign_keys {
                if fk.target != id {
                    visit(schema, fk.target, state, order);
                }
            }
            state[id] = 2;
            order.push(id);
        }
        for id in 0..self.tables.len() {
            visit(self, id, &mut state, &mut order);
        }
        order
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// A declared table: it gets a module, a row struct and CRUD.
    Entity,
    /// A join table named by `join_through` and not declared: just the two
    /// keys, created by the DDL, written by the association helpers.
    PlainJoin,
    /// The table of one association of its own (`has_many: { table:
    /// post_comments, struct: Comment }`, Ecto's polymorphism): the columns
    /// of the declared table whose struct its rows are (so `struct_name`
    /// and `module` are that table's), plus a foreign key to the owner.
    /// Created by the DDL, read and written through the association.
    Storage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sql_name: String,
    /// Where the schema declares it (a plain join table: where its
    /// association names it), for the problems only one backend has.
    pub span: crate::diagnostics::Span,
    /// Schema prefix (PostgreSQL schema, MySQL database); SQLite ignores it.
    pub prefix: Option<String>,
    pub kind: TableKind,
    pub struct_name: RustIdent,
    /// The insert struct: `NewMovie`.
    pub new_struct_name: RustIdent,
    pub module: RustIdent,
    /// Key columns first, then fields in declaration order, then foreign keys
    /// added by `belongs_to`, then timestamps.
    pub columns: Vec<Column>,
    /// Empty when the table has no key (`primary_key: false`).
    pub primary_key: Vec<ColumnId>,
    pub foreign_keys: Vec<ForeignKey>,
    pub indexes: Vec<Index>,
    pub associations: Vec<Association>,
    /// What `derive:` and `attributes:` add to the generated structs.
    pub options: StructOptions,
}

/// Rust text the user adds to a table's row struct and `New...` struct, and
/// to the `Link` of associations over it (a join schema). Checked by
/// `validate`; kept as text, as written (the IR holds no tokens).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StructOptions {
    /// Derive macro paths (`serde::Serialize`), each once, beside the
    /// `Debug, Clone, PartialEq` mortise derives itself.
    pub derives: Vec<String>,
    /// Outer attributes (`#[serde(rename_all = "camelCase")]`), in order.
    pub attributes: Vec<String>,
}

/// How serde's derives are written, to recognize them: the generated
/// `Loaded` implements them by hand, and association fields need serde's
/// attributes.
pub const SERIALIZE: &str = "serde::Serialize";
pub const DESERIALIZE: &str = "serde::Deserialize";

impl StructOptions {
    /// Whether `path` (compared without a leading `::`) is derived.
    pub fn derives(&self, path: &str) -> bool {
        self.derives.iter().any(|d| same_path(d, path))
    }

    /// Adds `path` unless it is derived already (the lists of `defaults`,
    /// a table and `Config` add up).
    pub fn add_derive(&mut self, path: &str) {
        if !self.derives(path) {
            self.derives.push(path.to_owned());
        }
    }

    /// Whether serde's `Serialize` or `Deserialize` is derived.
    pub fn serde(&self) -> bool {
        self.derives(SERIALIZE) || self.derives(DESERIALIZE)
    }
}

/// Two derive paths name the same macro (`::serde::Serialize`, `serde::Serialize`).
pub fn same_path(a: &str, b: &str) -> bool {
    a.trim_start_matches("::") == b.trim_start_matches("::")
}

impl Table {
    pub fn column(&self, id: ColumnId) -> &Column {
        &self.columns[id]
    }

    /// The key column when the key is a single column.
    pub fn single_key(&self) -> Option<ColumnId> {
        match self.primary_key.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Columns an INSERT writes: all but those the database fills (the
    /// database-assigned integer key, `default_sql` columns).
    pub fn insert_columns(&self) -> impl Iterator<Item = (ColumnId, &Column)> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated.is_some_and(Generated::by_database))
    }

    /// Columns the caller gives on insert: the fields of the `New...` struct.
    pub fn new_columns(&self) -> impl Iterator<Item = (ColumnId, &Column)> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.generated.is_none())
    }

    /// Columns an UPDATE writes: every column outside the key, except the
    /// insert timestamp.
    pub fn update_columns(&self) -> impl Iterator<Item = (ColumnId, &Column)> {
        self.columns.iter().enumerate().filter(|(id, c)| {
            !self.primary_key.contains(id) && c.generated != Some(Generated::InsertedAt)
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub sql_name: String,
    /// The field of the row struct.
    pub field: RustIdent,
    pub ty: FieldType,
    pub nullable: bool,
    /// The DDL's `DEFAULT`.
    pub default: Option<ColumnDefault>,
    pub unique: bool,
    /// Set by the database or by the generated code, never by the caller.
    pub generated: Option<Generated>,
    /// `sql_type:`: the SQL type per dialect, where not the default mapping.
    pub sql_type: SqlType,
    /// `rust_type:`: the user's Rust type (a path, checked by `validate`)
    /// in place of the field type's, converted by the driver's traits.
    pub rust_type: Option<String>,
}

/// A column's SQL type where the schema names it (`sql_type:`), checked by
/// `validate` against the field type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqlType {
    pub sqlite: Option<String>,
    pub postgres: Option<String>,
    /// As written; a text type without a collation gets mortise's
    /// (`Dialect::mysql_declared`).
    pub mysql: Option<String>,
    /// How PostgreSQL parameters of the column are typed, when not as the
    /// field type's default column.
    pub postgres_param: Option<PostgresParam>,
}

/// A parameter type other than the field type's (see [`SqlType`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostgresParam {
    /// A type mortise does not know (an extension's `citext`, a domain):
    /// text is bound untyped, and the server types it as the column it
    /// meets (so `citext` compares as `citext`).
    Unknown,
    /// `json` rather than `jsonb`.
    Json,
}

impl Column {
    /// The schema `default` value (not a `default_sql`).
    pub fn default_value(&self) -> Option<&Literal> {
        match &self.default {
            Some(ColumnDefault::Value(value)) => Some(value),
            _ => None,
        }
    }
}

/// A column's `DEFAULT` in the DDL.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDefault {
    /// `default`: a value, also the `New...` struct's `Default`.
    Value(Literal),
    /// `default_sql`: an SQL expression, written into the DDL as given; the
    /// database evaluates it on insert (the column is [`Generated::DefaultSql`]).
    Sql(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// An integer key the database assigns.
    AutoIncrement,
    /// A UUID key the generated insert makes (v4) when the caller gives none.
    Uuid,
    /// Set to the current time on insert.
    InsertedAt,
    /// Set to the current time on insert and update.
    UpdatedAt,
    /// Filled by the database from the column's `default_sql` on insert
    /// (read back by `RETURNING`); an update writes it like any column.
    DefaultSql,
}

impl Generated {
    /// Whether the database sets the column on insert (the INSERT leaves it out).
    pub fn by_database(self) -> bool {
        matches!(self, Generated::AutoIncrement | Generated::DefaultSql)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub columns: Vec<ColumnId>,
    pub target: TableId,
    pub target_columns: Vec<ColumnId>,
    pub on_delete: ForeignKeyAction,
}

/// What the database does to a row whose referenced row is deleted
/// (`belongs_to ... on_delete`, written into the DDL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKeyAction {
    NoAction,
    Cascade,
    SetNull,
    Restrict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub columns: Vec<ColumnId>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Association {
    /// The name in the schema: `movies.actors` has name `actors`.
    pub name: String,
    /// The association's module inside its table's module.
    pub module: RustIdent,
    /// The `Loaded<...>` field of the owner's row struct.
    pub field: RustIdent,
    /// For a `many_to_many` over a join schema: the owner's field holding the
    /// typed edges (`Loaded<Vec<Edge<JoinRow, Target>>>`), `<field>_edges`.
    pub edges_field: Option<RustIdent>,
    pub target: TableId,
    pub kind: AssociationKind,
    /// `where`: equalities on the target's columns.
    pub filter: Vec<(ColumnId, Literal)>,
    /// `defaults`: values of the target's columns set on every row created
    /// through the association (besides the `where` values).
    pub defaults: Vec<(ColumnId, Literal)>,
    /// `preload_order`; empty means the target's key.
    pub order: Vec<OrderBy>,
    /// `preload_limit`: `list` and `preload` return at most this many rows
    /// per owner (a has_many or many_to_many).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AssociationKind {
    /// The owner holds `foreign_key`, which points at the target's
    /// `references` (column by column: a composite key has several).
    BelongsTo {
        foreign_key: Vec<ColumnId>,
        references: Vec<ColumnId>,
    },
    /// The target holds `foreign_key`, which points at the owner's `references`.
    Has {
        many: bool,
        foreign_key: Vec<ColumnId>,
        references: Vec<ColumnId>,
        on_delete: OnDelete,
    },
    ManyToMany {
        join_table: TableId,
        /// Join column pointing at the owner, and the owner column it holds.
        owner_key: JoinKey,
        /// Join column pointing at the target, and the target column it holds.
        related_key: JoinKey,
        on_delete: OnDelete,
        /// `join_where`: equalities on join-table columns.
        join_filter: Vec<(ColumnId, Literal)>,
        /// `join_defaults`: values the link helpers write into new join rows.
        join_defaults: Vec<(ColumnId, Literal)>,
    },
    /// A read-only path of associations (`through: [comments, author]`).
    Through { many: bool, path: Vec<Step> },
}

impl Association {
    /// The owner columns whose values find the association's rows: the
    /// foreign key of a belongs_to, the referenced key otherwise (for a
    /// `through`, the key its first hop starts from).
    pub fn owner_columns<'a>(&'a self, owner: &'a Table) -> Option<&'a [ColumnId]> {
        Some(match &self.kind {
            AssociationKind::BelongsTo { foreign_key, .. } => foreign_key,
            AssociationKind::Has { references, .. } => references,
            AssociationKind::ManyToMany { owner_key, .. } => &owner_key.references,
            AssociationKind::Through { path, .. } => {
                return owner.associations[path.first()?.association].owner_columns(owner);
            }
        })
    }

    /// The join schema (a declared join table) of a `many_to_many`, whose
    /// rows the edge helpers read and write.
    pub fn join_schema(&self, schema: &Schema) -> Option<TableId> {
        match self.kind {
            AssociationKind::ManyToMany { join_table, .. }
                if schema.tables[join_table].kind == TableKind::Entity =>
            {
                Some(join_table)
            }
            _ => None,
        }
    }
}

/// One hop of a `through` path: association `association` of table `table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub table: TableId,
    pub association: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinKey {
    /// The columns of the join table (several for a composite key).
    pub columns: Vec<ColumnId>,
    /// The columns whose values they hold, in the owner or the target.
    pub references: Vec<ColumnId>,
}

/// What deleting an owner does to the association's rows (application side,
/// as Ecto's `on_delete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    Nothing,
    /// Set the children's foreign key to NULL.
    NilifyAll,
    /// Delete the children (has_*) or the join rows (many_to_many; never targets).
    DeleteAll,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy {
    /// Whether `column` is a column of the join table rather than the target.
    pub on_join_table: bool,
    pub column: ColumnId,
    pub descending: bool,
}

/// A value written in the schema (`default`, `where`, `join_where`,
/// `join_defaults`), checked against its column's type by `validate` and
/// kept in the form that type needs: the SQL and Rust emitters only format it.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    /// `integer`, `int`, `smallint`: within the column type's range.
    Int(i64),
    /// `float`: finite.
    Float(f64),
    /// `float4`: finite, the f32 the column holds.
    Float4(f32),
    /// `string`, `text`, `char(n)` (at most n characters): no NUL character
    /// (no database stores one in text).
    Str(String),
    /// `decimal`: its exact digits, as `rust_decimal` holds them.
    Decimal(Decimal),
    Uuid(u128),
    Date(Date),
    Time(Time),
    /// `datetime`, in UTC.
    Datetime(Date, Time),
    /// `timestamp`: a wall-clock date and time, no zone.
    Timestamp(Date, Time),
    /// `json`: compact JSON text, as `serde_json` writes it.
    Json(String),
    /// A variant of an enum column's enum.
    Enum(EnumValue),
    /// An array column's elements, each a value of `element` (never NULL).
    Array {
        element: FieldType,
        values: Vec<Literal>,
    },
}

/// A variant as the SQL and the Rust emitters write it.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The stored text (`PG-13`).
    pub label: String,
    /// The PostgreSQL type, for a typed literal, and its schema.
    pub sql_type: String,
    pub prefix: Option<String>,
    /// The Rust enum and variant (`MpaaRating`, `Pg13`).
    pub rust_type: RustIdent,
    pub rust_variant: RustIdent,
}

/// A UUID's text: `67e55044-10b1-426f-9247-bb680e5fe0c8`.
pub fn uuid_text(uuid: u128) -> String {
    let hex = format!("{uuid:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// An exact decimal: `mantissa / 10^scale` (`1.50` is 150 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl std::fmt::Display for Decimal {
    /// The digits as `rust_decimal` prints them: `-0.50`, `1200`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        let sign = if self.mantissa < 0 { "-" } else { "" };
        if fraction.is_empty() {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{fraction}")
        }
    }
}

/// A calendar date (proleptic Gregorian, years 1 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    /// `2024-01-31`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A time of day, to the microsecond (what every backend stores).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub micro: u32,
}

impl std::fmt::Display for Time {
    /// `12:30:00`, with the fraction as chrono's `%.f` writes it (none, 3
    /// or 6 digits): the text rusqlite stores, so SQLite compares it equal.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        match self.micro {
            0 => Ok(()),
            m if m.is_multiple_of(1000) => write!(f, ".{:03}", m / 1000),
            m => write!(f, ".{m:06}"),
        }
    }
}

/// The column types of schema-v1.md and the types real schemas use. Each
/// backend maps them to its own SQL and Rust types (see `sql` and `emit`,
/// and the README's type tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// 64 bits: `BIGINT`.
    Integer,
    /// 32 bits: `INTEGER`.
    Int,
    /// 16 bits: `SMALLINT`.
    SmallInt,
    /// 64 bits: `DOUBLE PRECISION`.
    Float,
    /// 32 bits: `REAL`.
    Float4,
    Boolean,
    String,
    Text,
    /// `char(n)`: text of a fixed length `n` (PostgreSQL pads it with spaces).
    Char(u32),
    Binary,
    Uuid,
    Date,
    Time,
    /// With a time zone (`TIMESTAMPTZ`): an instant, read as UTC.
    Datetime,
    /// Without a time zone (`TIMESTAMP`): a wall-clock date and time.
    Timestamp,
    Json,
    Decimal,
    /// A schema enum (`Schema::enums`).
    Enum(EnumId),
    /// An embedded schema (`Schema::embeds`): a JSON object of its shape,
    /// or a list of them (`many`, `address[]`), stored as JSONB on
    /// PostgreSQL and JSON text on SQLite. Never a key.
    Embed {
        id: EmbedId,
        many: bool,
    },
    /// `T[]`: a list of values of a type without a parameter (one of
    /// [`FieldType::ALL`]), `Vec<T>`: a PostgreSQL array (`TEXT[]`), JSON
    /// text on SQLite. Never a key.
    Array(&'static FieldType),
}

/// The element types of arrays, for [`FieldType::Array`]'s `'static` reference.
static ELEMENTS: [FieldType; 16] = FieldType::ALL;

impl std::fmt::Display for FieldType {
    /// The name as a schema writes it: `integer`, `char(2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldType::Char(n) => write!(f, "char({n})"),
            FieldType::Array(element) => write!(f, "{element}[]"),
            other => f.write_str(other.name()),
        }
    }
}

impl FieldType {
    /// The types without a parameter (`char(n)` has one).
    pub const ALL: [FieldType; 16] = [
        FieldType::Integer,
        FieldType::Int,
        FieldType::SmallInt,
        FieldType::Float,
        FieldType::Float4,
        FieldType::Boolean,
        FieldType::String,
        FieldType::Text,
        FieldType::Binary,
        FieldType::Uuid,
        FieldType::Date,
        FieldType::Time,
        FieldType::Datetime,
        FieldType::Timestamp,
        FieldType::Json,
        FieldType::Decimal,
    ];

    /// Other names of some types, for schemas that spell the width or the
    /// SQL name: `int64` is `integer`, `timestamptz` is `datetime`.
    pub const ALIASES: [(&'static str, FieldType); 5] = [
        ("int16", FieldType::SmallInt),
        ("int32", FieldType::Int),
        ("int64", FieldType::Integer),
        ("float8", FieldType::Float),
        ("timestamptz", FieldType::Datetime),
    ];

    pub fn name(self) -> &'static str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Int => "int",
            FieldType::SmallInt => "smallint",
            FieldType::Float => "float",
            FieldType::Float4 => "float4",
            FieldType::Boolean => "boolean",
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Char(_) => "char",
            FieldType::Binary => "binary",
            FieldType::Uuid => "uuid",
            FieldType::Date => "date",
            FieldType::Time => "time",
            FieldType::Datetime => "datetime",
            FieldType::Timestamp => "timestamp",
            FieldType::Json => "json",
            FieldType::Decimal => "decimal",
            FieldType::Enum(_) => "enum",
            FieldType::Array(_) => "array",
            FieldType::Embed { .. } => "embed",
        }
    }

    /// The array of `element` (`string[]`), for the types without a
    /// parameter; `None` for `char(n)`, an enum or an array.
    pub fn array_of(element: FieldType) -> Option<FieldType> {
        ELEMENTS
            .iter()
            .find(|e| **e == element)
            .map(FieldType::Array)
    }

    /// The type of one value: an array's element, else the type itself.
    pub fn scalar(self) -> FieldType {
        match self {
            FieldType::Array(element) => *element,
            other => other,
        }
    }

    /// The longest `char(n)`, PostgreSQL's.
    pub const MAX_CHAR_LENGTH: u32 = 10_485_760;

    /// The type a schema names, by its name or an alias, `char(n)`, or an
    /// array of a type without a parameter (`string[]`, `int64[]`).
    pub fn from_name(name: &str) -> Option<FieldType> {
        if let Some(element) = name.strip_suffix("[]") {
            return FieldType::from_name(element).and_then(FieldType::array_of);
        }
        if let Some(n) = name.strip_prefix("char(").and_then(|n| n.strip_suffix(')')) {
            return n
                .parse()
                .ok()
                .filter(|n| (1..=FieldType::MAX_CHAR_LENGTH).contains(n))
                .map(FieldType::Char);
        }
        FieldType::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .or_else(|| {
                FieldType::ALIASES
                    .into_iter()
                    .find_map(|(alias, t)| (alias == name).then_some(t))
            })
    }

    /// Every name a schema may write, types first, then aliases.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FieldType::ALL
            .into_iter()
            .map(FieldType::name)
            .chain(["char(n)"])
            .chain(FieldType::ALIASES.into_iter().map(|(alias, _)| alias))
    }

    /// Whether a key of this type may point at a key of `other`: equal types,
    /// or `string` and `text` (the same column type on every backend).
    pub fn compatible_key(self, other: FieldType) -> bool {
        use FieldType::{String, Text};
        self == other || matches!((self, other), (String, Text) | (Text, String))
    }
}
