//! The schema as written: typed, every name and value with its span.
//!
//! [`read`] checks the *shape* of the document (known options, value kinds,
//! duplicates, one kind key per association) and keeps going after a problem,
//! so that one run reports every mistake. Meaning (does this table exist, do
//! the types agree) is checked later, by `validate`.

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::ir::FieldType;
use crate::names::did_you_mean;
use crate::parse::yaml::{self, Node, Value};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Schema {
    pub defaults: Defaults,
    pub enums: Vec<EnumDecl>,
    pub embeds: Vec<EmbedDecl>,
    pub tables: Vec<Table>,
    /// `queries: [queries/movies.sql]`: files of the user's own SQL, relative
    /// to the schema file.
    pub queries: Vec<Sp<String>>,
}

/// `enums: { mpaa_rating: [G, PG-13] }`, or with the PostgreSQL type's name:
/// `mpaa_rating: { values: [G, PG-13], sql_name: rating }`. A field names it
/// as its type (`FieldType::Enum`, the index in `Schema::enums`).
#[derive(Debug)]
pub struct EnumDecl {
    pub name: Sp<String>,
    pub sql_name: Option<Sp<String>>,
    pub values: Vec<Sp<String>>,
    /// Where the values are written, for an empty list.
    pub span: crate::diagnostics::Span,
}

/// `embeds: { address: { street: string, zip: string? } }`: the shape of
/// a JSON column (Ecto's embedded schema). A field names it as its type
/// (`address?`, or `address[]` for a list), `FieldType::Embed`.
#[derive(Debug)]
pub struct EmbedDecl {
    pub name: Sp<String>,
    /// Its fields: name and type (`None` when the type could not be read).
    pub fields: Vec<(Sp<String>, Option<Sp<ColumnType>>)>,
}

#[derive(Debug, Default)]
pub struct Defaults {
    pub primary_key: Option<PrimaryKey>,
    pub foreign_key_type: Option<Sp<ColumnType>>,
    pub timestamps: Option<Sp<Timestamps>>,
    pub prefix: Option<Sp<String>>,
    pub rust: RustOptions,
}

/// `derive:` and `attributes:`, in `defaults` or a table: Rust text added
/// to the generated structs, checked by `validate`.
#[derive(Debug, Default)]
pub struct RustOptions {
    /// Derive macro paths (`serde::Serialize`).
    pub derive: Vec<Sp<String>>,
    /// Outer attributes (`#[serde(rename_all = "camelCase")]`).
    pub attributes: Vec<Sp<String>>,
}

#[derive(Debug)]
pub struct Table {
    pub name: Sp<String>,
    pub struct_name: Option<Sp<String>>,
    pub module: Option<Sp<String>>,
    pub prefix: Option<Sp<String>>,
    pub primary_key: Option<PrimaryKey>,
    pub fields: Vec<Field>,
    pub timestamps: Option<Sp<Timestamps>>,
    pub associations: Vec<Association>,
    pub rust: RustOptions,
}

#[derive(Debug, Clone)]
pub enum PrimaryKey {
    /// `{ name, type, autogenerate, column }`; unset parts take the defaults.
    Single {
        span: Span,
        name: Option<Sp<String>>,
        column: Option<Sp<String>>,
        ty: Option<Sp<ColumnType>>,
        autogenerate: Option<Sp<bool>>,
    },
    /// A list of field names.
    Composite { fields: Vec<Sp<String>> },
    /// `false`: the table has no key.
    None,
}

/// A column type as written: `string?` is `{ ty: String, nullable: true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnType {
    pub ty: FieldType,
    pub nullable: bool,
}

#[derive(Debug, Clone)]
pub enum Timestamps {
    Off,
    On,
    Custom {
        inserted_at: TimestampName,
        updated_at: TimestampName,
    },
}

#[derive(Debug, Clone)]
pub enum TimestampName {
    Default,
    Off,
    Named(Sp<String>),
}

#[derive(Debug)]
pub struct Field {
    pub name: Sp<String>,
    /// `None` when the type could not be read (already reported).
    pub ty: Option<Sp<ColumnType>>,
    pub default: Option<Sp<Literal>>,
    /// An SQL expression the database evaluates on insert.
    pub default_sql: Option<Sp<String>>,
    pub unique: bool,
    pub column: Option<Sp<String>>,
    /// `sql_type:`: the column's SQL type where it is not the default mapping.
    pub sql_type: Option<SqlTypeDecl>,
    /// `rust_type:`: a Rust type of the user's own for the field.
    pub rust_type: Option<Sp<String>>,
}

/// `sql_type: "varchar(40)"` (every backend), or per backend:
/// `sql_type: { postgres: citext, sqlite: TEXT, mysql: "varchar(254)" }`
/// (a backend left out keeps the default mapping).
#[derive(Debug)]
pub struct SqlTypeDecl {
    pub sqlite: Option<Sp<String>>,
    pub postgres: Option<Sp<String>>,
    pub mysql: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindKey {
    BelongsTo,
    HasOne,
    HasMany,
    ManyToMany,
}

impl KindKey {
    pub const ALL: [(&'static str, KindKey); 4] = [
        ("belongs_to", KindKey::BelongsTo),
        ("has_one", KindKey::HasOne),
        ("has_many", KindKey::HasMany),
        ("many_to_many", KindKey::ManyToMany),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KindKey::BelongsTo => "belongs_to",
            KindKey::HasOne => "has_one",
            KindKey::HasMany => "has_many",
            KindKey::ManyToMany => "many_to_many",
        }
    }

