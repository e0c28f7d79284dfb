//! The generator's golden cases, generated and compiled as a user's crate
//! would compile them (under `deny(warnings)`), for the behaviour tests in
//! `tests/`. The reference schema's code is the `generated` crate. The
//! behaviour suite, written once for every backend, is [`suite`].
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

pub mod maria_support;
pub mod money;
pub mod pg_support;
pub mod sqlite_support;
pub mod suite;
