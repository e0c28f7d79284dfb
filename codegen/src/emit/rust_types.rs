//! Rust types of columns, schema defaults as Rust values, and the docs
//! that describe a column (see the README's type table).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{Column, Date, Embed, Enum, FieldType, Generated, Literal, Table, Time, uuid_text};

/// Whether the Rust type of `ty` is `Copy` (else keys are cloned).
pub(crate) fn is_copy(ty: FieldType) -> bool {
    !matches!(
        ty,
        FieldType::String
            | FieldType::Text
            | FieldType::Char(_)
            | FieldType::Binary
            | FieldType::Json
            | FieldType::Array(_)
            | FieldType::Embed { .. }
    )
}

/// How a module of the generated file names the file's root, where the
/// schema's enums are: `super` from a table's module, `super::super` from an
/// association's.
pub(crate) struct Root<'a> {
    pub path: TokenStream,
    pub enums: &'a [Enum],
    pub embeds: &'a [Embed],
}

/// The user's `rust_type:` of a column, as tokens (`validate` parsed it).
fn custom_type(column: &Column) -> Option<TokenStream> {
    let rust = column.rust_type.as_deref()?;
    Some(
        syn::parse_str::<syn::Type>(rust)
            .map(|ty| ty.to_token_stream())
            .unwrap_or_else(|_| {
                quote!(::core::compile_error!(
                    "mortise: a rust_type checked by validate"
                ))
            }),
    )
}

/// Whether a struct field of `column` has a `Default` value: its schema
/// value (`default`), or its type's (`Default::default()`), which a
/// `rust_type:` need not have, nor an enum or an embed holding one.
pub(crate) fn has_default(column: &Column, value: Option<&Literal>, embeds: &[Embed]) -> bool {
    value.is_some()
        || (column.rust_type.is_none() && type_has_default(column.ty, column.nullable, embeds))
}

/// Whether the Rust type of `ty` implements `Default`: every type but an
/// enum (which has no first value) and an embed with a field that has none
/// (an `Option`, a `Vec` have one).
pub(crate) fn type_has_default(ty: FieldType, nullable: bool, embeds: &[Embed]) -> bool {
    match ty {
        _ if nullable => true,
        FieldType::Enum(_) => false,
        FieldType::Embed { many: true, .. } => true,
        FieldType::Embed { id, .. } => embeds[id]
            .fields
            .iter()
            .all(|f| type_has_default(f.ty, f.nullable, embeds)),
        _ => true,
    }
}