    fn options(self, through: bool) -> &'static [&'static str] {
        match (self, through) {
            (KindKey::BelongsTo, _) => &["foreign_key", "references", "null", "on_delete"],
            (KindKey::HasOne, false) => &[
                "foreign_key",
                "references",
                "on_delete",
                "where",
                "defaults",
                "preload_order",
            ],
            (KindKey::HasMany, false) => &[
                "foreign_key",
                "references",
                "on_delete",
                "where",
                "defaults",
                "preload_order",
                "preload_limit",
            ],
            (KindKey::HasOne | KindKey::HasMany, true) => &["preload_order"],
            (KindKey::ManyToMany, _) => &[
                "join_through",
                "join_keys",
                "unique",
                "on_delete",
                "where",
                "join_where",
                "join_defaults",
                "defaults",
                "preload_order",
                "preload_limit",
            ],
        }
    }
}

#[derive(Debug)]
pub struct Association {
    pub name: Sp<String>,
    pub kind: Sp<KindKey>,
    /// The target table; `None` for a `through` association or one stored
    /// in its own table.
    pub target: Option<Sp<String>>,
    pub through: Option<Vec<Sp<String>>>,
    /// `has_many: { table: post_comments, struct: Comment }`: rows of a
    /// declared table's struct, stored in a table of this association's own.
    pub storage: Option<Storage>,
    /// One column, or several for a composite key (`[region, number]`).
    pub foreign_key: Option<Columns>,
    pub references: Option<Columns>,
    pub null: Option<Sp<bool>>,
    pub on_delete: Option<Sp<String>>,
    pub join_through: Option<Sp<String>>,
    pub join_keys: JoinKeys,
    pub unique: Option<Sp<bool>>,
    pub filter: Vec<Condition>,
    pub join_filter: Vec<Condition>,
    pub join_defaults: Vec<Condition>,
    /// `defaults`: values set on every target row created through the
    /// association.
    pub defaults: Vec<Condition>,
    pub preload_order: Vec<Order>,
    /// `preload_limit: 3`: at most this many rows per owner; `validate`
    /// checks that it is a positive integer.
    pub preload_limit: Option<Sp<Literal>>,
}

/// Where a polymorphic (Ecto-style) association keeps its rows.
#[derive(Debug, Clone)]
pub struct Storage {
    /// The association's own table, created by the DDL.
    pub table: Sp<String>,
    /// The struct its rows are: the `struct` of a declared table.
    pub struct_name: Sp<String>,
}

#[derive(Debug, Default)]
pub struct JoinKeys {
    pub owner: Option<JoinKey>,
    pub related: Option<JoinKey>,
}

#[derive(Debug, Clone)]
pub struct JoinKey {
    pub column: Columns,
    pub references: Option<Columns>,
}

/// Column names: one (`user_id`), or a list for a composite key
/// (`[order_region, order_number]`); the span covers what was written.
pub type Columns = Sp<Vec<Sp<String>>>;

/// A value as written in the schema; `validate` checks it against its
/// column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    /// A number that is not an `i64` (`1.5`, `1e30`, an integer too large),
    /// with its text when written as a plain number: a decimal keeps every
    /// digit (not through an alias or a tag, whose text is elsewhere).
    Float(f64, Option<String>),
    Str(String),
    /// A YAML list (`[a, b]`): an array column's value.
    List(Vec<Sp<Literal>>),
}

/// `column: literal`, in `where`, `join_where`, `join_defaults`, `defaults`.
#[derive(Debug, Clone)]
pub struct Condition {
    pub column: Sp<String>,
    pub value: Sp<Literal>,
}

/// One `preload_order` item: `name asc`, `id desc`, or a bare column.
#[derive(Debug, Clone)]
pub struct Order {
    pub column: Sp<String>,
    pub descending: bool,
}

/// Reads the document; shape problems go to `diags`, and what could be read
/// is returned so the semantic checks can still run on it.
pub fn read(root: &Node, source: &str, diags: &mut Diagnostics) -> Schema {
    let lines: Vec<&str> = source.lines().collect();
    let mut r = Reader {
        diags,
        lines: &lines,
        enum_names: Vec::new(),
        embed_names: Vec::new(),
    };
    r.schema(root)
}

struct Reader<'d> {
    diags: &'d mut Diagnostics,
    /// The source, for the text of numbers as written.
    lines: &'d [&'d str],
    /// The declared enums' names, which fields may name as types.
    enum_names: Vec<String>,
    /// The declared embeds' names, likewise.
    embed_names: Vec<String>,
}

/// The entries of a YAML map, with keys as text; duplicates already reported.
type Entries<'n> = Vec<(Sp<String>, &'n Node)>;

