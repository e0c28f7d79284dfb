//! The generator's golden cases `hostile` (names that are keywords of Rust
//! or SQL), `types` (every field type, schema defaults) and `keys` (every
//! kind of key).

#[macro_export]
#[doc(hidden)]
macro_rules! suite_fixtures {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;

        #[test]
        fn hostile_names_compile_and_run() {
            let db = $crate::open_or_skip!(fresh("hostile"));
            q!(db, hostile::create_all()).unwrap();

            let new = hostile::group::NewSelf { option: Some(1), new: "new".into(), statement: None };
            let group = q!(db, hostile::group::Self_::insert(&new)).unwrap();
            let new = hostile::string::NewString { value: "v".into(), row: 7 };
            let string = q!(db, hostile::string::String::insert(&new)).unwrap();
            let new = hostile::order::NewOrder {
                order: "first".into(),
                select: "*".into(),
                group: Some(2),
                r#type: "t".into(),
                self_: true,
                from: None,
                r#where: Some(0.5),
                string: Some("s".into()),
                match_id: Some(group.id),
            };
            let mut order = q!(db, hostile::order::Order::insert(&new)).unwrap();
            assert_eq!(q!(db, hostile::order::Order::get(order.id)).unwrap(), Some(order.clone()));
            order.r#where = None;
            order.self_ = false;
            assert!(q!(db, order.update()).unwrap());
            assert_eq!(q!(db, hostile::order::Order::all()).unwrap(), std::slice::from_ref(&order));

            // A text key named `db`: the parameter is renamed so it cannot shadow the connection.
            let new = hostile::r#type::NewType { db: "k1".into(), r#fn: "f".into(), r#async: None };
            let kind = q!(db, hostile::r#type::Type::insert(&new)).unwrap();
            assert_eq!(q!(db, hostile::r#type::Type::get("k1")).unwrap(), Some(kind.clone()));
            // A many_to_many named `async`, to that text key.
            assert_eq!(q!(db, hostile::order::r#async::insert(order.id, &["k1"])).unwrap(), 1);
            assert_eq!(q!(db, hostile::order::r#async::list(order.id)).unwrap(), [kind]);
            assert_eq!(q!(db, hostile::order::r#async::clear(order.id)).unwrap(), 1);
            assert!(q!(db, hostile::r#type::Type::delete("k1")).unwrap());

            let new = hostile::result::NewResult { ok: true, err: None };
            let result = q!(db, hostile::result::Result::insert(&new)).unwrap();
            assert!(q!(db, hostile::result::Result::get(result.id)).unwrap().unwrap().ok);

            let new = hostile::_2fa_codes::New2faCode { code: "123456".into(), crate_id: string.id };
            let code = q!(db, hostile::_2fa_codes::_2faCode::insert(&new)).unwrap();
            assert_eq!(
                q!(db, hostile::_2fa_codes::_2faCode::all()).unwrap(),
                std::slice::from_ref(&code)
            );
            assert!(q!(db, hostile::_2fa_codes::_2faCode::delete(code.id)).unwrap());

            assert!(q!(db, hostile::order::Order::delete(order.id)).unwrap());
            assert!(q!(db, hostile::group::Self_::delete(group.id)).unwrap());
            assert!(q!(db, hostile::string::String::get(string.id)).unwrap().is_some());
        }

        #[test]
        fn every_field_type_round_trips() {
            let db = $crate::open_or_skip!(fresh("types"));
            q!(db, types::create_all()).unwrap();
            let new = types::samples::NewSample {
                big: i64::MAX,
                small: i32::MIN,
                ratio: 0.1,
                flag: true,
                label: "héllo ’quotes’".into(),
                body: "line\nbreak".into(),
                blob: vec![0, 1, 255],
                r#ref: uuid::Uuid::new_v4(),
                day: chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
                clock: chrono::NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).unwrap(),
                // Both databases keep whole microseconds.
                moment: chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6),
                doc: serde_json::json!({ "a": [1, 2.5, null], "b": "c" }),
                price: "12345678901234.5678".parse().unwrap(),
                big_n: Some(-1),
                small_n: None,
                ratio_n: Some(f64::MIN_POSITIVE),
                flag_n: Some(false),
                label_n: None,
                body_n: Some(String::new()),
                blob_n: Some(Vec::new()),
                ref_n: None,
                day_n: None,
                clock_n: None,
                moment_n: Some(chrono::DateTime::UNIX_EPOCH),
                doc_n: Some(serde_json::Value::Null),
                price_n: Some("-0.001".parse().unwrap()),
            };
            let mut sample = q!(db, types::samples::Sample::insert(&new)).unwrap();
            assert!(!sample.id.is_nil(), "a uuid key is generated");
            assert_eq!(q!(db, types::samples::Sample::get(sample.id)).unwrap(), Some(sample.clone()));
            // MariaDB's DECIMAL(38, 10) gives every value its 10 places.
            let price = if NAME == "sqlx-mysql" { sample.price.normalize() } else { sample.price };
            assert_eq!(price.to_string(), "12345678901234.5678", "decimals are exact");
            assert_eq!(sample.doc, new.doc);
            assert_eq!(sample.moment, new.moment);
            assert_eq!(
                (sample.big, sample.small, sample.clock, sample.day),
                (new.big, new.small, new.clock, new.day)
            );
            assert_eq!((&sample.label, &sample.body, &sample.blob), (&new.label, &new.body, &new.blob));

            sample.price_n = None;
            sample.doc_n = None;
            assert!(q!(db, sample.update()).unwrap());
            assert_eq!(q!(db, types::samples::Sample::get(sample.id)).unwrap(), Some(sample.clone()));
            assert!(q!(db, types::samples::Sample::delete(sample.id)).unwrap());
            assert_eq!(q!(db, types::samples::Sample::get(sample.id)).unwrap(), None);
        }

        #[test]
        fn schema_defaults_reach_rust_and_sql() {
            let db = $crate::open_or_skip!(fresh("defaults"));
            q!(db, types::create_all()).unwrap();
            let new = types::settings::NewSetting { name: "a".into(), ..Default::default() };
            assert_eq!((new.retries, new.ratio, new.enabled, new.limit), (3, 0.5, true, Some(10)));
            assert_eq!(new.mode, "fast 'n' safe");
            let setting = q!(db, types::settings::Setting::insert(&new)).unwrap();
            assert_eq!(
                (setting.retries, setting.enabled, setting.mode.as_str(), setting.limit),
                (3, true, "fast 'n' safe", Some(10))
            );
            // The DDL carries the same defaults, for rows written by other programs.
            // (MariaDB's DATETIME takes no offset: it holds UTC as written.)
            db.exec(if NAME == "sqlx-mysql" {
                "INSERT INTO settings (name, created_at) VALUES ('b', '2024-01-01 00:00:00')"
            } else {
                "INSERT INTO settings (name, created_at) VALUES ('b', '2024-01-01 00:00:00+00:00')"
            });
            let other = q!(db, types::settings::Setting::all()).unwrap().pop().unwrap();
            assert_eq!(other.name, "b");
            assert_eq!(
                (other.retries, other.ratio, other.enabled, other.mode.as_str(), other.limit),
                (3, 0.5, true, "fast 'n' safe", Some(10))
            );
        }

        #[test]
        fn every_kind_of_key() {
            let db = $crate::open_or_skip!(fresh("keys"));
            q!(db, keys::create_all()).unwrap();
            let country = |code: &str, name: &str| keys::countries::NewCountry { code: code.into(), name: name.into() };
            let fr = q!(db, keys::countries::Country::insert(&country("FR", "France"))).unwrap();
            assert!(q!(db, keys::countries::Country::insert(&country("FR", "again"))).is_err());

            // An int key with its own column name; a nullable belongs_to with ON DELETE SET NULL.
            let new = keys::people::NewPerson { full_name: "Ann".into(), country_id: Some(fr.code.clone()) };
            let mut person = q!(db, keys::people::Person::insert(&new)).unwrap();
            assert_eq!(db.int("SELECT \"PersonId\" FROM people"), i64::from(person.person_id));
            person.full_name = "Ann B".into();
            assert!(q!(db, person.update()).unwrap());
            assert!(q!(db, keys::countries::Country::delete("FR")).unwrap());
            assert_eq!(
                q!(db, keys::people::Person::get(person.person_id)).unwrap().unwrap().country_id,
                None,
                "ON DELETE SET NULL"
            );

            // A composite key: get, update and delete take both parts.
            let membership = |member: i64, since: Option<i32>| keys::memberships::NewMembership {
                club: "chess".into(),
                member,
                since,
            };
            let mut first = q!(db, keys::memberships::Membership::insert(&membership(1, None))).unwrap();
            q!(db, keys::memberships::Membership::insert(&membership(2, Some(2020)))).unwrap();
            assert!(q!(db, keys::memberships::Membership::insert(&membership(1, None))).is_err());
            first.since = Some(1999);
            assert!(q!(db, first.update()).unwrap());
            assert_eq!(q!(db, keys::memberships::Membership::get("chess", 1)).unwrap(), Some(first));
            assert!(q!(db, keys::memberships::Membership::delete("chess", 1)).unwrap());
            assert_eq!(q!(db, keys::memberships::Membership::all()).unwrap().len(), 1);

            // No key: insert and all only.
            for kind in ["b", "a"] {
                let new = keys::events::NewEvent { kind: kind.into(), payload: None };
                q!(db, keys::events::Event::insert(&new)).unwrap();
            }
            let kinds: Vec<String> = q!(db, keys::events::Event::all()).unwrap().into_iter().map(|e| e.kind).collect();
            assert_eq!(kinds, ["a", "b"], "ordered by every column");

            // A composite key over the columns two belongs_to add.
            let es = q!(db, keys::countries::Country::insert(&country("ES", "Spain"))).unwrap();
            let new = keys::residences::NewResidence {
                since: Some(2001),
                person_id: person.person_id,
                country_code: es.code.clone(),
            };
            q!(db, keys::residences::Residence::insert(&new)).unwrap();
            assert!(q!(db, keys::residences::Residence::insert(&new)).is_err(), "the pair is the key");
            let residence = q!(db, keys::residences::Residence::get(person.person_id, "ES")).unwrap().unwrap();
            assert_eq!(residence.since, Some(2001));

            // A key-only table: nothing to update, insert still works.
            let token = q!(db, keys::tokens::Token::insert(&keys::tokens::NewToken { value: "t".into() })).unwrap();
            assert_eq!(q!(db, keys::tokens::Token::get("t")).unwrap(), Some(token));

            // A smallint key the database assigns, and keys of it in arrays.
            let shelf = |label: &str| q!(db, keys::shelves::Shelf::insert(&keys::shelves::NewShelf { label: label.into() })).unwrap();
            let (top, low) = (shelf("top"), shelf("low"));
            assert_eq!((top.id, low.id), (1i16, 2i16), "{NAME}");
            let new = keys::boxes::NewBox { label: "b".into(), shelf_id: low.id };
            let boxed = q!(db, keys::boxes::Box::insert(&new)).unwrap();
            let mut shelves = q!(db, keys::shelves::Shelf::all()).unwrap();
            q!(db, keys::shelves::boxes::preload(shelves.iter_mut())).unwrap();
            assert_eq!(shelves[0].boxes.get().map(Vec::len), Some(0));
            assert_eq!(shelves[1].boxes.get().unwrap().as_slice(), [boxed]);
            assert!(q!(db, keys::shelves::Shelf::delete(top.id)).unwrap());
            assert_eq!(shelf("next").id, 3, "{NAME}: a deleted key is not given again");
        }
    };
}
