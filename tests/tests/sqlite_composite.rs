//! Associations over composite keys on SQLite (golden case `composite`):
//! belongs_to, has_one, has_many, through and many_to_many (a plain join
//! table and a join schema) whose keys are `(text, integer)` and
//! `(text, integer, text)` tuples. The warehouses share regions and codes
//! (`("eu", 1)`, `("eu", 2)`, `("us", 1)`), so a key whose columns were
//! matched apart (any region with any code) would find the wrong rows.

use mortise_tests::composite::{
    addresses, assignments, bins, items, notes, suppliers, warehouses, workers,
};
use mortise_tests::sqlite_support::Selects;
use rusqlite::Connection;

struct Db {
    conn: Connection,
    selects: Selects,
}

impl Db {
    fn new() -> Db {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        mortise_tests::composite::create_all(&conn).unwrap();
        let selects = Selects::count_on(&mut conn);
        Db { conn, selects }
    }

    /// How many SELECT statements ran since the last call.
    fn selects(&self) -> usize {
        self.selects.take()
    }

    fn warehouse(&self, region: &str, code: i64) -> warehouses::Warehouse {
        let new = warehouses::NewWarehouse {
            region: region.into(),
            code,
            name: format!("{region}-{code}"),
        };
        warehouses::Warehouse::insert(&self.conn, &new).unwrap()
    }

    fn bin(&self, (region, code): (&str, i64), label: &str) -> bins::Bin {
        let new = bins::NewBin {
            label: label.into(),
            warehouse_region: region.into(),
            warehouse_code: code,
        };
        bins::Bin::insert(&self.conn, &new).unwrap()
    }

    fn item(&self, sku: &str, bin: Option<&bins::Bin>) -> items::Item {
        let new = items::NewItem {
            sku: sku.into(),
            bin_warehouse_region: bin.map(|b| b.warehouse_region.clone()),
            bin_warehouse_code: bin.map(|b| b.warehouse_code),
            bin_label: bin.map(|b| b.label.clone()),
        };
        items::Item::insert(&self.conn, &new).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        self.conn
            .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .unwrap()
    }
}

/// Three warehouses whose keys share a region or a code, each with bins.
fn stocked() -> (Db, [warehouses::Warehouse; 3]) {
    let db = Db::new();
    let eu1 = db.warehouse("eu", 1);
    let eu2 = db.warehouse("eu", 2);
    let us1 = db.warehouse("us", 1);
    db.bin(("eu", 1), "b");
    db.bin(("eu", 1), "a");
    db.bin(("eu", 2), "c");
    db.bin(("us", 1), "d");
    (db, [eu1, eu2, us1])
}

fn labels(bins: &[bins::Bin]) -> Vec<&str> {
    bins.iter().map(|b| b.label.as_str()).collect()
}

fn names(rows: &[workers::Worker]) -> Vec<&str> {
    rows.iter().map(|w| w.name.as_str()).collect()
}

