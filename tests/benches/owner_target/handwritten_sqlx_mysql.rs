//! The best hand-written sqlx code on MariaDB for the `owner_target`
//! benchmarks: each statement prepared once on the connection (sqlx's
//! statement cache), the keys as one JSON array read by `JSON_TABLE` (one
//! statement for any number of keys), rows grouped but not sorted; links
//! written with `INSERT IGNORE` and no owner lock, as a person sure of
//! their keys and alone on the table would.
//!
//! The keys are an `IN (SELECT … FROM JSON_TABLE(…))`, as a person who
//! read the plan would write it: joined to the keys instead (`FROM
//! JSON_TABLE(…) JOIN OwnerTarget`), MariaDB 10.11 reads the join table once
//! per key when its owner column has no index (91 ms against 4.5 ms for
//! 1,000 owners, measured here).

use std::collections::HashMap;

use mortise_tests::maria::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::mariadb::{Db, in_transaction};
use sqlx::{Executor as _, Row as _, SqlSafeStr as _};

pub(crate) const OWNER_TARGETS: &str = "SELECT j.`OwnerId`, t.`TargetId`, t.`Name` FROM `OwnerTarget` AS j JOIN `Target` AS t ON t.`TargetId` = j.`TargetId` \
     WHERE j.`OwnerId` IN (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k BIGINT PATH '$')) AS keys_)";
pub(crate) const TARGET_OWNERS: &str = "SELECT j.`TargetId`, o.`OwnerId`, o.`Name` FROM `OwnerTarget` AS j JOIN `Owner` AS o ON o.`OwnerId` = j.`OwnerId` \
     WHERE j.`TargetId` IN (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k BIGINT PATH '$')) AS keys_)";
pub(crate) const DELETE_OTHERS: &str = "DELETE FROM `OwnerTarget` WHERE `OwnerId` = ? AND `TargetId` NOT IN \
     (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k BIGINT PATH '$')) AS keys_)";
pub(crate) const INSERT_MISSING: &str = "INSERT IGNORE INTO `OwnerTarget` (`OwnerId`, `TargetId`) \
     SELECT ?, k FROM JSON_TABLE(?, '$[*]' COLUMNS (k BIGINT PATH '$')) AS keys_";
// The bulk diff: the owners as one JSON array, the wanted pairs as one
// JSON array of [owner, target] arrays. The rows to delete are selected
// and joined back: MariaDB 10.11 runs a single-table DELETE's subqueries
// once per row (493 ms for 200 owners here), a SELECT's once (5.7 ms).
pub(crate) const DELETE_UNWANTED: &str = "DELETE j FROM `OwnerTarget` AS j JOIN (SELECT `OwnerId`, `TargetId` FROM `OwnerTarget` \
     WHERE `OwnerId` IN (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k BIGINT PATH '$')) AS keys_) \
     AND (`OwnerId`, `TargetId`) NOT IN (SELECT o, t FROM JSON_TABLE(?, '$[*]' COLUMNS (o BIGINT PATH '$[0]', t BIGINT PATH '$[1]')) AS pairs)) AS d \
     ON j.`OwnerId` = d.`OwnerId` AND j.`TargetId` = d.`TargetId`";
pub(crate) const INSERT_PAIRS: &str = "INSERT IGNORE INTO `OwnerTarget` (`OwnerId`, `TargetId`) \
     SELECT o, t FROM JSON_TABLE(?, '$[*]' COLUMNS (o BIGINT PATH '$[0]', t BIGINT PATH '$[1]')) AS pairs";

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

/// Keys as a JSON array: `[1,2,3]`.
pub(crate) fn json(keys: impl IntoIterator<Item = i64>) -> String {
    let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
    format!("[{}]", keys.join(","))
}

pub fn owner_targets(
    db: &Db,
    _: &Statements,
    owners: &mut [owners::Owner],
) -> Result<(), sqlx::Error> {
    let keys = json(owners.iter().map(|o| o.owner_id));
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
    let keys = json(targets.iter().map(|t| t.target_id));
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
            let wanted = json(sets[side].iter().copied());
            tx.block_on(sqlx::query(DELETE_OTHERS).bind(owner).bind(&wanted).execute(&mut *conn))?;
            tx.block_on(sqlx::query(INSERT_MISSING).bind(owner).bind(&wanted).execute(&mut *conn))?;
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
    let owners = json(sets.iter().map(|(owner, _)| *owner));
    let pairs: Vec<String> = sets
        .iter()
        .flat_map(|(owner, sets)| {
            sets[side]
                .iter()
                .map(move |target| format!("[{owner},{target}]"))
        })
        .collect();
    let pairs = format!("[{}]", pairs.join(","));
    in_transaction!(db, tx => {
        let mut conn = tx.c();
        let delete = sqlx::query(DELETE_UNWANTED).bind(&owners).bind(&pairs);
        tx.block_on(delete.execute(&mut *conn))?;
        let insert = sqlx::query(INSERT_PAIRS).bind(&pairs);
        tx.block_on(insert.execute(&mut *conn))?;
    });
    Ok(())
}
