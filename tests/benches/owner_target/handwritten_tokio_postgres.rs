//! The best hand-written `tokio-postgres` (async) code for the
//! `owner_target` benchmarks: the statements of the sync side, each
//! prepared once, run to completion on the adapter's runtime.

use std::collections::HashMap;

use mortise_tests::pg_async::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::tokio_postgres::{Db, in_transaction};
use tokio_postgres::Statement;

use super::handwritten_postgres::{
    DELETE_OTHERS, DELETE_UNWANTED, INSERT_MISSING, INSERT_PAIRS, OWNER_TARGETS, TARGET_OWNERS,
};

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
        let client = db.c();
        let prepare = |sql: &str| db.block_on(client.prepare(sql)).unwrap();
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
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.owner_targets, &[&keys]))?;
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
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i64> = targets.iter().map(|t| t.target_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.target_owners, &[&keys]))?;
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
) -> Result<(), tokio_postgres::Error> {
    in_transaction!(db, tx => {
        let client = tx.c();
        for (owner, sets) in sets {
            tx.block_on(client.execute(&st.delete_others, &[owner, &sets[side]]))?;
            tx.block_on(client.execute(&st.insert_missing, &[owner, &sets[side]]))?;
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
) -> Result<(), tokio_postgres::Error> {
    let owners: Vec<i64> = sets.iter().map(|(owner, _)| *owner).collect();
    let (pair_owners, pair_targets): (Vec<i64>, Vec<i64>) = sets
        .iter()
        .flat_map(|(owner, sets)| sets[side].iter().map(move |target| (*owner, *target)))
        .unzip();
    in_transaction!(db, tx => {
        let client = tx.c();
        tx.block_on(client.execute(&st.delete_unwanted, &[&owners, &pair_owners, &pair_targets]))?;
        tx.block_on(client.execute(&st.insert_pairs, &[&pair_owners, &pair_targets]))?;
    });
    Ok(())
}
