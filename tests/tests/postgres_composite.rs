//! Associations over composite keys on PostgreSQL, both drivers (golden case
//! `composite`): belongs_to, has_many, has_one, through and many_to_many whose
//! keys are two or three columns of mixed types (text, bigint), a nullable
//! composite foreign key, a join schema between a composite key and a single
//! one, and `on_delete` over composite keys. The warehouses ("eu", 1),
//! ("eu", 2) and ("us", 1) share a region or a code, and their bins a label,
//! so a key whose columns were matched one by one instead of together would
//! find the wrong rows. Needs `DATABASE_URL`.

use mortise_tests::pg::composite::{
    Changes, addresses, assignments, bins, items, notes, suppliers, warehouses, workers,
};
use mortise_tests::pg_async::composite as async_schema;
use mortise_tests::pg_support::{TestSchema, async_client};
use postgres::Client;

fn warehouse(db: &mut Client, region: &str, code: i64, name: &str) -> warehouses::Warehouse {
    let new = warehouses::NewWarehouse {
        region: region.into(),
        code,
        name: name.into(),
    };
    warehouses::Warehouse::insert(db, &new).unwrap()
}

fn bin(db: &mut Client, region: &str, code: i64, label: &str) -> bins::Bin {
    let new = bins::NewBin {
        label: label.into(),
        warehouse_region: region.into(),
        warehouse_code: code,
    };
    bins::Bin::insert(db, &new).unwrap()
}

fn item(db: &mut Client, sku: &str, bin: Option<&bins::Bin>) -> items::Item {
    let new = items::NewItem {
        sku: sku.into(),
        bin_warehouse_region: bin.map(|b| b.warehouse_region.clone()),
        bin_warehouse_code: bin.map(|b| b.warehouse_code),
        bin_label: bin.map(|b| b.label.clone()),
    };
    items::Item::insert(db, &new).unwrap()
}

fn address(db: &mut Client, street: &str, region: &str, code: i64) -> addresses::Address {
    let new = addresses::NewAddress {
        street: street.into(),
        wh_region: region.into(),
        wh_code: code,
    };
    addresses::Address::insert(db, &new).unwrap()
}

/// A bin's key, in its key's column order.
type BinKey<'a> = (&'a str, i64, &'a str);

fn key(bin: &bins::Bin) -> BinKey<'_> {
    (&bin.warehouse_region, bin.warehouse_code, &bin.label)
}

fn names(rows: &[warehouses::Warehouse]) -> Vec<&str> {
    rows.iter().map(|w| w.name.as_str()).collect()
}

fn supplier_names(rows: &[suppliers::Supplier]) -> Vec<&str> {
    rows.iter().map(|s| s.name.as_str()).collect()
}

fn skus(rows: &[items::Item]) -> Vec<&str> {
    rows.iter().map(|i| i.sku.as_str()).collect()
}

/// The first column of each row of `sql`. It and the helpers below read the
/// tables with plain SQL, not the generated code: they show what is stored.
fn strings(db: &mut Client, sql: &str) -> Vec<String> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// `warehouse_suppliers` as "Supplier region/code".
fn supplier_links(db: &mut Client) -> Vec<String> {
    strings(
        db,
        "SELECT s.name || ' ' || l.warehouse_region || '/' || l.warehouse_code \
         FROM warehouse_suppliers AS l JOIN suppliers AS s ON s.id = l.supplier_id ORDER BY 1",
    )
}

/// `assignments` as "Worker region/code/label hours".
fn assignment_rows(db: &mut Client) -> Vec<String> {
    strings(
        db,
        "SELECT w.name || ' ' || a.bin_region || '/' || a.bin_code || '/' || a.bin_label || ' ' || a.hours \
         FROM assignments AS a JOIN workers AS w ON w.id = a.worker_id ORDER BY 1",
    )
}

