//! The schema's embedded schemas, at the file's root: a serde struct each,
//! the shape of the JSON its columns hold.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_lines;
use super::rust_types::{Root, type_has_default, value_type};
use crate::ir::{FieldType, Schema};

/// A struct per embed: `Serialize`/`Deserialize` (the user's crate depends
/// on serde), and what every row derives.
pub(super) fn items(schema: &Schema) -> TokenStream {
    let root = Root {
        path: TokenStream::new(),
        enums: &schema.enums,
        embeds: &schema.embeds,
    };
    let each = schema.embeds.iter().map(|embed| {
        let name = embed.rust.to_ident();
        let default = embed
            .fields
            .iter()
            .all(|f| type_has_default(f.ty, f.nullable, &schema.embeds))
            .then(|| quote!(Default,));
        let doc = doc_lines(&format!(
            "Embedded schema `{}`: the JSON object its columns hold (JSONB on PostgreSQL, JSON text on SQLite), read and written with serde.",
            embed.name
        ));
        let fields = embed.fields.iter().map(|f| {
            let (ident, key) = (f.field.to_ident(), &f.name);
            let ty = value_type(f.ty, &root);
            let shown = match f.ty {
                FieldType::Enum(id) => format!("enum {}", schema.enums[id].name),
                FieldType::Embed { id, many } => {
                    format!("embed {}{}", schema.embeds[id].name, if many { "[]" } else { "" })
                }
                other => other.to_string(),
            };
            let doc = doc_lines(&format!("`{key}` ({shown}{}).", if f.nullable { ", may be missing or null" } else { "" }));
            // The JSON key as written, when the Rust name differs.
            let rename = (f.field.unraw() != key).then(|| quote!(#[serde(rename = #key)]));
            if f.nullable {
                quote! {
                    #doc
                    #rename
                    #[serde(default)]
                    pub #ident: ::std::option::Option<#ty>
                }
            } else {
                quote! { #doc #rename pub #ident: #ty }
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #name {
                #(#fields,)*
            }
        }
    });
    quote!(#(#each)*)
}
