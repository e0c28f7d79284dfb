//! The best hand-written rusqlite code for the `owner_target` benchmarks:
//! statements prepared once per connection (`prepare_cached`), the keys as
//! one `rarray`, the join table read first, rows grouped but not sorted.

use std::collections::HashMap;
use std::rc::Rc;

use mortise_tests::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::sqlite::{Db, in_transaction};
use rusqlite::types::Value;

const OWNER_TARGETS: &str = r#"SELECT j."OwnerId", t."TargetId", t."Name" FROM "OwnerTarget" AS j CROSS JOIN "Target" AS t WHERE j."OwnerId" IN (SELECT value FROM rarray(?1)) AND t."TargetId" = j."TargetId""#;
const TARGET_OWNERS: &str = r#"SELECT j."TargetId", o."OwnerId", o."Name" FROM "OwnerTarget" AS j CROSS JOIN "Owner" AS o WHERE j."TargetId" IN (SELECT value FROM rarray(?1)) AND o."OwnerId" = j."OwnerId""#;
const DELETE_OTHERS: &str = r#"DELETE FROM "OwnerTarget" WHERE "OwnerId" = ?1 AND "TargetId" NOT IN (SELECT value FROM rarray(?2))"#;
const INSERT_MISSING: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT ?1, value FROM rarray(?2) WHERE true ON CONFLICT DO NOTHING"#;
// The bulk diff: the owners as one `rarray`, the wanted pairs as one
// `rarray` (owner, target, owner, target, ...) read two by two with `lead`
// (two `rarray`s zipped by `rowid` join each row of one with every row of
// the other: 34 ms for 1,000 pairs), and the links not wanted found as the
// owners' links `EXCEPT` the pairs (a row value `NOT IN` the pairs: 18 ms,
// against 1.6 ms). The generated `replace_many` reads them so too.
const DELETE_UNWANTED: &str = r#"DELETE FROM "OwnerTarget" WHERE ("OwnerId", "TargetId") IN (SELECT "OwnerId", "TargetId" FROM "OwnerTarget" WHERE "OwnerId" IN (SELECT value FROM rarray(?1)) EXCEPT SELECT k1, k2 FROM (SELECT rowid AS n, value AS k1, lead(value, 1) OVER (ORDER BY rowid) AS k2 FROM rarray(?2)) WHERE (n - 1) % 2 = 0)"#;
const INSERT_PAIRS: &str = r#"INSERT INTO "OwnerTarget" ("OwnerId", "TargetId") SELECT k1, k2 FROM (SELECT rowid AS n, value AS k1, lead(value, 1) OVER (ORDER BY rowid) AS k2 FROM rarray(?1)) WHERE (n - 1) % 2 = 0 ON CONFLICT DO NOTHING"#;

/// rusqlite keeps prepared statements per connection (`prepare_cached`):
/// nothing to hold here but the `rarray` module, registered once.
pub struct Statements;

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        rusqlite::vtab::array::load_module(db.c()).unwrap();
        Statements
    }
}

fn array(keys: impl Iterator<Item = i64>) -> Rc<Vec<Value>> {
    Rc::new(keys.map(Value::Integer).collect())
}

pub fn owner_targets(
    db: &Db,
    _: &Statements,
    owners: &mut [owners::Owner],
) -> rusqlite::Result<()> {
    let keys = array(owners.iter().map(|o| o.owner_id));
    let mut statement = db.c().prepare_cached(OWNER_TARGETS)?;
    let mut rows = statement.query([keys])?;
    let mut groups: HashMap<i64, Vec<targets::Target>> = HashMap::new();
    while let Some(row) = rows.next()? {
        groups
            .entry(row.get(0)?)
            .or_default()
            .push(targets::Target {
                target_id: row.get(1)?,
                name: row.get(2)?,
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
) -> rusqlite::Result<()> {
    let keys = array(targets.iter().map(|t| t.target_id));
    let mut statement = db.c().prepare_cached(TARGET_OWNERS)?;
    let mut rows = statement.query([keys])?;
    let mut groups: HashMap<i64, Vec<owners::Owner>> = HashMap::new();
    while let Some(row) = rows.next()? {
        groups.entry(row.get(0)?).or_default().push(owners::Owner {
            owner_id: row.get(1)?,
            name: row.get(2)?,
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
) -> rusqlite::Result<()> {
    in_transaction!(db, tx => {
        let mut delete = tx.c().prepare_cached(DELETE_OTHERS)?;
        let mut insert = tx.c().prepare_cached(INSERT_MISSING)?;
        for (owner, sets) in sets {
            let keys = array(sets[side].iter().copied());
            delete.execute(rusqlite::params![owner, keys])?;
            insert.execute(rusqlite::params![owner, keys])?;
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
) -> rusqlite::Result<()> {
    let owners = array(sets.iter().map(|(owner, _)| *owner));
    let pairs = array(
        sets.iter()
            .flat_map(|(owner, sets)| sets[side].iter().flat_map(move |target| [*owner, *target])),
    );
    in_transaction!(db, tx => {
        tx.c().prepare_cached(DELETE_UNWANTED)?.execute([&owners, &pairs])?;
        tx.c().prepare_cached(INSERT_PAIRS)?.execute([&pairs])?;
    });
    Ok(())
}
