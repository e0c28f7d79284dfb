//! Every association helper of the reference schema against real SQLite:
//! list/get, count, one-query preloads (nested, empty, 100,000 owners,
//! repeated owners), join-table sync (GORM's append/delete/replace/clear),
//! atomicity, foreign-key failures, and `on_delete`.

use generated::{
    Changes, Loaded, actors, characters, chat_group_users, chat_groups, distributors, movies,
    posts, tags, users,
};
use mortise_tests::sqlite_support::Selects;
use rusqlite::Connection;

/// A database with the schema, foreign keys on, counting the SELECTs run.
struct Db {
    conn: Connection,
    selects: Selects,
}

impl Db {
    fn new() -> Db {
        Db::with_foreign_keys(true)
    }

    fn with_foreign_keys(on: bool) -> Db {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })
        .unwrap();
        generated::create_all(&conn).unwrap();
        let selects = Selects::count_on(&mut conn);
        Db { conn, selects }
    }

    /// How many SELECT statements ran since the last call.
    fn selects(&self) -> usize {
        self.selects.take()
    }

    fn movie(&self, title: &str) -> movies::Movie {
        movies::Movie::insert(
            &self.conn,
            &movies::NewMovie {
                title: title.into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn actor(&self, name: &str) -> actors::Actor {
        actors::Actor::insert(&self.conn, &actors::NewActor { name: name.into() }).unwrap()
    }

    fn character(&self, name: &str, movie: &movies::Movie) -> characters::Character {
        characters::Character::insert(
            &self.conn,
            &characters::NewCharacter {
                name: name.into(),
                movie_id: movie.id,
            },
        )
        .unwrap()
    }

    fn user(&self, name: &str) -> users::User {
        users::User::insert(
            &self.conn,
            &users::NewUser {
                name: name.into(),
                email: None,
            },
        )
        .unwrap()
    }

    fn links(&self, table: &str) -> Vec<(i64, i64)> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

fn names<T>(rows: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| name(r).to_owned()).collect()
}

#[test]
fn has_many_list_count_and_preload_including_owners_without_rows() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    let hackers = db.movie("Hackers");
    let empty = db.movie("Empty");
    for name in ["Wade Watts", "Art3mis", "Aech"] {
        db.character(name, &rpo);
    }
    db.character("Zero Cool", &hackers);

    let listed = movies::characters::list(&db.conn, rpo.id).unwrap();
    assert_eq!(
        names(&listed, |c| &c.name),
        ["Wade Watts", "Art3mis", "Aech"],
        "key order without preload_order"
    );
    assert_eq!(movies::characters::count(&db.conn, rpo.id).unwrap(), 3);
    assert_eq!(movies::characters::count(&db.conn, empty.id).unwrap(), 0);
    assert!(
        movies::characters::list(&db.conn, empty.id)
            .unwrap()
            .is_empty()
    );

    let mut all = movies::Movie::all(&db.conn).unwrap();
    assert!(all.iter().all(|m| m.characters == Loaded::NotLoaded));
    db.selects();
    movies::characters::preload(&db.conn, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1, "one query for every owner");
    assert_eq!(all[0].characters.get().unwrap(), &listed);
    assert_eq!(
        names(all[1].characters.get().unwrap(), |c| &c.name),
        ["Zero Cool"]
    );
    assert_eq!(
        all[2].characters,
        Loaded::Loaded(Vec::new()),
        "an owner without rows gets an empty list"
    );
}

#[test]
fn has_one_and_belongs_to() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    let hackers = db.movie("Hackers");
    let netflix = distributors::Distributor::insert(
        &db.conn,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: rpo.id,
        },
    )
    .unwrap();
    let wade = db.character("Wade Watts", &rpo);

    assert_eq!(
        movies::distributor::get(&db.conn, rpo.id).unwrap().as_ref(),
        Some(&netflix)
    );
    assert_eq!(
        movies::distributor::get(&db.conn, hackers.id).unwrap(),
        None
    );
    assert_eq!(movies::distributor::count(&db.conn, rpo.id).unwrap(), 1);

    let mut all = movies::Movie::all(&db.conn).unwrap();
    movies::distributor::preload(&db.conn, all.iter_mut()).unwrap();
    assert_eq!(all[0].distributor, Loaded::Loaded(Some(Box::new(netflix))));
    assert_eq!(all[1].distributor, Loaded::Loaded(None));

    assert_eq!(
        characters::movie::get(&db.conn, wade.movie_id)
            .unwrap()
            .as_ref(),
        Some(&rpo)
    );
    let mut cast = characters::Character::all(&db.conn).unwrap();
    db.selects();
    characters::movie::preload(&db.conn, cast.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    assert_eq!(cast[0].movie.iter().next(), Some(&rpo));
}

