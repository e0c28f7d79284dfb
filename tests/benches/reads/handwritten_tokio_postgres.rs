//! The best hand-written `tokio-postgres` (async) code for the `reads`
//! benchmarks: the statements of the sync side, each prepared once, run to
//! completion on the adapter's runtime.

use std::collections::HashMap;

use mortise_tests::pg_async::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::tokio_postgres::Db;
use tokio_postgres::Statement;

use super::handwritten_postgres::{COUNT_TARGETS, FIRST_TARGETS};

pub struct Statements {
    first_targets: Statement,
    count_targets: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let client = db.c();
        let prepare = |sql: &str| db.block_on(client.prepare(sql)).unwrap();
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
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.first_targets, &[&keys, &n]))?;
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
) -> Result<Vec<u64>, tokio_postgres::Error> {
    let keys: Vec<i64> = owners.iter().map(|o| o.owner_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.count_targets, &[&keys]))?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for row in &rows {
        counts.insert(row.try_get(0)?, row.try_get::<_, i64>(1)? as u64);
    }
    Ok(owners
        .iter()
        .map(|o| counts.get(&o.owner_id).copied().unwrap_or(0))
        .collect())
}
