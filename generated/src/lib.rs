//! The code mortise generates from `schema.yaml` at the repository's root,
//! for rusqlite. Built under `deny(warnings)`: generated code must be clean.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/schema.rs"));
