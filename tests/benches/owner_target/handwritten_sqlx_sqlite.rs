//! The best hand-written sqlx code on SQLite for the `owner_target`
//! benchmarks: each statement prepared once on the connection (sqlx's
//! statement cache), the keys as one JSON array read by `json_each` (sqlx
//! has no `rarray`), the join table read first (`CROSS JOIN`), rows grouped
//! but not sorted; links written with `ON CONFLICT DO NOTHING`, no savepoint.

use std::collections::HashMap;

use mortise_tests::sqlite_sqlx::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::sqlx_sqlite::{Db, in_transaction};
use sqlx::{Executor as _, Row as _, SqlSafeStr as _};

const OWNER_TARGETS: &str = r#"SELECT j."OwnerId", t."TargetId", t."Name" FROM "OwnerTarget" AS j CROSS JOIN "Target" AS t WHERE j."OwnerId" IN (SELECT value FROM json_each(?1)) AND t."TargetId" = j."TargetId""#;
const TARGET_OWNERS: &str = r#"SELECT j."TargetId", o."OwnerId", o."Name" FROM "OwnerTarget" AS j CROSS JOIN "Owner" AS o WHERE j."TargetId" IN (SELECT value FROM json_each(?1)) AND o."OwnerId" = j."OwnerId""#;
const DELETE_OTHERS: &str = r#"DELETE FROM "OwnerTarget" WHERE "OwnerId" = ?1 AND "TargetId" NOT IN (SELECT value FROM json_each(?2))"#;
const INSERT_MISSING: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT ?1, value FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING"#;
// The bulk diff: the owners as one JSON array, the wanted pairs as one
// JSON array of [owner, target] arrays; the links not wanted are the
// owners' links `EXCEPT` the pairs (SQLite tests a row value `NOT IN` the
// pairs slowly: see the rusqlite side).
const DELETE_UNWANTED: &str = r#"DELETE FROM "OwnerTarget" WHERE ("OwnerId", "TargetId") IN (SELECT "OwnerId", "TargetId" FROM "OwnerTarget" WHERE "OwnerId" IN (SELECT value FROM json_each(?1)) EXCEPT SELECT value ->> 0, value ->> 1 FROM json_each(?2))"#;
const INSERT_PAIRS: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT value ->> 0, value ->> 1 FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING"#;

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
fn json(keys: impl IntoIterator<Item = i64>) -> String {
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

/// The same code, except that each owner's replace is atomic on its own, as
/// the generated `replace` is: its delete and insert in a savepoint (sqlx's
/// nested transaction), so that a failing replace undoes only itself and
/// the caller's transaction goes on. Paired with the generated side on its
/// own (`… (savepoint each)`): what that guarantee costs by hand.
pub mod savepoint_each {
    use super::{DELETE_OTHERS, INSERT_MISSING, json};
    pub use super::{Statements, owner_targets, replace_bulk, target_owners};
    use mortise_tests::suite::sqlx_sqlite::{Db, in_transaction};

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
                let mut savepoint = tx.block_on(sqlx::Connection::begin(&mut *conn))?;
                let delete = sqlx::query(DELETE_OTHERS).bind(owner).bind(&wanted);
                tx.block_on(delete.execute(&mut *savepoint))?;
                let insert = sqlx::query(INSERT_MISSING).bind(owner).bind(&wanted);
                tx.block_on(insert.execute(&mut *savepoint))?;
                tx.block_on(savepoint.commit())?;
            }
        });
        Ok(())
    }
}
