//! The best hand-written `mysql_async` code on MariaDB for the
//! `owner_target` benchmarks: the statements of the sqlx side
//! (`handwritten_sqlx_mysql.rs`), each prepared once (`Conn::prep`) on a
//! connection of its own to the same database and reused, the keys as one
//! JSON array parameter, rows folded straight into per-owner groups in a
//! `HashMap` (not sorted) as they arrive; links written with `INSERT
//! IGNORE` and no owner lock. The calls run to completion on the adapter's
//! runtime.
//!
//! Rows are read as tuples (`exec_fold`), as `mysql_async` is meant to be
//! used: a row that does not convert panics instead of returning an error.

use std::cell::RefCell;
use std::collections::HashMap;

use mortise_tests::maria::owner_target::{Loaded, owners, targets};
use mortise_tests::suite::mariadb::Db;
use mysql_async::prelude::Queryable as _;
use mysql_async::{Conn, Statement, TxOpts};

use super::handwritten_sqlx_mysql::{
    DELETE_OTHERS, DELETE_UNWANTED, INSERT_MISSING, INSERT_PAIRS, OWNER_TARGETS, TARGET_OWNERS,
    json,
};
use super::mysql_async_conn::connect;

/// The connection, with its statements prepared on it.
pub struct Statements {
    conn: RefCell<Conn>,
    owner_targets: Statement,
    target_owners: Statement,
    delete_others: Statement,
    insert_missing: Statement,
    delete_unwanted: Statement,
    insert_pairs: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut conn = connect(db);
        let mut prepare = |sql: &str| db.block_on(conn.prep(sql)).unwrap();
        Statements {
            owner_targets: prepare(OWNER_TARGETS),
            target_owners: prepare(TARGET_OWNERS),
            delete_others: prepare(DELETE_OTHERS),
            insert_missing: prepare(INSERT_MISSING),
            delete_unwanted: prepare(DELETE_UNWANTED),
            insert_pairs: prepare(INSERT_PAIRS),
            conn: RefCell::new(conn),
        }
    }
}

pub fn owner_targets(
    db: &Db,
    st: &Statements,
    owners: &mut [owners::Owner],
) -> mysql_async::Result<()> {
    let keys = json(owners.iter().map(|o| o.owner_id));
    let mut conn = st.conn.borrow_mut();
    let fold = conn.exec_fold(
        &st.owner_targets,
        (keys,),
        HashMap::new(),
        |mut groups: HashMap<i64, Vec<targets::Target>>,
         (owner, target_id, name): (i64, i64, String)| {
            groups.entry(owner).or_default().push(targets::Target {
                target_id,
                name,
                owners: Loaded::NotLoaded,
            });
            groups
        },
    );
    let mut groups = db.block_on(fold)?;
    for owner in owners {
        owner.targets = Loaded::Loaded(groups.remove(&owner.owner_id).unwrap_or_default());
    }
    Ok(())
}

pub fn target_owners(
    db: &Db,
    st: &Statements,
    targets: &mut [targets::Target],
) -> mysql_async::Result<()> {
    let keys = json(targets.iter().map(|t| t.target_id));
    let mut conn = st.conn.borrow_mut();
    let fold = conn.exec_fold(
        &st.target_owners,
        (keys,),
        HashMap::new(),
        |mut groups: HashMap<i64, Vec<owners::Owner>>,
         (target, owner_id, name): (i64, i64, String)| {
            groups.entry(target).or_default().push(owners::Owner {
                owner_id,
                name,
                targets: Loaded::NotLoaded,
            });
            groups
        },
    );
    let mut groups = db.block_on(fold)?;
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
) -> mysql_async::Result<()> {
    let mut conn = st.conn.borrow_mut();
    db.block_on(async {
        let mut tx = conn.start_transaction(TxOpts::default()).await?;
        for (owner, sets) in sets {
            let wanted = json(sets[side].iter().copied());
            tx.exec_drop(&st.delete_others, (owner, &wanted)).await?;
            tx.exec_drop(&st.insert_missing, (owner, &wanted)).await?;
        }
        tx.commit().await
    })
}

/// Every owner's links set to `sets[side]` by one bulk diff: a delete of
/// the unwanted links and an insert of the missing ones, in one transaction.
pub fn replace_bulk(
    db: &Db,
    st: &Statements,
    sets: &[(i64, [Vec<i64>; 2])],
    side: usize,
) -> mysql_async::Result<()> {
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
    let mut conn = st.conn.borrow_mut();
    db.block_on(async {
        let mut tx = conn.start_transaction(TxOpts::default()).await?;
        tx.exec_drop(&st.delete_unwanted, (&owners, &pairs)).await?;
        tx.exec_drop(&st.insert_pairs, (&pairs,)).await?;
        tx.commit().await
    })
}