/// `items` as "sku region/code/label", NULLs shown as `-`.
fn item_rows(db: &mut Client) -> Vec<String> {
    strings(
        db,
        "SELECT sku || ' ' || coalesce(bin_warehouse_region, '-') || '/' \
         || coalesce(bin_warehouse_code::text, '-') || '/' || coalesce(bin_label, '-') \
         FROM items ORDER BY id",
    )
}

#[test]
fn composite_keys_on_the_sync_driver() {
    let Some(schema) = TestSchema::new("pg_composite") else {
        return;
    };
    let db = &mut schema.connect();
    mortise_tests::pg::composite::create_all(db).unwrap();

    // Inserted out of key order; each bin shares two of its three key columns
    // with another one.
    let us1 = warehouse(db, "us", 1, "Boston");
    let eu2 = warehouse(db, "eu", 2, "Berlin");
    let eu1 = warehouse(db, "eu", 1, "Paris");
    let eu1_b = bin(db, "eu", 1, "B");
    let eu1_a = bin(db, "eu", 1, "A");
    let eu2_a = bin(db, "eu", 2, "A");
    let us1_a = bin(db, "us", 1, "A");
    let rivoli = address(db, "Rue de Rivoli", "eu", 1);
    address(db, "Main St", "us", 1);
    // "pear" before "apple": ordering by sku is not ordering by id.
    let pear = item(db, "pear", Some(&eu1_a));
    item(db, "apple", Some(&eu1_b));
    item(db, "fig", Some(&eu2_a));
    item(db, "kiwi", Some(&us1_a));
    item(db, "loose", None);
    // A partly NULL key (which the MATCH SIMPLE foreign key lets through) is no key.
    items::Item::insert(
        db,
        &items::NewItem {
            sku: "odd".into(),
            bin_warehouse_region: Some("eu".into()),
            bin_warehouse_code: None,
            bin_label: Some("A".into()),
        },
    )
    .unwrap();

    // 1. belongs_to over two columns, and over three nullable ones.
    let mut all_bins = bins::Bin::all(db).unwrap();
    let bin_keys: Vec<_> = all_bins.iter().map(key).collect();
    assert_eq!(
        bin_keys,
        [
            ("eu", 1, "A"),
            ("eu", 1, "B"),
            ("eu", 2, "A"),
            ("us", 1, "A")
        ]
    );
    bins::warehouse::preload(db, all_bins.iter_mut()).unwrap();
    let owners: Vec<Option<&str>> = all_bins
        .iter()
        .map(|b| b.warehouse.iter().next().map(|w| w.name.as_str()))
        .collect();
    assert_eq!(
        owners,
        [Some("Paris"), Some("Paris"), Some("Berlin"), Some("Boston")]
    );
    assert_eq!(
        bins::warehouse::get(db, "eu", 2).unwrap(),
        Some(eu2.clone())
    );
    assert_eq!(
        bins::warehouse::get(db, "us", 2).unwrap(),
        None,
        "a region and a code that exist, but not together"
    );

    let mut all_addresses = addresses::Address::all(db).unwrap();
    addresses::warehouse::preload(db, all_addresses.iter_mut()).unwrap();
    let located: Vec<(&str, Option<&str>)> = all_addresses
        .iter()
        .map(|a| {
            let owner = a.warehouse.iter().next().map(|w| w.name.as_str());
            (a.street.as_str(), owner)
        })
        .collect();
    assert_eq!(
        located,
        [
            ("Rue de Rivoli", Some("Paris")),
            ("Main St", Some("Boston"))
        ]
    );
    assert_eq!(
        addresses::warehouse::get(db, "us", 1).unwrap(),
        Some(us1.clone())
    );

    let mut all_items = items::Item::all(db).unwrap();
    items::bin::preload(db, all_items.iter_mut()).unwrap();
    let placed: Vec<(&str, Option<BinKey>)> = all_items
        .iter()
        .map(|i| {
            let bin = i.bin.get().expect("preloaded").as_deref();
            (i.sku.as_str(), bin.map(key))
        })
        .collect();
    assert_eq!(
        placed,
        [
            ("pear", Some(("eu", 1, "A"))),
            ("apple", Some(("eu", 1, "B"))),
            ("fig", Some(("eu", 2, "A"))),
            ("kiwi", Some(("us", 1, "A"))),
            ("loose", None),
            ("odd", None),
        ]
    );
    assert_eq!(
        items::bin::get(db, "eu", 2, "A").unwrap(),
        Some(eu2_a.clone())
    );
    assert_eq!(items::bin::get(db, "us", 2, "A").unwrap(), None);

    // 2. has_many and has_one over a composite key; owners in any order, one twice.
    let eu1_bins = warehouses::bins::list(db, "eu", 1).unwrap();
    assert_eq!(eu1_bins, [eu1_a.clone(), eu1_b.clone()], "by label");
    assert_eq!(warehouses::bins::count(db, "eu", 1).unwrap(), 2);
    assert_eq!(warehouses::bins::count(db, "eu", 2).unwrap(), 1);
    assert_eq!(warehouses::bins::count(db, "us", 2).unwrap(), 0);
    let mut owners = [us1.clone(), eu1.clone(), eu2.clone(), eu1.clone()];
    warehouses::bins::preload(db, owners.iter_mut()).unwrap();
    warehouses::address::preload(db, owners.iter_mut()).unwrap();
    let bins_of: Vec<Vec<BinKey>> = owners
        .iter()
        .map(|w| w.bins.iter().map(key).collect())
        .collect();
    assert_eq!(
        bins_of,
        [
            vec![("us", 1, "A")],
            vec![("eu", 1, "A"), ("eu", 1, "B")],
            vec![("eu", 2, "A")],
            vec![("eu", 1, "A"), ("eu", 1, "B")],
        ]
    );
    let streets: Vec<Option<&str>> = owners
        .iter()
        .map(|w| {
            let address = w.address.get().expect("preloaded").as_deref();
            address.map(|a| a.street.as_str())
        })
        .collect();
    assert_eq!(
        streets,
        [
            Some("Main St"),
            Some("Rue de Rivoli"),
            None,
            Some("Rue de Rivoli")
        ]
    );
    assert_eq!(
        warehouses::address::get(db, "eu", 1).unwrap(),
        Some(rivoli.clone())
    );
    assert_eq!(warehouses::address::get(db, "eu", 2).unwrap(), None);
    assert_eq!(warehouses::address::count(db, "us", 1).unwrap(), 1);
    assert_eq!(warehouses::address::count(db, "us", 2).unwrap(), 0);

    // 3. through [bins, items]: two composite joins.
    assert_eq!(
        skus(&warehouses::items::list(db, "eu", 1).unwrap()),
        ["apple", "pear"],
        "by sku, not by id"
    );
    assert_eq!(warehouses::items::count(db, "eu", 1).unwrap(), 2);
    assert_eq!(warehouses::items::count(db, "eu", 2).unwrap(), 1);
    warehouses::items::preload(db, owners.iter_mut()).unwrap();
    let items_of: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| skus(w.items.get().unwrap()))
        .collect();
    assert_eq!(
        items_of,
        [
            vec!["kiwi"],
            vec!["apple", "pear"],
            vec!["fig"],
            vec!["apple", "pear"]
        ]
    );

    // 4. many_to_many with a composite owner key...
    let supplier = |db: &mut Client, name: &str| {
        suppliers::Supplier::insert(db, &suppliers::NewSupplier { name: name.into() }).unwrap()
    };
    let acme = supplier(db, "Acme");
    let globex = supplier(db, "Globex");
    let initech = supplier(db, "Initech");
    assert_eq!(
        warehouses::suppliers::insert(db, "eu", 1, &[acme.id, globex.id]).unwrap(),
        2
    );
    assert_eq!(
        warehouses::suppliers::insert(db, "eu", 1, &[globex.id, initech.id]).unwrap(),
        1,
        "links are a set"
    );
    assert_eq!(
        warehouses::suppliers::insert(db, "eu", 2, &[acme.id]).unwrap(),
        1
    );
    assert_eq!(
        supplier_names(&warehouses::suppliers::list(db, "eu", 1).unwrap()),
        ["Acme", "Globex", "Initech"]
    );
    assert_eq!(warehouses::suppliers::count(db, "eu", 2).unwrap(), 1);
    assert_eq!(warehouses::suppliers::count(db, "us", 1).unwrap(), 0);
    assert_eq!(
        warehouses::suppliers::delete(db, "eu", 1, &[globex.id, acme.id + 100]).unwrap(),
        1
    );
    let changes = warehouses::suppliers::replace(db, "eu", 1, &[initech.id, globex.id]).unwrap();
    assert_eq!(
        changes,
        Changes {
            added: 1,
            removed: 1
        }
    );
    assert_eq!(warehouses::suppliers::clear(db, "us", 1).unwrap(), 0);
    warehouses::suppliers::preload(db, owners.iter_mut()).unwrap();
    let suppliers_of: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| supplier_names(w.suppliers.get().unwrap()))
        .collect();
    assert_eq!(
        suppliers_of,
        [
            vec![],
            vec!["Globex", "Initech"],
            vec!["Acme"],
            vec!["Globex", "Initech"]
        ]
    );

    // ...and its back-reference, whose target key is composite: tuples.
    assert_eq!(
        suppliers::warehouses::insert(db, acme.id, &[("eu", 1), ("us", 1), ("eu", 2)]).unwrap(),
        2,
        "(eu, 2) was linked already"
    );
    assert_eq!(
        names(&suppliers::warehouses::list(db, acme.id).unwrap()),
        ["Paris", "Berlin", "Boston"],
        "in key order"
    );
    assert_eq!(suppliers::warehouses::count(db, acme.id).unwrap(), 3);
    // Each tuple is one key: (eu, 2) and (us, 1), not every region with every code.
    assert_eq!(
        suppliers::warehouses::delete(db, acme.id, &[("eu", 2), ("us", 1)]).unwrap(),
        2
    );
    assert_eq!(
        names(&suppliers::warehouses::list(db, acme.id).unwrap()),
        ["Paris"]
    );
    let changes = suppliers::warehouses::replace(db, globex.id, &[("eu", 2), ("us", 1)]).unwrap();
    assert_eq!(
        changes,
        Changes {
            added: 2,
            removed: 1
        }
    );
    let mut all_suppliers = suppliers::Supplier::all(db).unwrap();
    suppliers::warehouses::preload(db, all_suppliers.iter_mut()).unwrap();
    let warehouses_of: Vec<Vec<&str>> = all_suppliers
        .iter()
        .map(|s| names(s.warehouses.get().unwrap()))
        .collect();
    assert_eq!(
        warehouses_of,
        [vec!["Paris"], vec!["Berlin", "Boston"], vec!["Paris"]]
    );
    assert_eq!(suppliers::warehouses::clear(db, initech.id).unwrap(), 1);
    assert_eq!(
        supplier_links(db),
        ["Acme eu/1", "Globex eu/2", "Globex us/1"]
    );

    // 5. A join schema between a three-column key and a single one.
    let worker = |db: &mut Client, name: &str| {
        workers::Worker::insert(db, &workers::NewWorker { name: name.into() }).unwrap()
    };
    let ann = worker(db, "Ann");
    let bob = worker(db, "Bob");
    let hours = |hours| bins::workers::Link { hours };
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let stored = bins::workers::link(db, "eu", 1, "A", ann.id, &hours(3))
        .unwrap()
        .expect("a new link");
    assert_eq!(
        (
            stored.worker_id,
            (
                stored.bin_region.as_str(),
                stored.bin_code,
                stored.bin_label.as_str()
            ),
            stored.hours
        ),
        (ann.id, ("eu", 1, "A"), 3)
    );
    assert!(stored.assigned_at >= before);
    assert_eq!(
        assignments::Assignment::get(db, stored.id).unwrap(),
        Some(stored.clone())
    );
    assert_eq!(
        bins::workers::link(db, "eu", 1, "A", ann.id, &hours(9)).unwrap(),
        None,
        "links are a set"
    );
    bins::workers::link(db, "eu", 2, "A", ann.id, &hours(10))
        .unwrap()
        .expect("a new link");
    bins::workers::link(db, "eu", 1, "A", bob.id, &hours(5))
        .unwrap()
        .expect("a new link");
    assert_eq!(
        bins::workers::insert(db, "us", 1, "A", &[bob.id]).unwrap(),
        1
    );
    let from_worker =
        workers::bins::link(db, bob.id, "eu", 2, "A", &workers::bins::Link { hours: 1 })
            .unwrap()
            .expect("a new link");
    assert_eq!(
        (
            from_worker.worker_id,
            (
                from_worker.bin_region.as_str(),
                from_worker.bin_code,
                from_worker.bin_label.as_str()
            ),
            from_worker.hours
        ),
        (bob.id, ("eu", 2, "A"), 1)
    );
    assert_eq!(
        workers::bins::link(db, bob.id, "eu", 2, "A", &Default::default()).unwrap(),
        None
    );
    assert_eq!(
        assignment_rows(db),
        [
            "Ann eu/1/A 3",
            "Ann eu/2/A 10",
            "Bob eu/1/A 5",
            "Bob eu/2/A 1",
            "Bob us/1/A 8"
        ],
        "insert uses the default hours"
    );

    assert_eq!(bins::workers::count(db, "eu", 1, "A").unwrap(), 2);
    assert_eq!(bins::workers::count(db, "eu", 1, "B").unwrap(), 0);
    assert_eq!(
        bins::workers::list(db, "eu", 1, "A").unwrap(),
        [ann.clone(), bob.clone()]
    );
    let edges = bins::workers::list_edges(db, "eu", 1, "A").unwrap();
    let summary: Vec<(&str, i32)> = edges
        .iter()
        .map(|e| (e.target.name.as_str(), e.link.hours))
        .collect();
    assert_eq!(summary, [("Ann", 3), ("Bob", 5)]);
    assert_eq!(edges[0].link, stored);
    bins::workers::preload_edges(db, all_bins.iter_mut()).unwrap();
    let edges_of: Vec<Vec<(&str, i32)>> = all_bins
        .iter()
        .map(|b| {
            b.workers_edges
                .iter()
                .map(|e| (e.target.name.as_str(), e.link.hours))
                .collect()
        })
        .collect();
    assert_eq!(
        edges_of,
        [
            vec![("Ann", 3), ("Bob", 5)],
            vec![],
            vec![("Ann", 10), ("Bob", 1)],
            vec![("Bob", 8)],
        ]
    );
    assert_eq!(all_bins[0].workers_edges.get().unwrap(), &edges);

    // The back-reference, ordered by assignments.hours desc.
    let bob_bins = workers::bins::list(db, bob.id).unwrap();
    let bob_keys: Vec<_> = bob_bins.iter().map(key).collect();
    assert_eq!(bob_keys, [("us", 1, "A"), ("eu", 1, "A"), ("eu", 2, "A")]);
    assert_eq!(workers::bins::count(db, bob.id).unwrap(), 3);
    let mut all_workers = workers::Worker::all(db).unwrap();
    workers::bins::preload_edges(db, all_workers.iter_mut()).unwrap();
    let reached: Vec<Vec<(BinKey, i32)>> = all_workers
        .iter()
        .map(|w| {
            w.bins_edges
                .iter()
                .map(|e| (key(&e.target), e.link.hours))
                .collect()
        })
        .collect();
    assert_eq!(
        reached,
        [
            vec![(("eu", 2, "A"), 10), (("eu", 1, "A"), 3)],
            vec![
                (("us", 1, "A"), 8),
                (("eu", 1, "A"), 5),
                (("eu", 2, "A"), 1)
            ],
        ]
    );
    assert_eq!(
        workers::bins::list_edges(db, ann.id).unwrap(),
        all_workers[0].bins_edges.get().unwrap().clone()
    );
    let changes = workers::bins::replace(db, ann.id, &[("eu", 2, "A"), ("eu", 1, "B")]).unwrap();
    assert_eq!(
        changes,
        Changes {
            added: 1,
            removed: 1
        }
    );
    // (eu, 2, A) and the missing (us, 1, B): not every combination of their columns.
    assert_eq!(
        workers::bins::delete(db, bob.id, &[("eu", 2, "A"), ("us", 1, "B")]).unwrap(),
        1
    );
    assert_eq!(
        assignment_rows(db),
        [
            "Ann eu/1/B 8",
            "Ann eu/2/A 10",
            "Bob eu/1/A 5",
            "Bob us/1/A 8"
        ]
    );

    // 6. on_delete. A bin: its items lose their three key columns (others
    // sharing two of them keep theirs) and its assignments go.
    assert!(bins::Bin::delete(db, "eu", 1, "A").unwrap());
    assert!(!bins::Bin::delete(db, "eu", 1, "A").unwrap());
    let pear = items::Item::get(db, pear.id).unwrap().unwrap();
    assert_eq!(
        (
            pear.bin_warehouse_region,
            pear.bin_warehouse_code,
            pear.bin_label
        ),
        (None, None, None)
    );
    assert_eq!(
        item_rows(db),
        [
            "pear -/-/-",
            "apple eu/1/B",
            "fig eu/2/A",
            "kiwi us/1/A",
            "loose -/-/-",
            "odd eu/-/A"
        ]
    );
    assert_eq!(
        assignment_rows(db),
        ["Ann eu/1/B 8", "Ann eu/2/A 10", "Bob us/1/A 8"]
    );

    // A warehouse: its bins, its address and its supplier links go, not the
    // suppliers, nor anything of the warehouses sharing its region or code.
    assert!(warehouses::Warehouse::delete(db, "eu", 1).unwrap());
    assert!(!warehouses::Warehouse::delete(db, "eu", 1).unwrap());
    assert_eq!(
        names(&warehouses::Warehouse::all(db).unwrap()),
        ["Berlin", "Boston"]
    );
    let bin_keys: Vec<_> = bins::Bin::all(db)
        .unwrap()
        .iter()
        .map(|b| {
            (
                b.warehouse_region.clone(),
                b.warehouse_code,
                b.label.clone(),
            )
        })
        .collect();
    assert_eq!(
        bin_keys,
        [("eu".into(), 2, "A".into()), ("us".into(), 1, "A".into())]
    );
    let streets: Vec<String> = addresses::Address::all(db)
        .unwrap()
        .into_iter()
        .map(|a| a.street)
        .collect();
    assert_eq!(streets, ["Main St"]);
    assert_eq!(supplier_links(db), ["Globex eu/2", "Globex us/1"]);
    assert_eq!(suppliers::Supplier::all(db).unwrap().len(), 3);
    assert_eq!(
        item_rows(db),
        [
            "pear -/-/-",
            "apple -/-/-",
            "fig eu/2/A",
            "kiwi us/1/A",
            "loose -/-/-",
            "odd eu/-/A"
        ]
    );
    assert_eq!(assignment_rows(db), ["Ann eu/2/A 10", "Bob us/1/A 8"]);

    // 7. A link to a missing composite owner (or target) is an error and writes nothing.
    let (links_before, assignments_before) = (supplier_links(db), assignment_rows(db));
    assert!(bins::workers::link(db, "eu", 1, "A", ann.id, &hours(1)).is_err());
    assert!(
        bins::workers::link(db, "us", 2, "A", ann.id, &hours(1)).is_err(),
        "the region of one warehouse, the code of another"
    );
    assert!(bins::workers::insert(db, "eu", 2, "B", &[ann.id, bob.id]).is_err());
    assert!(workers::bins::link(db, ann.id, "us", 1, "B", &Default::default()).is_err());
    assert!(workers::bins::insert(db, bob.id, &[("eu", 2, "A"), ("us", 2, "A")]).is_err());
    assert!(warehouses::suppliers::insert(db, "eu", 1, &[acme.id]).is_err());
    assert!(warehouses::suppliers::insert(db, "us", 2, &[acme.id]).is_err());
    assert!(
        suppliers::warehouses::insert(db, acme.id, &[("eu", 2), ("us", 2)]).is_err(),
        "one missing key fails the whole insert"
    );
    assert_eq!(supplier_links(db), links_before);
    assert_eq!(assignment_rows(db), assignments_before);
}