/// The Rust type of a column (see the README's type table).
pub(crate) fn rust_type(column: &Column, root: &Root<'_>) -> TokenStream {
    let ty = match column.rust_type {
        Some(_) => custom_type(column).unwrap_or_default(),
        None => value_type(column.ty, root),
    };
    if column.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

/// The Rust type of a value of `ty`, naming the schema's enums and embeds
/// from `root`.
pub(crate) fn value_type(ty: FieldType, root: &Root<'_>) -> TokenStream {
    // At the root itself (an embed's fields), a bare name.
    let path = (!root.path.is_empty()).then(|| {
        let path = &root.path;
        quote!(#path::)
    });
    match ty {
        FieldType::Enum(id) => {
            let name = root.enums[id].rust.to_ident();
            quote!(#path #name)
        }
        FieldType::Embed { id, many } => {
            let name = root.embeds[id].rust.to_ident();
            if many {
                quote!(::std::vec::Vec<#path #name>)
            } else {
                quote!(#path #name)
            }
        }
        other => base_type(other),
    }
}

pub(crate) fn base_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Integer => quote!(i64),
        FieldType::Int => quote!(i32),
        FieldType::SmallInt => quote!(i16),
        FieldType::Float => quote!(f64),
        FieldType::Float4 => quote!(f32),
        FieldType::Boolean => quote!(bool),
        FieldType::String | FieldType::Text | FieldType::Char(_) => {
            quote!(::std::string::String)
        }
        FieldType::Binary => quote!(::std::vec::Vec<u8>),
        FieldType::Uuid => quote!(::uuid::Uuid),
        FieldType::Date => quote!(::chrono::NaiveDate),
        FieldType::Time => quote!(::chrono::NaiveTime),
        FieldType::Datetime => quote!(::chrono::DateTime<::chrono::Utc>),
        FieldType::Timestamp => quote!(::chrono::NaiveDateTime),
        FieldType::Json => quote!(::serde_json::Value),
        FieldType::Decimal => quote!(::rust_decimal::Decimal),
        // `validate` refuses an enum as a key, the one use of a type
        // without its column (`rust_type` names enums).
        FieldType::Enum(_) => quote!(::core::compile_error!("mortise: an enum is never a key")),
        FieldType::Embed { .. } => {
            quote!(::core::compile_error!("mortise: an embed is never a key"))
        }
        FieldType::Array(element) => {
            let element = base_type(*element);
            quote!(::std::vec::Vec<#element>)
        }
    }
}

/// How a key is passed to `get`/`delete`: borrowed when it owns memory.
pub(crate) fn key_param_type(ty: FieldType) -> TokenStream {
    key_param_type_in(ty, TokenStream::new())
}

/// [`key_param_type`] with a named `lifetime` on its reference, if any
/// (inside an `impl Trait`, where an elided lifetime is not allowed).
pub(crate) fn key_param_type_in(ty: FieldType, lifetime: TokenStream) -> TokenStream {
    match ty {
        FieldType::String | FieldType::Text | FieldType::Char(_) => quote!(&#lifetime str),
        FieldType::Binary => quote!(&#lifetime [u8]),
        FieldType::Json => quote!(&#lifetime ::serde_json::Value),
        other => base_type(other),
    }
}

/// A schema value (`default`, `join_defaults`) as a Rust value of the
/// column's type; `validate` made the literal a value of that type.
pub(crate) fn default_value(column: &Column, literal: &Literal, root: &Root<'_>) -> TokenStream {
    if *literal == Literal::Null {
        return quote!(::std::option::Option::None);
    }
    let value = value(literal, root);
    // The user's type, from the value of the field type.
    let value = match custom_type(column) {
        Some(custom) => {
            let base = base_type(column.ty);
            quote!(<#custom as ::std::convert::From<#base>>::from(#value))
        }
        None => value,
    };
    if column.nullable {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

/// A schema value (never NULL) as a Rust value of its type.
fn value(literal: &Literal, root: &Root<'_>) -> TokenStream {
    let checked = "a value checked by mortise";
    match literal {
        Literal::Null => quote!(::std::option::Option::None),
        Literal::Bool(b) => quote!(#b),
        Literal::Int(i) => proc_macro2::Literal::i64_unsuffixed(*i).into_token_stream(),
        Literal::Float(f) => proc_macro2::Literal::f64_unsuffixed(*f).into_token_stream(),
        Literal::Float4(f) => proc_macro2::Literal::f32_unsuffixed(*f).into_token_stream(),
        Literal::Str(s) => quote!(::std::string::String::from(#s)),
        Literal::Decimal(d) => {
            let (mantissa, scale) = (
                proc_macro2::Literal::i128_unsuffixed(d.mantissa),
                proc_macro2::Literal::u32_unsuffixed(d.scale),
            );
            quote!(::rust_decimal::Decimal::from_i128_with_scale(#mantissa, #scale))
        }
        Literal::Uuid(u) => {
            // The UUID's groups, readable: 0x67e55044_10b1_426f_9247_bb680e5fe0c8.
            let text = format!("0x{}", uuid_text(*u).replace('-', "_"));
            let hex: proc_macro2::Literal = text.parse().expect("a hex literal");
            quote!(::uuid::Uuid::from_u128(#hex))
        }
        Literal::Date(d) => {
            let date = date_value(d);
            quote!(#date.expect(#checked))
        }
        Literal::Time(t) => {
            let time = time_value(t);
            quote!(#time.expect(#checked))
        }
        Literal::Datetime(d, t) => {
            let (date, time) = (date_value(d), time_value(t));
            quote!(::chrono::NaiveDateTime::new(#date.expect(#checked), #time.expect(#checked)).and_utc())
        }
        Literal::Timestamp(d, t) => {
            let (date, time) = (date_value(d), time_value(t));
            quote!(::chrono::NaiveDateTime::new(#date.expect(#checked), #time.expect(#checked)))
        }
        Literal::Json(json) => quote!(::serde_json::from_str(#json).expect(#checked)),
        Literal::Enum(e) => {
            let (path, ty, variant) = (
                &root.path,
                e.rust_type.to_ident(),
                e.rust_variant.to_ident(),
            );
            quote!(#path::#ty::#variant)
        }
        Literal::Array { values, .. } if values.is_empty() => quote!(::std::vec::Vec::new()),
        Literal::Array { values, .. } => {
            let values = values.iter().map(|v| value(v, root));
            quote!(::std::vec![#(#values),*])
        }
    }
}

fn date_value(d: &Date) -> TokenStream {
    let year = proc_macro2::Literal::i32_unsuffixed(d.year);
    let [month, day] = [d.month, d.day].map(proc_macro2::Literal::u32_unsuffixed);
    quote!(::chrono::NaiveDate::from_ymd_opt(#year, #month, #day))
}

fn time_value(t: &Time) -> TokenStream {
    let [hour, minute, second, micro] =
        [t.hour, t.minute, t.second, t.micro].map(proc_macro2::Literal::u32_unsuffixed);
    quote!(::chrono::NaiveTime::from_hms_micro_opt(#hour, #minute, #second, #micro))
}

pub(crate) fn column_doc(column: &Column, root: &Root<'_>) -> String {
    let name = match column.ty {
        FieldType::Enum(id) => format!("enum {}", root.enums[id].name),
        FieldType::Embed { id, many } => {
            format!(
                "embed {}{}, JSON",
                root.embeds[id].name,
                if many { "[]" } else { "" }
            )
        }
        other => other.to_string(),
    };
    let name = match &column.rust_type {
        Some(rust) => format!("{name} as `{rust}`"),
        None => name,
    };
    let ty = format!("{name}{}", if column.nullable { ", nullable" } else { "" });
    let how = match column.generated {
        Some(Generated::AutoIncrement) => ", assigned by the database",
        Some(Generated::Uuid) => ", a random (v4) UUID made on insert",
        Some(Generated::InsertedAt) => ", set on insert",
        Some(Generated::UpdatedAt) => ", set on insert and update",
        Some(Generated::DefaultSql) => ", set by the database on insert (`default_sql`)",
        None => "",
    };
    format!("Column `{}` ({ty}{how}).", column.sql_name)
}

pub(crate) fn generated_note(table: &Table) -> String {
    let generated: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.generated.is_some())
        .map(|c| c.sql_name.as_str())
        .collect();
    if generated.is_empty() {
        "every column is given".to_owned()
    } else {
        format!("`{}` set for you", generated.join("`, `"))
    }
}
