//! Model-based test of the join-table helpers: random sequences of insert /
//! delete / replace / clear / count, run against the database and against a
//! model (a set of pairs). After every step the join table, every `list`,
//! every `count` and a `preload` of all owners equal the model. Some steps
//! name a target that does not exist: with foreign keys on, they must fail
//! and change nothing.
//!
//! The runner is plain code; each backend gives it a [`Subject`]: the
//! generated helpers of one many_to_many association, as closures.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// A key that no row has: links to it break the foreign key.
pub const MISSING: i64 = 999_999;

#[derive(Debug, Clone)]
pub enum Op {
    Insert(usize, Vec<usize>),
    Delete(usize, Vec<usize>),
    Replace(usize, Vec<usize>),
    Clear(usize),
    Count(usize),
}

/// Targets are indexes into the subject's rows; index `targets` means MISSING.
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

type Result<T> = std::result::Result<T, String>;
/// A helper taking an owner and target keys.
type Write<'a, T> = Box<dyn Fn(i64, &[i64]) -> Result<T> + 'a>;
/// Every owner's key with its loaded targets' keys.
type Loads = Vec<(i64, Vec<i64>)>;

/// One many_to_many association under test, seen through its generated
/// helpers (errors as text: only whether they fail matters).
pub struct Subject<'a> {
    pub owners: Vec<i64>,
    pub targets: Vec<i64>,
    /// Target keys in the association's preload order.
    pub targets_in_order: Vec<i64>,
    pub insert: Write<'a, usize>,
    pub delete: Write<'a, usize>,
    /// `(added, removed)`.
    pub replace: Write<'a, (usize, usize)>,
    pub clear: Box<dyn Fn(i64) -> Result<usize> + 'a>,
    pub count: Box<dyn Fn(i64) -> Result<u64> + 'a>,
    pub list: Box<dyn Fn(i64) -> Result<Vec<i64>> + 'a>,
    /// Preloads every owner; returns each owner's target keys.
    pub preload_all: Box<dyn Fn() -> Result<Loads> + 'a>,
    /// The join table's `(owner, target)` rows, read with plain SQL.
    pub join_rows: Box<dyn Fn() -> BTreeSet<(i64, i64)> + 'a>,
}

impl Subject<'_> {
    /// Runs `cases` random sequences of at most 24 steps, panicking with
    /// the smallest failing one.
    pub fn check(&self, cases: u32) {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let steps = prop::collection::vec(op(self.owners.len(), self.targets.len()), 1..25);
        if let Err(e) = runner.run(&steps, |ops| self.run(&ops)) {
            panic!("{e}");
        }
    }

    fn key(&self, index: usize) -> i64 {
        self.targets.get(index).copied().unwrap_or(MISSING)
    }

    fn keys(&self, indexes: &[usize]) -> Vec<i64> {
        indexes.iter().map(|i| self.key(*i)).collect()
    }

    /// Runs `ops` against the database and the model, comparing after every
    /// step. The database may hold links of an earlier sequence: it starts
    /// by clearing every owner.
    fn run(&self, ops: &[Op]) -> std::result::Result<(), TestCaseError> {
        for owner in &self.owners {
            (self.clear)(*owner).unwrap();
        }
        let mut model: BTreeSet<(i64, i64)> = BTreeSet::new();
        self.compare(&model, "the start")?;
        for op in ops {
            match op {
                Op::Insert(o, t) => {
                    let (owner, keys) = (self.owners[*o], self.keys(t));
                    let result = (self.insert)(owner, &keys);
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
                    prop_assert_eq!((self.delete)(owner, &keys).unwrap(), gone.len(), "{:?}", op);
                    model.retain(|p| !gone.contains(p));
                }
                Op::Replace(o, t) => {
                    let (owner, keys) = (self.owners[*o], self.keys(t));
                    let result = (self.replace)(owner, &keys);
                    if keys.contains(&MISSING) {
                        prop_assert!(result.is_err(), "{op:?}: a link to a missing row must fail");
                    } else {
                        let wanted: BTreeSet<_> = keys.iter().map(|k| (owner, *k)).collect();
                        let had: BTreeSet<_> =
                            model.iter().filter(|(a, _)| *a == owner).copied().collect();
                        let expected = (
                            wanted.difference(&had).count(),
                            had.difference(&wanted).count(),
                        );
                        prop_assert_eq!(result.unwrap(), expected, "{:?}", op);
                        model.retain(|(a, _)| *a != owner);
                        model.extend(wanted);
                    }
                }
                Op::Clear(o) => {
                    let owner = self.owners[*o];
                    let had = model.iter().filter(|(a, _)| *a == owner).count();
                    prop_assert_eq!((self.clear)(owner).unwrap(), had, "{:?}", op);
                    model.retain(|(a, _)| *a != owner);
                }
                Op::Count(o) => {
                    let owner = self.owners[*o];
                    let had = model.iter().filter(|(a, _)| *a == owner).count() as u64;
                    prop_assert_eq!((self.count)(owner).unwrap(), had);
                }
            }
            self.compare(&model, &format!("{op:?}"))?;
        }
        Ok(())
    }

    fn compare(
        &self,
        model: &BTreeSet<(i64, i64)>,
        after: &str,
    ) -> std::result::Result<(), TestCaseError> {
        prop_assert_eq!(&(self.join_rows)(), model, "join table after {}", after);
        let expected = |owner: i64| -> Vec<i64> {
            self.targets_in_order
                .iter()
                .copied()
                .filter(|t| model.contains(&(owner, *t)))
                .collect()
        };
        for owner in &self.owners {
            prop_assert_eq!(
                (self.list)(*owner).unwrap(),
                expected(*owner),
                "list after {}",
                after
            );
            prop_assert_eq!(
                (self.count)(*owner).unwrap(),
                expected(*owner).len() as u64,
                "count after {}",
                after
            );
        }
        for (owner, loaded) in (self.preload_all)().unwrap() {
            prop_assert_eq!(loaded, expected(owner), "preload after {}", after);
        }
        Ok(())
    }
}

