//! The reference schema's generated code (`generated` crate) against a real
//! in-memory SQLite database: `create_all` and every CRUD function of every table.

use generated::{actors, characters, chat_group_users, chat_groups, distributors, languages};
use generated::{movies, posts, tags, users};
use rusqlite::Connection;

fn database() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    generated::create_all(&db).unwrap();
    db
}

fn table_names(db: &Connection) -> Vec<String> {
    let mut statement = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn create_all_creates_every_table_and_join_table_and_can_run_again() {
    let db = database();
    generated::create_all(&db).unwrap();
    let expected = [
        "actors",
        "characters",
        "chat_group_users",
        "chat_groups",
        "comments",
        "distributors",
        "friendships",
        "languages",
        "movies",
        "movies_actors",
        "posts",
        "posts_tags",
        "tags",
        "user_languages",
        "users",
    ];
    assert_eq!(table_names(&db), expected);
}

#[test]
fn create_all_is_atomic() {
    let db = Connection::open_in_memory().unwrap();
    // An object that makes one of the later statements fail: an index name taken by a table.
    db.execute_batch("CREATE TABLE \"characters_movie_id_index\" (x)")
        .unwrap();
    assert!(generated::create_all(&db).is_err());
    assert_eq!(
        table_names(&db),
        ["characters_movie_id_index"],
        "nothing of the schema is left behind"
    );
}

#[test]
fn movies_insert_get_all_update_delete() {
    let db = database();
    let new = movies::NewMovie {
        title: "Ready Player One".into(),
        tagline: None,
        released: Some(2018),
    };
    let mut movie = movies::Movie::insert(&db, &new).unwrap();
    assert_eq!(movie.title, "Ready Player One");
    assert_eq!(movie.released, Some(2018));
    let other = movies::Movie::insert(
        &db,
        &movies::NewMovie {
            title: "Hackers".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(other.id > movie.id);

    assert_eq!(
        movies::Movie::get(&db, movie.id).unwrap(),
        Some(movie.clone())
    );
    assert_eq!(movies::Movie::get(&db, -1).unwrap(), None);
    assert_eq!(
        movies::Movie::all(&db).unwrap(),
        [movie.clone(), other.clone()]
    );

    movie.tagline = Some("A better reality awaits".into());
    assert!(movie.update(&db).unwrap());
    assert_eq!(
        movies::Movie::get(&db, movie.id).unwrap(),
        Some(movie.clone())
    );

    assert!(movies::Movie::delete(&db, movie.id).unwrap());
    assert!(
        !movies::Movie::delete(&db, movie.id).unwrap(),
        "already gone"
    );
    assert_eq!(
        movies::Movie::all(&db).unwrap(),
        std::slice::from_ref(&other)
    );

    // Updating a row that no longer exists reports it.
    assert!(!movie.update(&db).unwrap());
}

#[test]
fn characters_and_distributors_belong_to_a_movie() {
    let db = database();
    let movie = movies::Movie::insert(
        &db,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let mut wade = characters::Character::insert(
        &db,
        &characters::NewCharacter {
            name: "Wade Watts".into(),
            movie_id: movie.id,
        },
    )
    .unwrap();
    assert_eq!(wade.movie_id, movie.id);
    wade.name = "Parzival".into();
    assert!(wade.update(&db).unwrap());
    assert_eq!(
        characters::Character::get(&db, wade.id)
            .unwrap()
            .unwrap()
            .name,
        "Parzival"
    );
    assert_eq!(
        characters::Character::all(&db).unwrap(),
        std::slice::from_ref(&wade)
    );

    let netflix = distributors::Distributor::insert(
        &db,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: movie.id,
        },
    )
    .unwrap();
    assert_eq!(
        distributors::Distributor::all(&db).unwrap(),
        std::slice::from_ref(&netflix)
    );

    // A key to a movie that does not exist is refused, and nothing is written.
    let orphan = characters::NewCharacter {
        name: "Nobody".into(),
        movie_id: movie.id + 100,
    };
    assert!(characters::Character::insert(&db, &orphan).is_err());
    assert_eq!(characters::Character::all(&db).unwrap().len(), 1);

    // `on_delete: cascade` on the belongs_to is in the DDL.
    assert!(movies::Movie::delete(&db, movie.id).unwrap());
    assert!(characters::Character::all(&db).unwrap().is_empty());
    assert!(
        distributors::Distributor::get(&db, netflix.id)
            .unwrap()
            .is_none()
    );
    assert!(characters::Character::delete(&db, wade.id).is_ok_and(|deleted| !deleted));
}

#[test]
fn actors_tags_languages_and_chat_groups_round_trip() {
    let db = database();
    let mut actor = actors::Actor::insert(
        &db,
        &actors::NewActor {
            name: "Tye Sheridan".into(),
        },
    )
    .unwrap();
    actor.name = "Tye K. Sheridan".into();
    assert!(actor.update(&db).unwrap());
    assert_eq!(
        actors::Actor::all(&db).unwrap(),
        std::slice::from_ref(&actor)
    );
    assert!(actors::Actor::delete(&db, actor.id).unwrap());

    let tag = tags::Tag::insert(
        &db,
        &tags::NewTag {
            name: "rust".into(),
        },
    )
    .unwrap();
    // `unique: true` on the field: a second "rust" tag is an error value, not a panic.
    assert!(
        tags::Tag::insert(
            &db,
            &tags::NewTag {
                name: "rust".into()
            }
        )
        .is_err()
    );
    assert_eq!(tags::Tag::get(&db, tag.id).unwrap(), Some(tag.clone()));
    assert!(tags::Tag::delete(&db, tag.id).unwrap());

    let mut language =
        languages::Language::insert(&db, &languages::NewLanguage { name: "ZH".into() }).unwrap();
    language.name = "EN".into();
    assert!(language.update(&db).unwrap());
    assert_eq!(
        languages::Language::get(&db, language.id).unwrap(),
        Some(language)
    );

    let group = chat_groups::ChatGroup::insert(
        &db,
        &chat_groups::NewChatGroup {
            name: "rustaceans".into(),
        },
    )
    .unwrap();
    assert_eq!(
        chat_groups::ChatGroup::all(&db).unwrap(),
        std::slice::from_ref(&group)
    );
    assert!(chat_groups::ChatGroup::delete(&db, group.id).unwrap());
}

#[test]
fn posts_take_the_schema_default() {
    let db = database();
    let new = posts::NewPost {
        title: "Hello".into(),
        body: "World".into(),
        ..Default::default()
    };
    assert!(
        !new.published,
        "`default: false` is the New struct's default"
    );
    let mut post = posts::Post::insert(&db, &new).unwrap();
    post.published = true;
    assert!(post.update(&db).unwrap());
    assert!(posts::Post::get(&db, post.id).unwrap().unwrap().published);
    assert!(posts::Post::delete(&db, post.id).unwrap());
}

#[test]
fn users_with_optional_unique_email() {
    let db = database();
    let ann = users::User::insert(
        &db,
        &users::NewUser {
            name: "Ann".into(),
            email: None,
        },
    )
    .unwrap();
    // NULLs do not collide under UNIQUE.
    let bob = users::User::insert(
        &db,
        &users::NewUser {
            name: "Bob".into(),
            email: None,
        },
    )
    .unwrap();
    let mut cat = users::User::insert(
        &db,
        &users::NewUser {
            name: "Cat".into(),
            email: Some("cat@example.com".into()),
        },
    )
    .unwrap();
    assert!(
        users::User::insert(
            &db,
            &users::NewUser {
                name: "Cat 2".into(),
                email: Some("cat@example.com".into())
            }
        )
        .is_err()
    );
    cat.email = Some("cat@example.org".into());
    assert!(cat.update(&db).unwrap());
    assert_eq!(users::User::all(&db).unwrap(), [ann, bob, cat]);
}

#[test]
fn join_schema_rows_get_timestamps() {
    let db = database();
    let user = users::User::insert(
        &db,
        &users::NewUser {
            name: "Ann".into(),
            email: None,
        },
    )
    .unwrap();
    let group = chat_groups::ChatGroup::insert(
        &db,
        &chat_groups::NewChatGroup {
            name: "rust".into(),
        },
    )
    .unwrap();
    // Stored times are whole microseconds: compare with the same.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let new = chat_group_users::NewChatGroupUser {
        user_id: user.id,
        chat_group_id: group.id,
        ..Default::default()
    };
    assert_eq!(
        new.role, "member",
        "`default: member` is the New struct's default"
    );
    let mut member = chat_group_users::ChatGroupUser::insert(&db, &new).unwrap();
    assert!(member.inserted_at >= before);
    assert_eq!(member.inserted_at, member.updated_at);
    assert_eq!(
        chat_group_users::ChatGroupUser::get(&db, member.id).unwrap(),
        Some(member.clone())
    );

    member.role = "admin".into();
    let inserted_at = member.inserted_at;
    assert!(member.update(&db).unwrap());
    assert!(member.updated_at > inserted_at, "update sets updated_at");
    assert_eq!(
        member.inserted_at, inserted_at,
        "update leaves inserted_at alone"
    );
    assert_eq!(
        chat_group_users::ChatGroupUser::get(&db, member.id).unwrap(),
        Some(member.clone())
    );

    // The pair is unique: the join schema's unique index.
    assert!(chat_group_users::ChatGroupUser::insert(&db, &new).is_err());
    assert!(chat_group_users::ChatGroupUser::delete(&db, member.id).unwrap());
    assert!(
        chat_group_users::ChatGroupUser::all(&db)
            .unwrap()
            .is_empty()
    );
}
