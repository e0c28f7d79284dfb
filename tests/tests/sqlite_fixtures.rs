//! The generator's golden cases, generated and run against real in-memory
//! SQLite: hostile names, every field type, every kind of key.

use mortise_tests::{hostile, keys, types};
use rusqlite::Connection;

fn database(create_all: fn(&Connection) -> rusqlite::Result<()>) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    create_all(&db).unwrap();
    db
}

#[test]
fn hostile_names_compile_and_run() {
    let db = database(hostile::create_all);

    let group = hostile::group::Self_::insert(
        &db,
        &hostile::group::NewSelf {
            option: Some(1),
            new: "new".into(),
            statement: None,
        },
    )
    .unwrap();
    let string = hostile::string::String::insert(
        &db,
        &hostile::string::NewString {
            value: "v".into(),
            row: 7,
        },
    )
    .unwrap();
    let mut order = hostile::order::Order::insert(
        &db,
        &hostile::order::NewOrder {
            order: "first".into(),
            select: "*".into(),
            group: Some(2),
            r#type: "t".into(),
            self_: true,
            from: None,
            r#where: Some(0.5),
            string: Some("s".into()),
            match_id: Some(group.id),
        },
    )
    .unwrap();
    assert_eq!(
        hostile::order::Order::get(&db, order.id).unwrap(),
        Some(order.clone())
    );
    order.r#where = None;
    order.self_ = false;
    assert!(order.update(&db).unwrap());
    assert_eq!(
        hostile::order::Order::all(&db).unwrap(),
        std::slice::from_ref(&order)
    );

    // A text key named `db`: the parameter is renamed so it cannot shadow the connection.
    let kind = hostile::r#type::Type::insert(
        &db,
        &hostile::r#type::NewType {
            db: "k1".into(),
            r#fn: "f".into(),
            r#async: None,
        },
    )
    .unwrap();
    assert_eq!(hostile::r#type::Type::get(&db, "k1").unwrap(), Some(kind));
    assert!(hostile::r#type::Type::delete(&db, "k1").unwrap());

    let result = hostile::result::Result::insert(
        &db,
        &hostile::result::NewResult {
            ok: true,
            err: None,
        },
    )
    .unwrap();
    assert!(
        hostile::result::Result::get(&db, result.id)
            .unwrap()
            .unwrap()
            .ok
    );

    let code = hostile::_2fa_codes::_2faCode::insert(
        &db,
        &hostile::_2fa_codes::New2faCode {
            code: "123456".into(),
            crate_id: string.id,
        },
    )
    .unwrap();
    assert_eq!(
        hostile::_2fa_codes::_2faCode::all(&db).unwrap(),
        std::slice::from_ref(&code)
    );
    assert!(hostile::_2fa_codes::_2faCode::delete(&db, code.id).unwrap());

    assert!(hostile::order::Order::delete(&db, order.id).unwrap());
    assert!(hostile::group::Self_::delete(&db, group.id).unwrap());
    assert!(
        hostile::string::String::get(&db, string.id)
            .unwrap()
            .is_some()
    );
}

#[test]
fn every_field_type_round_trips() {
    let db = database(types::create_all);
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
        moment: chrono::Utc::now(),
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
    let mut sample = types::samples::Sample::insert(&db, &new).unwrap();
    assert!(!sample.id.is_nil(), "a uuid key is generated");
    assert_eq!(
        types::samples::Sample::get(&db, sample.id).unwrap(),
        Some(sample.clone())
    );
    assert_eq!(
        sample.price.to_string(),
        "12345678901234.5678",
        "decimals are exact"
    );
    assert_eq!(sample.doc, new.doc);
    assert_eq!(sample.moment, new.moment);

    sample.price_n = None;
    sample.doc_n = None;
    assert!(sample.update(&db).unwrap());
    assert_eq!(
        types::samples::Sample::get(&db, sample.id).unwrap(),
        Some(sample.clone())
    );
    assert!(types::samples::Sample::delete(&db, sample.id).unwrap());
}

#[test]
fn schema_defaults_reach_rust_and_sql() {
    let db = database(types::create_all);
    let new = types::settings::NewSetting {
        name: "a".into(),
        ..Default::default()
    };
    assert_eq!(
        (new.retries, new.ratio, new.enabled, new.limit),
        (3, 0.5, true, Some(10))
    );
    assert_eq!(new.mode, "fast 'n' safe");
    let setting = types::settings::Setting::insert(&db, &new).unwrap();
    assert_eq!(setting.retries, 3);
    // The DDL carries the same defaults, for rows written by other programs.
    db.execute(
        "INSERT INTO settings (name, created_at) VALUES ('b', '2024-01-01 00:00:00+00:00')",
        [],
    )
    .unwrap();
    let other = types::settings::Setting::all(&db).unwrap().pop().unwrap();
    assert_eq!(
        (
            other.retries,
            other.ratio,
            other.enabled,
            other.mode.as_str(),
            other.limit
        ),
        (3, 0.5, true, "fast 'n' safe", Some(10))
    );
}

#[test]
fn every_kind_of_key() {
    let db = database(keys::create_all);
    let fr = keys::countries::Country::insert(
        &db,
        &keys::countries::NewCountry {
            code: "FR".into(),
            name: "France".into(),
        },
    )
    .unwrap();
    assert!(
        keys::countries::Country::insert(
            &db,
            &keys::countries::NewCountry {
                code: "FR".into(),
                name: "again".into()
            }
        )
        .is_err()
    );

    // An int key with its own column name; a nullable belongs_to with ON DELETE SET NULL.
    let mut person = keys::people::Person::insert(
        &db,
        &keys::people::NewPerson {
            full_name: "Ann".into(),
            country_id: Some(fr.code.clone()),
        },
    )
    .unwrap();
    let loaded: i32 = db
        .query_row("SELECT \"PersonId\" FROM people", [], |r| r.get(0))
        .unwrap();
    assert_eq!(loaded, person.person_id);
    person.full_name = "Ann B".into();
    assert!(person.update(&db).unwrap());
    assert!(keys::countries::Country::delete(&db, "FR").unwrap());
    assert_eq!(
        keys::people::Person::get(&db, person.person_id)
            .unwrap()
            .unwrap()
            .country_id,
        None
    );

    // A composite key: get, update and delete take both parts.
    let mut membership = keys::memberships::Membership::insert(
        &db,
        &keys::memberships::NewMembership {
            club: "chess".into(),
            member: 1,
            since: None,
        },
    )
    .unwrap();
    keys::memberships::Membership::insert(
        &db,
        &keys::memberships::NewMembership {
            club: "chess".into(),
            member: 2,
            since: Some(2020),
        },
    )
    .unwrap();
    assert!(
        keys::memberships::Membership::insert(
            &db,
            &keys::memberships::NewMembership {
                club: "chess".into(),
                member: 1,
                since: None
            }
        )
        .is_err()
    );
    membership.since = Some(1999);
    assert!(membership.update(&db).unwrap());
    assert_eq!(
        keys::memberships::Membership::get(&db, "chess", 1).unwrap(),
        Some(membership)
    );
    assert!(keys::memberships::Membership::delete(&db, "chess", 1).unwrap());
    assert_eq!(keys::memberships::Membership::all(&db).unwrap().len(), 1);

    // No key: insert and all only.
    for kind in ["b", "a"] {
        keys::events::Event::insert(
            &db,
            &keys::events::NewEvent {
                kind: kind.into(),
                payload: None,
            },
        )
        .unwrap();
    }
    let kinds: Vec<String> = keys::events::Event::all(&db)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["a", "b"], "ordered by every column");

    // A composite key over the columns two belongs_to add.
    let es = keys::countries::Country::insert(
        &db,
        &keys::countries::NewCountry {
            code: "ES".into(),
            name: "Spain".into(),
        },
    )
    .unwrap();
    let new = keys::residences::NewResidence {
        since: Some(2001),
        person_id: person.person_id,
        country_code: es.code.clone(),
    };
    keys::residences::Residence::insert(&db, &new).unwrap();
    assert!(
        keys::residences::Residence::insert(&db, &new).is_err(),
        "the pair is the key"
    );
    let residence = keys::residences::Residence::get(&db, person.person_id, "ES")
        .unwrap()
        .unwrap();
    assert_eq!(residence.since, Some(2001));

    // A key-only table: nothing to update, insert still works.
    let token =
        keys::tokens::Token::insert(&db, &keys::tokens::NewToken { value: "t".into() }).unwrap();
    assert_eq!(keys::tokens::Token::get(&db, "t").unwrap(), Some(token));
}