/// The model-based tests, on `movies.actors` (five actors whose names sort
/// against their ids: `preload_order: [name asc]` must show) and on the
/// self-referencing `users.friends`.
#[macro_export]
#[doc(hidden)]
macro_rules! suite_model {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use super::associations::database;
        use $crate::suite::model::Subject;
        use reference::{actors, movies, users};


        #[test]
        fn movies_actors_match_the_model() {
            let Some(db) = database("model_movies_actors") else { return };
            let db = &db;
            let owners = (0..3)
                .map(|i| {
                    let new = movies::NewMovie { title: format!("m{i}"), ..Default::default() };
                    q!(db, movies::Movie::insert(&new)).unwrap().id
                })
                .collect();
            let targets: Vec<i64> = ["e", "d", "c", "b", "a"]
                .iter()
                .map(|name| q!(db, actors::Actor::insert(&actors::NewActor { name: (*name).into() })).unwrap().id)
                .collect();
            Subject {
                owners,
                targets_in_order: targets.iter().rev().copied().collect(),
                targets,
                insert: Box::new(|o, t| q!(db, movies::actors::insert(o, t)).map_err(|e| e.to_string())),
                delete: Box::new(|o, t| q!(db, movies::actors::delete(o, t)).map_err(|e| e.to_string())),
                replace: Box::new(|o, t| {
                    q!(db, movies::actors::replace(o, t))
                        .map(|c| (c.added, c.removed))
                        .map_err(|e| e.to_string())
                }),
                clear: Box::new(|o| q!(db, movies::actors::clear(o)).map_err(|e| e.to_string())),
                count: Box::new(|o| q!(db, movies::actors::count(o)).map_err(|e| e.to_string())),
                list: Box::new(|o| {
                    let listed = q!(db, movies::actors::list(o)).map_err(|e| e.to_string())?;
                    Ok(listed.iter().map(|a| a.id).collect())
                }),
                preload_all: Box::new(|| {
                    let mut all = q!(db, movies::Movie::all()).map_err(|e| e.to_string())?;
                    q!(db, movies::actors::preload(all.iter_mut())).map_err(|e| e.to_string())?;
                    Ok(all.iter().map(|m| (m.id, m.actors.iter().map(|a| a.id).collect())).collect())
                }),
                join_rows: Box::new(|| {
                    db.pairs("SELECT movie_id, actor_id FROM movies_actors").into_iter().collect()
                }),
            }
            .check(MODEL_CASES);
        }

        #[test]
        fn self_referencing_friends_match_the_model() {
            let Some(db) = database("model_friends") else { return };
            let db = &db;
            let people: Vec<i64> = (0..4)
                .map(|i| {
                    let new = users::NewUser { name: format!("u{i}"), email: None };
                    q!(db, users::User::insert(&new)).unwrap().id
                })
                .collect();
            Subject {
                owners: people.clone(),
                targets_in_order: people.clone(),
                targets: people,
                insert: Box::new(|o, t| q!(db, users::friends::insert(o, t)).map_err(|e| e.to_string())),
                delete: Box::new(|o, t| q!(db, users::friends::delete(o, t)).map_err(|e| e.to_string())),
                replace: Box::new(|o, t| {
                    q!(db, users::friends::replace(o, t))
                        .map(|c| (c.added, c.removed))
                        .map_err(|e| e.to_string())
                }),
                clear: Box::new(|o| q!(db, users::friends::clear(o)).map_err(|e| e.to_string())),
                count: Box::new(|o| q!(db, users::friends::count(o)).map_err(|e| e.to_string())),
                list: Box::new(|o| {
                    let listed = q!(db, users::friends::list(o)).map_err(|e| e.to_string())?;
                    Ok(listed.iter().map(|u| u.id).collect())
                }),
                preload_all: Box::new(|| {
                    let mut all = q!(db, users::User::all()).map_err(|e| e.to_string())?;
                    q!(db, users::friends::preload(all.iter_mut())).map_err(|e| e.to_string())?;
                    Ok(all.iter().map(|u| (u.id, u.friends.iter().map(|f| f.id).collect())).collect())
                }),
                join_rows: Box::new(|| db.pairs("SELECT * FROM friendships").into_iter().collect()),
            }
            .check(MODEL_CASES * 2 / 5);
        }
    };
}
