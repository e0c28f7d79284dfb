//! Associations over composite keys (golden case `composite`):
//! belongs_to, has_one, has_many, through and many_to_many (a plain join
//! table and a join schema) whose keys are `(text, integer)` and
//! `(text, integer, text)` tuples, a nullable composite foreign key, a
//! stored association over a composite owner, and `on_delete`. The
//! warehouses share regions and codes (`("eu", 1)`, `("eu", 2)`, `("us", 1)`),
//! and their bins labels, so a key whose columns were matched apart (any
//! region with any code) would find the wrong rows.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_composite {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use composite::{Changes, addresses, assignments, bins, items, notes, suppliers, warehouses, workers};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, composite::create_all()).unwrap();
            Some(db)
        }

        fn warehouse(db: &Db, region: &str, code: i64, name: &str) -> warehouses::Warehouse {
            let new = warehouses::NewWarehouse { region: region.into(), code, name: name.into() };
            q!(db, warehouses::Warehouse::insert(&new)).unwrap()
        }

        fn bin(db: &Db, region: &str, code: i64, label: &str) -> bins::Bin {
            let new = bins::NewBin { label: label.into(), warehouse_region: region.into(), warehouse_code: code };
            q!(db, bins::Bin::insert(&new)).unwrap()
        }

        fn item(db: &Db, sku: &str, bin: Option<&bins::Bin>) -> items::Item {
            let new = items::NewItem {
                sku: sku.into(),
                bin_warehouse_region: bin.map(|b| b.warehouse_region.clone()),
                bin_warehouse_code: bin.map(|b| b.warehouse_code),
                bin_label: bin.map(|b| b.label.clone()),
            };
            q!(db, items::Item::insert(&new)).unwrap()
        }

        fn address(db: &Db, street: &str, region: &str, code: i64) -> addresses::Address {
            let new = addresses::NewAddress { street: street.into(), wh_region: region.into(), wh_code: code };
            q!(db, addresses::Address::insert(&new)).unwrap()
        }

        /// Three warehouses whose keys share a region or a code, each with bins.
        fn stocked(test: &str) -> Option<(Db, [warehouses::Warehouse; 3])> {
            let db = database(test)?;
            let eu1 = warehouse(&db, "eu", 1, "eu-1");
            let eu2 = warehouse(&db, "eu", 2, "eu-2");
            let us1 = warehouse(&db, "us", 1, "us-1");
            bin(&db, "eu", 1, "b");
            bin(&db, "eu", 1, "a");
            bin(&db, "eu", 2, "c");
            bin(&db, "us", 1, "d");
            Some((db, [eu1, eu2, us1]))
        }

        fn labels(bins: &[bins::Bin]) -> Vec<&str> {
            bins.iter().map(|b| b.label.as_str()).collect()
        }

        fn worker_names(rows: &[workers::Worker]) -> Vec<&str> {
            rows.iter().map(|w| w.name.as_str()).collect()
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

        // The helpers below read the tables with plain SQL, not the generated code:
        // they show what is stored.

        /// `warehouse_suppliers` as "Supplier region/code".
        fn supplier_links(db: &Db) -> Vec<String> {
            db.strings(
                "SELECT s.name || ' ' || l.warehouse_region || '/' || l.warehouse_code \
                 FROM warehouse_suppliers AS l JOIN suppliers AS s ON s.id = l.supplier_id ORDER BY 1",
            )
        }

        /// `assignments` as "Worker region/code/label hours".
        fn assignment_rows(db: &Db) -> Vec<String> {
            db.strings(
                "SELECT w.name || ' ' || a.bin_region || '/' || a.bin_code || '/' || a.bin_label || ' ' || a.hours \
                 FROM assignments AS a JOIN workers AS w ON w.id = a.worker_id ORDER BY 1",
            )
        }

        /// `items` as "sku region/code/label", NULLs shown as `-`.
        fn item_rows(db: &Db) -> Vec<String> {
            db.strings(
                "SELECT sku || ' ' || coalesce(bin_warehouse_region, '-') || '/' \
                 || coalesce(CAST(bin_warehouse_code AS TEXT), '-') || '/' || coalesce(bin_label, '-') \
                 FROM items ORDER BY id",
            )
        }

        #[test]
        fn has_many_and_belongs_to_over_a_two_column_key_match_whole_keys() {
            let Some((db, [eu1, eu2, us1])) = stocked("composite_has_many_and_b") else { return };
            let db = &db;

            assert_eq!(
                labels(&q!(db, warehouses::bins::list("eu", 1)).unwrap()),
                ["a", "b"]
            );
            assert_eq!(q!(db, warehouses::bins::count("eu", 2)).unwrap(), 1);
            assert_eq!(q!(db, warehouses::bins::count("us", 2)).unwrap(), 0);

            // Owners in any order, one of them twice: ONE query.
            let mut owners = [us1.clone(), eu1.clone(), eu2.clone(), us1.clone()];
            db.reset_selects();
            q!(db, warehouses::bins::preload(owners.iter_mut())).unwrap();
            db.check_selects(1, "one query");
            let loaded: Vec<Vec<&str>> = owners
                .iter()
                .map(|w| labels(w.bins.get().unwrap()))
                .collect();
            assert_eq!(loaded, [vec!["d"], vec!["a", "b"], vec!["c"], vec!["d"]]);

            // Back up: each bin's warehouse, by its two key columns.
            let mut all = q!(db, bins::Bin::all()).unwrap();
            q!(db, bins::warehouse::preload(all.iter_mut())).unwrap();
            db.check_selects(2, "all, then one preload");
            for bin in &all {
                let warehouse = bin.warehouse.iter().next().unwrap();
                assert_eq!(
                    (warehouse.region.as_str(), warehouse.code),
                    (bin.warehouse_region.as_str(), bin.warehouse_code)
                );
            }
            assert_eq!(
                q!(db, bins::warehouse::get("eu", 2)).unwrap().as_ref(),
                Some(&eu2)
            );
            assert_eq!(q!(db, bins::warehouse::get("us", 2)).unwrap(), None);

            // A has_one over a key held in columns of other names (wh_region, wh_code).
            let address = q!(db, addresses::Address::insert(&addresses::NewAddress {
                    street: "Quay 1".into(),
                    wh_region: "eu".into(),
                    wh_code: 2,
                },
            ))
            .unwrap();
            let mut owners = [eu1.clone(), eu2.clone()];
            q!(db, warehouses::address::preload(owners.iter_mut())).unwrap();
            assert_eq!(owners[0].address.get(), Some(&None));
            assert_eq!(owners[1].address.iter().next(), Some(&address));
            assert_eq!(
                q!(db, addresses::warehouse::get("eu", 2)).unwrap(),
                Some(eu2.clone())
            );
        }

        #[test]
        fn a_nullable_three_column_foreign_key_and_a_through_path() {
            let Some((db, [eu1, eu2, _])) = stocked("composite_a_nullable_thr") else { return };
            let db = &db;
            let a = q!(db, bins::Bin::get("eu", 1, "a")).unwrap().unwrap();
            let c = q!(db, bins::Bin::get("eu", 2, "c")).unwrap().unwrap();
            item(db, "zeta", Some(&a));
            item(db, "alpha", Some(&a));
            item(db, "mid", Some(&c));
            item(db, "loose", None);

            // Items without a bin (NULL key columns) get None; the others their bin.
            let mut all = q!(db, items::Item::all()).unwrap();
            q!(db, items::bin::preload(all.iter_mut())).unwrap();
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
            assert_eq!(q!(db, bins::items::count("eu", 1, "a")).unwrap(), 2);
            assert_eq!(q!(db, bins::items::count("eu", 1, "b")).unwrap(), 0);

            // warehouses.items: through [bins, items], joined on three columns.
            let skus =
                |rows: &[items::Item]| -> Vec<String> { rows.iter().map(|i| i.sku.clone()).collect() };
            assert_eq!(
                skus(&q!(db, warehouses::items::list("eu", 1)).unwrap()),
                ["alpha", "zeta"]
            );
            let mut owners = [eu2, eu1];
            db.reset_selects();
            q!(db, warehouses::items::preload(owners.iter_mut())).unwrap();
            db.check_selects(1, "one query");
            assert_eq!(skus(owners[0].items.get().unwrap()), ["mid"]);
            assert_eq!(skus(owners[1].items.get().unwrap()), ["alpha", "zeta"]);

            // Deleting a bin nulls its items' three key columns (nilify_all).
            assert!(q!(db, bins::Bin::delete("eu", 1, "a")).unwrap());
            let unbinned = db.int(
                "SELECT count(*) FROM items WHERE bin_warehouse_region IS NULL \
                 AND bin_warehouse_code IS NULL AND bin_label IS NULL",
            );
            assert_eq!(unbinned, 3);
        }

        #[test]
        fn many_to_many_with_a_composite_owner_or_target_keeps_the_join_table_in_sync() {
            let Some((db, [eu1, eu2, us1])) = stocked("composite_many_to_many_w") else { return };
            let db = &db;
            let supplier = |name: &str| {
                let new = suppliers::NewSupplier { name: name.into() };
                q!(db, suppliers::Supplier::insert(&new)).unwrap()
            };
            let (acme, bolt, cogs) = (supplier("acme"), supplier("bolt"), supplier("cogs"));

            // The composite side owns: (region, code) + a list of supplier ids.
            assert_eq!(
                q!(db, warehouses::suppliers::insert("eu", 1, &[acme.id, bolt.id, acme.id])).unwrap(),
                2
            );
            assert_eq!(
                q!(db, warehouses::suppliers::insert("eu", 1, &[bolt.id])).unwrap(),
                0
            );
            // The composite side is the target: a slice of (region, code) keys.
            assert_eq!(
                q!(db, suppliers::warehouses::insert(cogs.id, &[("eu", 2), ("us", 1), ("eu", 2)])).unwrap(),
                2
            );
            assert_eq!(
                q!(db, suppliers::warehouses::list(cogs.id)).unwrap(),
                [eu2.clone(), us1.clone()]
            );
            assert_eq!(q!(db, warehouses::suppliers::count("eu", 2)).unwrap(), 1);
            assert_eq!(q!(db, warehouses::suppliers::count("eu", 1)).unwrap(), 2);

            // `("eu", 1)` must not match a link to ("eu", 2) or ("us", 1).
            assert_eq!(
                q!(db, suppliers::warehouses::delete(cogs.id, &[("eu", 1), ("us", 2)])).unwrap(),
                0
            );
            assert_eq!(
                q!(db, suppliers::warehouses::delete(cogs.id, &[("us", 1)])).unwrap(),
                1
            );
            let changes = q!(db, suppliers::warehouses::replace(cogs.id, &[("eu", 1), ("eu", 2)])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 0));
            let changes = q!(db, suppliers::warehouses::replace(cogs.id, &[("us", 1)])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 2));

            let mut owners = [eu1.clone(), us1.clone(), eu2.clone()];
            db.reset_selects();
            q!(db, warehouses::suppliers::preload(owners.iter_mut())).unwrap();
            db.check_selects(1, "one query");
            let found: Vec<Vec<&str>> = owners
                .iter()
                .map(|w| w.suppliers.iter().map(|s| s.name.as_str()).collect())
                .collect();
            assert_eq!(found, [vec!["acme", "bolt"], vec!["cogs"], vec![]]);

            let changes = q!(db, warehouses::suppliers::replace("eu", 1, &[cogs.id])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 2));
            assert_eq!(q!(db, warehouses::suppliers::clear("us", 1)).unwrap(), 1);
            assert_eq!(
                q!(db, suppliers::warehouses::list(cogs.id)).unwrap(),
                std::slice::from_ref(&eu1)
            );

            // Deleting a warehouse deletes its bins, address and links (delete_all),
            // never the suppliers.
            assert!(q!(db, warehouses::Warehouse::delete("eu", 1)).unwrap());
            assert_eq!(db.count("warehouse_suppliers"), 0);
            assert_eq!(db.count("suppliers"), 3);
            assert_eq!(db.count("bins"), 2, "eu/1's two bins are gone");
        }

        #[test]
        fn a_join_schema_between_a_composite_key_and_a_single_one() {
            let Some((db, _)) = stocked("composite_a_join_schema_") else { return };
            let db = &db;
            let worker = |name: &str| {
                let new = workers::NewWorker { name: name.into() };
                q!(db, workers::Worker::insert(&new)).unwrap()
            };
            let (ann, bob) = (worker("Ann"), worker("Bob"));

            // link from the composite side, with a value; the second time, None.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let row = q!(db, bins::workers::link("eu", 1, "a", ann.id, &bins::workers::Link { hours: 4 }))
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
                q!(db, bins::workers::link("eu", 1, "a", ann.id, &Default::default())).unwrap(),
                None
            );
            // ... and from the single side, with the Link default (hours: 8).
            let row = q!(db, workers::bins::link(ann.id, "eu", 2, "c", &Default::default()))
                .unwrap()
                .unwrap();
            assert_eq!(row.hours, 8);
            // The key-array helpers of both directions.
            assert_eq!(
                q!(db, bins::workers::insert("eu", 1, "a", &[ann.id, bob.id])).unwrap(),
                1
            );
            assert_eq!(
                q!(db, workers::bins::insert(bob.id, &[("us", 1, "d"), ("eu", 1, "a")])).unwrap(),
                1
            );

            // workers.bins: ordered by assignments.hours desc (8 for eu/2/c, 4 for eu/1/a).
            assert_eq!(
                labels(&q!(db, workers::bins::list(ann.id)).unwrap()),
                ["c", "a"]
            );
            let edges = q!(db, workers::bins::list_edges(ann.id)).unwrap();
            let found: Vec<(&str, i32)> = edges
                .iter()
                .map(|e| (e.target.label.as_str(), e.link.hours))
                .collect();
            assert_eq!(found, [("c", 8), ("a", 4)]);

            // Edges of the composite owners, in one query.
            let mut all = q!(db, bins::Bin::all()).unwrap();
            db.reset_selects();
            q!(db, bins::workers::preload_edges(all.iter_mut())).unwrap();
            db.check_selects(1, "one query");
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
            let mut all = q!(db, bins::Bin::all()).unwrap();
            q!(db, bins::workers::preload(all.iter_mut())).unwrap();
            assert_eq!(worker_names(all[0].workers.get().unwrap()), ["Ann", "Bob"]);

            assert_eq!(
                q!(db, bins::workers::delete("eu", 1, "a", &[bob.id])).unwrap(),
                1
            );
            let changes = q!(db, workers::bins::replace(ann.id, &[("us", 1, "d")])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 2));
            assert_eq!(q!(db, bins::workers::clear("us", 1, "d")).unwrap(), 2);
            assert_eq!(q!(db, assignments::Assignment::all()).unwrap(), []);

            // A link to a missing composite owner fails and writes nothing.
            assert!(q!(db, bins::workers::link("eu", 9, "a", ann.id, &Default::default())).is_err());
            assert!(q!(db, bins::workers::insert("eu", 1, "zz", &[ann.id])).is_err());
            assert_eq!(db.count("assignments"), 0);
        }

        #[test]
        fn a_stored_association_over_a_composite_owner() {
            let Some((db, [eu1, eu2, _])) = stocked("composite_a_stored_assoc") else { return };
            let db = &db;
            let note = |body: &str| notes::NewNote {
                body: body.into(),
                ..Default::default()
            };
            // insert sets both owner columns, whatever `new` holds.
            let mut first = q!(db, warehouses::notes::insert("eu", 1, &note("dock 3"))).unwrap();
            assert_eq!(
                (first.wh_region.as_deref(), first.wh_code),
                (Some("eu"), Some(1))
            );
            q!(db, warehouses::notes::insert("eu", 2, &note("closed mondays"))).unwrap();
            assert_eq!(db.count("warehouse_notes"), 2);
            assert_eq!(db.count("notes"), 0, "the struct's own table is untouched");

            let mut owners = [eu2, eu1];
            q!(db, warehouses::notes::preload(owners.iter_mut())).unwrap();
            let bodies: Vec<Vec<&str>> = owners
                .iter()
                .map(|w| w.notes.iter().map(|n| n.body.as_str()).collect())
                .collect();
            assert_eq!(bodies, [vec!["closed mondays"], vec!["dock 3"]]);

            first.body = "dock 4".into();
            assert!(q!(db, warehouses::notes::update(&first)).unwrap());
            assert_eq!(
                q!(db, warehouses::notes::list("eu", 1)).unwrap(),
                [first.clone()]
            );
            assert_eq!(q!(db, warehouses::notes::count("us", 1)).unwrap(), 0);
            // The owner must exist: its foreign key covers both columns.
            assert!(q!(db, warehouses::notes::insert("us", 2, &note("x"))).is_err());
            assert!(q!(db, warehouses::notes::delete(first.id)).unwrap());
            assert_eq!(q!(db, warehouses::notes::count("eu", 1)).unwrap(), 0);
        }

        #[test]
        fn every_association_over_composite_keys_and_on_delete() {
            let Some(db) = database("composite_all") else { return };
            let db = &db;

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
            q!(db, items::Item::insert(&items::NewItem {
                    sku: "odd".into(),
                    bin_warehouse_region: Some("eu".into()),
                    bin_warehouse_code: None,
                    bin_label: Some("A".into()),
                },
            ))
            .unwrap();

            // 1. belongs_to over two columns, and over three nullable ones.
            let mut all_bins = q!(db, bins::Bin::all()).unwrap();
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
            q!(db, bins::warehouse::preload(all_bins.iter_mut())).unwrap();
            let owners: Vec<Option<&str>> = all_bins
                .iter()
                .map(|b| b.warehouse.iter().next().map(|w| w.name.as_str()))
                .collect();
            assert_eq!(
                owners,
                [Some("Paris"), Some("Paris"), Some("Berlin"), Some("Boston")]
            );
            assert_eq!(
                q!(db, bins::warehouse::get("eu", 2)).unwrap(),
                Some(eu2.clone())
            );
            assert_eq!(
                q!(db, bins::warehouse::get("us", 2)).unwrap(),
                None,
                "a region and a code that exist, but not together"
            );

            let mut all_addresses = q!(db, addresses::Address::all()).unwrap();
            q!(db, addresses::warehouse::preload(all_addresses.iter_mut())).unwrap();
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
                q!(db, addresses::warehouse::get("us", 1)).unwrap(),
                Some(us1.clone())
            );

            let mut all_items = q!(db, items::Item::all()).unwrap();
            q!(db, items::bin::preload(all_items.iter_mut())).unwrap();
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
                q!(db, items::bin::get("eu", 2, "A")).unwrap(),
                Some(eu2_a.clone())
            );
            assert_eq!(q!(db, items::bin::get("us", 2, "A")).unwrap(), None);

            // 2. has_many and has_one over a composite key; owners in any order, one twice.
            let eu1_bins = q!(db, warehouses::bins::list("eu", 1)).unwrap();
            assert_eq!(eu1_bins, [eu1_a.clone(), eu1_b.clone()], "by label");
            assert_eq!(q!(db, warehouses::bins::count("eu", 1)).unwrap(), 2);
            assert_eq!(q!(db, warehouses::bins::count("eu", 2)).unwrap(), 1);
            assert_eq!(q!(db, warehouses::bins::count("us", 2)).unwrap(), 0);
            let mut owners = [us1.clone(), eu1.clone(), eu2.clone(), eu1.clone()];
            q!(db, warehouses::bins::preload(owners.iter_mut())).unwrap();
            q!(db, warehouses::address::preload(owners.iter_mut())).unwrap();
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
                q!(db, warehouses::address::get("eu", 1)).unwrap(),
                Some(rivoli.clone())
            );
            assert_eq!(q!(db, warehouses::address::get("eu", 2)).unwrap(), None);
            assert_eq!(q!(db, warehouses::address::count("us", 1)).unwrap(), 1);
            assert_eq!(q!(db, warehouses::address::count("us", 2)).unwrap(), 0);

            // 3. through [bins, items]: two composite joins.
            assert_eq!(
                skus(&q!(db, warehouses::items::list("eu", 1)).unwrap()),
                ["apple", "pear"],
                "by sku, not by id"
            );
            assert_eq!(q!(db, warehouses::items::count("eu", 1)).unwrap(), 2);
            assert_eq!(q!(db, warehouses::items::count("eu", 2)).unwrap(), 1);
            q!(db, warehouses::items::preload(owners.iter_mut())).unwrap();
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
            let supplier = |db: &Db, name: &str| {
                q!(db, suppliers::Supplier::insert(&suppliers::NewSupplier { name: name.into() })).unwrap()
            };
            let acme = supplier(db, "Acme");
            let globex = supplier(db, "Globex");
            let initech = supplier(db, "Initech");
            assert_eq!(
                q!(db, warehouses::suppliers::insert("eu", 1, &[acme.id, globex.id])).unwrap(),
                2
            );
            assert_eq!(
                q!(db, warehouses::suppliers::insert("eu", 1, &[globex.id, initech.id])).unwrap(),
                1,
                "links are a set"
            );
            assert_eq!(
                q!(db, warehouses::suppliers::insert("eu", 2, &[acme.id])).unwrap(),
                1
            );
            assert_eq!(
                supplier_names(&q!(db, warehouses::suppliers::list("eu", 1)).unwrap()),
                ["Acme", "Globex", "Initech"]
            );
            assert_eq!(q!(db, warehouses::suppliers::count("eu", 2)).unwrap(), 1);
            assert_eq!(q!(db, warehouses::suppliers::count("us", 1)).unwrap(), 0);
            assert_eq!(
                q!(db, warehouses::suppliers::delete("eu", 1, &[globex.id, acme.id + 100])).unwrap(),
                1
            );
            let changes = q!(db, warehouses::suppliers::replace("eu", 1, &[initech.id, globex.id])).unwrap();
            assert_eq!(
                changes,
                Changes {
                    added: 1,
                    removed: 1
                }
            );
            assert_eq!(q!(db, warehouses::suppliers::clear("us", 1)).unwrap(), 0);
            q!(db, warehouses::suppliers::preload(owners.iter_mut())).unwrap();
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
                q!(db, suppliers::warehouses::insert(acme.id, &[("eu", 1), ("us", 1), ("eu", 2)])).unwrap(),
                2,
                "(eu, 2) was linked already"
            );
            assert_eq!(
                names(&q!(db, suppliers::warehouses::list(acme.id)).unwrap()),
                ["Paris", "Berlin", "Boston"],
                "in key order"
            );
            assert_eq!(q!(db, suppliers::warehouses::count(acme.id)).unwrap(), 3);
            // Each tuple is one key: (eu, 2) and (us, 1), not every region with every code.
            assert_eq!(
                q!(db, suppliers::warehouses::delete(acme.id, &[("eu", 2), ("us", 1)])).unwrap(),
                2
            );
            assert_eq!(
                names(&q!(db, suppliers::warehouses::list(acme.id)).unwrap()),
                ["Paris"]
            );
            let changes = q!(db, suppliers::warehouses::replace(globex.id, &[("eu", 2), ("us", 1)])).unwrap();
            assert_eq!(
                changes,
                Changes {
                    added: 2,
                    removed: 1
                }
            );
            let mut all_suppliers = q!(db, suppliers::Supplier::all()).unwrap();
            q!(db, suppliers::warehouses::preload(all_suppliers.iter_mut())).unwrap();
            let warehouses_of: Vec<Vec<&str>> = all_suppliers
                .iter()
                .map(|s| names(s.warehouses.get().unwrap()))
                .collect();
            assert_eq!(
                warehouses_of,
                [vec!["Paris"], vec!["Berlin", "Boston"], vec!["Paris"]]
            );
            assert_eq!(q!(db, suppliers::warehouses::clear(initech.id)).unwrap(), 1);
            assert_eq!(
                supplier_links(db),
                ["Acme eu/1", "Globex eu/2", "Globex us/1"]
            );

            // 5. A join schema between a three-column key and a single one.
            let worker = |db: &Db, name: &str| {
                q!(db, workers::Worker::insert(&workers::NewWorker { name: name.into() })).unwrap()
            };
            let ann = worker(db, "Ann");
            let bob = worker(db, "Bob");
            let hours = |hours| bins::workers::Link { hours };
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let stored = q!(db, bins::workers::link("eu", 1, "A", ann.id, &hours(3)))
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
                q!(db, assignments::Assignment::get(stored.id)).unwrap(),
                Some(stored.clone())
            );
            assert_eq!(
                q!(db, bins::workers::link("eu", 1, "A", ann.id, &hours(9))).unwrap(),
                None,
                "links are a set"
            );
            q!(db, bins::workers::link("eu", 2, "A", ann.id, &hours(10)))
                .unwrap()
                .expect("a new link");
            q!(db, bins::workers::link("eu", 1, "A", bob.id, &hours(5)))
                .unwrap()
                .expect("a new link");
            assert_eq!(
                q!(db, bins::workers::insert("us", 1, "A", &[bob.id])).unwrap(),
                1
            );
            let from_worker =
                q!(db, workers::bins::link(bob.id, "eu", 2, "A", &workers::bins::Link { hours: 1 }))
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
                q!(db, workers::bins::link(bob.id, "eu", 2, "A", &Default::default())).unwrap(),
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

            assert_eq!(q!(db, bins::workers::count("eu", 1, "A")).unwrap(), 2);
            assert_eq!(q!(db, bins::workers::count("eu", 1, "B")).unwrap(), 0);
            assert_eq!(
                q!(db, bins::workers::list("eu", 1, "A")).unwrap(),
                [ann.clone(), bob.clone()]
            );
            let edges = q!(db, bins::workers::list_edges("eu", 1, "A")).unwrap();
            let summary: Vec<(&str, i32)> = edges
                .iter()
                .map(|e| (e.target.name.as_str(), e.link.hours))
                .collect();
            assert_eq!(summary, [("Ann", 3), ("Bob", 5)]);
            assert_eq!(edges[0].link, stored);
            q!(db, bins::workers::preload_edges(all_bins.iter_mut())).unwrap();
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
            let bob_bins = q!(db, workers::bins::list(bob.id)).unwrap();
            let bob_keys: Vec<_> = bob_bins.iter().map(key).collect();
            assert_eq!(bob_keys, [("us", 1, "A"), ("eu", 1, "A"), ("eu", 2, "A")]);
            assert_eq!(q!(db, workers::bins::count(bob.id)).unwrap(), 3);
            let mut all_workers = q!(db, workers::Worker::all()).unwrap();
            q!(db, workers::bins::preload_edges(all_workers.iter_mut())).unwrap();
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
                q!(db, workers::bins::list_edges(ann.id)).unwrap(),
                all_workers[0].bins_edges.get().unwrap().clone()
            );
            let changes = q!(db, workers::bins::replace(ann.id, &[("eu", 2, "A"), ("eu", 1, "B")])).unwrap();
            assert_eq!(
                changes,
                Changes {
                    added: 1,
                    removed: 1
                }
            );
            // (eu, 2, A) and the missing (us, 1, B): not every combination of their columns.
            assert_eq!(
                q!(db, workers::bins::delete(bob.id, &[("eu", 2, "A"), ("us", 1, "B")])).unwrap(),
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
            assert!(q!(db, bins::Bin::delete("eu", 1, "A")).unwrap());
            assert!(!q!(db, bins::Bin::delete("eu", 1, "A")).unwrap());
            let pear = q!(db, items::Item::get(pear.id)).unwrap().unwrap();
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
            assert!(q!(db, warehouses::Warehouse::delete("eu", 1)).unwrap());
            assert!(!q!(db, warehouses::Warehouse::delete("eu", 1)).unwrap());
            assert_eq!(
                names(&q!(db, warehouses::Warehouse::all()).unwrap()),
                ["Berlin", "Boston"]
            );
            let bin_keys: Vec<_> = q!(db, bins::Bin::all())
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
            let streets: Vec<String> = q!(db, addresses::Address::all())
                .unwrap()
                .into_iter()
                .map(|a| a.street)
                .collect();
            assert_eq!(streets, ["Main St"]);
            assert_eq!(supplier_links(db), ["Globex eu/2", "Globex us/1"]);
            assert_eq!(q!(db, suppliers::Supplier::all()).unwrap().len(), 3);
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
            assert!(q!(db, bins::workers::link("eu", 1, "A", ann.id, &hours(1))).is_err());
            assert!(
                q!(db, bins::workers::link("us", 2, "A", ann.id, &hours(1))).is_err(),
                "the region of one warehouse, the code of another"
            );
            assert!(q!(db, bins::workers::insert("eu", 2, "B", &[ann.id, bob.id])).is_err());
            assert!(q!(db, workers::bins::link(ann.id, "us", 1, "B", &Default::default())).is_err());
            assert!(q!(db, workers::bins::insert(bob.id, &[("eu", 2, "A"), ("us", 2, "A")])).is_err());
            assert!(q!(db, warehouses::suppliers::insert("eu", 1, &[acme.id])).is_err());
            assert!(q!(db, warehouses::suppliers::insert("us", 2, &[acme.id])).is_err());
            assert!(
                q!(db, suppliers::warehouses::insert(acme.id, &[("eu", 2), ("us", 2)])).is_err(),
                "one missing key fails the whole insert"
            );
            assert_eq!(supplier_links(db), links_before);
            assert_eq!(assignment_rows(db), assignments_before);
        }

    };
}
