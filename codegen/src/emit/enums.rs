//! The schema's enums, at the file's root: a Rust enum each, its text
//! (`as_str`, `Display`, `FromStr`), and the driver's conversions.

use proc_macro2::TokenStream;
use quote::quote;

use super::driver::Driver;
use super::{doc_lines, rust_text};
use crate::ir::{DESERIALIZE, Enum, FieldType, SERIALIZE, Schema, StructOptions};

/// What an enum derives itself; a holder's derive of one of these is not repeated.
const OWN_DERIVES: [&str; 6] = ["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash"];

/// Every enum of the schema and, when there is one, `UnknownValue`.
pub(super) fn items(schema: &Schema, driver: &dyn Driver) -> TokenStream {
    if schema.enums.is_empty() {
        return TokenStream::new();
    }
    let each = schema.enums.iter().enumerate().map(|(id, e)| {
        let definition = definition(e, &holders_derives(schema, id));
        let conversions = driver.enum_conversions(e);
        quote!(#definition #conversions)
    });
    quote! {
        /// A text that is none of an enum's values (`FromStr`, or a value
        /// read from the database).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownValue {
            /// The enum, as the schema names it.
            pub enum_name: &'static str,
            pub value: ::std::string::String,
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{:?} is not a value of enum {}", self.value, self.enum_name)
            }
        }

        impl ::std::error::Error for UnknownValue {}

        #(#each)*
    }
}

/// The derives of the row structs with a column of enum `id`: a row's
/// derive needs them on its fields too.
fn holders_derives(schema: &Schema, id: usize) -> StructOptions {
    let mut derives = StructOptions::default();
    // An embed is read and written with serde, its enums too.
    if schema
        .embeds
        .iter()
        .any(|e| e.fields.iter().any(|f| f.ty == FieldType::Enum(id)))
    {
        derives.add_derive(SERIALIZE);
        derives.add_derive(DESERIALIZE);
    }
    for (_, table) in schema.entities() {
        if table.columns.iter().any(|c| c.ty == FieldType::Enum(id)) {
            table
                .options
                .derives
                .iter()
                .for_each(|d| derives.add_derive(d));
        }
    }
    derives
}

/// serde by hand (the value's text, as stored) and the holders' other derives.
fn derived(name: &proc_macro2::Ident, holders: &StructOptions) -> TokenStream {
    let serialize = holders.derives(SERIALIZE).then(|| {
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let deserialize = holders.derives(DESERIALIZE).then(|| {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    text.parse().map_err(::serde::de::Error::custom)
                }
            }
        }
    });
    quote!(#serialize #deserialize)
}

fn definition(e: &Enum, holders: &StructOptions) -> TokenStream {
    let name = e.rust.to_ident();
    let others: Vec<TokenStream> = holders
        .derives
        .iter()
        .filter(|d| !OWN_DERIVES.iter().any(|own| crate::ir::same_path(d, own)))
        .filter(|d| !crate::ir::same_path(d, SERIALIZE) && !crate::ir::same_path(d, DESERIALIZE))
        .map(|d| rust_text(d))
        .collect();
    let serde = derived(&name, holders);
    let schema_name = &e.name;
    let doc = doc_lines(&format!(
        "Enum `{}` of the schema: stored as its value's text (PostgreSQL type `{}`; on SQLite, TEXT with a `CHECK`).",
        e.name, e.sql_name
    ));
    let variants: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| {
            let (ident, doc) = (v.rust.to_ident(), doc_lines(&format!("`{}`", v.label)));
            quote!(#doc #ident)
        })
        .collect();
    let idents: Vec<_> = e.variants.iter().map(|v| v.rust.to_ident()).collect();
    let labels: Vec<&str> = e.variants.iter().map(|v| v.label.as_str()).collect();
    let count = proc_macro2::Literal::usize_unsuffixed(e.variants.len());
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash #(, #others)*)]
        pub enum #name {
            #(#variants,)*
        }

        // In a binary crate, what the program does not call would warn.
        #[allow(dead_code)]
        impl #name {
            /// Every value, in the schema's order.
            pub const ALL: [#name; #count] = [#(#name::#idents),*];

            /// The value's text, as stored.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#name::#idents => #labels,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = UnknownValue;

            /// The value whose text is `text`, exactly (case included).
            fn from_str(text: &str) -> ::std::result::Result<Self, UnknownValue> {
                match text {
                    #(#labels => ::std::result::Result::Ok(#name::#idents),)*
                    _ => ::std::result::Result::Err(UnknownValue {
                        enum_name: #schema_name,
                        value: text.to_owned(),
                    }),
                }
            }
        }

        #serde
    }
}
