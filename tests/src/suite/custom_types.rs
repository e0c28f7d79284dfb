//! The golden case `custom_types`: fields of the tests' own Rust types
//! (`crate::money::Cents`, `crate::money::Sku`), written and read through
//! their own conversions on every backend.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_custom_types {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use custom_types::{order_lines, products};
        use $crate::money::{Cents, Sku};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, custom_types::create_all()).unwrap();
            Some(db)
        }

        #[test]
        fn values_of_the_users_types_round_trip() {
            let Some(db) = database("custom_round_trip") else { return };
            let new = products::NewProduct {
                name: "lamp".into(),
                sku: Sku::new("LAMP1").unwrap(),
                price: Cents(1999),
                discount: None,
            };
            let mut lamp = q!(db, products::Product::insert(&new)).unwrap();
            assert_eq!((lamp.sku.as_str(), lamp.price, lamp.discount), ("LAMP1", Cents(1999), None));
            assert_eq!(db.int("SELECT price FROM products"), 1999, "stored as the integer");
            lamp.discount = Some(Cents(-250));
            assert!(q!(db, lamp.update()).unwrap());
            assert_eq!(q!(db, products::Product::get(lamp.id)).unwrap().as_ref(), Some(&lamp), "{NAME}");

            // A default from `From<i64>`, the same as the DDL's.
            let line = order_lines::NewOrderLine::default();
            assert_eq!(line.total, Cents(0));
            for total in [Cents(5), Cents(700), Cents(30)] {
                q!(db, order_lines::OrderLine::insert(&order_lines::NewOrderLine { total, product_id: lamp.id })).unwrap();
            }
            db.exec(&format!("INSERT INTO order_lines (product_id) VALUES ({})", lamp.id));
            // Ordered by the database (`preload_order: [total desc]`), not by Rust.
            let totals: Vec<Cents> = q!(db, products::orders::list(lamp.id)).unwrap().iter().map(|l| l.total).collect();
            assert_eq!(totals, [Cents(700), Cents(30), Cents(5), Cents(0)]);
            let mut all = q!(db, products::Product::all()).unwrap();
            q!(db, products::orders::preload(all.iter_mut())).unwrap();
            assert_eq!(all[0].orders.get().map(Vec::len), Some(4));
        }

        #[test]
        fn a_value_the_users_type_refuses_is_an_error_when_read() {
            let Some(db) = database("custom_refused") else { return };
            db.exec("INSERT INTO products (name, sku, price) VALUES ('bad', 'not a sku', 1)");
            let error = q!(db, products::Product::all()).unwrap_err();
            assert!(format!("{error:?}").contains("is not a SKU"), "{NAME}: {error:?}");
        }
    };
}
