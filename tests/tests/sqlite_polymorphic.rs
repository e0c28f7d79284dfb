//! Ecto-style polymorphism on SQLite (golden case `polymorphic`): one struct,
//! `Comment`, stored in a table per association, each written, read,
//! preloaded, counted and deleted through its association.

use mortise_tests::polymorphic::{comments, posts, users, videos};
use rusqlite::Connection;

fn database() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    mortise_tests::polymorphic::create_all(&db).unwrap();
    db
}

fn comment(body: &str, score: i32, author: Option<i64>) -> comments::NewComment {
    comments::NewComment {
        body: body.into(),
        score,
        author_id: author,
        ..Default::default()
    }
}

fn count(db: &Connection, table: &str) -> i64 {
    db.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

#[test]
fn one_struct_lives_in_a_table_per_association() {
    let db = database();
    let ann = users::User::insert(&db, &users::NewUser { name: "Ann".into() }).unwrap();
    let bob = users::User::insert(&db, &users::NewUser { name: "Bob".into() }).unwrap();
    let post = posts::Post::insert(&db, &posts::NewPost { title: "p".into() }).unwrap();
    let video = videos::Video::insert(&db, &videos::NewVideo { url: "v".into() }).unwrap();

    // Rows of the same struct, with the same ids, in different tables.
    let on_post = posts::comments::insert(&db, post.id, &comment("low", 1, Some(ann.id))).unwrap();
    posts::comments::insert(&db, post.id, &comment("high", 5, Some(bob.id))).unwrap();
    let on_video =
        videos::comments::insert(&db, video.id, &comment("watch", 0, Some(ann.id))).unwrap();
    videos::comments::insert(&db, video.id, &comment("again", 0, Some(ann.id))).unwrap();
    assert_eq!(on_post.id, on_video.id, "each table has its own keys");
    assert_eq!(on_post.assoc_id, post.id, "the owner's key, set by insert");
    assert_eq!(count(&db, "post_comments"), 2);
    assert_eq!(count(&db, "video_comments"), 2);
    assert_eq!(
        count(&db, "comments"),
        0,
        "the struct's own table is untouched"
    );

    // Reads: list, count, preload (preload_order: score desc).
    let bodies = |rows: &[comments::Comment]| -> Vec<String> {
        rows.iter().map(|c| c.body.clone()).collect()
    };
    assert_eq!(
        bodies(&posts::comments::list(&db, post.id).unwrap()),
        ["high", "low"]
    );
    assert_eq!(videos::comments::count(&db, video.id).unwrap(), 2);
    let mut all = posts::Post::all(&db).unwrap();
    posts::comments::preload(&db, all.iter_mut()).unwrap();
    assert_eq!(bodies(all[0].comments.get().unwrap()), ["high", "low"]);
    // The struct's own associations work on rows of any of its tables.
    let mut loaded = all[0].comments.get().unwrap().clone();
    comments::author::preload(&db, loaded.iter_mut()).unwrap();
    assert_eq!(
        loaded[0].author.get().unwrap().as_ref().unwrap().name,
        "Bob"
    );

    // A through path over a stored association: the video's commenters.
    let commenters = videos::commenters::list(&db, video.id).unwrap();
    assert_eq!(commenters, std::slice::from_ref(&ann), "distinct");

    // A filtered has_one stored the same way.
    assert_eq!(videos::pinned::get(&db, video.id).unwrap(), None);
    let pin = videos::pinned::insert(&db, video.id, &comment("pinned", 100, None)).unwrap();
    assert_eq!(videos::pinned::get(&db, video.id).unwrap(), Some(pin));

    // update and delete find the row in the association's table.
    let mut changed = on_video.clone();
    changed.body = "edited".into();
    assert!(videos::comments::update(&db, &mut changed).unwrap());
    assert!(changed.updated_at >= on_video.updated_at);
    assert_eq!(
        videos::comments::list(&db, video.id).unwrap()[0].body,
        "edited"
    );
    assert_eq!(posts::comments::list(&db, post.id).unwrap()[1].body, "low");
    assert!(videos::comments::delete(&db, on_video.id).unwrap());
    assert!(!videos::comments::delete(&db, on_video.id).unwrap());
    assert_eq!(posts::comments::count(&db, post.id).unwrap(), 2);

    // An owner that does not exist is refused by the table's foreign key.
    assert!(posts::comments::insert(&db, 404, &comment("x", 0, None)).is_err());

    // on_delete: delete_all removes the owner's rows from its own table only.
    assert!(posts::Post::delete(&db, post.id).unwrap());
    assert_eq!(count(&db, "post_comments"), 0);
    assert_eq!(count(&db, "video_comments"), 1);
}
