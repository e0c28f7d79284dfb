//! The `tokio-postgres` (async) backend against the real server: the same
//! helpers as the sync suite, and concurrency: 16 tasks appending overlapping
//! links to one owner, and replace racing insert. Needs `DATABASE_URL`.

use std::collections::BTreeSet;

use mortise_tests::pg_async::reference::{
    Changes, Loaded, actors, characters, movies, posts, tags,
};
use mortise_tests::pg_support::{TestSchema, async_client};
use tokio_postgres::Client;

/// A fresh schema with the reference tables (made with the sync client, which
/// also drops it), and an async client into it.
async fn reference(test: &str) -> Option<(TestSchema, Client)> {
    let schema = TestSchema::new(test)?;
    let client = async_client(schema.url(), schema.name()).await;
    mortise_tests::pg_async::reference::create_all(&client)
        .await
        .unwrap();
    Some((schema, client))
}

async fn link_set(db: &Client, owner: i64) -> BTreeSet<i64> {
    db.query(
        "SELECT tag_id FROM posts_tags WHERE post_id = $1",
        &[&owner],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[tokio::test]
async fn crud_preload_and_links() {
    let Some((_schema, mut db)) = reference("pga_basics").await else {
        return;
    };
    let rpo = movies::Movie::insert(
        &db,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let hackers = movies::Movie::insert(
        &db,
        &movies::NewMovie {
            title: "Hackers".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    characters::Character::insert(
        &db,
        &characters::NewCharacter {
            name: "Wade".into(),
            movie_id: rpo.id,
        },
    )
    .await
    .unwrap();
    let tye = actors::Actor::insert(&db, &actors::NewActor { name: "Tye".into() })
        .await
        .unwrap();
    let olivia = actors::Actor::insert(
        &db,
        &actors::NewActor {
            name: "Olivia".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        movies::actors::insert(&db, rpo.id, &[tye.id, olivia.id])
            .await
            .unwrap(),
        2
    );
    movies::actors::insert(&db, hackers.id, &[olivia.id])
        .await
        .unwrap();

    let mut all = movies::Movie::all(&db).await.unwrap();
    movies::characters::preload(&db, all.iter_mut())
        .await
        .unwrap();
    movies::actors::preload(&db, all.iter_mut()).await.unwrap();
    actors::movies::preload(&db, all.iter_mut().flat_map(|m| m.actors.iter_mut()))
        .await
        .unwrap();
    assert_eq!(
        all[0]
            .characters
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Wade"]
    );
    assert_eq!(all[1].characters, Loaded::Loaded(Vec::new()));
    let cast: Vec<(&str, usize)> = all[0]
        .actors
        .iter()
        .map(|a| (a.name.as_str(), a.movies.iter().count()))
        .collect();
    assert_eq!(cast, [("Olivia", 2), ("Tye", 1)]);

    assert_eq!(
        movies::actors::replace(&mut db, rpo.id, &[olivia.id])
            .await
            .unwrap(),
        Changes {
            added: 0,
            removed: 1
        }
    );
    assert!(
        movies::actors::replace(&mut db, rpo.id, &[tye.id, 999])
            .await
            .is_err()
    );
    assert_eq!(
        movies::actors::count(&db, rpo.id).await.unwrap(),
        1,
        "the failed replace changed nothing"
    );
    assert_eq!(movies::actors::clear(&db, rpo.id).await.unwrap(), 1);
    assert!(movies::Movie::delete(&mut db, rpo.id).await.unwrap());
    assert!(
        characters::Character::all(&db).await.unwrap().is_empty(),
        "on_delete: delete_all"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_tasks_appending_overlapping_links_store_each_once() {
    let Some((schema, db)) = reference("pga_appends").await else {
        return;
    };
    let post = posts::Post::insert(
        &db,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut tag_ids = Vec::new();
    for i in 0..40 {
        tag_ids.push(
            tags::Tag::insert(
                &db,
                &tags::NewTag {
                    name: format!("t{i}"),
                },
            )
            .await
            .unwrap()
            .id,
        );
    }
    // Task i links tags i..i+10 (mod 40): every tag is appended by ten tasks.
    let mut tasks = Vec::new();
    for i in 0..16usize {
        let (url, name) = (schema.url().to_owned(), schema.name().to_owned());
        let mine: Vec<i64> = (0..10).map(|k| tag_ids[(i * 3 + k) % 40]).collect();
        tasks.push(tokio::spawn(async move {
            let client = async_client(&url, &name).await;
            let mut added = 0;
            for _ in 0..5 {
                added += posts::tags::insert(&client, post.id, &mine).await.unwrap();
            }
            added
        }));
    }
    let mut added = 0;
    for task in tasks {
        added += task.await.expect("no task panics");
    }
    let expected: BTreeSet<i64> = (0..16usize)
        .flat_map(|i| (0..10).map(move |k| (i * 3 + k) % 40))
        .map(|k| tag_ids[k])
        .collect();
    assert_eq!(link_set(&db, post.id).await, expected);
    assert_eq!(added, expected.len(), "each link was new exactly once");
    let stored: i64 = db
        .query_one("SELECT count(*) FROM posts_tags", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored as usize, expected.len(), "no duplicates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replace_racing_insert_ends_in_a_serial_order() {
    let Some((schema, db)) = reference("pga_race").await else {
        return;
    };
    let post = posts::Post::insert(
        &db,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(
            tags::Tag::insert(
                &db,
                &tags::NewTag {
                    name: format!("t{i}"),
                },
            )
            .await
            .unwrap()
            .id,
        );
    }
    let replacement: Vec<i64> = ids[..4].to_vec();
    let appended: Vec<i64> = ids[3..].to_vec();
    let only_replace: BTreeSet<i64> = replacement.iter().copied().collect();
    let replace_then_insert: BTreeSet<i64> = replacement.iter().chain(&appended).copied().collect();
    let (mut a, b) = (
        async_client(schema.url(), schema.name()).await,
        async_client(schema.url(), schema.name()).await,
    );
    let mut seen = BTreeSet::new();
    for round in 0..50 {
        posts::tags::clear(&db, post.id).await.unwrap();
        posts::tags::insert(&db, post.id, &ids[6..]).await.unwrap();
        let (replaced, inserted) = tokio::join!(
            posts::tags::replace(&mut a, post.id, &replacement),
            posts::tags::insert(&b, post.id, &appended)
        );
        replaced.unwrap();
        inserted.unwrap();
        let state = link_set(&db, post.id).await;
        assert!(
            state == only_replace || state == replace_then_insert,
            "round {round}: {state:?} is no serial order"
        );
        seen.insert(state == only_replace);
    }
    eprintln!(
        "serial orders seen: insert-then-replace {}, replace-then-insert {}",
        seen.contains(&true),
        seen.contains(&false)
    );
}