#[test]
fn belongs_to_with_a_null_key_loads_none() {
    let db = Db::new();
    let ann = db.user("Ann");
    let new = |author_id| posts::NewPost {
        title: "t".into(),
        body: "b".into(),
        published: false,
        author_id,
    };
    let signed = posts::Post::insert(&db.conn, &new(Some(ann.id))).unwrap();
    let anonymous = posts::Post::insert(&db.conn, &new(None)).unwrap();
    let mut both = [signed, anonymous];
    posts::author::preload(&db.conn, both.iter_mut()).unwrap();
    assert_eq!(
        both[0].author.iter().next().map(|u| u.name.as_str()),
        Some("Ann")
    );
    assert_eq!(both[1].author, Loaded::Loaded(None));
}

#[test]
fn many_to_many_in_both_directions_honours_preload_order() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    let hackers = db.movie("Hackers");
    let (tye, olivia, angelina) = (
        db.actor("Tye Sheridan"),
        db.actor("Olivia Cooke"),
        db.actor("Angelina Jolie"),
    );
    assert_eq!(
        movies::actors::insert(&db.conn, rpo.id, &[tye.id, olivia.id]).unwrap(),
        2
    );
    assert_eq!(
        movies::actors::insert(&db.conn, hackers.id, &[angelina.id]).unwrap(),
        1
    );
    // The back-reference reads the same join table from the other side.
    assert_eq!(
        actors::movies::insert(&db.conn, olivia.id, &[hackers.id]).unwrap(),
        1
    );

    // `preload_order: [name asc]`, whatever the insertion order.
    let cast = movies::actors::list(&db.conn, rpo.id).unwrap();
    assert_eq!(names(&cast, |a| &a.name), ["Olivia Cooke", "Tye Sheridan"]);
    assert_eq!(movies::actors::count(&db.conn, hackers.id).unwrap(), 2);
    let films = actors::movies::list(&db.conn, olivia.id).unwrap();
    assert_eq!(
        names(&films, |m| &m.title),
        ["Ready Player One", "Hackers"],
        "key order on the side without preload_order"
    );
}

#[test]
fn nested_preload_is_one_query_per_level() {
    let db = Db::new();
    let movies_: Vec<_> = (0..20).map(|i| db.movie(&format!("movie {i}"))).collect();
    let actors_: Vec<_> = (0..30)
        .map(|i| db.actor(&format!("actor {i:02}")))
        .collect();
    for (i, movie) in movies_.iter().enumerate() {
        let cast: Vec<i64> = actors_.iter().skip(i).step_by(7).map(|a| a.id).collect();
        movies::actors::insert(&db.conn, movie.id, &cast).unwrap();
    }

    let mut all = movies::Movie::all(&db.conn).unwrap();
    db.selects();
    movies::actors::preload(&db.conn, all.iter_mut()).unwrap();
    actors::movies::preload(&db.conn, all.iter_mut().flat_map(|m| m.actors.iter_mut())).unwrap();
    movies::characters::preload(
        &db.conn,
        all.iter_mut()
            .flat_map(|m| m.actors.iter_mut())
            .flat_map(|a| a.movies.iter_mut()),
    )
    .unwrap();
    assert_eq!(
        db.selects(),
        3,
        "movies -> actors -> movies -> characters: one query per level"
    );

    // Every level matches what the single-owner functions say.
    for movie in &all {
        let cast = movie.actors.get().unwrap();
        let expected = movies::actors::list(&db.conn, movie.id).unwrap();
        assert_eq!(
            cast.iter().map(|a| a.id).collect::<Vec<_>>(),
            expected.iter().map(|a| a.id).collect::<Vec<_>>()
        );
        for actor in cast {
            let films = actor.movies.get().unwrap();
            let expected = actors::movies::list(&db.conn, actor.id).unwrap();
            assert_eq!(
                films.iter().map(|m| m.id).collect::<Vec<_>>(),
                expected.iter().map(|m| m.id).collect::<Vec<_>>()
            );
            assert!(
                films
                    .iter()
                    .all(|m| m.characters == Loaded::Loaded(Vec::new()))
            );
        }
    }
}