#[tokio::test]
async fn composite_keys_on_the_async_driver() {
    use async_schema::{bins, items, suppliers, warehouses, workers};
    let Some(schema) = TestSchema::new("pga_composite") else {
        return;
    };
    let mut db = async_client(schema.url(), schema.name()).await;
    async_schema::create_all(&db).await.unwrap();
    let mut owners = Vec::new();
    for (region, code, name) in [("us", 1, "Boston"), ("eu", 1, "Paris"), ("eu", 2, "Berlin")] {
        let new = warehouses::NewWarehouse {
            region: region.into(),
            code,
            name: name.into(),
        };
        owners.push(warehouses::Warehouse::insert(&db, &new).await.unwrap());
    }
    owners.push(owners[1].clone());
    let mut stored_bins = Vec::new();
    for (region, code, label) in [
        ("eu", 1, "B"),
        ("eu", 1, "A"),
        ("eu", 2, "A"),
        ("us", 1, "A"),
    ] {
        let new = bins::NewBin {
            label: label.into(),
            warehouse_region: region.into(),
            warehouse_code: code,
        };
        stored_bins.push(bins::Bin::insert(&db, &new).await.unwrap());
    }
    let key = |b: &bins::Bin| {
        (
            b.warehouse_region.clone(),
            b.warehouse_code,
            b.label.clone(),
        )
    };
    let k = |region: &str, code: i64, label: &str| (region.to_owned(), code, label.to_owned());

    // Preload over a composite key, owners in any order and one twice.
    warehouses::bins::preload(&db, owners.iter_mut())
        .await
        .unwrap();
    let bins_of: Vec<Vec<_>> = owners
        .iter()
        .map(|w| w.bins.iter().map(key).collect())
        .collect();
    assert_eq!(
        bins_of,
        [
            vec![k("us", 1, "A")],
            vec![k("eu", 1, "A"), k("eu", 1, "B")],
            vec![k("eu", 2, "A")],
            vec![k("eu", 1, "A"), k("eu", 1, "B")],
        ]
    );

    // A nullable composite foreign key.
    for (sku, bin) in [
        ("fig", Some(&stored_bins[2])),
        ("loose", None),
        ("kiwi", Some(&stored_bins[3])),
    ] {
        let new = items::NewItem {
            sku: sku.into(),
            bin_warehouse_region: bin.map(|b| b.warehouse_region.clone()),
            bin_warehouse_code: bin.map(|b| b.warehouse_code),
            bin_label: bin.map(|b| b.label.clone()),
        };
        items::Item::insert(&db, &new).await.unwrap();
    }
    let mut all_items = items::Item::all(&db).await.unwrap();
    items::bin::preload(&db, all_items.iter_mut())
        .await
        .unwrap();
    let placed: Vec<_> = all_items
        .iter()
        .map(|i| {
            let bin = i.bin.get().expect("preloaded").as_deref();
            (i.sku.as_str(), bin.map(key))
        })
        .collect();
    assert_eq!(
        placed,
        [
            ("fig", Some(k("eu", 2, "A"))),
            ("loose", None),
            ("kiwi", Some(k("us", 1, "A")))
        ]
    );

    // many_to_many with a composite owner key, and its back-reference.
    let mut supplier_ids = Vec::new();
    for name in ["Acme", "Globex"] {
        let new = suppliers::NewSupplier { name: name.into() };
        supplier_ids.push(suppliers::Supplier::insert(&db, &new).await.unwrap().id);
    }
    let (acme, globex) = (supplier_ids[0], supplier_ids[1]);
    assert_eq!(
        warehouses::suppliers::insert(&db, "eu", 1, &[acme, globex])
            .await
            .unwrap(),
        2
    );
    let changes = warehouses::suppliers::replace(&mut db, "eu", 1, &[globex])
        .await
        .unwrap();
    assert_eq!((changes.added, changes.removed), (0, 1));
    let listed = warehouses::suppliers::list(&db, "eu", 1).await.unwrap();
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), [globex]);
    assert_eq!(
        suppliers::warehouses::insert(&db, acme, &[("eu", 2), ("us", 1)])
            .await
            .unwrap(),
        2
    );
    let changes = suppliers::warehouses::replace(&mut db, acme, &[("us", 1), ("eu", 1)])
        .await
        .unwrap();
    assert_eq!((changes.added, changes.removed), (1, 1));
    let listed = suppliers::warehouses::list(&db, acme).await.unwrap();
    let listed: Vec<&str> = listed.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(listed, ["Paris", "Boston"]);
    assert_eq!(warehouses::suppliers::count(&db, "eu", 2).await.unwrap(), 0);

    // A link with its values, over a three-column owner key.
    let ann = workers::Worker::insert(&db, &workers::NewWorker { name: "Ann".into() })
        .await
        .unwrap();
    let link = bins::workers::Link { hours: 6 };
    let stored = bins::workers::link(&db, "eu", 2, "A", ann.id, &link)
        .await
        .unwrap()
        .expect("a new link");
    assert_eq!(
        (
            stored.worker_id,
            k(&stored.bin_region, stored.bin_code, &stored.bin_label),
            stored.hours
        ),
        (ann.id, k("eu", 2, "A"), 6)
    );
    assert_eq!(
        bins::workers::link(&db, "eu", 2, "A", ann.id, &link)
            .await
            .unwrap(),
        None
    );
    let edges = bins::workers::list_edges(&db, "eu", 2, "A").await.unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(
        (edges[0].target.name.as_str(), &edges[0].link),
        ("Ann", &stored)
    );
    assert!(
        bins::workers::link(&db, "us", 2, "A", ann.id, &link)
            .await
            .is_err()
    );
    let rows: i64 = db
        .query_one("SELECT count(*) FROM assignments", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 1, "the failed link wrote nothing");
}

