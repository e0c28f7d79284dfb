//! The best hand-written sqlx code for the `owner_target` benchmarks: the
//! statements of the `postgres` side, each prepared once on the connection
//! and kept by sqlx's statement cache (a `sqlx::query` is persistent), the
//! keys as one array, run to completion on the adapter's runtime.

use std::collections::HashMap;

use mortise_tests::pg_sqlx::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::sqlx_postgres::{Db, in_transaction};
use sqlx::{Executor as _, Row as _, SqlSafeStr as _};

use super::handwritten_postgres::{
    DELETE_OTHERS, DELETE_UNWANTED, INSERT_MISSING, INSERT_PAIRS, OWNER_TARGETS, TARGET_OWNERS,
};

/// The statements, prepared on the connection: sqlx keeps them there, and
/// each `sqlx::query` of the same SQL runs the prepared one.
pub struct Statements;

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut conn = db.c();
        for sql in [
            OWNER_TARGETS,
            TARGET_OWNERS,
            DELETE_OTHERS,
            INSERT_MISSING,
            DELETE_UNWANTED,
            INSERT_PAIRS,
        ] {
            db.block_on(conn.prepare(sql.into_sql_str())).unwrap();
        }
        Statements
    }
}

pub fn owner_targets(
    db: &Db,
    _: &Statements,
    owners: &mut [owners::Owner],
) -> Result<(), sqlx::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let mut conn = db.c();
    let rows = db.block_on(sqlx::query(OWNER_TARGETS).bind(&keys).fetch_all(&mut *conn))?;
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
    _: &Statements,
    targets: &mut [targets::Target],
) -> Result<(), sqlx::Error> {
    let keys: Vec<i64> = targets.iter().map(|t| t.target_id).collect();
    let mut conn = db.c();
    let rows = db.block_on(sqlx::query(TARGET_OWNERS).bind(&keys).fetch_all(&mut *conn))?;
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
    _: &Statements,
    sets: &[(i64, [Vec<i64>; 2])],
    side: usize,
) -> Result<(), sqlx::Error> {
    in_transaction!(db, tx => {
        let mut conn = tx.c();
        for (owner, sets) in sets {
            let wanted = &sets[side];
            tx.block_on(sqlx::query(DELETE_OTHERS).bind(owner).bind(wanted).execute(&mut *conn))?;
            tx.block_on(sqlx::query(INSERT_MISSING).bind(owner).bind(wanted).execute(&mut *conn))?;
        }
    });
    Ok(())
}

/// Every owner's links set to `sets[side]` by one bulk diff: a delete of
/// the unwanted links and an insert of the missing ones, in one transaction.
pub fn replace_bulk(
    db: &Db,
    _: &Statements,
    sets: &[(i64, [Vec<i64>; 2])],
    side: usize,
) -> Result<(), sqlx::Error> {
    let owners: Vec<i64> = sets.iter().map(|(owner, _)| *owner).collect();
    let (pair_owners, pair_targets): (Vec<i64>, Vec<i64>) = sets
        .iter()
        .flat_map(|(owner, sets)| sets[side].iter().map(move |target| (*owner, *target)))
        .unzip();
    in_transaction!(db, tx => {
        let mut conn = tx.c();
        let delete = sqlx::query(DELETE_UNWANTED).bind(&owners).bind(&pair_owners).bind(&pair_targets);
        tx.block_on(delete.execute(&mut *conn))?;
        let insert = sqlx::query(INSERT_PAIRS).bind(&pair_owners).bind(&pair_targets);
        tx.block_on(insert.execute(&mut *conn))?;
    });
    Ok(())
}