#[test]
fn has_many_and_belongs_to_over_a_two_column_key_match_whole_keys() {
    let (db, [eu1, eu2, us1]) = stocked();
    let db_ = &db.conn;

    assert_eq!(
        labels(&warehouses::bins::list(db_, "eu", 1).unwrap()),
        ["a", "b"]
    );
    assert_eq!(warehouses::bins::count(db_, "eu", 2).unwrap(), 1);
    assert_eq!(warehouses::bins::count(db_, "us", 2).unwrap(), 0);

    // Owners in any order, one of them twice: ONE query.
    let mut owners = [us1.clone(), eu1.clone(), eu2.clone(), us1.clone()];
    db.selects();
    warehouses::bins::preload(db_, owners.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    let loaded: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| labels(w.bins.get().unwrap()))
        .collect();
    assert_eq!(loaded, [vec!["d"], vec!["a", "b"], vec!["c"], vec!["d"]]);

    // Back up: each bin's warehouse, by its two key columns.
    let mut all = bins::Bin::all(db_).unwrap();
    bins::warehouse::preload(db_, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 2, "all, then one preload");
    for bin in &all {
        let warehouse = bin.warehouse.iter().next().unwrap();
        assert_eq!(
            (warehouse.region.as_str(), warehouse.code),
            (bin.warehouse_region.as_str(), bin.warehouse_code)
        );
    }
    assert_eq!(
        bins::warehouse::get(db_, "eu", 2).unwrap().as_ref(),
        Some(&eu2)
    );
    assert_eq!(bins::warehouse::get(db_, "us", 2).unwrap(), None);

    // A has_one over a key held in columns of other names (wh_region, wh_code).
    let address = addresses::Address::insert(
        db_,
        &addresses::NewAddress {
            street: "Quay 1".into(),
            wh_region: "eu".into(),
            wh_code: 2,
        },
    )
    .unwrap();
    let mut owners = [eu1.clone(), eu2.clone()];
    warehouses::address::preload(db_, owners.iter_mut()).unwrap();
    assert_eq!(owners[0].address.get(), Some(&None));
    assert_eq!(owners[1].address.iter().next(), Some(&address));
    assert_eq!(
        addresses::warehouse::get(db_, "eu", 2).unwrap(),
        Some(eu2.clone())
    );
}

#[test]
fn a_nullable_three_column_foreign_key_and_a_through_path() {
    let (db, [eu1, eu2, _]) = stocked();
    let db_ = &db.conn;
    let a = bins::Bin::get(db_, "eu", 1, "a").unwrap().unwrap();
    let c = bins::Bin::get(db_, "eu", 2, "c").unwrap().unwrap();
    db.item("zeta", Some(&a));
    db.item("alpha", Some(&a));
    db.item("mid", Some(&c));
    db.item("loose", None);

    // Items without a bin (NULL key columns) get None; the others their bin.
    let mut all = items::Item::all(db_).unwrap();
    items::bin::preload(db_, all.iter_mut()).unwrap();
    let found: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|i| {
            (
                i.sku.as_str(),
                i.bin.iter().next().map(|b| b.label.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("zeta", Some("a")),
            ("alpha", Some("a")),
            ("mid", Some("c")),
            ("loose", None)
        ]
    );
    assert_eq!(bins::items::count(db_, "eu", 1, "a").unwrap(), 2);
    assert_eq!(bins::items::count(db_, "eu", 1, "b").unwrap(), 0);

    // warehouses.items: through [bins, items], joined on three columns.
    let skus =
        |rows: &[items::Item]| -> Vec<String> { rows.iter().map(|i| i.sku.clone()).collect() };
    assert_eq!(
        skus(&warehouses::items::list(db_, "eu", 1).unwrap()),
        ["alpha", "zeta"]
    );
    let mut owners = [eu2, eu1];
    db.selects();
    warehouses::items::preload(db_, owners.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    assert_eq!(skus(owners[0].items.get().unwrap()), ["mid"]);
    assert_eq!(skus(owners[1].items.get().unwrap()), ["alpha", "zeta"]);

    // Deleting a bin nulls its items' three key columns (nilify_all).
    assert!(bins::Bin::delete(db_, "eu", 1, "a").unwrap());
    let unbinned: i64 = db_
        .query_row(
            "SELECT count(*) FROM items WHERE bin_warehouse_region IS NULL \
             AND bin_warehouse_code IS NULL AND bin_label IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unbinned, 3);
}

#[test]
fn many_to_many_with_a_composite_owner_or_target_keeps_the_join_table_in_sync() {
    let (db, [eu1, eu2, us1]) = stocked();
    let db_ = &db.conn;
    let supplier = |name: &str| {
        let new = suppliers::NewSupplier { name: name.into() };
        suppliers::Supplier::insert(db_, &new).unwrap()
    };
    let (acme, bolt, cogs) = (supplier("acme"), supplier("bolt"), supplier("cogs"));

    // The composite side owns: (region, code) + a list of supplier ids.
    assert_eq!(
        warehouses::suppliers::insert(db_, "eu", 1, &[acme.id, bolt.id, acme.id]).unwrap(),
        2
    );
    assert_eq!(
        warehouses::suppliers::insert(db_, "eu", 1, &[bolt.id]).unwrap(),
        0
    );
    // The composite side is the target: a slice of (region, code) keys.
    assert_eq!(
        suppliers::warehouses::insert(db_, cogs.id, &[("eu", 2), ("us", 1), ("eu", 2)]).unwrap(),
        2
    );
    assert_eq!(
        suppliers::warehouses::list(db_, cogs.id).unwrap(),
        [eu2.clone(), us1.clone()]
    );
    assert_eq!(warehouses::suppliers::count(db_, "eu", 2).unwrap(), 1);
    assert_eq!(warehouses::suppliers::count(db_, "eu", 1).unwrap(), 2);

    // `("eu", 1)` must not match a link to ("eu", 2) or ("us", 1).
    assert_eq!(
        suppliers::warehouses::delete(db_, cogs.id, &[("eu", 1), ("us", 2)]).unwrap(),
        0
    );
    assert_eq!(
        suppliers::warehouses::delete(db_, cogs.id, &[("us", 1)]).unwrap(),
        1
    );
    let changes = suppliers::warehouses::replace(db_, cogs.id, &[("eu", 1), ("eu", 2)]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 0));
    let changes = suppliers::warehouses::replace(db_, cogs.id, &[("us", 1)]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 2));

    let mut owners = [eu1.clone(), us1.clone(), eu2.clone()];
    db.selects();
    warehouses::suppliers::preload(db_, owners.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    let found: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| w.suppliers.iter().map(|s| s.name.as_str()).collect())
        .collect();
    assert_eq!(found, [vec!["acme", "bolt"], vec!["cogs"], vec![]]);

    let changes = warehouses::suppliers::replace(db_, "eu", 1, &[cogs.id]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 2));
    assert_eq!(warehouses::suppliers::clear(db_, "us", 1).unwrap(), 1);
    assert_eq!(
        suppliers::warehouses::list(db_, cogs.id).unwrap(),
        std::slice::from_ref(&eu1)
    );

    // Deleting a warehouse deletes its bins, address and links (delete_all),
    // never the suppliers.
    assert!(warehouses::Warehouse::delete(db_, "eu", 1).unwrap());
    assert_eq!(db.count("warehouse_suppliers"), 0);
    assert_eq!(db.count("suppliers"), 3);
    assert_eq!(db.count("bins"), 2, "eu/1's two bins are gone");
}