#[test]
fn an_empty_owner_list_runs_no_query() {
    let db = Db::new();
    let mut none: Vec<movies::Movie> = Vec::new();
    db.selects();
    movies::actors::preload(&db.conn, none.iter_mut()).unwrap();
    movies::characters::preload(&db.conn, none.iter_mut()).unwrap();
    assert_eq!(db.selects(), 0);
}

#[test]
fn repeated_owners_each_get_their_rows() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    db.character("Wade Watts", &rpo);
    let tye = db.actor("Tye Sheridan");
    movies::actors::insert(&db.conn, rpo.id, &[tye.id]).unwrap();
    let mut twice = [rpo.clone(), rpo.clone(), rpo];
    movies::characters::preload(&db.conn, twice.iter_mut()).unwrap();
    movies::actors::preload(&db.conn, twice.iter_mut()).unwrap();
    for movie in &twice {
        assert_eq!(
            names(movie.characters.get().unwrap(), |c| &c.name),
            ["Wade Watts"]
        );
        assert_eq!(
            names(movie.actors.get().unwrap(), |a| &a.name),
            ["Tye Sheridan"]
        );
    }
}

#[test]
fn a_preload_of_100_000_owners_is_one_query() {
    let db = Db::new();
    let tx = db.conn.unchecked_transaction().unwrap();
    let mut inserted = Vec::with_capacity(100_000);
    for i in 0..100_000 {
        inserted.push(
            movies::Movie::insert(
                &tx,
                &movies::NewMovie {
                    title: format!("m{i}"),
                    ..Default::default()
                },
            )
            .unwrap(),
        );
    }
    for movie in inserted.iter().step_by(1000) {
        characters::Character::insert(
            &tx,
            &characters::NewCharacter {
                name: format!("c{}", movie.id),
                movie_id: movie.id,
            },
        )
        .unwrap();
    }
    tx.commit().unwrap();

    let mut all = movies::Movie::all(&db.conn).unwrap();
    assert_eq!(all.len(), 100_000);
    db.selects();
    movies::characters::preload(&db.conn, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1);
    let with_rows = all
        .iter()
        .filter(|m| !m.characters.get().unwrap().is_empty())
        .count();
    assert_eq!(with_rows, 100);
    assert_eq!(
        names(all[1000].characters.get().unwrap(), |c| &c.name),
        [format!("c{}", all[1000].id)]
    );
}

