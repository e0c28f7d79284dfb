//! The golden case `embeds`: embedded schemas, serde structs in JSON
//! columns (JSONB on PostgreSQL, JSON text on SQLite), one, optional, a
//! list, and nested, written and read by the generated code and by SQL.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_embeds {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use embeds::{Address, Carrier, Line, Shipment, customers, orders};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, embeds::create_all()).unwrap();
            Some(db)
        }

        fn address(street: &str) -> Address {
            Address { street: street.into(), city: "Lyon".into(), post_code: None }
        }

        fn line(sku: &str, quantity: i32) -> Line {
            Line {
                sku: sku.into(),
                quantity,
                price: "19.99".parse().unwrap(),
                tags: vec!["new".into()],
                shipped: chrono::NaiveDate::from_ymd_opt(2024, 2, 29),
                extra: Some(serde_json::json!({"gift": true})),
            }
        }

        #[test]
        fn embedded_values_round_trip_with_null_and_empty_lists() {
            let Some(db) = database("embeds_round_trip") else { return };
            let new = customers::NewCustomer {
                name: "Ann".into(),
                home: Address { post_code: Some("69001".into()), ..address("1 rue \"Quai\" \\ 'x'") },
                work: None,
            };
            let mut ann = q!(db, customers::Customer::insert(&new)).unwrap();
            assert_eq!((&ann.home, &ann.work), (&new.home, &None));
            assert_eq!(q!(db, customers::Customer::get(ann.id)).unwrap().as_ref(), Some(&ann), "{NAME}");
            ann.work = Some(address("2 place"));
            assert!(q!(db, ann.update()).unwrap());
            assert_eq!(q!(db, customers::Customer::get(ann.id)).unwrap().unwrap().work, ann.work, "{NAME}");

            let shipment = Shipment { to: address("3 quai"), carrier: Carrier::Courier, lines: vec![line("A1", 2)] };
            let empty = q!(db, orders::Order::insert(&orders::NewOrder { lines: vec![], shipment: None, customer_id: ann.id })).unwrap();
            let full = orders::NewOrder { lines: vec![line("A1", 2), line("B2", -1)], shipment: Some(shipment), customer_id: ann.id };
            let full = q!(db, orders::Order::insert(&full)).unwrap();
            assert_eq!((empty.lines.len(), empty.shipment.as_ref()), (0, None));
            let mut customers = q!(db, customers::Customer::all()).unwrap();
            q!(db, customers::orders::preload(customers.iter_mut())).unwrap();
            assert_eq!(customers[0].orders.get().unwrap().as_slice(), [empty, full], "{NAME}");
        }

        #[test]
        fn json_other_programs_write_is_read_and_a_wrong_shape_is_an_error() {
            let Some(db) = database("embeds_raw") else { return };
            // Keys in another order, a missing optional key, the enum's text.
            db.exec(r#"INSERT INTO customers (name, home) VALUES ('raw', '{"city": "Paris", "street": "4 rue"}')"#);
            let raw = q!(db, customers::Customer::all()).unwrap().pop().unwrap();
            assert_eq!(raw.home, Address { street: "4 rue".into(), city: "Paris".into(), post_code: None });
            // Stored under the schema's keys (`postCode`), as JSON the database reads.
            let ann = q!(db, customers::Customer::insert(&customers::NewCustomer {
                name: "Ann".into(),
                home: Address { post_code: Some("75001".into()), ..address("5 rue") },
                work: None,
            })).unwrap();
            let sql = match NAME {
                "rusqlite" | "sqlx-sqlite" => "SELECT home ->> '$.postCode' FROM customers WHERE id = ",
                "sqlx-mysql" => "SELECT JSON_VALUE(home, '$.postCode') FROM customers WHERE id = ",
                _ => "SELECT home ->> 'postCode' FROM customers WHERE id = ",
            };
            assert_eq!(db.strings(&format!("{sql}{}", ann.id)), ["75001"]);
            // A document of another shape is an error naming it, not a guess.
            db.exec(r#"INSERT INTO customers (name, home) VALUES ('bad', '{"street": 1}')"#);
            assert!(q!(db, customers::Customer::all()).is_err(), "{NAME}");
        }
    };
}