#[test]
fn a_join_schema_between_a_composite_key_and_a_single_one() {
    let (db, _) = stocked();
    let db_ = &db.conn;
    let worker = |name: &str| {
        let new = workers::NewWorker { name: name.into() };
        workers::Worker::insert(db_, &new).unwrap()
    };
    let (ann, bob) = (worker("Ann"), worker("Bob"));

    // link from the composite side, with a value; the second time, None.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let row = bins::workers::link(db_, "eu", 1, "a", ann.id, &bins::workers::Link { hours: 4 })
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.bin_region.as_str(),
            row.bin_code,
            row.bin_label.as_str(),
            row.worker_id,
            row.hours
        ),
        ("eu", 1, "a", ann.id, 4)
    );
    assert!(row.assigned_at >= before);
    assert_eq!(
        bins::workers::link(db_, "eu", 1, "a", ann.id, &Default::default()).unwrap(),
        None
    );
    // ... and from the single side, with the Link default (hours: 8).
    let row = workers::bins::link(db_, ann.id, "eu", 2, "c", &Default::default())
        .unwrap()
        .unwrap();
    assert_eq!(row.hours, 8);
    // The key-array helpers of both directions.
    assert_eq!(
        bins::workers::insert(db_, "eu", 1, "a", &[ann.id, bob.id]).unwrap(),
        1
    );
    assert_eq!(
        workers::bins::insert(db_, bob.id, &[("us", 1, "d"), ("eu", 1, "a")]).unwrap(),
        1
    );

    // workers.bins: ordered by assignments.hours desc (8 for eu/2/c, 4 for eu/1/a).
    assert_eq!(
        labels(&workers::bins::list(db_, ann.id).unwrap()),
        ["c", "a"]
    );
    let edges = workers::bins::list_edges(db_, ann.id).unwrap();
    let found: Vec<(&str, i32)> = edges
        .iter()
        .map(|e| (e.target.label.as_str(), e.link.hours))
        .collect();
    assert_eq!(found, [("c", 8), ("a", 4)]);

    // Edges of the composite owners, in one query.
    let mut all = bins::Bin::all(db_).unwrap();
    db.selects();
    bins::workers::preload_edges(db_, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    let found: Vec<(&str, Vec<(&str, i32)>)> = all
        .iter()
        .map(|b| {
            let edges = b
                .workers_edges
                .iter()
                .map(|e| (e.target.name.as_str(), e.link.hours))
                .collect();
            (b.label.as_str(), edges)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a", vec![("Ann", 4), ("Bob", 8)]),
            ("b", vec![]),
            ("c", vec![("Ann", 8)]),
            ("d", vec![("Bob", 8)]),
        ]
    );
    let mut all = bins::Bin::all(db_).unwrap();
    bins::workers::preload(db_, all.iter_mut()).unwrap();
    assert_eq!(names(all[0].workers.get().unwrap()), ["Ann", "Bob"]);

    assert_eq!(
        bins::workers::delete(db_, "eu", 1, "a", &[bob.id]).unwrap(),
        1
    );
    let changes = workers::bins::replace(db_, ann.id, &[("us", 1, "d")]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 2));
    assert_eq!(bins::workers::clear(db_, "us", 1, "d").unwrap(), 2);
    assert_eq!(assignments::Assignment::all(db_).unwrap(), []);

    // A link to a missing composite owner fails and writes nothing.
    assert!(bins::workers::link(db_, "eu", 9, "a", ann.id, &Default::default()).is_err());
    assert!(bins::workers::insert(db_, "eu", 1, "zz", &[ann.id]).is_err());
    assert_eq!(db.count("assignments"), 0);
}