#[test]
fn link_helpers_keep_the_join_table_a_set() {
    let db = Db::new();
    let post = posts::Post::insert(
        &db.conn,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let tag = |name: &str| {
        tags::Tag::insert(&db.conn, &tags::NewTag { name: name.into() })
            .unwrap()
            .id
    };
    let (rust, sql, yaml, go) = (tag("rust"), tag("sql"), tag("yaml"), tag("go"));

    // Append: repeated ids in one call are fine, existing links are left alone.
    assert_eq!(
        posts::tags::insert(&db.conn, post.id, &[rust, sql, rust]).unwrap(),
        2
    );
    assert_eq!(
        posts::tags::insert(&db.conn, post.id, &[sql, yaml]).unwrap(),
        1
    );
    assert_eq!(posts::tags::insert(&db.conn, post.id, &[]).unwrap(), 0);
    assert_eq!(posts::tags::count(&db.conn, post.id).unwrap(), 3);
    assert_eq!(
        names(&posts::tags::list(&db.conn, post.id).unwrap(), |t| &t.name),
        ["rust", "sql", "yaml"]
    );

    // Delete unlinks only, and never deletes tags.
    assert_eq!(
        posts::tags::delete(&db.conn, post.id, &[yaml, go]).unwrap(),
        1
    );
    assert_eq!(tags::Tag::all(&db.conn).unwrap().len(), 4);

    // Replace writes only the difference and says what it was.
    assert_eq!(
        posts::tags::replace(&db.conn, post.id, &[sql, go, go]).unwrap(),
        Changes {
            added: 1,
            removed: 1
        }
    );
    assert_eq!(
        names(&posts::tags::list(&db.conn, post.id).unwrap(), |t| &t.name),
        ["go", "sql"]
    );
    assert_eq!(
        posts::tags::replace(&db.conn, post.id, &[go, sql]).unwrap(),
        Changes::default(),
        "nothing to do"
    );
    assert_eq!(
        posts::tags::replace(&db.conn, post.id, &[]).unwrap(),
        Changes {
            added: 0,
            removed: 2
        }
    );
    assert_eq!(posts::tags::count(&db.conn, post.id).unwrap(), 0);

    posts::tags::insert(&db.conn, post.id, &[rust, sql]).unwrap();
    assert_eq!(posts::tags::clear(&db.conn, post.id).unwrap(), 2);
    assert_eq!(posts::tags::clear(&db.conn, post.id).unwrap(), 0);
    assert_eq!(tags::Tag::all(&db.conn).unwrap().len(), 4);
}

#[test]
fn self_reference_in_both_directions() {
    let db = Db::new();
    let (ann, bob, cat) = (db.user("Ann"), db.user("Bob"), db.user("Cat"));
    users::friends::insert(&db.conn, ann.id, &[bob.id, cat.id]).unwrap();
    users::friends::insert(&db.conn, bob.id, &[ann.id]).unwrap();
    assert_eq!(
        db.links("friendships"),
        [(ann.id, bob.id), (ann.id, cat.id), (bob.id, ann.id)]
    );

    let mut everyone = users::User::all(&db.conn).unwrap();
    users::friends::preload(&db.conn, everyone.iter_mut()).unwrap();
    let friends = |u: &users::User| names(u.friends.get().unwrap(), |f| &f.name);
    assert_eq!(friends(&everyone[0]), ["Bob", "Cat"]);
    assert_eq!(friends(&everyone[1]), ["Ann"]);
    assert!(
        friends(&everyone[2]).is_empty(),
        "links are directed: Cat named nobody"
    );

    assert_eq!(
        users::friends::replace(&db.conn, ann.id, &[ann.id]).unwrap(),
        Changes {
            added: 1,
            removed: 2
        }
    );
    assert_eq!(
        names(&users::friends::list(&db.conn, ann.id).unwrap(), |f| &f
            .name),
        ["Ann"]
    );
    assert_eq!(users::friends::count(&db.conn, bob.id).unwrap(), 1);
}

#[test]
fn a_link_to_a_missing_row_fails_and_changes_nothing() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    let (tye, olivia) = (db.actor("Tye"), db.actor("Olivia"));
    movies::actors::insert(&db.conn, rpo.id, &[tye.id]).unwrap();
    let before = db.links("movies_actors");

    assert!(movies::actors::insert(&db.conn, rpo.id, &[olivia.id, 999]).is_err());
    assert_eq!(
        db.links("movies_actors"),
        before,
        "one statement: all or nothing"
    );
    // replace deletes first, then inserts: the failed insert rolls the delete back.
    assert!(movies::actors::replace(&db.conn, rpo.id, &[olivia.id, 999]).is_err());
    assert_eq!(db.links("movies_actors"), before);
    assert!(
        movies::actors::insert(&db.conn, 12345, &[tye.id]).is_err(),
        "a missing owner too"
    );
    assert_eq!(db.links("movies_actors"), before);
}