impl Reader<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn schema(&mut self, root: &Node) -> Schema {
        let mut schema = Schema::default();
        if matches!(root.value, Value::Null) {
            self.error(
                Diagnostic::error(root.span, "the schema is empty")
                    .with_help("start with `version: 1` and a `tables:` map"),
            );
            return schema;
        }
        let Some(entries) = self.options(
            root,
            "the schema",
            &[
                "version", "defaults", "enums", "embeds", "tables", "queries",
            ],
        ) else {
            return schema;
        };
        // Enums first, wherever they are written: fields name them as types.
        if let Some((_, value)) = entries.iter().find(|(k, _)| k.value == "enums") {
            schema.enums = self.enums(value);
            self.enum_names = schema.enums.iter().map(|e| e.name.value.clone()).collect();
        }
        // Embeds next: fields name them, and they name enums.
        if let Some((_, value)) = entries.iter().find(|(k, _)| k.value == "embeds") {
            schema.embeds = self.embeds(value);
        }
        let mut has_tables = false;
        for (key, value) in entries {
            match key.value.as_str() {
                "version" => self.version(value),
                "defaults" => schema.defaults = self.defaults(value),
                "tables" => {
                    has_tables = true;
                    schema.tables = self.tables(value);
                }
                "queries" => schema.queries = self.query_files(value),
                _ => {}
            }
        }
        if !has_tables {
            self.error(
                Diagnostic::error(root.span, "the schema has no `tables`")
                    .with_label("expected a `tables:` map here")
                    .with_help("add `tables:` with at least one table, e.g. `tables: { posts: { fields: { title: string } } }`"),
            );
        }
        schema
    }

    fn enums(&mut self, node: &Node) -> Vec<EnumDecl> {
        let Some(entries) = self.entries(node, "`enums`", "enum") else {
            return Vec::new();
        };
        let mut enums = Vec::new();
        for (name, value) in entries {
            if FieldType::from_name(&name.value).is_some() || name.value.starts_with("char(") {
                self.error(
                    Diagnostic::error(name.span, format!("enum {:?} has the name of a field type", name.value))
                        .with_label("a field type")
                        .with_help("give the enum another name, e.g. `mpaa_rating`; `sql_name:` keeps the PostgreSQL type's name"),
                );
                continue;
            }
            let (values_node, sql_name) = match &value.value {
                Value::Map(_) => {
                    let what = format!("enum {}", name.value);
                    let Some(options) = self.options(value, &what, &["values", "sql_name"]) else {
                        continue;
                    };
                    let mut values_node = None;
                    let mut sql_name = None;
                    for (key, option) in options {
                        match key.value.as_str() {
                            "values" => values_node = Some(option),
                            _ => sql_name = self.string(option, "a PostgreSQL type name"),
                        }
                    }
                    let Some(values_node) = values_node else {
                        self.error(
                            Diagnostic::error(value.span, format!("{what} has no `values`"))
                                .with_help("list its values: `{ values: [G, PG, PG-13], sql_name: mpaa_rating }`"),
                        );
                        continue;
                    };
                    (values_node, sql_name)
                }
                _ => (value, None),
            };
            let Value::Seq(items) = &values_node.value else {
                self.error(
                    Diagnostic::error(
                        values_node.span,
                        format!("the values of enum {} must be a list", name.value),
                    )
                    .with_label(format!("found {}", values_node.value.kind_name()))
                    .with_help("write e.g. `[G, PG, PG-13]`"),
                );
                continue;
            };
            let values = items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Str(s) => Some(Sp {
                        value: s.clone(),
                        span: item.span,
                    }),
                    other => {
                        self.error(
                            Diagnostic::error(
                                item.span,
                                format!("an enum value must be text, found {}", other.kind_name()),
                            )
                            .with_label("not text")
                            .with_help("quote it: `\"1\"`, `\"true\"`"),
                        );
                        None
                    }
                })
                .collect();
            enums.push(EnumDecl {
                name,
                sql_name,
                values,
                span: values_node.span,
            });
        }
        enums
    }

    /// `queries:`: a list of `.sql` paths (one path alone is a list of one).
    fn query_files(&mut self, node: &Node) -> Vec<Sp<String>> {
        let items = match &node.value {
            Value::Seq(items) => items.as_slice(),
            _ => std::slice::from_ref(node),
        };
        let mut files: Vec<Sp<String>> = Vec::new();
        for item in items {
            let Some(path) = self.string(item, "the path of a .sql file") else {
                continue;
            };
            if let Some(first) = files.iter().find(|f| f.value == path.value) {
                self.error(
                    Diagnostic::error(
                        path.span,
                        format!("query file {:?} is listed twice", path.value),
                    )
                    .with_label("listed again")
                    .with_related(first.span, "first listed here")
                    .with_help("list each file once"),
                );
                continue;
            }
            files.push(path);
        }
        files
    }

    fn embeds(&mut self, node: &Node) -> Vec<EmbedDecl> {
        let Some(entries) = self.entries(node, "`embeds`", "embedded schema") else {
            return Vec::new();
        };
        // Every name first: an embed's field may name another embed.
        self.embed_names = entries.iter().map(|(name, _)| name.value.clone()).collect();
        let mut embeds = Vec::new();
        for (name, value) in entries {
            let what = format!("the fields of embed {}", name.value);
            let fields = match &value.value {
                Value::Map(_) => self.entries(value, &what, "field").unwrap_or_default(),
                other => {
                    self.error(
                        Diagnostic::error(value.span, format!("{what} must be a map"))
                            .with_label(format!("found {}", other.kind_name()))
                            .with_help("write e.g. `address: { street: string, zip: string? }`"),
                    );
                    continue;
                }
            };
            let fields = fields
                .into_iter()
                .map(|(field, node)| (field, self.column_type(node)))
                .collect();
            embeds.push(EmbedDecl { name, fields });
        }
        embeds
    }

    fn version(&mut self, node: &Node) {
        let message = match &node.value {
            Value::Int(1) => return,
            Value::Int(v) => format!("unsupported schema version {v}"),
            other => format!(
                "the schema version must be the number 1, found {}",
                other.kind_name()
            ),
        };
        self.error(
            Diagnostic::error(node.span, message)
                .with_label("only version 1 exists")
                .with_help("write `version: 1`"),
        );
    }

    fn defaults(&mut self, node: &Node) -> Defaults {
        let mut defaults = Defaults::default();
        let allowed = &[
            "primary_key",
            "foreign_key_type",
            "timestamps",
            "prefix",
            "derive",
            "attributes",
        ];
        let Some(entries) = self.options(node, "`defaults`", allowed) else {
            return defaults;
        };
        for (key, value) in entries {
            match key.value.as_str() {
                "primary_key" => defaults.primary_key = self.primary_key(value, true),
                "foreign_key_type" => defaults.foreign_key_type = self.column_type(value),
                "timestamps" => defaults.timestamps = self.timestamps(value),
                "prefix" => defaults.prefix = self.string(value, "a schema prefix"),
                "derive" => defaults.rust.derive = self.rust_texts(value, RustText::Derive),
                "attributes" => {
                    defaults.rust.attributes = self.rust_texts(value, RustText::Attribute);
                }
                _ => {}
            }
        }
        defaults
    }

    fn tables(&mut self, node: &Node) -> Vec<Table> {
        let Some(entries) = self.entries(node, "`tables`", "table") else {
            return Vec::new();
        };
        if entries.is_empty() {
            self.error(
                Diagnostic::error(node.span, "`tables` is empty")
                    .with_help("declare at least one table"),
            );
        }
        entries
            .into_iter()
            .map(|(name, body)| self.table(name, body))
            .collect()
    }

    fn table(&mut self, name: Sp<String>, node: &Node) -> Table {
        let mut table = Table {
            name,
            struct_name: None,
            module: None,
            prefix: None,
            primary_key: None,
            fields: Vec::new(),
            timestamps: None,
            associations: Vec::new(),
            rust: RustOptions::default(),
        };
        let what = format!("table {}", table.name.value);
        let allowed = &[
            "struct",
            "module",
            "prefix",
            "primary_key",
            "fields",
            "timestamps",
            "associations",
            "derive",
            "attributes",
        ];
        // A table with nothing declared (`tags:`) is a table with just its key.
        if matches!(node.value, Value::Null) {
            return table;
        }
        let Some(entries) = self.options(node, &what, allowed) else {
            return table;
        };
        for (key, value) in entries {
            match key.value.as_str() {
                "struct" => table.struct_name = self.string(value, "a struct name"),
                "module" => table.module = self.string(value, "a module name"),
                "prefix" => table.prefix = self.string(value, "a schema prefix"),
                "primary_key" => table.primary_key = self.primary_key(value, false),
                "fields" => table.fields = self.fields(value, &table.name.value),
                "timestamps" => table.timestamps = self.timestamps(value),
                "associations" => {
                    table.associations = self.associations(value, &table.name.value);
                }
                "derive" => table.rust.derive = self.rust_texts(value, RustText::Derive),
                "attributes" => {
                    table.rust.attributes = self.rust_texts(value, RustText::Attribute);
                }
                _ => {}
            }
        }
        table
    }

    fn primary_key(&mut self, node: &Node, in_defaults: bool) -> Option<PrimaryKey> {
        match &node.value {
            Value::Bool(false) => Some(PrimaryKey::None),
            Value::Seq(items) if !in_defaults => {
                let fields: Vec<_> = items
                    .iter()
                    .filter_map(|item| self.string(item, "a field name"))
                    .collect();
                if fields.is_empty() {
                    self.error(
                        Diagnostic::error(node.span, "a composite primary key needs at least one field")
                            .with_help("list the key's fields, e.g. `primary_key: [playlist_id, track_id]`, or write `primary_key: false`"),
                    );
                    return None;
                }
                Some(PrimaryKey::Composite { fields })
            }
            Value::Map(_) => {
                let allowed = &["name", "type", "autogenerate", "column"];
                let entries = self.options(node, "`primary_key`", allowed)?;
                let mut key = (None, None, None, None);
                for (k, value) in entries {
                    match k.value.as_str() {
                        "name" => key.0 = self.string(value, "a key name"),
                        "column" => key.1 = self.string(value, "a column name"),
                        "type" => key.2 = self.column_type(value),
                        "autogenerate" => key.3 = self.boolean(value),
                        _ => {}
                    }
                }
                Some(PrimaryKey::Single {
                    span: node.span,
                    name: key.0,
                    column: key.1,
                    ty: key.2,
                    autogenerate: key.3,
                })
            }
            other => {
                let help = if in_defaults {
                    "write `{ name: id, type: integer, autogenerate: true }`, or `false` for no key"
                } else {
                    "write `{ name: id, type: integer, autogenerate: true }`, a list of fields for a composite key, or `false` for no key"
                };
                self.error(
                    Diagnostic::error(
                        node.span,
                        format!("`primary_key` cannot be {}", other.kind_name()),
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    fn timestamps(&mut self, node: &Node) -> Option<Sp<Timestamps>> {
        let value = match &node.value {
            Value::Bool(true) => Timestamps::On,
            Value::Bool(false) => Timestamps::Off,
            Value::Map(_) => {
                let entries = self.options(node, "`timestamps`", &["inserted_at", "updated_at"])?;
                let (mut inserted_at, mut updated_at) =
                    (TimestampName::Default, TimestampName::Default);
                for (key, value) in entries {
                    let name = match &value.value {
                        Value::Bool(false) => TimestampName::Off,
                        _ => match self.string(value, "a column name or `false`") {
                            Some(name) => TimestampName::Named(name),
                            None => continue,
                        },
                    };
                    if key.value == "inserted_at" {
                        inserted_at = name;
                    } else {
                        updated_at = name;
                    }
                }
                Timestamps::Custom {
                    inserted_at,
                    updated_at,
                }
            }
            other => {
                self.error(
                    Diagnostic::error(node.span, format!("`timestamps` cannot be {}", other.kind_name()))
                        .with_help("write `true`, `false`, or `{ inserted_at: created_at, updated_at: false }`"),
                );
                return None;
            }
        };
        Some(Sp {
            value,
            span: node.span,
        })
    }

    fn fields(&mut self, node: &Node, table: &str) -> Vec<Field> {
        if matches!(node.value, Value::Null) {
            return Vec::new();
        }
        let what = format!("the fields of {table}");
        let Some(entries) = self.entries(node, &what, "field") else {
            return Vec::new();
        };
        entries
            .into_iter()
            .map(|(name, value)| self.field(name, value, table))
            .collect()
    }

    fn field(&mut self, name: Sp<String>, node: &Node, table: &str) -> Field {
        let mut field = Field {
            name,
            ty: None,
            default: None,
            default_sql: None,
            unique: false,
            column: None,
            sql_type: None,
            rust_type: None,
        };
        match &node.value {
            Value::Map(_) => {
                let what = format!("field {table}.{}", field.name.value);
                let allowed = &[
                    "type",
                    "default",
                    "default_sql",
                    "unique",
                    "column",
                    "sql_type",
                    "rust_type",
                ];
                let Some(entries) = self.options(node, &what, allowed) else {
                    return field;
                };
                let mut has_type = false;
                for (key, value) in entries {
                    match key.value.as_str() {
                        "type" => {
                            has_type = true;
                            field.ty = self.column_type(value);
                        }
                        "default" => field.default = self.literal(value, "a default value"),
                        "default_sql" => {
                            field.default_sql = self.string(value, "an SQL expression");
                        }
                        "unique" => {
                            field.unique = self.boolean(value).is_some_and(|b| b.value);
                        }
                        "column" => field.column = self.string(value, "a column name"),
                        "sql_type" => field.sql_type = self.sql_type(value, &what),
                        "rust_type" => field.rust_type = self.string(value, "a Rust type"),
                        _ => {}
                    }
                }
                if !has_type {
                    self.error(
                        Diagnostic::error(
                            node.span,
                            format!("field {table}.{} has no type", field.name.value),
                        )
                        .with_help("add `type:`, e.g. `{ type: string, unique: true }`"),
                    );
                }
            }
            _ => field.ty = self.column_type(node),
        }
        field
    }

    /// `sql_type:`: a type for every backend, or a map of backends.
    fn sql_type(&mut self, node: &Node, what: &str) -> Option<SqlTypeDecl> {
        if let Value::Map(_) = node.value {
            let what = format!("the sql_type of {what}");
            let entries = self.options(node, &what, &["postgres", "sqlite", "mysql"])?;
            let mut decl = SqlTypeDecl {
                sqlite: None,
                postgres: None,
                mysql: None,
            };
            for (key, value) in entries {
                let text = self.string(value, "an SQL type");
                match key.value.as_str() {
                    "postgres" => decl.postgres = text,
                    "mysql" => decl.mysql = text,
                    _ => decl.sqlite = text,
                }
            }
            return Some(decl);
        }
        let text = self.string(node, "an SQL type, or a map of backends to SQL types")?;
        Some(SqlTypeDecl {
            sqlite: Some(text.clone()),
            postgres: Some(text.clone()),
            mysql: Some(text),
        })
    }

    fn column_type(&mut self, node: &Node) -> Option<Sp<ColumnType>> {
        let text = self.string(node, "a type")?;
        let (name, nullable) = match text.value.strip_suffix('?') {
            Some(name) => (name.trim_end(), true),
            None => (text.value.as_str(), false),
        };
        let declared = || {
            let embed = |name: &str, many| {
                self.embed_names
                    .iter()
                    .position(|e| e == name)
                    .map(|id| FieldType::Embed { id, many })
            };
            self.enum_names
                .iter()
                .position(|e| e == name)
                .map(FieldType::Enum)
                .or_else(|| embed(name, false))
                .or_else(|| name.strip_suffix("[]").and_then(|one| embed(one, true)))
        };
        match FieldType::from_name(name).or_else(declared) {
            Some(ty) => Some(Sp {
                value: ColumnType { ty, nullable },
                span: text.span,
            }),
            None if name.ends_with("[]") => {
                let element = name.trim_end_matches("[]");
                let (message, label) = if self.enum_names.iter().any(|e| e == element) {
                    (
                        format!("{name:?} is an array of an enum, which mortise does not support"),
                        "an array of enum values",
                    )
                } else if element.starts_with("char") {
                    (
                        format!("{name:?} is an array of char(n), which mortise does not support"),
                        "an array of fixed-length text",
                    )
                } else if name.ends_with("[][]") {
                    (
                        format!("{name:?} is an array of arrays, which mortise does not support"),
                        "a nested array",
                    )
                } else {
                    (
                        format!("unknown array type {name:?}"),
                        "not an array of a field type",
                    )
                };
                let elements: Vec<String> =
                    FieldType::ALL.iter().map(|t| format!("{t}[]")).collect();
                let help = did_you_mean(name, elements.iter().map(String::as_str)).unwrap_or_else(|| {
                    format!(
                        "an array holds values of one of the types {}: e.g. `string[]`, `int[]?`; a list of enum values is a `string[]`",
                        FieldType::ALL.map(FieldType::name).join(", ")
                    )
                });
                self.error(
                    Diagnostic::error(text.span, message)
                        .with_label(label)
                        .with_help(help),
                );
                None
            }
            None if name == "char" || name.starts_with("char(") => {
                self.error(
                    Diagnostic::error(text.span, format!("{name:?} is not a char type"))
                        .with_label("not `char(n)`")
                        .with_help(format!(
                            "write the length, from 1 to {}: e.g. `char(2)`",
                            FieldType::MAX_CHAR_LENGTH
                        )),
                );
                None
            }
            None => {
                let declared: Vec<String> = self
                    .enum_names
                    .iter()
                    .chain(&self.embed_names)
                    .cloned()
                    .collect();
                let mut known: Vec<&str> = FieldType::names().collect();
                known.extend(declared.iter().map(String::as_str));
                let help = did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "the types are {}; add `?` for a nullable column",
                        known.join(", ")
                    )
                });
                self.error(
                    Diagnostic::error(text.span, format!("unknown type {name:?}"))
                        .with_label("not a field type")
                        .with_help(help),
                );
                None
            }
        }
    }

    fn associations(&mut self, node: &Node, table: &str) -> Vec<Association> {
        if matches!(node.value, Value::Null) {
            return Vec::new();
        }
        let what = format!("the associations of {table}");
        let Some(entries) = self.entries(node, &what, "association") else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter_map(|(name, value)| self.association(name, value, table))
            .collect()
    }

    fn association(&mut self, name: Sp<String>, node: &Node, table: &str) -> Option<Association> {
        let what = format!("association {table}.{}", name.value);
        let Value::Map(_) = node.value else {
            self.error(
                Diagnostic::error(node.span, format!("{what} must be a map"))
                    .with_label(format!("found {}", node.value.kind_name()))
                    .with_help("write e.g. `{ has_many: comments }` or `{ many_to_many: tags, join_through: posts_tags }`"),
            );
            return None;
        };
        let entries = self.entries(node, &what, "option")?;

        // Exactly one kind key.
        let mut kind: Option<(Sp<KindKey>, &Node)> = None;
        for (key, value) in &entries {
            let Some((_, k)) = KindKey::ALL.iter().find(|(n, _)| *n == key.value) else {
                continue;
            };
            match &kind {
                None => {
                    kind = Some((
                        Sp {
                            value: *k,
                            span: key.span,
                        },
                        value,
                    ))
                }
                Some((first, _)) => self.error(
                    Diagnostic::error(
                        key.span,
                        format!("{what} has two kinds, {} and {}", first.value.as_str(), key.value),
                    )
                    .with_label("second kind")
                    .with_related(first.span, "first kind")
                    .with_help("an association is exactly one of belongs_to, has_one, has_many, many_to_many: split it in two"),
                ),
            }
        }
        let Some((kind, kind_value)) = kind else {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.value.as_str()).collect();
            let hint = keys
                .iter()
                .find_map(|k| did_you_mean(k, KindKey::ALL.map(|(n, _)| n)));
            self.error(
                Diagnostic::error(name.span, format!("{what} has no kind"))
                    .with_label("needs one of belongs_to, has_one, has_many, many_to_many")
                    .with_help(hint.unwrap_or_else(|| {
                        "add the kind and its target, e.g. `{ has_many: comments }`".to_owned()
                    })),
            );
            return None;
        };

        // The kind's value: a table name, `{ through: [...] }` for has_one/has_many,
        // or `{ table, struct }` (rows of a struct stored in their own table).
        let (target, through, storage) = match (&kind_value.value, kind.value) {
            (Value::Map(_), KindKey::HasOne | KindKey::HasMany) => {
                let entries = self.options(
                    kind_value,
                    &format!("{what}'s target"),
                    &["through", "table", "struct"],
                )?;
                let get = |key: &str| {
                    entries
                        .iter()
                        .find(|(k, _)| k.value == key)
                        .map(|(_, v)| *v)
                };
                match (get("through"), get("table"), get("struct")) {
                    (Some(list), None, None) => (None, Some(self.through(list, &what)?), None),
                    (None, Some(table), Some(struct_name)) => {
                        let table = self.string(table, "a table name");
                        let struct_name = self.string(struct_name, "a struct name");
                        let storage = Storage {
                            table: table?,
                            struct_name: struct_name?,
                        };
                        (None, None, Some(storage))
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(kind_value.span, format!("{what} has no target"))
                                .with_help("name a table (`has_many: comments`), a path (`has_many: { through: [comments, author] }`), \
                                            or a table of its own and the struct of its rows (`has_many: { table: post_comments, struct: Comment }`)"),
                        );
                        return None;
                    }
                }
            }
            _ => (Some(self.string(kind_value, "a table name")?), None, None),
        };

        let mut assoc = Association {
            name,
            kind,
            target,
            through,
            storage,
            foreign_key: None,
            references: None,
            null: None,
            on_delete: None,
            join_through: None,
            join_keys: JoinKeys::default(),
            unique: None,
            filter: Vec::new(),
            join_filter: Vec::new(),
            join_defaults: Vec::new(),
            defaults: Vec::new(),
            preload_order: Vec::new(),
            preload_limit: None,
        };
        let allowed = assoc.kind.value.options(assoc.through.is_some());
        for (key, value) in &entries {
            if KindKey::ALL.iter().any(|(n, _)| *n == key.value) {
                continue;
            }
            if !allowed.contains(&key.value.as_str()) {
                self.misplaced_option(key, &what, &assoc, allowed);
                continue;
            }
            match key.value.as_str() {
                "foreign_key" => assoc.foreign_key = self.columns(value),
                "references" => assoc.references = self.columns(value),
                "null" => assoc.null = self.boolean(value),
                "on_delete" => assoc.on_delete = self.string(value, "an on_delete action"),
                "join_through" => assoc.join_through = self.string(value, "a table name"),
                "join_keys" => assoc.join_keys = self.join_keys(value, &what),
                "unique" => assoc.unique = self.boolean(value),
                "where" => assoc.filter = self.conditions(value, "`where`"),
                "join_where" => assoc.join_filter = self.conditions(value, "`join_where`"),
                "join_defaults" => {
                    assoc.join_defaults = self.conditions(value, "`join_defaults`");
                }
                "defaults" => assoc.defaults = self.conditions(value, "`defaults`"),
                "preload_order" => assoc.preload_order = self.preload_order(value),
                "preload_limit" => {
                    assoc.preload_limit = self.literal(value, "a number of rows, e.g. `3`");
                }
                _ => {}
            }
        }
        if assoc.kind.value == KindKey::ManyToMany && assoc.join_through.is_none() {
            self.error(
                Diagnostic::error(assoc.kind.span, format!("{what} has no `join_through`"))
                    .with_label("a many_to_many needs its join table")
                    .with_help(format!(
                        "name the join table, e.g. `join_through: {}_{}`",
                        table,
                        assoc
                            .target
                            .as_ref()
                            .map_or("targets", |t| t.value.as_str())
                    )),
            );
        }
        Some(assoc)
    }

    /// An option this association cannot take: an option of another kind
    /// (`join_through` on a has_many) says whose it is.
    fn misplaced_option(
        &mut self,
        key: &Sp<String>,
        what: &str,
        assoc: &Association,
        allowed: &[&str],
    ) {
        let kind = assoc.kind.value.as_str();
        let owners: Vec<&str> = KindKey::ALL
            .iter()
            .filter(|(_, k)| k.options(false).contains(&key.value.as_str()))
            .map(|(name, _)| *name)
            .collect();
        if owners.is_empty() {
            self.unknown_option(key, what, kind, allowed);
            return;
        }
        let (shown, help) = if assoc.through.is_some() {
            (
                format!("`through` {kind}"),
                format!(
                    "a `through` association takes its keys from the associations of its path; its only option is {}",
                    allowed.join(", ")
                ),
            )
        } else {
            (
                kind.to_owned(),
                format!(
                    "`{}` is an option of {}; a {kind} takes: {}",
                    key.value,
                    owners.join(", "),
                    allowed.join(", ")
                ),
            )
        };
        self.error(
            Diagnostic::error(
                key.span,
                format!(
                    "option {:?} does not apply to a {shown}, in {what}",
                    key.value
                ),
            )
            .with_label(format!("not an option of a {shown}"))
            .with_help(help),
        );
    }

    fn through(&mut self, node: &Node, what: &str) -> Option<Vec<Sp<String>>> {
        let Value::Seq(items) = &node.value else {
            self.error(
                Diagnostic::error(node.span, format!("the `through` of {what} must be a list"))
                    .with_help("list association names, e.g. `through: [comments, author]`"),
            );
            return None;
        };
        let path: Vec<_> = items
            .iter()
            .filter_map(|i| self.string(i, "an association name"))
            .collect();
        if path.len() < 2 {
            self.error(
                Diagnostic::error(
                    node.span,
                    format!("the `through` path of {what} has fewer than two steps"),
                )
                .with_help(
                    "a path goes through at least two associations; with one, declare it directly",
                ),
            );
            return None;
        }
        Some(path)
    }

    fn join_keys(&mut self, node: &Node, what: &str) -> JoinKeys {
        let mut keys = JoinKeys::default();
        let Some(entries) = self.options(
            node,
            &format!("the join_keys of {what}"),
            &["owner", "related"],
        ) else {
            return keys;
        };
        for (side, value) in entries {
            let key = match &value.value {
                Value::Map(_) => {
                    let Some(parts) = self.options(value, "a join key", &["column", "references"])
                    else {
                        continue;
                    };
                    let mut column = None;
                    let mut references = None;
                    for (k, v) in parts {
                        if k.value == "column" {
                            column = self.columns(v);
                        } else {
                            references = self.columns(v);
                        }
                    }
                    let Some(column) = column else {
                        self.error(
                            Diagnostic::error(value.span, "a join key needs its `column`")
                                .with_help("write `{ column: user_id, references: id }`"),
                        );
                        continue;
                    };
                    JoinKey { column, references }
                }
                _ => match self.columns(value) {
                    Some(column) => JoinKey {
                        column,
                        references: None,
                    },
                    None => continue,
                },
            };
            if side.value == "owner" {
                keys.owner = Some(key);
            } else {
                keys.related = Some(key);
            }
        }
        keys
    }

    fn conditions(&mut self, node: &Node, what: &str) -> Vec<Condition> {
        let Some(entries) = self.entries(node, what, "column") else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter_map(|(column, value)| {
                let value = self.literal(value, "a literal value")?;
                Some(Condition { column, value })
            })
            .collect()
    }

    fn preload_order(&mut self, node: &Node) -> Vec<Order> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .filter_map(|item| {
                let text = self.string(item, "an order like `name asc`")?;
                let words: Vec<&str> = text.value.split_whitespace().collect();
                let (column, descending) = match words.as_slice() {
                    [column] => (*column, false),
                    [column, dir] if dir.eq_ignore_ascii_case("asc") => (*column, false),
                    [column, dir] if dir.eq_ignore_ascii_case("desc") => (*column, true),
                    [column, dir] => {
                        self.error(
                            Diagnostic::error(text.span, format!("unknown direction {dir:?} in the order {:?}", text.value))
                                .with_label("the direction is `asc` or `desc`")
                                .with_help(format!("write `{column} asc` or `{column} desc`")),
                        );
                        return None;
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(text.span, format!("cannot read the order {:?}", text.value))
                                .with_help("write a column and an optional direction: `name`, `name asc`, `inserted_at desc`"),
                        );
                        return None;
                    }
                };
                Some(Order {
                    column: Sp {
                        value: column.to_owned(),
                        span: text.span,
                    },
                    descending,
                })
            })
            .collect()
    }

    /// A column name, or a non-empty list of distinct ones (a composite key).
    fn columns(&mut self, node: &Node) -> Option<Columns> {
        let Value::Seq(items) = &node.value else {
            let one = self.string(node, "a column name (or a list of them)")?;
            return Some(Sp {
                span: one.span,
                value: vec![one],
            });
        };
        let mut names: Vec<Sp<String>> = Vec::new();
        let mut valid = true;
        for item in items {
            let Some(name) = self.string(item, "a column name") else {
                valid = false;
                continue;
            };
            if names.iter().any(|n| n.value == name.value) {
                self.error(
                    Diagnostic::error(name.span, format!("{:?} is listed twice", name.value))
                        .with_help("list each column of a key once"),
                );
                valid = false;
            }
            names.push(name);
        }
        let (Some(first), Some(last)) = (names.first(), names.last()) else {
            if valid {
                self.error(
                    Diagnostic::error(node.span, "an empty list of key columns")
                        .with_help("name one column, or list the columns of a composite key, e.g. `[order_region, order_number]`"),
                );
            }
            return None;
        };
        // A list's node marks only its `[`: span from the first name to the last.
        let span = if first.span.line == last.span.line {
            Span {
                len: last.span.column + last.span.len - first.span.column,
                ..first.span
            }
        } else {
            first.span
        };
        valid.then_some(Sp { span, value: names })
    }

    /// `derive:` or `attributes:`: a list of strings (or one string), each
    /// Rust text that `validate` parses.
    fn rust_texts(&mut self, node: &Node, kind: RustText) -> Vec<Sp<String>> {
        let items = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let (what, example) = match kind {
            RustText::Derive => (
                "a derive path",
                "`derive: [serde::Serialize, serde::Deserialize]`",
            ),
            RustText::Attribute => (
                "an attribute",
                "`attributes: ['#[serde(rename_all = \"camelCase\")]']` (quoted: `#` starts a YAML comment)",
            ),
        };
        items
            .into_iter()
            .filter_map(|item| match &item.value {
                Value::Str(s) => Some(Sp {
                    value: s.clone(),
                    span: item.span,
                }),
                other => {
                    self.error(
                        Diagnostic::error(
                            item.span,
                            format!("expected {what}, found {}", other.kind_name()),
                        )
                        .with_label(format!("should be {what}"))
                        .with_help(format!("write each as text, e.g. {example}")),
                    );
                    None
                }
            })
            .collect()
    }

    // ---- scalar readers -------------------------------------------------

    fn string(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        match &node.value {
            Value::Str(s) => Some(Sp {
                value: s.clone(),
                span: node.span,
            }),
            other => {
                self.error(
                    Diagnostic::error(
                        node.span,
                        format!("expected {what}, found {}", other.kind_name()),
                    )
                    .with_label(format!("should be {what}"))
                    .with_help(one_value_hint(other)),
                );
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node) -> Option<Sp<bool>> {
        match node.value {
            Value::Bool(b) => Some(Sp {
                value: b,
                span: node.span,
            }),
            ref other => {
                self.error(
                    Diagnostic::error(
                        node.span,
                        format!("expected `true` or `false`, found {}", other.kind_name()),
                    )
                    .with_label("should be a boolean")
                    .with_help("write `true` or `false` (unquoted)"),
                );
                None
            }
        }
    }

    fn literal(&mut self, node: &Node, what: &str) -> Option<Sp<Literal>> {
        let value = match &node.value {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Int(i) => Literal::Int(*i),
            Value::Float(f) => {
                let text = yaml::written(self.lines, node.span)
                    .filter(|t| t.parse::<f64>().is_ok_and(|parsed| parsed == *f));
                Literal::Float(*f, text)
            }
            Value::Str(s) => Literal::Str(s.clone()),
            Value::Seq(items) => Literal::List(
                items
                    .iter()
                    .map(|item| self.literal(item, what))
                    .collect::<Option<_>>()?,
            ),
            other => {
                self.error(
                    Diagnostic::error(
                        node.span,
                        format!("expected {what}, found {}", other.kind_name()),
                    )
                    .with_help(
                        "write a string, number, boolean, null, or a list of them for an array",
                    ),
                );
                return None;
            }
        };
        Some(Sp {
            value,
            span: node.span,
        })
    }

    // ---- maps -----------------------------------------------------------

    /// The entries of a map whose keys are names (tables, fields, ...):
    /// keys must be text, and a name given twice is an error at both places.
    fn entries<'n>(&mut self, node: &'n Node, what: &str, item: &str) -> Option<Entries<'n>> {
        let Value::Map(map) = &node.value else {
            self.error(
                Diagnostic::error(node.span, format!("{what} must be a map"))
                    .with_label(format!("found {}", node.value.kind_name()))
                    .with_help(format!(
                        "write one `name: value` line per {item}, indented under it"
                    )),
            );
            return None;
        };
        let mut entries: Entries<'n> = Vec::with_capacity(map.len());
        // Name -> index in `entries`: a wide table stays linear.
        let mut seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(map.len());
        for (key, value) in map {
            let Some(text) = key.as_text() else {
                self.error(
                    Diagnostic::error(
                        key.span,
                        format!("{item} names must be text, found {}", key.value.kind_name()),
                    )
                    .with_help("write the name as plain text before the colon"),
                );
                continue;
            };
            if let Some(&index) = seen.get(&text) {
                let first = &entries[index].0;
                self.error(
                    Diagnostic::error(key.span, format!("{item} {text:?} is declared twice in {what}"))
                        .with_label("declared again here")
                        .with_related(first.span, "first declared here")
                        .with_help(format!("remove one of the two, or rename it: YAML would silently keep only the last {item}")),
                );
                continue;
            }
            seen.insert(text.clone(), entries.len());
            entries.push((
                Sp {
                    value: text,
                    span: key.span,
                },
                value,
            ));
        }
        Some(entries)
    }

    /// The entries of an options map: like `entries`, and every key must be
    /// one of `allowed`.
    fn options<'n>(&mut self, node: &'n Node, what: &str, allowed: &[&str]) -> Option<Entries<'n>> {
        let entries = self.entries(node, what, "option")?;
        let (known, unknown): (Vec<_>, Vec<_>) = entries
            .into_iter()
            .partition(|(k, _)| allowed.contains(&k.value.as_str()));
        for (key, _) in &unknown {
            self.unknown_option(key, what, what, allowed);
        }
        Some(known)
    }

    fn unknown_option(&mut self, key: &Sp<String>, what: &str, owner: &str, allowed: &[&str]) {
        let help = did_you_mean(&key.value, allowed.iter().copied())
            .unwrap_or_else(|| format!("the options here are: {}", allowed.join(", ")));
        self.error(
            Diagnostic::error(
                key.span,
                format!("unknown option {:?} in {what}", key.value),
            )
            .with_label(format!("not an option of {owner}"))
            .with_help(help),
        );
    }
}

/// Which Rust text a `rust_texts` list holds.
#[derive(Debug, Clone, Copy)]
enum RustText {
    Derive,
    Attribute,
}

/// The hint for a value of the wrong kind where one scalar was expected.
fn one_value_hint(found: &Value) -> &'static str {
    match found {
        Value::Null => "write a value after the colon",
        Value::Seq(_) => "write one value here, not a list",
        Value::Map(_) => "write one value here, not a map",
        _ => "quote it to make it text, e.g. `\"yes\"`",
    }
}
