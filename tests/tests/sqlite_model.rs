//! Model-based test of the join-table helpers: random sequences of insert /
//! delete / replace / clear / count, run against SQLite and against a model
//! (a set of pairs). After every step the join table, every `list`, every
//! `count` and a `preload` of all owners equal the model. Some steps name a
//! target that does not exist: with foreign keys on, they must fail and
//! change nothing.

use std::collections::BTreeSet;

use generated::{Changes, actors, movies, users};
use proptest::prelude::*;
use rusqlite::Connection;

/// A key that no row has: links to it break the foreign key.
const MISSING: i64 = 999;

#[derive(Debug, Clone)]
enum Op {
    Insert(usize, Vec<usize>),
    Delete(usize, Vec<usize>),
    Replace(usize, Vec<usize>),
    Clear(usize),
    Count(usize),
}

/// Targets are indexes into the test's rows; index `targets` means MISSING.
fn op(owners: usize, targets: usize) -> impl Strategy<Value = Op> {
    let owner = 0..owners;
    let ids = prop::collection::vec(0..=targets, 0..6);
    prop_oneof![
        3 => (owner.clone(), ids.clone()).prop_map(|(o, t)| Op::Insert(o, t)),
        2 => (owner.clone(), ids.clone()).prop_map(|(o, t)| Op::Delete(o, t)),
        3 => (owner.clone(), ids).prop_map(|(o, t)| Op::Replace(o, t)),
        1 => owner.clone().prop_map(Op::Clear),
        1 => owner.prop_map(Op::Count),
    ]
}

/// Each owner's key and its targets' keys, in order.
type Loads = Vec<(i64, Vec<i64>)>;

/// One many_to_many association under test, seen through its generated helpers.
struct Subject {
    db: Connection,
    join_table: &'static str,
    owners: Vec<i64>,
    /// Target keys in the association's preload order.
    targets_in_order: Vec<i64>,
    targets: Vec<i64>,
    insert: fn(&Connection, i64, &[i64]) -> rusqlite::Result<usize>,
    delete: fn(&Connection, i64, &[i64]) -> rusqlite::Result<usize>,
    replace: fn(&Connection, i64, &[i64]) -> rusqlite::Result<Changes>,
    clear: fn(&Connection, i64) -> rusqlite::Result<usize>,
    count: fn(&Connection, i64) -> rusqlite::Result<u64>,
    list: fn(&Connection, i64) -> rusqlite::Result<Vec<i64>>,
    /// Preloads every owner; returns each owner's target keys.
    preload_all: fn(&Connection) -> rusqlite::Result<Loads>,
}

fn fresh_db() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    generated::create_all(&db).unwrap();
    db
}