#[test]
fn helpers_are_atomic_inside_the_callers_transaction() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    let (tye, olivia) = (db.actor("Tye"), db.actor("Olivia"));
    movies::actors::insert(&db.conn, rpo.id, &[tye.id]).unwrap();

    // The caller rolls back: everything inside goes, helpers included.
    let tx = db.conn.unchecked_transaction().unwrap();
    movies::actors::replace(&tx, rpo.id, &[olivia.id]).unwrap();
    movies::actors::insert(&tx, rpo.id, &[tye.id]).unwrap();
    tx.rollback().unwrap();
    assert_eq!(db.links("movies_actors"), [(rpo.id, tye.id)]);

    // A helper that fails inside the caller's transaction undoes only itself.
    let tx = db.conn.unchecked_transaction().unwrap();
    movies::actors::insert(&tx, rpo.id, &[olivia.id]).unwrap();
    assert!(movies::actors::replace(&tx, rpo.id, &[999]).is_err());
    assert_eq!(
        movies::actors::count(&tx, rpo.id).unwrap(),
        2,
        "the caller's earlier work stands"
    );
    tx.commit().unwrap();
    assert_eq!(
        db.links("movies_actors"),
        [(rpo.id, tye.id), (rpo.id, olivia.id)]
    );
}

#[test]
fn deleting_an_owner_applies_on_delete_without_foreign_keys() {
    let db = Db::with_foreign_keys(false);
    let rpo = db.movie("Ready Player One");
    let other = db.movie("Hackers");
    db.character("Wade Watts", &rpo);
    db.character("Zero Cool", &other);
    distributors::Distributor::insert(
        &db.conn,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: rpo.id,
        },
    )
    .unwrap();
    let tye = db.actor("Tye");
    movies::actors::insert(&db.conn, rpo.id, &[tye.id]).unwrap();
    movies::actors::insert(&db.conn, other.id, &[tye.id]).unwrap();

    assert!(movies::Movie::delete(&db.conn, rpo.id).unwrap());
    assert_eq!(
        names(&characters::Character::all(&db.conn).unwrap(), |c| &c.name),
        ["Zero Cool"],
        "delete_all: children"
    );
    assert!(
        distributors::Distributor::all(&db.conn).unwrap().is_empty(),
        "delete_all: the has_one row"
    );
    assert_eq!(
        db.links("movies_actors"),
        [(other.id, tye.id)],
        "delete_all: join rows only"
    );
    assert_eq!(
        actors::Actor::all(&db.conn).unwrap().len(),
        1,
        "never the targets"
    );

    // nilify_all keeps the children, without their key.
    let ann = db.user("Ann");
    let post = posts::Post::insert(
        &db.conn,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            author_id: Some(ann.id),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(users::User::delete(&db.conn, ann.id).unwrap());
    assert_eq!(
        posts::Post::get(&db.conn, post.id)
            .unwrap()
            .unwrap()
            .author_id,
        None
    );
}

#[test]
fn a_failed_owner_delete_leaves_its_children() {
    let db = Db::new();
    let rpo = db.movie("Ready Player One");
    db.character("Wade Watts", &rpo);
    // Make the last statement (the owner's own DELETE) fail.
    db.conn.execute_batch("CREATE TRIGGER keep_movies BEFORE DELETE ON movies BEGIN SELECT RAISE(ABORT, 'movies are forever'); END").unwrap();
    assert!(movies::Movie::delete(&db.conn, rpo.id).is_err());
    assert_eq!(
        movies::characters::count(&db.conn, rpo.id).unwrap(),
        1,
        "the on_delete cleanup was rolled back"
    );
}

