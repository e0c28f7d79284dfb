//! The golden case `sql_types`: columns declared with their own SQL types
//! (`sql_type:`), created by `create_all` and used by the generated code;
//! on PostgreSQL an extension's type (citext), compared as itself, and on
//! MariaDB the case-insensitive collation the schema asks for.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_sql_types {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use sql_types::{accounts, groups, logins, sessions};

        use chrono::NaiveDate;

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            if SCRIPTS == "postgres" {
                // citext lives in `public`, once per database (tests race to create it).
                for _ in 0..3 {
                    if db.try_exec("CREATE EXTENSION IF NOT EXISTS citext SCHEMA public").is_ok() {
                        break;
                    }
                }
                // Its operators (`=` without case) are found on the search path.
                db.exec("SELECT set_config('search_path', current_schema() || ', public', false)");
            }
            q!(db, sql_types::create_all()).unwrap();
            Some(db)
        }

        fn account(email: &str, name: &str) -> accounts::NewAccount {
            accounts::NewAccount { email: email.into(), name: name.into(), ..Default::default() }
        }

        #[test]
        fn columns_of_their_own_sql_types_round_trip() {
            let Some(db) = database("sql_types_round_trip") else { return };
            let (declared, expected): (_, &[&str]) = match SCRIPTS {
                "sqlite" => (
                    db.strings("SELECT type FROM pragma_table_info('accounts') ORDER BY cid"),
                    &["TEXT", "varchar(40)", "numeric(8,2)", "TEXT", "INT", "TEXT"],
                ),
                "postgres" => (
                    db.strings("SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
                                WHERE attrelid = 'accounts'::regclass AND attnum > 0 ORDER BY attnum"),
                    &["citext", "character varying(40)", "numeric(8,2)", "json", "integer", "character varying(20)[]"],
                ),
                _ => {
                    // A text type without a collation gets mortise's (by
                    // bytes); `email` asked for one without case.
                    assert_eq!(
                        db.strings("SELECT COLLATION_NAME FROM information_schema.COLUMNS \
                                    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts' \
                                    AND COLUMN_NAME IN ('email', 'name') ORDER BY ORDINAL_POSITION"),
                        ["utf8mb4_unicode_ci", "utf8mb4_bin"]
                    );
                    (
                        db.strings("SELECT COLUMN_TYPE FROM information_schema.COLUMNS \
                                    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts' ORDER BY ORDINAL_POSITION"),
                        // MariaDB's JSON is LONGTEXT.
                        &["varchar(254)", "varchar(40)", "decimal(8,2)", "longtext", "mediumint(9)", "longtext"],
                    )
                }
            };
            assert_eq!(declared, expected, "{NAME}");

            let mut new = account("Ann@Example.org", "Ann");
            new.balance = "12.5".parse().unwrap();
            new.settings = Some(serde_json::json!({"theme": "dark"}));
            new.tags = vec!["a".into(), "b".into()];
            let mut ann = q!(db, accounts::Account::insert(&new)).unwrap();
            assert_eq!((ann.email.as_str(), ann.visits, ann.tags.len()), ("Ann@Example.org", 0, 2));
            assert_eq!(ann.balance.to_string(), if SCRIPTS == "sqlite" { "12.5" } else { "12.50" }, "numeric(8,2) keeps two places");
            assert_eq!(q!(db, accounts::Account::get("Ann@Example.org")).unwrap().as_ref(), Some(&ann));
            ann.visits = 7;
            ann.settings = None;
            assert!(q!(db, ann.update()).unwrap());
            assert_eq!(q!(db, accounts::Account::all()).unwrap(), [ann.clone()]);

            let at = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap().and_hms_opt(12, 0, 0).unwrap();
            let login = q!(db, logins::Login::insert(&logins::NewLogin { at, account_email: "Ann@Example.org".into() })).unwrap();
            let mut all = q!(db, accounts::Account::all()).unwrap();
            q!(db, accounts::logins::preload(all.iter_mut())).unwrap();
            assert_eq!(all[0].logins.get().unwrap().as_slice(), [login]);
        }

        #[test]
        fn the_database_applies_the_declared_types() {
            let Some(db) = database("sql_types_declared") else { return };
            q!(db, accounts::Account::insert(&account("Bob@Example.org", "Bob"))).unwrap();
            let long = account("long@example.org", &"x".repeat(41));
            let too_long = q!(db, accounts::Account::insert(&long));
            if SCRIPTS == "sqlite" {
                // SQLite neither checks a length nor compares text without case.
                assert!(too_long.is_ok());
                assert_eq!(q!(db, accounts::Account::get("bob@example.org")).unwrap(), None);
                assert!(q!(db, accounts::Account::insert(&account("BOB@example.org", "Bob"))).is_ok());
            } else {
                assert!(too_long.is_err(), "varchar(40)");
                // citext (MariaDB: utf8mb4_unicode_ci): the key compares
                // without case (on PostgreSQL its parameter is bound
                // untyped, so the server types it as the column), and the
                // key refuses the same address in other case.
                let found = q!(db, accounts::Account::get("bob@EXAMPLE.org")).unwrap().expect("citext compares without case");
                assert_eq!(found.email, "Bob@Example.org");
                assert_eq!(q!(db, accounts::logins::count("BOB@example.ORG")).unwrap(), 0);
                assert!(q!(db, accounts::Account::insert(&account("BOB@example.org", "Bob"))).is_err());
                assert_eq!(db.int("SELECT count(*) FROM accounts WHERE email = 'BOB@EXAMPLE.ORG'"), 1);
            }
        }

        #[test]
        fn foreign_keys_to_a_key_take_its_sql_type() {
            // A belongs_to's column and a join table's are the key's type
            // (citext, MariaDB's utf8mb4_unicode_ci): `create_all` made the
            // foreign keys, which the databases refuse between types.
            let Some(db) = database("sql_types_foreign_keys") else { return };
            let declared = match SCRIPTS {
                "sqlite" => db.strings("SELECT type FROM pragma_table_info('sessions') WHERE name = 'account_id' \
                                        UNION ALL SELECT type FROM pragma_table_info('groups_members') WHERE name = 'account_id'"),
                "postgres" => db.strings("SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
                                          WHERE attrelid IN ('sessions'::regclass, 'groups_members'::regclass) \
                                          AND attname = 'account_id' ORDER BY attrelid::regclass::text DESC"),
                _ => db.strings("SELECT CONCAT(COLUMN_TYPE, ' ', COLLATION_NAME) FROM information_schema.COLUMNS \
                                 WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'account_id' ORDER BY TABLE_NAME DESC"),
            };
            let expected = match SCRIPTS {
                "sqlite" => "TEXT",
                "postgres" => "citext",
                _ => "varchar(254) utf8mb4_unicode_ci",
            };
            assert_eq!(declared, [expected, expected], "{NAME}: sessions, then groups_members");

            for (email, name) in [("ann@example.org", "Ann"), ("bob@example.org", "Bob")] {
                q!(db, accounts::Account::insert(&account(email, name))).unwrap();
            }
            let started = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap().and_hms_opt(12, 0, 0).unwrap();
            let new = sessions::NewSession { started, account_id: "bob@example.org".into() };
            q!(db, sessions::Session::insert(&new)).unwrap();
            let mut all = q!(db, sessions::Session::all()).unwrap();
            q!(db, sessions::account::preload(all.iter_mut())).unwrap();
            assert_eq!(all[0].account.get().unwrap().as_ref().map(|a| a.name.as_str()), Some("Bob"));
            let unknown = sessions::NewSession { started, account_id: "eve@example.org".into() };
            assert!(q!(db, sessions::Session::insert(&unknown)).is_err(), "{NAME}: the foreign key holds");

            let group = q!(db, groups::Group::insert(&groups::NewGroup { title: "g".into() })).unwrap();
            assert_eq!(q!(db, groups::members::insert(group.id, &["bob@example.org", "ann@example.org"])).unwrap(), 2);
            let mut all = vec![group];
            q!(db, groups::members::preload(all.iter_mut())).unwrap();
            let names: Vec<&str> = all[0].members.get().unwrap().iter().map(|a| a.name.as_str()).collect();
            assert_eq!(names, ["Ann", "Bob"]);
        }

        #[test]
        fn many_rows_of_an_extension_type_read_on_a_new_connection() {
            // A result with a type the driver does not know, on a connection
            // that has not looked it up, used to wait forever once the rows
            // filled the driver's buffer (the statements select it `::text`).
            let Some(db) = database("sql_types_many") else { return };
            if SCRIPTS == "mysql" {
                // MariaDB stops a recursive query at 1,000 rows; its
                // sequence tables count further.
                db.exec("INSERT INTO logins (at, account_email) \
                         SELECT '2024-01-01 00:00:00', CONCAT('user', seq, '@example.org') FROM seq_1_to_2000");
            } else {
                db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
                         INSERT INTO logins (at, account_email) SELECT '2024-01-01 00:00:00', 'user' || i || '@example.org' FROM n");
            }
            let logins = q!(db, logins::Login::all()).unwrap();
            assert_eq!(logins.len(), 2000);
            assert_eq!(logins[1999].account_email, "user2000@example.org");
        }
    };
}