#[test]
fn a_stored_association_over_a_composite_owner() {
    let (db, [eu1, eu2, _]) = stocked();
    let db_ = &db.conn;
    let note = |body: &str| notes::NewNote {
        body: body.into(),
        ..Default::default()
    };
    // insert sets both owner columns, whatever `new` holds.
    let mut first = warehouses::notes::insert(db_, "eu", 1, &note("dock 3")).unwrap();
    assert_eq!(
        (first.wh_region.as_deref(), first.wh_code),
        (Some("eu"), Some(1))
    );
    warehouses::notes::insert(db_, "eu", 2, &note("closed mondays")).unwrap();
    assert_eq!(db.count("warehouse_notes"), 2);
    assert_eq!(db.count("notes"), 0, "the struct's own table is untouched");

    let mut owners = [eu2, eu1];
    warehouses::notes::preload(db_, owners.iter_mut()).unwrap();
    let bodies: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| w.notes.iter().map(|n| n.body.as_str()).collect())
        .collect();
    assert_eq!(bodies, [vec!["closed mondays"], vec!["dock 3"]]);

    first.body = "dock 4".into();
    assert!(warehouses::notes::update(db_, &first).unwrap());
    assert_eq!(
        warehouses::notes::list(db_, "eu", 1).unwrap(),
        [first.clone()]
    );
    assert_eq!(warehouses::notes::count(db_, "us", 1).unwrap(), 0);
    // The owner must exist: its foreign key covers both columns.
    assert!(warehouses::notes::insert(db_, "us", 2, &note("x")).is_err());
    assert!(warehouses::notes::delete(db_, first.id).unwrap());
    assert_eq!(warehouses::notes::count(db_, "eu", 1).unwrap(), 0);
}