#[test]
fn join_schema_links_get_defaults_and_timestamps() {
    let db = Db::new();
    let ann = db.user("Ann");
    let rust = chat_groups::ChatGroup::insert(
        &db.conn,
        &chat_groups::NewChatGroup {
            name: "rust".into(),
        },
    )
    .unwrap();
    let sql =
        chat_groups::ChatGroup::insert(&db.conn, &chat_groups::NewChatGroup { name: "sql".into() })
            .unwrap();
    // Stored times are whole microseconds: compare with the same.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    assert_eq!(
        users::chat_groups::insert(&db.conn, ann.id, &[rust.id, sql.id]).unwrap(),
        2
    );
    let rows = chat_group_users::ChatGroupUser::all(&db.conn).unwrap();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row.role, "member", "the column's default");
        assert!(row.inserted_at >= before && row.inserted_at == row.updated_at);
    }
    assert_eq!(chat_groups::users::count(&db.conn, rust.id).unwrap(), 1);
    assert_eq!(
        users::chat_groups::replace(&db.conn, ann.id, &[sql.id]).unwrap(),
        Changes {
            added: 0,
            removed: 1
        }
    );
    let mut groups = chat_groups::ChatGroup::all(&db.conn).unwrap();
    chat_groups::users::preload(&db.conn, groups.iter_mut()).unwrap();
    assert!(groups[0].users.get().unwrap().is_empty());
    assert_eq!(names(groups[1].users.get().unwrap(), |u| &u.name), ["Ann"]);
}

#[test]
fn has_many_through_a_path_is_distinct_and_ordered() {
    use generated::comments;
    let db = Db::new();
    let (ann, bob, cat) = (db.user("Ann"), db.user("Bob"), db.user("Cat"));
    let post = |title: &str, author: &users::User| {
        posts::Post::insert(
            &db.conn,
            &posts::NewPost {
                title: title.into(),
                body: "b".into(),
                author_id: Some(author.id),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (first, second, quiet) = (
        post("first", &ann),
        post("second", &ann),
        post("quiet", &bob),
    );
    let comment = |on: &posts::Post, by: Option<&users::User>| {
        comments::Comment::insert(
            &db.conn,
            &comments::NewComment {
                body: "!".into(),
                post_id: on.id,
                author_id: by.map(|u| u.id),
            },
        )
        .unwrap()
    };
    // Cat comments twice on `first`: she is listed once. An anonymous comment adds no one.
    comment(&first, Some(&cat));
    comment(&first, Some(&bob));
    comment(&first, Some(&cat));
    comment(&first, None);
    comment(&second, Some(&ann));

    let commenters = posts::comments_authors::list(&db.conn, first.id).unwrap();
    assert_eq!(
        names(&commenters, |u| &u.name),
        ["Bob", "Cat"],
        "distinct, in preload_order (name)"
    );
    assert_eq!(
        posts::comments_authors::count(&db.conn, first.id).unwrap(),
        2
    );

    let mut all = posts::Post::all(&db.conn).unwrap();
    db.selects();
    posts::comments_authors::preload(&db.conn, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1, "a path of two hops is still one query");
    let by_post: Vec<Vec<String>> = all
        .iter()
        .map(|p| p.comments_authors.iter().map(|u| u.name.clone()).collect())
        .collect();
    assert_eq!(by_post, [vec!["Bob", "Cat"], vec!["Ann"], vec![]]);
    assert_eq!(all[2].id, quiet.id);

    // Through a has_many then a many_to_many: every tag on a user's posts.
    let tag = |name: &str| {
        tags::Tag::insert(&db.conn, &tags::NewTag { name: name.into() })
            .unwrap()
            .id
    };
    let (rust, sql) = (tag("rust"), tag("sql"));
    posts::tags::insert(&db.conn, first.id, &[rust, sql]).unwrap();
    posts::tags::insert(&db.conn, second.id, &[rust]).unwrap();
    assert_eq!(
        names(&users::post_tags::list(&db.conn, ann.id).unwrap(), |t| &t
            .name),
        ["rust", "sql"]
    );
    assert!(users::post_tags::list(&db.conn, bob.id).unwrap().is_empty());
}