#[test]
fn a_stored_association_over_a_composite_owner_on_the_sync_driver() {
    let Some(schema) = TestSchema::new("pg_composite_notes") else {
        return;
    };
    let db = &mut schema.connect();
    mortise_tests::pg::composite::create_all(db).unwrap();
    let eu1 = warehouse(db, "eu", 1, "Lyon");
    let eu2 = warehouse(db, "eu", 2, "Porto");
    let note = |body: &str| notes::NewNote {
        body: body.into(),
        ..Default::default()
    };
    let mut first = warehouses::notes::insert(db, "eu", 1, &note("dock 3")).unwrap();
    assert_eq!(
        (first.wh_region.as_deref(), first.wh_code),
        (Some("eu"), Some(1))
    );
    warehouses::notes::insert(db, "eu", 2, &note("closed mondays")).unwrap();
    let mut owners = [eu2, eu1];
    warehouses::notes::preload(db, owners.iter_mut()).unwrap();
    let bodies: Vec<Vec<&str>> = owners
        .iter()
        .map(|w| w.notes.iter().map(|n| n.body.as_str()).collect())
        .collect();
    assert_eq!(bodies, [vec!["closed mondays"], vec!["dock 3"]]);

    first.body = "dock 4".into();
    assert!(warehouses::notes::update(db, &first).unwrap());
    assert_eq!(
        warehouses::notes::list(db, "eu", 1).unwrap(),
        std::slice::from_ref(&first)
    );
    // The owner must exist: the foreign key covers both columns.
    assert!(warehouses::notes::insert(db, "us", 2, &note("x")).is_err());
    assert!(warehouses::notes::delete(db, first.id).unwrap());
    assert_eq!(warehouses::notes::count(db, "eu", 1).unwrap(), 0);
    assert_eq!(warehouses::notes::count(db, "eu", 2).unwrap(), 1);
}
