//! Ecto-style polymorphism (golden case `polymorphic`): one struct,
//! `Comment`, stored in a table per association, each written, read,
//! preloaded, counted and deleted through its association.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_polymorphic {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use polymorphic::{comments, posts, users, videos};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, polymorphic::create_all()).unwrap();
            Some(db)
        }

        fn comment(body: &str, score: i32, author: Option<i64>) -> comments::NewComment {
            comments::NewComment { body: body.into(), score, author_id: author, ..Default::default() }
        }

        #[test]
        fn one_struct_lives_in_a_table_per_association() {
            let Some(db) = database("polymorphic") else { return };
            let ann = q!(db, users::User::insert(&users::NewUser { name: "Ann".into() })).unwrap();
            let bob = q!(db, users::User::insert(&users::NewUser { name: "Bob".into() })).unwrap();
            let post = q!(db, posts::Post::insert(&posts::NewPost { title: "p".into() })).unwrap();
            let video = q!(db, videos::Video::insert(&videos::NewVideo { url: "v".into() })).unwrap();

            // Rows of the same struct, with the same ids, in different tables.
            let on_post = q!(db, posts::comments::insert(post.id, &comment("low", 1, Some(ann.id)))).unwrap();
            q!(db, posts::comments::insert(post.id, &comment("high", 5, Some(bob.id)))).unwrap();
            let on_video =
                q!(db, videos::comments::insert(video.id, &comment("watch", 0, Some(ann.id)))).unwrap();
            q!(db, videos::comments::insert(video.id, &comment("again", 0, Some(ann.id)))).unwrap();
            assert_eq!(on_post.id, on_video.id, "each table has its own keys");
            assert_eq!(on_post.assoc_id, post.id, "the owner's key, set by insert");
            assert_eq!(db.count("post_comments"), 2);
            assert_eq!(db.count("video_comments"), 2);
            assert_eq!(
                db.count("comments"),
                0,
                "the struct's own table is untouched"
            );

            // Reads: list, count, preload (preload_order: score desc).
            let bodies = |rows: &[comments::Comment]| -> Vec<String> {
                rows.iter().map(|c| c.body.clone()).collect()
            };
            assert_eq!(
                bodies(&q!(db, posts::comments::list(post.id)).unwrap()),
                ["high", "low"]
            );
            assert_eq!(q!(db, videos::comments::count(video.id)).unwrap(), 2);
            let mut all = q!(db, posts::Post::all()).unwrap();
            q!(db, posts::comments::preload(all.iter_mut())).unwrap();
            assert_eq!(bodies(all[0].comments.get().unwrap()), ["high", "low"]);
            // The struct's own associations work on rows of any of its tables.
            let mut loaded = all[0].comments.get().unwrap().clone();
            q!(db, comments::author::preload(loaded.iter_mut())).unwrap();
            assert_eq!(
                loaded[0].author.get().unwrap().as_ref().unwrap().name,
                "Bob"
            );

            // A through path over a stored association: the video's commenters.
            let commenters = q!(db, videos::commenters::list(video.id)).unwrap();
            assert_eq!(commenters, std::slice::from_ref(&ann), "distinct");

            // A filtered has_one stored the same way: get, preload, delete.
            assert_eq!(q!(db, videos::pinned::get(video.id)).unwrap(), None);
            let pin = q!(db, videos::pinned::insert(video.id, &comment("pinned", 100, None))).unwrap();
            assert_eq!(q!(db, videos::pinned::get(video.id)).unwrap(), Some(pin.clone()));
            let mut all_videos = q!(db, videos::Video::all()).unwrap();
            q!(db, videos::pinned::preload(all_videos.iter_mut())).unwrap();
            assert_eq!(all_videos[0].pinned.iter().next(), Some(&pin));
            assert!(q!(db, videos::pinned::delete(pin.id)).unwrap());
            assert_eq!(q!(db, videos::pinned::get(video.id)).unwrap(), None);

            // update and delete find the row in the association's table.
            let mut changed = on_video.clone();
            changed.body = "edited".into();
            assert!(q!(db, videos::comments::update(&mut changed)).unwrap());
            assert!(changed.updated_at >= on_video.updated_at);
            assert_eq!(q!(db, videos::comments::list(video.id)).unwrap()[0], changed, "what update set is stored");
            assert_eq!(q!(db, posts::comments::list(post.id)).unwrap()[1].body, "low");
            assert!(q!(db, videos::comments::delete(on_video.id)).unwrap());
            assert!(!q!(db, videos::comments::delete(on_video.id)).unwrap());
            assert_eq!(q!(db, posts::comments::count(post.id)).unwrap(), 2);

            // An owner that does not exist is refused by the table's foreign key.
            assert!(q!(db, posts::comments::insert(404, &comment("x", 0, None))).is_err());

            // on_delete: delete_all removes the owner's rows from its own table only.
            assert!(q!(db, posts::Post::delete(post.id)).unwrap());
            assert_eq!(db.count("post_comments"), 0);
            assert_eq!(db.count("video_comments"), 1);
        }

    };
}
