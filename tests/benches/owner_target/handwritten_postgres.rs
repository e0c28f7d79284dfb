//! The best hand-written `postgres` (sync) code for the `owner_target`
//! benchmarks: each statement prepared once (kept in [`Statements`]), the
//! keys as one array (`= ANY($1)`), rows grouped but not sorted.

use std::collections::HashMap;

use mortise_tests::pg::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::postgres::{Db, in_transaction};
use postgres::Statement;

pub(crate) const OWNER_TARGETS: &str = r#"SELECT j."OwnerId", t."TargetId", t."Name" FROM "OwnerTarget" AS j JOIN "Target" AS t ON t."TargetId" = j."TargetId" WHERE j."OwnerId" = ANY($1)"#;
pub(crate) const TARGET_OWNERS: &str = r#"SELECT j."TargetId", o."OwnerId", o."Name" FROM "OwnerTarget" AS j JOIN "Owner" AS o ON o."OwnerId" = j."OwnerId" WHERE j."TargetId" = ANY($1)"#;
pub(crate) const DELETE_OTHERS: &str =
    r#"DELETE FROM "OwnerTarget" WHERE "OwnerId" = $1 AND "TargetId" <> ALL($2)"#;
pub(crate) const INSERT_MISSING: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT $1, unnest($2::BIGINT[]) ON CONFLICT DO NOTHING"#;
// The bulk diff: the owners as one array, the wanted pairs as two arrays
// (owners, targets) zipped by `unnest`.
pub(crate) const DELETE_UNWANTED: &str = r#"DELETE FROM "OwnerTarget" AS j WHERE j."OwnerId" = ANY($1) AND NOT EXISTS (SELECT 1 FROM unnest($2::BIGINT[], $3::BIGINT[]) AS k(o, t) WHERE k.o = j."OwnerId" AND k.t = j."TargetId")"#;
pub(crate) const INSERT_PAIRS: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[]) ON CONFLICT DO NOTHING"#;

pub struct Statements {
    owner_targets: Statement,
    target_owners: Statement,
    delete_others: Statement,
    insert_missing: Statement,
    delete_unwanted: Statement,
    insert_pairs: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut client = db.c();
        let mut prepare = |sql: &str| client.prepare(sql).unwrap();
        Statements {
            owner_targets: prepare(OWNER_TARGETS),
            target_owners: prepare(TARGET_OWNERS),
            delete_others: prepare(DELETE_OTHERS),
            insert_missing: prepare(INSERT_MISSING),
            delete_unwanted: prepare(DELETE_UNWANTED),
            insert_pairs: prepare(INSERT_PAIRS),
        }
    }
}

pub fn owner_targets(
    db: &Db,
    st: &Statements,
    owners: &mut [owners::Owner],
) -> Result<(), postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let rows = db.c().query(&st.owner_targets, &[&keys])?;
    let mut groups: HashMap<i64, Vec<targets::Target>> = HashMap::new();
    for row in &rows {
        groups
            .entry(row.try_get(0)?)
            .or_default()
            .push(targets::Target {
                target_id: row.try_get(1)?,
                name: row.try_get(2)?,
                owners: Loaded::NotLoaded,
            });
    }
    for owner in owners {
        owner.targets = Loaded::Loaded(groups.remove(&owner.owner_id).unwrap_or_default());
    }
    Ok(())
}

pub fn target_owners(
    db: &Db,
    st: &Statements,
    targets: &mut [targets::Target],
) -> Result<(), postgres::Error> {
    let keys: Vec<i64> = targets.iter().map(|t| t.target_id).collect();
    let rows = db.c().query(&st.target_owners, &[&keys])?;
    let mut groups: HashMap<i64, Vec<owners::Owner>> = HashMap::new();
    for row in &rows {
        groups
            .entry(row.try_get(0)?)
            .or_default()
            .push(owners::Owner {
                owner_id: row.try_get(1)?,
                name: row.try_get(2)?,
                targets: Loaded::NotLoaded,
            });
    }
    for target in targets {
        target.owners = Loaded::Loaded(groups.remove(&target.target_id).unwrap_or_default());
    }
    Ok(())
}

/// Every owner's links set to `sets[side]`, in one transaction.
pub fn replace_all(
    db: &Db,
    st: &Statements,
    sets: &[(i64, [Vec<i64>; 2])],
    side: usize,
) -> Result<(), postgres::Error> {
    in_transaction!(db, tx => {
        let mut client = tx.c();
        for (owner, sets) in sets {
            client.execute(&st.delete_others, &[owner, &sets[side]])?;
            client.execute(&st.insert_missing, &[owner, &sets[side]])?;
        }
    });
    Ok(())
}

/// Every owner's links set to `sets[side]` by one bulk diff: a delete of
/// the unwanted links and an insert of the missing ones, in one transaction.
pub fn replace_bulk(
    db: &Db,
    st: &Statements,
    sets: &[(i64, [Vec<i64>; 2])],
    side: usize,
) -> Result<(), postgres::Error> {
    let owners: Vec<i64> = sets.iter().map(|(owner, _)| *owner).collect();
    let (pair_owners, pair_targets): (Vec<i64>, Vec<i64>) = sets
        .iter()
        .flat_map(|(owner, sets)| sets[side].iter().map(move |target| (*owner, *target)))
        .unzip();
    in_transaction!(db, tx => {
        let mut client = tx.c();
        client.execute(&st.delete_unwanted, &[&owners, &pair_owners, &pair_targets])?;
        client.execute(&st.insert_pairs, &[&pair_owners, &pair_targets])?;
    });
    Ok(())
}
