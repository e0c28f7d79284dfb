//! Rust types of columns, schema defaults as Rust values, and the docs
//! that describe a column (see the README's type table).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{Column, FieldType, Generated, Literal, Table};

/// Whether the Rust type of `ty` is `Copy` (else keys are cloned).
pub(crate) fn is_copy(ty: FieldType) -> bool {
    !matches!(
        ty,
        FieldType::String
            | FieldType::Text
            | FieldType::Char(_)
            | FieldType::Binary
            | FieldType::Json
    )
}

/// The Rust type of a column (see the README's type table).
pub(crate) fn rust_type(column: &Column) -> TokenStream {
    let ty = base_type(column.ty);
    if column.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
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
    }
}

/// How a key is passed to `get`/`delete`: borrowed when it owns memory.
pub(crate) fn key_param_type(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::String | FieldType::Text | FieldType::Char(_) => quote!(&str),
        FieldType::Binary => quote!(&[u8]),
        FieldType::Json => quote!(&::serde_json::Value),
        other => base_type(other),
    }
}

/// A schema default as a Rust value; `validate` allows defaults only on the
/// types handled here.
pub(crate) fn default_value(column: &Column, literal: &Literal) -> TokenStream {
    let value = match (column.ty, literal) {
        (_, Literal::Null) => return quote!(::std::option::Option::None),
        (FieldType::Integer | FieldType::Int | FieldType::SmallInt, Literal::Int(i)) => {
            proc_macro2::Literal::i64_unsuffixed(*i).into_token_stream()
        }
        (FieldType::Float | FieldType::Float4, Literal::Int(i)) => {
            proc_macro2::Literal::f64_unsuffixed(*i as f64).into_token_stream()
        }
        (FieldType::Float | FieldType::Float4, Literal::Float(f)) => {
            proc_macro2::Literal::f64_unsuffixed(*f).into_token_stream()
        }
        (FieldType::Boolean, Literal::Bool(b)) => quote!(#b),
        (_, Literal::Str(s)) => quote!(::std::string::String::from(#s)),
        _ => quote!(::std::default::Default::default()),
    };
    if column.nullable {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

pub(crate) fn column_doc(column: &Column) -> String {
    let ty = format!(
        "{}{}",
        column.ty,
        if column.nullable { ", nullable" } else { "" }
    );
    let how = match column.generated {
        Some(Generated::AutoIncrement) => ", assigned by the database",
        Some(Generated::Uuid) => ", a random (v4) UUID made on insert",
        Some(Generated::InsertedAt) => ", set on insert",
        Some(Generated::UpdatedAt) => ", set on insert and update",
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
