//! Every golden case, for every backend, included in a binary crate under
//! `deny(warnings)`, inside a private module as an application would put
//! it: there, a `pub` item nobody calls is dead code, so generated code that
//! warned would fail this build (`cargo build` and `cargo test` build it).
//! The library (`src/lib.rs`) checks the same code as a library.
#![deny(warnings)]

mod schema {
    include!(concat!(env!("OUT_DIR"), "/cases.rs"));
}

/// The types golden case `custom_types` names (`crate::money::Cents`), as
/// the application would have them (what it does not call is its business).
#[allow(dead_code)]
#[path = "../money.rs"]
mod money;

fn main() {}
