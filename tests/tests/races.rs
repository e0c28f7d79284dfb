//! Scratch proofs of issue 11's correctness fixes (moved into the suite).

use std::collections::BTreeSet;
use std::sync::Barrier;

use mortise_tests::pg::reference::{actors, characters, movies};
use mortise_tests::pg_support::TestSchema;

fn setup(test: &str) -> Option<(TestSchema, i64, Vec<i64>)> {
    let schema = TestSchema::new(test)?;
    let mut db = schema.connect();
    mortise_tests::pg::reference::create_all(&mut db).unwrap();
    let movie = movies::Movie::insert(
        &mut db,
        &movies::NewMovie {
            title: "m".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let actors: Vec<i64> = (0..40)
        .map(|i| {
            actors::Actor::insert(
                &mut db,
                &actors::NewActor {
                    name: format!("a{i}"),
                },
            )
            .unwrap()
            .id
        })
        .collect();
    Some((schema, movie.id, actors))
}

/// A small deterministic shuffle (xorshift), seeded per writer and round.
fn shuffled(mut ids: Vec<i64>, seed: u64) -> Vec<i64> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..ids.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ids.swap(i, (x % (i as u64 + 1)) as usize);
    }
    ids
}

#[test]
fn sixteen_writers_linking_in_random_orders_never_deadlock() {
    let Some((schema, movie, ids)) = setup("deadlock") else {
        return;
    };
    let start = Barrier::new(16);
    let errors: Vec<String> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..16u64)
            .map(|w| {
                let (schema, start, ids) = (&schema, &start, &ids);
                scope.spawn(move || {
                    let mut db = schema.connect();
                    start.wait();
                    let mut errors = Vec::new();
                    for round in 0..160u64 {
                        let mine: Vec<i64> = ids.iter().copied().filter(|id| (id + w as i64 + round as i64) % 3 != 0).collect();
                        let mine = shuffled(mine, w * 1000 + round);
                        if let Err(e) = movies::actors::insert(&mut db, movie, &mine) {
                            errors.push(e.to_string());
                        }
                    }
                    errors
                })
            })
            .collect();
        threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
    });
    assert!(errors.is_empty(), "{} errors, e.g. {:?}", errors.len(), errors.first());
    let mut db = schema.connect();
    let linked: BTreeSet<i64> = movies::actors::list(&mut db, movie).unwrap().iter().map(|a| a.id).collect();
    assert_eq!(linked, ids.iter().copied().collect());
}

#[test]
fn owner_delete_racing_a_child_insert_ends_in_a_serial_order() {
    let Some((schema, _, _)) = setup("delete_race") else {
        return;
    };
    let mut db = schema.connect();
    // As in a database mortise did not create: the child's foreign key has
    // no ON DELETE CASCADE, so `delete` itself must find every child.
    db.batch_execute(
        "ALTER TABLE characters DROP CONSTRAINT characters_movie_id_fkey, \
         ADD CONSTRAINT characters_movie_id_fkey FOREIGN KEY (movie_id) REFERENCES movies (id)",
    )
    .unwrap();
    for round in 0..5 {
        let movie = movies::Movie::insert(
            &mut db,
            &movies::NewMovie {
                title: format!("r{round}"),
                ..Default::default()
            },
        )
        .unwrap();
        let inserted = Barrier::new(2);
        let (deleted, child) = std::thread::scope(|scope| {
            let child = scope.spawn(|| {
                let mut other = schema.connect();
                let mut tx = other.transaction().unwrap();
                let child = characters::Character::insert(
                    &mut tx,
                    &characters::NewCharacter {
                        name: "c".into(),
                        movie_id: movie.id,
                    },
                );
                inserted.wait();
                // The delete now waits on the movie row this insert's foreign key locked.
                std::thread::sleep(std::time::Duration::from_millis(200));
                child.and_then(|_| tx.commit())
            });
            inserted.wait();
            let deleted = movies::Movie::delete(&mut db, movie.id);
            (deleted, child.join().unwrap())
        });
        // Serial: the insert, then the delete (which deletes the child too).
        child.expect("the child insert committed first");
        assert_eq!(deleted.expect("the delete saw the child and deleted it"), true);
        let left: i64 = db
            .query_one("SELECT count(*) FROM characters WHERE movie_id = $1", &[&movie.id])
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
    }
}
