//! Derives and attributes (golden case `derives`): rows that derive serde go
//! to JSON and back with what was preloaded; an association not loaded is
//! left out, and a preloaded belongs_to without a row is `null`.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_derives {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use derives::{authors, clubs, posts};

        #[test]
        fn rows_go_to_json_and_back_with_their_preloaded_associations() {
            let db = $crate::open_or_skip!(fresh("derives_json"));
            q!(db, derives::create_all()).unwrap();
            // A `New...` struct reads JSON too, with the table's `rename_all`.
            let new_ann: authors::NewAuthor =
                serde_json::from_str(r#"{"displayName": "Ann", "born": "1990-05-17"}"#).unwrap();
            let ann = q!(db, authors::Author::insert(&new_ann)).unwrap();
            let bob = q!(
                db,
                authors::Author::insert(&authors::NewAuthor { display_name: "Bob".into(), born: None })
            )
            .unwrap();
            let new_post = |title: &str, author_id: Option<i64>| posts::NewPost {
                title: title.into(),
                published_at: "2024-02-29T12:00:00Z".parse().unwrap(),
                price: "12.50".parse().unwrap(),
                meta: serde_json::json!({ "tags": ["a"] }),
                at: chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
                author_id,
            };
            let hello = q!(db, posts::Post::insert(&new_post("Hello", Some(ann.id)))).unwrap();
            let orphan = q!(db, posts::Post::insert(&new_post("Orphan", None))).unwrap();
            let new_club: clubs::NewClub = serde_json::from_str(r#"{"name": "Chess", "kind": "board-games"}"#).unwrap();
            assert_eq!(new_club.kind, derives::ClubKind::BoardGames, "{NAME}: an enum reads its value's text");
            assert!(serde_json::from_str::<clubs::NewClub>(r#"{"name": "Chess", "kind": "chess"}"#).is_err());
            let chess = q!(db, clubs::Club::insert(&new_club)).unwrap();
            assert_eq!(serde_json::to_value(&chess).unwrap()["kind"], "board-games", "{NAME}: and writes it");
            let link = authors::clubs::Link { role: "owner".into() };
            let membership = q!(db, authors::clubs::link(ann.id, chess.id, &link))
                .unwrap()
                .expect("a new link");
            assert_eq!(serde_json::to_value(authors::clubs::Link::default()).unwrap(), serde_json::json!({ "role": "member" }));

            let mut everyone = q!(db, authors::Author::all()).unwrap();
            q!(db, authors::posts::preload(everyone.iter_mut())).unwrap();
            q!(db, authors::clubs::preload_edges(everyone.iter_mut())).unwrap();
            let json = serde_json::to_string(&everyone).unwrap();
            // MariaDB's DECIMAL(38, 10) gives every value its 10 places.
            let price = if NAME == "sqlx-mysql" { "12.5000000000" } else { "12.50" };
            let post = |p: &posts::Post, author_id: &str| {
                format!(
                    r#"{{"id":"{}","title":"{}","published_at":"2024-02-29T12:00:00Z","price":"{price}","meta":{{"tags":["a"]}},"at":"08:30:00","author_id":{author_id}}}"#,
                    p.id, p.title
                )
            };
            // `clubs` was not preloaded: it is left out, as `NotLoaded`.
            let expected = format!(
                r#"[{{"id":{},"displayName":"Ann","born":"1990-05-17","posts":[{}],"clubsEdges":[{{"link":{{"id":{},"role":"owner","author_id":{},"club_id":{}}},"target":{{"id":{},"name":"Chess","kind":"board-games"}}}}]}},{{"id":{},"displayName":"Bob","born":null,"posts":[],"clubsEdges":[]}}]"#,
                ann.id,
                post(&hello, &ann.id.to_string()),
                membership.id,
                ann.id,
                chess.id,
                chess.id,
                bob.id,
            );
            assert_eq!(json, expected, "{NAME}");
            let back: Vec<authors::Author> = serde_json::from_str(&json).unwrap();
            assert_eq!(back, everyone, "{NAME}: the same rows, `clubs` still NotLoaded");
            assert!(!back[0].clubs.is_loaded());

            // A preloaded belongs_to without a row is `null`, and comes back
            // loaded (`Loaded(None)`), not `NotLoaded`.
            let mut posts = q!(db, posts::Post::all()).unwrap();
            posts.sort_by(|a, b| a.title.cmp(&b.title));
            q!(db, posts::author::preload(posts.iter_mut())).unwrap();
            let json = serde_json::to_string(&posts).unwrap();
            let ann_json = format!(r#"{{"id":{},"displayName":"Ann","born":"1990-05-17"}}"#, ann.id);
            let with_author = |p: &posts::Post, author_id: &str, author: &str| {
                let mut text = post(p, author_id);
                text.truncate(text.len() - 1);
                format!(r#"{text},"author":{author}}}"#)
            };
            let expected = format!(
                "[{},{}]",
                with_author(&hello, &ann.id.to_string(), &ann_json),
                with_author(&orphan, "null", "null"),
            );
            assert_eq!(json, expected, "{NAME}");
            let back: Vec<posts::Post> = serde_json::from_str(&json).unwrap();
            assert_eq!(back, posts, "{NAME}");
            assert_eq!(back[1].author, derives::Loaded::Loaded(None));

            // `clubs` derives `Hash` beside the defaults' derives.
            let set: std::collections::HashSet<clubs::Club> = [chess.clone(), chess].into();
            assert_eq!(set.len(), 1);
        }
    };
}
