//! Ecto-style polymorphism on PostgreSQL, both drivers (golden case
//! `polymorphic`): one struct stored in a table per association. Needs
//! `DATABASE_URL`.

use mortise_tests::pg::polymorphic::{comments, posts, users, videos};
use mortise_tests::pg_async::polymorphic as async_schema;
use mortise_tests::pg_support::{TestSchema, async_client};

fn comment(body: &str, score: i32, author: Option<i64>) -> comments::NewComment {
    comments::NewComment {
        body: body.into(),
        score,
        author_id: author,
        ..Default::default()
    }
}

#[test]
fn stored_associations_on_the_sync_driver() {
    let Some(schema) = TestSchema::new("pg_polymorphic") else {
        return;
    };
    let db = &mut schema.connect();
    mortise_tests::pg::polymorphic::create_all(db).unwrap();
    let ann = users::User::insert(db, &users::NewUser { name: "Ann".into() }).unwrap();
    let post = posts::Post::insert(db, &posts::NewPost { title: "p".into() }).unwrap();
    let video = videos::Video::insert(db, &videos::NewVideo { url: "v".into() }).unwrap();

    let on_post = posts::comments::insert(db, post.id, &comment("low", 1, Some(ann.id))).unwrap();
    posts::comments::insert(db, post.id, &comment("high", 5, None)).unwrap();
    let mut on_video =
        videos::comments::insert(db, video.id, &comment("v", 0, Some(ann.id))).unwrap();
    assert_eq!(on_post.id, on_video.id, "each table has its own keys");
    assert_eq!(on_post.assoc_id, post.id);

    let mut all = posts::Post::all(db).unwrap();
    posts::comments::preload(db, all.iter_mut()).unwrap();
    let bodies: Vec<&str> = all[0].comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["high", "low"], "preload_order: score desc");
    assert_eq!(videos::comments::count(db, video.id).unwrap(), 1);
    assert_eq!(videos::commenters::list(db, video.id).unwrap(), [ann]);

    on_video.body = "edited".into();
    assert!(videos::comments::update(db, &mut on_video).unwrap());
    assert_eq!(
        videos::comments::list(db, video.id).unwrap(),
        [on_video.clone()]
    );
    assert_eq!(posts::comments::list(db, post.id).unwrap()[1].body, "low");
    assert!(posts::comments::insert(db, 404, &comment("x", 0, None)).is_err());

    assert!(posts::Post::delete(db, post.id).unwrap());
    let left = |db: &mut postgres::Client, table: &str| -> i64 {
        db.query_one(&format!("SELECT count(*) FROM \"{table}\""), &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(left(db, "post_comments"), 0);
    assert_eq!(left(db, "video_comments"), 1);
    assert!(videos::comments::delete(db, on_video.id).unwrap());
    assert_eq!(left(db, "video_comments"), 0);
}

#[tokio::test]
async fn stored_associations_on_the_async_driver() {
    let Some(schema) = TestSchema::new("pga_polymorphic") else {
        return;
    };
    let db = async_client(schema.url(), schema.name()).await;
    async_schema::create_all(&db).await.unwrap();
    let video = async_schema::videos::Video::insert(
        &db,
        &async_schema::videos::NewVideo { url: "v".into() },
    )
    .await
    .unwrap();
    let new = async_schema::comments::NewComment {
        body: "pinned".into(),
        score: 100,
        ..Default::default()
    };
    let pin = async_schema::videos::pinned::insert(&db, video.id, &new)
        .await
        .unwrap();
    let mut all = async_schema::videos::Video::all(&db).await.unwrap();
    async_schema::videos::pinned::preload(&db, all.iter_mut())
        .await
        .unwrap();
    assert_eq!(all[0].pinned.iter().next(), Some(&pin));
    assert!(
        async_schema::videos::pinned::delete(&db, pin.id)
            .await
            .unwrap()
    );
    assert_eq!(
        async_schema::videos::pinned::get(&db, video.id)
            .await
            .unwrap(),
        None
    );
}
