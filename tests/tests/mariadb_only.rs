//! What only the MariaDB backend does; everything else is in the behaviour
//! suite (`tests/behaviour.rs`). Needs `MYSQL_URL`.
//!
//! A link `insert` and a `replace` are each ONE compound statement there
//! (`BEGIN NOT ATOMIC … END`, see `sql::blocks`), atomic on the server
//! however the client ends: a caller that drops the future once it is sent
//! gets all of the call or none, and the connection goes on in the state it
//! was in.

use std::task::Poll;
use std::time::Duration;

use mortise_tests::suite::mariadb::*;
use reference::{actors, movies};

fn links(db: &Db) -> Vec<(i64, i64)> {
    db.pairs("SELECT movie_id, actor_id FROM movies_actors ORDER BY 1, 2")
}

/// Polls `call` one to four times (as `round` says), letting the server
/// work a while between polls, then drops it; whether it ended first. Its
/// first poll sends the statement.
async fn polled_then_dropped<T>(call: impl Future<Output = T>, round: u64) -> bool {
    let mut call = std::pin::pin!(call);
    for poll in 0..=round % 4 {
        if poll > 0 {
            std::thread::sleep(Duration::from_micros(40 * (round % 7)));
            tokio::task::yield_now().await;
        }
        let ready = std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx).is_ready())).await;
        if ready {
            return true;
        }
    }
    false
}

#[test]
fn a_link_write_dropped_mid_call_writes_all_of_it_or_none() {
    let Some(db) = Db::fresh("dropped_link_writes") else {
        return;
    };
    q!(db, reference::create_all()).unwrap();
    let movie = q!(
        db,
        movies::Movie::insert(&movies::NewMovie {
            title: "m".into(),
            ..Default::default()
        })
    )
    .unwrap();
    let actor = |name: &str| {
        q!(
            db,
            actors::Actor::insert(&actors::NewActor { name: name.into() })
        )
        .unwrap()
        .id
    };
    let cast: Vec<i64> = (0..40).map(|n| actor(&format!("a{n}"))).collect();
    // Two sets that overlap by half: each replace removes 20 links and adds 20.
    let sets = [&cast[..30], &cast[10..]];

    // The calls under test run on a connection of their own; `db`'s reads
    // what they committed. A first call, run to its end, prepares the
    // statement there: a future dropped while sqlx reads a statement's
    // preparation leaves the connection out of step with the server (sqlx
    // issue #563, any statement), which is sqlx's to fix.
    let mut conn = db.connect();
    let prepared = db.block_on(movies::actors::replace(&mut conn, movie.id, sets[0]));
    assert_eq!(prepared.unwrap().added, 30);
    let as_links =
        |set: &[i64]| -> Vec<(i64, i64)> { set.iter().map(|a| (movie.id, *a)).collect() };
    let (mut whole, mut none, mut dropped) = (0, 0, 0);
    for round in 0..200u64 {
        let before = links(&db);
        let wanted = if before == as_links(sets[0]) {
            sets[1]
        } else {
            sets[0]
        };
        let in_callers_transaction = round % 3 == 0;
        let (ended, open) = db.block_on(async {
            if in_callers_transaction {
                sqlx::query("START TRANSACTION")
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            let call = movies::actors::replace(&mut conn, movie.id, wanted);
            let ended = polled_then_dropped(call, round).await;
            if in_callers_transaction {
                sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
            }
            // The connection's next statement waits for the dropped call's
            // answer, so the server is done with it after this.
            let open: u64 = sqlx::query_scalar("SELECT @@in_transaction")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            (ended, open)
        });
        assert_eq!(open, 0, "round {round}: no transaction left open");
        dropped += u32::from(!ended);
        let after = links(&db);
        if after == as_links(wanted) {
            whole += 1;
        } else {
            assert_eq!(
                after, before,
                "round {round}: all of the replace or none of it"
            );
            none += 1;
        }
    }
    // Once sent, the server runs it whole: a round writes nothing only when
    // it was dropped before its statement left.
    eprintln!(
        "{whole} rounds replaced, {none} wrote nothing; {dropped} dropped before their answer"
    );
    assert!(dropped > 0 && dropped < 200, "the waits span the call");

    // A link insert, the same way, once its statement is prepared.
    let (extra, first) = (actor("extra"), actor("first"));
    let added = db.block_on(movies::actors::insert(&mut conn, movie.id, &[first]));
    assert_eq!(added.unwrap(), 1);
    let one = [extra];
    db.block_on(async {
        polled_then_dropped(movies::actors::insert(&mut conn, movie.id, &one), 0).await;
        sqlx::query("DO 0").execute(&mut conn).await.unwrap();
    });
    let count = links(&db).iter().filter(|(_, a)| *a == extra).count();
    assert!(count <= 1, "a link is stored once or not at all");
    assert_eq!(
        q!(db, movies::actors::insert(movie.id, &[extra])).unwrap(),
        1 - count
    );
}