/// movies.actors: three movies, five actors whose names sort against their ids
/// (`preload_order: [name asc]` must show).
fn movies_actors() -> Subject {
    let db = fresh_db();
    let owners = (0..3)
        .map(|i| {
            movies::Movie::insert(
                &db,
                &movies::NewMovie {
                    title: format!("m{i}"),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        })
        .collect();
    let targets: Vec<i64> = ["e", "d", "c", "b", "a"]
        .iter()
        .map(|name| {
            actors::Actor::insert(
                &db,
                &actors::NewActor {
                    name: (*name).into(),
                },
            )
            .unwrap()
            .id
        })
        .collect();
    Subject {
        db,
        join_table: "movies_actors",
        owners,
        targets_in_order: targets.iter().rev().copied().collect(),
        targets,
        insert: movies::actors::insert,
        delete: movies::actors::delete,
        replace: movies::actors::replace,
        clear: movies::actors::clear,
        count: movies::actors::count,
        list: |db, owner| {
            Ok(movies::actors::list(db, owner)?
                .into_iter()
                .map(|a| a.id)
                .collect())
        },
        preload_all: |db| {
            let mut all = movies::Movie::all(db)?;
            movies::actors::preload(db, all.iter_mut())?;
            Ok(all
                .iter()
                .map(|m| (m.id, m.actors.iter().map(|a| a.id).collect()))
                .collect())
        },
    }
}

/// users.friends: a self-reference; owners and targets are the same rows.
fn users_friends() -> Subject {
    let db = fresh_db();
    let people: Vec<i64> = (0..4)
        .map(|i| {
            users::User::insert(
                &db,
                &users::NewUser {
                    name: format!("u{i}"),
                    email: None,
                },
            )
            .unwrap()
            .id
        })
        .collect();
    Subject {
        db,
        join_table: "friendships",
        owners: people.clone(),
        targets_in_order: people.clone(),
        targets: people,
        insert: users::friends::insert,
        delete: users::friends::delete,
        replace: users::friends::replace,
        clear: users::friends::clear,
        count: users::friends::count,
        list: |db, owner| {
            Ok(users::friends::list(db, owner)?
                .into_iter()
                .map(|u| u.id)
                .collect())
        },
        preload_all: |db| {
            let mut all = users::User::all(db)?;
            users::friends::preload(db, all.iter_mut())?;
            Ok(all
                .iter()
                .map(|u| (u.id, u.friends.iter().map(|f| f.id).collect()))
                .collect())
        },
    }
}

impl Subject {
    fn key(&self, index: usize) -> i64 {
        self.targets.get(index).copied().unwrap_or(MISSING)
    }

    fn keys(&self, indexes: &[usize]) -> Vec<i64> {
        indexes.iter().map(|i| self.key(*i)).collect()
    }

    fn join_rows(&self) -> BTreeSet<(i64, i64)> {
        let mut statement = self
            .db
            .prepare(&format!("SELECT * FROM \"{}\"", self.join_table))
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Runs `ops` against SQLite and the model, comparing after every step.
    fn run(&self, ops: &[Op]) -> Result<(), TestCaseError> {
        let mut model: BTreeSet<(i64, i64)> = BTreeSet::new();
        for op in ops {
            match op {
                Op::Insert(o, t) => {
                    let (owner, keys) = (self.owners[*o], self.keys(t));
                    let result = (self.insert)(&self.db, owner, &keys);
                    if keys.contains(&MISSING) {
                        prop_assert!(result.is_err(), "{op:?}: a link to a missing row must fail");
                    } else {
                        let new: BTreeSet<_> = keys
                            .iter()
                            .map(|k| (owner, *k))
                            .filter(|p| !model.contains(p))
                            .collect();
                        prop_assert_eq!(result.unwrap(), new.len(), "{:?}", op);
                        model.extend(new);
                    }
                }
                Op::Delete(o, t) => {
                    let (owner, keys) = (self.owners[*o], self.keys(t));
                    let gone: BTreeSet<_> = keys
                        .iter()
                        .map(|k| (owner, *k))
                        .filter(|p| model.contains(p))
                        .collect();
                    prop_assert_eq!(
                        (self.delete)(&self.db, owner, &keys).unwrap(),
                        gone.len(),
                        "{:?}",
                        op
                    );
                    model.retain(|p| !gone.contains(p));
                }
                Op::Replace(o, t) => {
                    let (owner, keys) = (self.owners[*o], self.keys(t));
                    let result = (self.replace)(&self.db, owner, &keys);
                    if keys.contains(&MISSING) {
                        prop_assert!(result.is_err(), "{op:?}: a link to a missing row must fail");
                    } else {
                        let wanted: BTreeSet<_> = keys.iter().map(|k| (owner, *k)).collect();
                        let had: BTreeSet<_> =
                            model.iter().filter(|(a, _)| *a == owner).copied().collect();
                        let expected = Changes {
                            added: wanted.difference(&had).count(),
                            removed: had.difference(&wanted).count(),
                        };
                        prop_assert_eq!(result.unwrap(), expected, "{:?}", op);
                        model.retain(|(a, _)| *a != owner);
                        model.extend(wanted);
                    }
                }
                Op::Clear(o) => {
                    let owner = self.owners[*o];
                    let had = model.iter().filter(|(a, _)| *a == owner).count();
                    prop_assert_eq!((self.clear)(&self.db, owner).unwrap(), had, "{:?}", op);
                    model.retain(|(a, _)| *a != owner);
                }
                Op::Count(o) => {
                    let owner = self.owners[*o];
                    let had = model.iter().filter(|(a, _)| *a == owner).count() as u64;
                    prop_assert_eq!((self.count)(&self.db, owner).unwrap(), had);
                }
            }
            self.check(&model, op)?;
        }
        Ok(())
    }

    fn check(&self, model: &BTreeSet<(i64, i64)>, after: &Op) -> Result<(), TestCaseError> {
        prop_assert_eq!(&self.join_rows(), model, "join table after {:?}", after);
        let expected = |owner: i64| -> Vec<i64> {
            self.targets_in_order
                .iter()
                .copied()
                .filter(|t| model.contains(&(owner, *t)))
                .collect()
        };
        for owner in &self.owners {
            prop_assert_eq!(
                (self.list)(&self.db, *owner).unwrap(),
                expected(*owner),
                "list after {:?}",
                after
            );
            prop_assert_eq!(
                (self.count)(&self.db, *owner).unwrap(),
                expected(*owner).len() as u64
            );
        }
        for (owner, loaded) in (self.preload_all)(&self.db).unwrap() {
            prop_assert_eq!(loaded, expected(owner), "preload after {:?}", after);
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn movies_actors_match_the_model(ops in prop::collection::vec(op(3, 5), 1..25)) {
        movies_actors().run(&ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn self_referencing_friends_match_the_model(ops in prop::collection::vec(op(4, 4), 1..25)) {
        users_friends().run(&ops)?;
    }
}
