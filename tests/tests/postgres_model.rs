//! Model-based test of the join-table helpers on PostgreSQL, for both
//! drivers with the same test body: random sequences of insert / delete /
//! replace / clear / count on `movies.actors`, compared after every step with a
//! model (a set of pairs): the join table, every `list`, every `count`, and a
//! preload of all owners. Steps naming a missing actor must fail and change
//! nothing. Needs `DATABASE_URL`.

use std::collections::BTreeSet;

use mortise_tests::pg_support::{TestSchema, async_client, database_url};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A key no actor has: links to it break the foreign key.
const MISSING: i64 = 999_999;

#[derive(Debug, Clone)]
enum Op {
    Insert(usize, Vec<usize>),
    Delete(usize, Vec<usize>),
    Replace(usize, Vec<usize>),
    Clear(usize),
    Count(usize),
}

/// Target indexes run one past the actors: that one means MISSING.
fn op() -> impl Strategy<Value = Op> {
    let ids = prop::collection::vec(0..=5usize, 0..6);
    prop_oneof![
        3 => (0..3usize, ids.clone()).prop_map(|(o, t)| Op::Insert(o, t)),
        2 => (0..3usize, ids.clone()).prop_map(|(o, t)| Op::Delete(o, t)),
        3 => (0..3usize, ids).prop_map(|(o, t)| Op::Replace(o, t)),
        1 => (0..3usize).prop_map(Op::Clear),
        1 => (0..3usize).prop_map(Op::Count),
    ]
}

/// The helpers of `movies.actors` through one driver or the other.
enum Driver {
    Sync(postgres::Client),
    Async(tokio::runtime::Runtime, tokio_postgres::Client),
}

impl Driver {
    fn insert(&mut self, owner: i64, ids: &[i64]) -> Result<usize, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => pg::reference::movies::actors::insert(c, owner, ids),
            Driver::Async(rt, c) => {
                rt.block_on(pg_async::reference::movies::actors::insert(c, owner, ids))
            }
        }
    }

    fn delete(&mut self, owner: i64, ids: &[i64]) -> Result<usize, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => pg::reference::movies::actors::delete(c, owner, ids),
            Driver::Async(rt, c) => {
                rt.block_on(pg_async::reference::movies::actors::delete(c, owner, ids))
            }
        }
    }

    fn replace(&mut self, owner: i64, ids: &[i64]) -> Result<(usize, usize), postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => pg::reference::movies::actors::replace(c, owner, ids)
                .map(|ch| (ch.added, ch.removed)),
            Driver::Async(rt, c) => rt
                .block_on(pg_async::reference::movies::actors::replace(c, owner, ids))
                .map(|ch| (ch.added, ch.removed)),
        }
    }

    fn clear(&mut self, owner: i64) -> Result<usize, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => pg::reference::movies::actors::clear(c, owner),
            Driver::Async(rt, c) => {
                rt.block_on(pg_async::reference::movies::actors::clear(c, owner))
            }
        }
    }

    fn count(&mut self, owner: i64) -> Result<u64, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => pg::reference::movies::actors::count(c, owner),
            Driver::Async(rt, c) => {
                rt.block_on(pg_async::reference::movies::actors::count(c, owner))
            }
        }
    }

    fn list(&mut self, owner: i64) -> Result<Vec<i64>, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => Ok(pg::reference::movies::actors::list(c, owner)?
                .iter()
                .map(|a| a.id)
                .collect()),
            Driver::Async(rt, c) => Ok(rt
                .block_on(pg_async::reference::movies::actors::list(c, owner))?
                .iter()
                .map(|a| a.id)
                .collect()),
        }
    }

    /// Every movie's actor keys, by one preload.
    fn preload_all(&mut self) -> Result<Vec<(i64, Vec<i64>)>, postgres::Error> {
        use mortise_tests::{pg, pg_async};
        match self {
            Driver::Sync(c) => {
                let mut all = pg::reference::movies::Movie::all(c)?;
                pg::reference::movies::actors::preload(c, all.iter_mut())?;
                Ok(all
                    .iter()
                    .map(|m| (m.id, m.actors.iter().map(|a| a.id).collect()))
                    .collect())
            }
            Driver::Async(rt, c) => rt.block_on(async {
                let mut all = pg_async::reference::movies::Movie::all(c).await?;
                pg_async::reference::movies::actors::preload(c, all.iter_mut()).await?;
                Ok(all
                    .iter()
                    .map(|m| (m.id, m.actors.iter().map(|a| a.id).collect()))
                    .collect())
            }),
        }
    }

    fn links(&mut self) -> BTreeSet<(i64, i64)> {
        let sql = "SELECT movie_id, actor_id FROM movies_actors";
        let rows = match self {
            Driver::Sync(c) => c.query(sql, &[]).unwrap(),
            Driver::Async(rt, c) => rt.block_on(c.query(sql, &[])).unwrap(),
        };
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    }
}

