//! Prints the synthetic schema the `generate` bench measures:
//! `cargo run --release -p mortise-build --example synthetic_schema -- 5000 > big.yaml`
//! (see benches/generate.rs for measuring memory with it).
//!
//! `n` tables of a few fields of various types, each table but the first
//! belonging to an earlier one (which has many of it back), and every 10th
//! table linked to its predecessor by a many-to-many.

use std::fmt::Write;

/// A valid schema of `n` tables, as text.
pub fn schema(n: usize) -> String {
    let mut out = String::from("version: 1\ntables:\n");
    for i in 0..n {
        writeln!(out, "  t{i}:").unwrap();
        out.push_str(
            "    fields:\n      name: string\n      score: int?\n      price: { type: decimal, default: \"0\" }\n      active: { type: boolean, default: true }\n      seen: datetime?\n      data: json?\n",
        );
        // Halving gives every parent two children and keeps the tree shallow,
        // like real schemas, while still spreading keys over every table.
        let mut associations = String::new();
        if i > 0 {
            writeln!(
                associations,
                "      parent: {{ belongs_to: t{}, on_delete: cascade }}",
                i / 2
            )
            .unwrap();
        }
        for child in [2 * i, 2 * i + 1] {
            if child > 0 && child < n {
                writeln!(
                    associations,
                    "      kids{child}: {{ has_many: t{child}, foreign_key: parent_id, preload_order: [name asc] }}"
                )
                .unwrap();
            }
        }
        if i % 10 == 9 {
            writeln!(
                associations,
                "      tagged: {{ many_to_many: t{}, join_through: t{i}_tags, unique: true }}",
                i - 1
            )
            .unwrap();
        }
        if !associations.is_empty() {
            out.push_str("    associations:\n");
            out.push_str(&associations);
        }
    }
    out
}

#[allow(dead_code)] // the bench includes this file for `schema` alone
fn main() {
    let n = std::env::args().nth(1).map_or(Ok(1000), |arg| arg.parse());
    let Ok(n) = n else {
        eprintln!("usage: synthetic_schema [TABLES]");
        std::process::exit(2);
    };
    print!("{}", schema(n));
}
