//! A database mortise did not create: `tests/data/owner_target/<backend>.sql`
//! makes PascalCase tables and a join table whose only index is its primary
//! key, which starts with the TARGET column (nothing indexes "the links of
//! these owners"). Preloads in both directions return what direct SQL over
//! the foreign keys returns, in key order, one query each.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_owner_target {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::collections::BTreeMap;
        use owner_target::{owners, targets};

        /// The database, made by its own script (not by `create_all`).
        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            db.exec(&$crate::suite::script("owner_target", SCRIPTS));
            Some(db)
        }

        /// Each key's partners, in key order, from `(key, partner)` pairs.
        fn grouped(pairs: Vec<(i64, i64)>) -> BTreeMap<i64, Vec<i64>> {
            let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for (key, partner) in pairs {
                groups.entry(key).or_default().push(partner);
            }
            groups.values_mut().for_each(|partners| partners.sort_unstable());
            groups
        }

        #[test]
        fn preloads_over_a_join_table_keyed_target_first_equal_direct_sql() {
            let Some(db) = database("owner_target") else { return };
            let targets_of = grouped(db.pairs(r#"SELECT "OwnerId", "TargetId" FROM "OwnerTarget""#));
            let owners_of = grouped(db.pairs(r#"SELECT "TargetId", "OwnerId" FROM "OwnerTarget""#));
            assert_eq!(targets_of.values().map(Vec::len).sum::<usize>(), 5_500);

            let mut owners = q!(db, owners::Owner::all()).unwrap();
            assert_eq!(owners.len(), 1_000);
            db.reset_selects();
            q!(db, owners::targets::preload(owners.iter_mut())).unwrap();
            db.check_selects(1, "one query for 1,000 owners");
            for owner in &owners {
                let loaded: Vec<i64> = owner.targets.iter().map(|t| t.target_id).collect();
                let expected = targets_of.get(&owner.owner_id).cloned().unwrap_or_default();
                assert_eq!(loaded, expected, "owner {}", owner.owner_id);
            }
            let listed: Vec<i64> = q!(db, owners::targets::list(7)).unwrap().iter().map(|t| t.target_id).collect();
            assert_eq!(listed, targets_of[&7]);

            let mut targets = q!(db, targets::Target::all()).unwrap();
            db.reset_selects();
            q!(db, targets::owners::preload(targets.iter_mut())).unwrap();
            db.check_selects(1, "one query for 200 targets");
            for target in &targets {
                let loaded: Vec<i64> = target.owners.iter().map(|o| o.owner_id).collect();
                let expected = owners_of.get(&target.target_id).cloned().unwrap_or_default();
                assert_eq!(loaded, expected, "target {}", target.target_id);
            }
        }

        #[test]
        fn link_helpers_keep_a_join_table_they_did_not_create_a_set() {
            let Some(db) = database("owner_target_links") else { return };
            let before = db.count("OwnerTarget");
            let owner = 3;
            let current: Vec<i64> = q!(db, owners::targets::list(owner)).unwrap().iter().map(|t| t.target_id).collect();
            // Keep one current link, add three new ones (in descending order).
            let new: Vec<i64> = (1..=200).rev().filter(|t| !current.contains(t)).take(4).collect();
            let wanted: Vec<i64> = vec![new[0], new[1], current[0], new[2]];
            let changes = q!(db, owners::targets::replace(owner, &wanted)).unwrap();
            assert_eq!((changes.added, changes.removed), (3, current.len() - 1));
            let now: Vec<i64> = q!(db, owners::targets::list(owner)).unwrap().iter().map(|t| t.target_id).collect();
            let mut expected = wanted.clone();
            expected.sort_unstable();
            assert_eq!(now, expected, "in key order");
            assert_eq!(q!(db, owners::targets::insert(owner, &[new[0], new[3], new[0]])).unwrap(), 1, "only one is new");
            assert_eq!(q!(db, owners::targets::count(owner)).unwrap(), 5);
            assert_eq!(
                db.count("OwnerTarget"),
                before - current.len() as i64 + 5,
                "no other owner's links changed"
            );
        }
    };
}