/// Owners, and targets in the association's preload order (name asc).
struct Fixture {
    owners: Vec<i64>,
    targets: Vec<i64>,
    in_order: Vec<i64>,
}

fn fixture(client: &mut postgres::Client) -> Fixture {
    use mortise_tests::pg::reference::{actors, movies};
    mortise_tests::pg::reference::create_all(client).unwrap();
    let owners = (0..3)
        .map(|i| {
            movies::Movie::insert(
                client,
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
        .map(|n| {
            actors::Actor::insert(client, &actors::NewActor { name: (*n).into() })
                .unwrap()
                .id
        })
        .collect();
    Fixture {
        owners,
        in_order: targets.iter().rev().copied().collect(),
        targets,
    }
}

fn run(driver: &mut Driver, f: &Fixture, ops: &[Op]) -> Result<(), TestCaseError> {
    let key = |i: &usize| f.targets.get(*i).copied().unwrap_or(MISSING);
    let mut model: BTreeSet<(i64, i64)> = BTreeSet::new();
    for op in ops {
        match op {
            Op::Insert(o, t) | Op::Delete(o, t) | Op::Replace(o, t) => {
                let (owner, keys): (i64, Vec<i64>) = (f.owners[*o], t.iter().map(key).collect());
                let pairs: BTreeSet<(i64, i64)> = keys.iter().map(|k| (owner, *k)).collect();
                match op {
                    Op::Insert(..) => {
                        let result = driver.insert(owner, &keys);
                        if keys.contains(&MISSING) {
                            prop_assert!(result.is_err(), "{op:?} must fail");
                        } else {
                            prop_assert_eq!(
                                result.unwrap(),
                                pairs.difference(&model).count(),
                                "{:?}",
                                op
                            );
                            model.extend(pairs);
                        }
                    }
                    Op::Delete(..) => {
                        prop_assert_eq!(
                            driver.delete(owner, &keys).unwrap(),
                            pairs.intersection(&model).count(),
                            "{:?}",
                            op
                        );
                        model.retain(|p| !pairs.contains(p));
                    }
                    _ => {
                        let result = driver.replace(owner, &keys);
                        if keys.contains(&MISSING) {
                            prop_assert!(result.is_err(), "{op:?} must fail");
                        } else {
                            let had: BTreeSet<_> =
                                model.iter().filter(|(a, _)| *a == owner).copied().collect();
                            let expected = (
                                pairs.difference(&had).count(),
                                had.difference(&pairs).count(),
                            );
                            prop_assert_eq!(result.unwrap(), expected, "{:?}", op);
                            model.retain(|(a, _)| *a != owner);
                            model.extend(pairs);
                        }
                    }
                }
            }
            Op::Clear(o) => {
                let owner = f.owners[*o];
                prop_assert_eq!(
                    driver.clear(owner).unwrap(),
                    model.iter().filter(|(a, _)| *a == owner).count()
                );
                model.retain(|(a, _)| *a != owner);
            }
            Op::Count(o) => {
                let owner = f.owners[*o];
                prop_assert_eq!(
                    driver.count(owner).unwrap(),
                    model.iter().filter(|(a, _)| *a == owner).count() as u64
                );
            }
        }
        prop_assert_eq!(&driver.links(), &model, "join table after {:?}", op);
        let expected = |owner: i64| -> Vec<i64> {
            f.in_order
                .iter()
                .copied()
                .filter(|t| model.contains(&(owner, *t)))
                .collect()
        };
        for owner in &f.owners {
            prop_assert_eq!(
                driver.list(*owner).unwrap(),
                expected(*owner),
                "list after {:?}",
                op
            );
        }
        for (owner, loaded) in driver.preload_all().unwrap() {
            prop_assert_eq!(loaded, expected(owner), "preload after {:?}", op);
        }
    }
    // Leave the join table empty for the next sequence.
    for owner in &f.owners {
        driver.clear(*owner).unwrap();
    }
    Ok(())
}

/// Runs `cases` random sequences against `driver`, on one schema.
fn check(driver: &mut Driver, fixture: &Fixture, cases: u32) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    // The runner takes a `Fn`; the driver is used by one case at a time.
    let driver = std::cell::RefCell::new(driver);
    let outcome = runner.run(&prop::collection::vec(op(), 1..20), |ops| {
        run(&mut driver.borrow_mut(), fixture, &ops)
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn sync_driver_matches_the_model() {
    let Some(schema) = TestSchema::new("pgm_sync") else {
        return;
    };
    let mut client = schema.connect();
    let fixture = fixture(&mut client);
    check(&mut Driver::Sync(client), &fixture, 500);
}

#[test]
fn async_driver_matches_the_model() {
    if database_url("async_driver_matches_the_model").is_none() {
        return;
    }
    let Some(schema) = TestSchema::new("pgm_async") else {
        return;
    };
    let fixture = fixture(&mut schema.connect());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = runtime.block_on(async_client(schema.url(), schema.name()));
    check(&mut Driver::Async(runtime, client), &fixture, 500);
}
