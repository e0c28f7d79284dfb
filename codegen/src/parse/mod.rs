//! Reading the schema file: YAML with locations, then the typed schema.

pub mod ast;
pub mod yaml;
