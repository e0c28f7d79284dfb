//! The best hand-written `postgres` (sync) code for the `reads`
//! benchmarks: each statement prepared once (kept in [`Statements`]), the
//! keys as one array (`= ANY($1)`), rows grouped but not sorted.

use std::collections::HashMap;

use mortise_tests::pg::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::postgres::Db;
use postgres::Statement;

/// Each owner's first `$2` targets in key order: a window per owner.
pub(crate) const FIRST_TARGETS: &str = r#"SELECT o, id, name FROM (SELECT j."OwnerId" AS o, t."TargetId" AS id, t."Name" AS name, row_number() OVER (PARTITION BY j."OwnerId" ORDER BY t."TargetId") AS n FROM "OwnerTarget" AS j JOIN "Target" AS t ON t."TargetId" = j."TargetId" WHERE j."OwnerId" = ANY($1)) AS r WHERE n <= $2"#;
pub(crate) const COUNT_TARGETS: &str =
    r#"SELECT "OwnerId", count(*) FROM "OwnerTarget" WHERE "OwnerId" = ANY($1) GROUP BY "OwnerId""#;

pub struct Statements {
    first_targets: Statement,
    count_targets: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut client = db.c();
        let mut prepare = |sql: &str| client.prepare(sql).unwrap();
        Statements {
            first_targets: prepare(FIRST_TARGETS),
            count_targets: prepare(COUNT_TARGETS),
        }
    }
}

pub fn first_targets(
    db: &Db,
    st: &Statements,
    owners: &mut [owners::Owner],
    n: i64,
) -> Result<(), postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let rows = db.c().query(&st.first_targets, &[&keys, &n])?;
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

pub fn count_targets(
    db: &Db,
    st: &Statements,
    owners: &[owners::Owner],
) -> Result<Vec<u64>, postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let rows = db.c().query(&st.count_targets, &[&keys])?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for row in &rows {
        counts.insert(row.try_get(0)?, row.try_get::<_, i64>(1)? as u64);
    }
    Ok(owners
        .iter()
        .map(|o| counts.get(&o.owner_id).copied().unwrap_or(0))
        .collect())
}
