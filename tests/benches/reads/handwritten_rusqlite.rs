//! The best hand-written rusqlite code for the `reads` benchmarks: each
//! statement prepared once per connection (`prepare_cached`), the keys as
//! one `rarray`, the join table read first, rows grouped but not sorted.

use std::collections::HashMap;
use std::rc::Rc;

use mortise_tests::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::sqlite::Db;
use rusqlite::types::Value;

/// Each owner's first `?2` targets in key order: a window per owner.
const FIRST_TARGETS: &str = r#"SELECT o, id, name FROM (SELECT j."OwnerId" AS o, t."TargetId" AS id, t."Name" AS name, row_number() OVER (PARTITION BY j."OwnerId" ORDER BY t."TargetId") AS n FROM "OwnerTarget" AS j CROSS JOIN "Target" AS t WHERE j."OwnerId" IN (SELECT value FROM rarray(?1)) AND t."TargetId" = j."TargetId") WHERE n <= ?2"#;
const COUNT_TARGETS: &str = r#"SELECT "OwnerId", count(*) FROM "OwnerTarget" WHERE "OwnerId" IN (SELECT value FROM rarray(?1)) GROUP BY "OwnerId""#;

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

pub fn first_targets(
    db: &Db,
    _: &Statements,
    owners: &mut [owners::Owner],
    n: i64,
) -> rusqlite::Result<()> {
    let keys = array(owners.iter().map(|o| o.owner_id));
    let mut statement = db.c().prepare_cached(FIRST_TARGETS)?;
    let mut rows = statement.query(rusqlite::params![keys, n])?;
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

pub fn count_targets(
    db: &Db,
    _: &Statements,
    owners: &[owners::Owner],
) -> rusqlite::Result<Vec<u64>> {
    let keys = array(owners.iter().map(|o| o.owner_id));
    let mut statement = db.c().prepare_cached(COUNT_TARGETS)?;
    let mut rows = statement.query([keys])?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    while let Some(row) = rows.next()? {
        counts.insert(row.get(0)?, row.get::<_, i64>(1)? as u64);
    }
    Ok(owners
        .iter()
        .map(|o| counts.get(&o.owner_id).copied().unwrap_or(0))
        .collect())
}
