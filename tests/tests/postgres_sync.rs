//! The `postgres` (sync) backend against the real server: the reference
//! schema's CRUD, every association helper, atomicity, `on_delete`, every
//! field type and key kind, the hostile names. Needs `DATABASE_URL`.

use mortise_tests::pg::reference::{
    Changes, Loaded, actors, characters, chat_group_users, chat_groups, comments,
};
use mortise_tests::pg::reference::{distributors, movies, posts, tags, users};
use mortise_tests::pg::{hostile, keys, types};
use mortise_tests::pg_support::TestSchema;
use postgres::Client;

/// A fresh schema with the reference tables and a client into it, or `None`
/// (skipped, loudly). The schema goes when the first value is dropped.
fn reference(test: &str) -> Option<(TestSchema, Client)> {
    let schema = TestSchema::new(test)?;
    let mut client = schema.connect();
    mortise_tests::pg::reference::create_all(&mut client).unwrap();
    Some((schema, client))
}

/// A fresh empty schema and a client into it.
fn empty(test: &str) -> Option<(TestSchema, Client)> {
    let schema = TestSchema::new(test)?;
    let client = schema.connect();
    Some((schema, client))
}

fn movie(db: &mut Client, title: &str) -> movies::Movie {
    movies::Movie::insert(
        db,
        &movies::NewMovie {
            title: title.into(),
            ..Default::default()
        },
    )
    .unwrap()
}

fn actor(db: &mut Client, name: &str) -> actors::Actor {
    actors::Actor::insert(db, &actors::NewActor { name: name.into() }).unwrap()
}

fn user(db: &mut Client, name: &str) -> users::User {
    users::User::insert(
        db,
        &users::NewUser {
            name: name.into(),
            email: None,
        },
    )
    .unwrap()
}

fn links(db: &mut Client, table: &str) -> Vec<(i64, i64)> {
    db.query(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"), &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn names<T>(rows: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| name(r).to_owned()).collect()
}

#[test]
fn create_all_is_idempotent_and_crud_round_trips() {
    let Some((_schema, mut client)) = reference("pg_crud") else {
        return;
    };
    let db = &mut client;
    mortise_tests::pg::reference::create_all(db).unwrap();

    let mut rpo = movies::Movie::insert(
        db,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            tagline: None,
            released: Some(2018),
        },
    )
    .unwrap();
    let hackers = movie(db, "Hackers");
    assert!(hackers.id > rpo.id);
    assert_eq!(movies::Movie::get(db, rpo.id).unwrap().as_ref(), Some(&rpo));
    assert_eq!(movies::Movie::get(db, -1).unwrap(), None);
    rpo.tagline = Some("A better reality awaits".into());
    assert!(rpo.update(db).unwrap());
    assert_eq!(
        movies::Movie::all(db).unwrap(),
        [rpo.clone(), hackers.clone()]
    );
    assert!(movies::Movie::delete(db, hackers.id).unwrap());
    assert!(!movies::Movie::delete(db, hackers.id).unwrap());

    // Schema defaults and the unique index.
    let post = posts::Post::insert(
        db,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!post.published);
    tags::Tag::insert(
        db,
        &tags::NewTag {
            name: "rust".into(),
        },
    )
    .unwrap();
    assert!(
        tags::Tag::insert(
            db,
            &tags::NewTag {
                name: "rust".into()
            }
        )
        .is_err()
    );

    // Timestamps: set by insert, updated_at moved by update.
    let ann = user(db, "Ann");
    let group = chat_groups::ChatGroup::insert(db, &chat_groups::NewChatGroup { name: "g".into() })
        .unwrap();
    let new = chat_group_users::NewChatGroupUser {
        user_id: ann.id,
        chat_group_id: group.id,
        ..Default::default()
    };
    let mut member = chat_group_users::ChatGroupUser::insert(db, &new).unwrap();
    assert_eq!(
        (member.role.as_str(), member.inserted_at),
        ("member", member.updated_at)
    );
    std::thread::sleep(std::time::Duration::from_millis(2));
    member.role = "admin".into();
    assert!(member.update(db).unwrap());
    assert!(member.updated_at > member.inserted_at);
    assert_eq!(
        chat_group_users::ChatGroupUser::get(db, member.id).unwrap(),
        Some(member),
        "what update set is what is stored"
    );
}

#[test]
fn associations_list_count_and_preload() {
    let Some((_schema, mut client)) = reference("pg_assoc") else {
        return;
    };
    let db = &mut client;
    let rpo = movie(db, "Ready Player One");
    let hackers = movie(db, "Hackers");
    let empty = movie(db, "Empty");
    for name in ["Wade Watts", "Art3mis"] {
        characters::Character::insert(
            db,
            &characters::NewCharacter {
                name: name.into(),
                movie_id: rpo.id,
            },
        )
        .unwrap();
    }
    let netflix = distributors::Distributor::insert(
        db,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: rpo.id,
        },
    )
    .unwrap();
    let (tye, olivia) = (actor(db, "Tye"), actor(db, "Olivia"));
    assert_eq!(
        movies::actors::insert(db, rpo.id, &[tye.id, olivia.id, tye.id]).unwrap(),
        2
    );
    movies::actors::insert(db, hackers.id, &[olivia.id]).unwrap();

    assert_eq!(
        names(&movies::characters::list(db, rpo.id).unwrap(), |c| &c.name),
        ["Wade Watts", "Art3mis"]
    );
    assert_eq!(movies::characters::count(db, empty.id).unwrap(), 0);
    assert_eq!(
        movies::distributor::get(db, rpo.id).unwrap().as_ref(),
        Some(&netflix)
    );
    assert_eq!(
        names(&movies::actors::list(db, rpo.id).unwrap(), |a| &a.name),
        ["Olivia", "Tye"],
        "preload_order name asc"
    );
    assert_eq!(actors::movies::count(db, olivia.id).unwrap(), 2);

    let mut all = movies::Movie::all(db).unwrap();
    movies::characters::preload(db, all.iter_mut()).unwrap();
    movies::distributor::preload(db, all.iter_mut()).unwrap();
    movies::actors::preload(db, all.iter_mut()).unwrap();
    actors::movies::preload(db, all.iter_mut().flat_map(|m| m.actors.iter_mut())).unwrap();
    assert_eq!(all[0].characters.iter().count(), 2);
    assert_eq!(all[0].distributor, Loaded::Loaded(Some(Box::new(netflix))));
    assert_eq!(all[2].characters, Loaded::Loaded(Vec::new()));
    assert_eq!(all[2].distributor, Loaded::Loaded(None));
    let olivia_films: Vec<&str> = all[0]
        .actors
        .iter()
        .find(|a| a.id == olivia.id)
        .unwrap()
        .movies
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(olivia_films, ["Ready Player One", "Hackers"]);

    let mut cast = characters::Character::all(db).unwrap();
    characters::movie::preload(db, cast.iter_mut()).unwrap();
    assert!(
        cast.iter()
            .all(|c| c.movie.iter().next().map(|m| m.id) == Some(rpo.id))
    );

    // Repeated owners each get their rows; no owners, no query.
    let mut twice = [all[0].clone(), all[0].clone()];
    movies::actors::preload(db, twice.iter_mut()).unwrap();
    assert_eq!(twice[0].actors, twice[1].actors);
    movies::actors::preload(db, std::iter::empty()).unwrap();
}

#[test]
fn through_paths_and_self_reference() {
    let Some((_schema, mut client)) = reference("pg_through") else {
        return;
    };
    let db = &mut client;
    let (ann, bob, cat) = (user(db, "Ann"), user(db, "Bob"), user(db, "Cat"));
    let post = posts::Post::insert(
        db,
        &posts::NewPost {
            title: "p".into(),
            body: "b".into(),
            author_id: Some(ann.id),
            ..Default::default()
        },
    )
    .unwrap();
    for by in [&cat, &bob, &cat] {
        comments::Comment::insert(
            db,
            &comments::NewComment {
                body: "!".into(),
                post_id: post.id,
                author_id: Some(by.id),
            },
        )
        .unwrap();
    }
    assert_eq!(
        names(&posts::comments_authors::list(db, post.id).unwrap(), |u| &u
            .name),
        ["Bob", "Cat"]
    );
    assert_eq!(posts::comments_authors::count(db, post.id).unwrap(), 2);

    users::friends::insert(db, ann.id, &[bob.id, cat.id]).unwrap();
    users::friends::insert(db, bob.id, &[ann.id]).unwrap();
    let mut everyone = users::User::all(db).unwrap();
    users::friends::preload(db, everyone.iter_mut()).unwrap();
    let friends: Vec<Vec<String>> = everyone
        .iter()
        .map(|u| u.friends.iter().map(|f| f.name.clone()).collect())
        .collect();
    assert_eq!(friends, [vec!["Bob", "Cat"], vec!["Ann"], vec![]]);
}

#[test]
fn link_helpers_are_sets_and_replace_is_one_atomic_statement() {
    let Some((_schema, mut client)) = reference("pg_links") else {
        return;
    };
    let db = &mut client;
    let post = posts::Post::insert(
        db,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let tag = |db: &mut Client, name: &str| {
        tags::Tag::insert(db, &tags::NewTag { name: name.into() })
            .unwrap()
            .id
    };
    let (rust, sql, go) = (tag(db, "rust"), tag(db, "sql"), tag(db, "go"));

    assert_eq!(
        posts::tags::insert(db, post.id, &[rust, sql, rust]).unwrap(),
        2
    );
    assert_eq!(posts::tags::insert(db, post.id, &[sql]).unwrap(), 0);
    assert_eq!(posts::tags::delete(db, post.id, &[sql, go]).unwrap(), 1);
    assert_eq!(
        posts::tags::replace(db, post.id, &[sql, go, go]).unwrap(),
        Changes {
            added: 2,
            removed: 1
        }
    );
    assert_eq!(
        names(&posts::tags::list(db, post.id).unwrap(), |t| &t.name),
        ["go", "sql"]
    );
    assert_eq!(
        posts::tags::replace(db, post.id, &[]).unwrap(),
        Changes {
            added: 0,
            removed: 2
        }
    );
    posts::tags::insert(db, post.id, &[rust]).unwrap();
    assert_eq!(posts::tags::clear(db, post.id).unwrap(), 1);
    assert_eq!(
        tags::Tag::all(db).unwrap().len(),
        3,
        "targets are never deleted"
    );

    // A missing target: an error, and the join table exactly as before.
    posts::tags::insert(db, post.id, &[rust]).unwrap();
    let before = links(db, "posts_tags");
    assert!(posts::tags::insert(db, post.id, &[sql, 999]).is_err());
    assert!(posts::tags::replace(db, post.id, &[sql, 999]).is_err());
    assert_eq!(links(db, "posts_tags"), before);

    // Inside the caller's transaction: rolled back with it.
    let mut tx = db.transaction().unwrap();
    posts::tags::replace(&mut tx, post.id, &[go]).unwrap();
    assert_eq!(posts::tags::count(&mut tx, post.id).unwrap(), 1);
    tx.rollback().unwrap();
    assert_eq!(links(db, "posts_tags"), before);
}

#[test]
fn deleting_an_owner_applies_on_delete_in_one_statement() {
    let Some((_schema, mut client)) = reference("pg_on_delete") else {
        return;
    };
    let db = &mut client;
    let rpo = movie(db, "Ready Player One");
    let other = movie(db, "Hackers");
    characters::Character::insert(
        db,
        &characters::NewCharacter {
            name: "Wade".into(),
            movie_id: rpo.id,
        },
    )
    .unwrap();
    distributors::Distributor::insert(
        db,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: rpo.id,
        },
    )
    .unwrap();
    let tye = actor(db, "Tye");
    movies::actors::insert(db, rpo.id, &[tye.id]).unwrap();
    movies::actors::insert(db, other.id, &[tye.id]).unwrap();
    assert!(movies::Movie::delete(db, rpo.id).unwrap());
    assert!(characters::Character::all(db).unwrap().is_empty());
    assert!(distributors::Distributor::all(db).unwrap().is_empty());
    assert_eq!(links(db, "movies_actors"), [(other.id, tye.id)]);
    assert_eq!(actors::Actor::all(db).unwrap().len(), 1);

    let ann = user(db, "Ann");
    let post = posts::Post::insert(
        db,
        &posts::NewPost {
            title: "t".into(),
            body: "b".into(),
            author_id: Some(ann.id),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        users::User::delete(db, ann.id).unwrap(),
        "nilify_all makes the delete possible under the foreign key"
    );
    assert_eq!(
        posts::Post::get(db, post.id).unwrap().unwrap().author_id,
        None
    );
}

#[test]
fn a_preload_of_100_000_owners_is_one_statement() {
    let Some((_schema, mut client)) = reference("pg_100k") else {
        return;
    };
    let db = &mut client;
    db.batch_execute("INSERT INTO movies (title) SELECT 'm' || i FROM generate_series(1, 100000) AS i; \
                      INSERT INTO characters (name, movie_id) SELECT 'c' || id, id FROM movies WHERE id % 1000 = 0")
        .unwrap();
    let mut all = movies::Movie::all(db).unwrap();
    assert_eq!(all.len(), 100_000);
    movies::characters::preload(db, all.iter_mut()).unwrap();
    assert_eq!(
        all.iter()
            .filter(|m| m.characters.iter().count() == 1)
            .count(),
        100
    );
}

#[test]
fn every_field_type_round_trips() {
    let Some((_schema, mut client)) = empty("pg_types") else {
        return;
    };
    let db = &mut client;
    types::create_all(db).unwrap();
    let new = types::samples::NewSample {
        big: i64::MAX,
        small: i32::MIN,
        ratio: 0.1,
        flag: true,
        label: "héllo ’quotes’".into(),
        body: "line\nbreak".into(),
        blob: vec![0, 1, 255],
        r#ref: uuid::Uuid::new_v4(),
        day: chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        clock: chrono::NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).unwrap(),
        moment: chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
        doc: serde_json::json!({ "a": [1, 2.5, null], "b": "c" }),
        price: "12345678901234.5678".parse().unwrap(),
        big_n: Some(-1),
        small_n: None,
        ratio_n: Some(f64::MIN_POSITIVE),
        flag_n: Some(false),
        label_n: None,
        body_n: Some(String::new()),
        blob_n: Some(Vec::new()),
        ref_n: None,
        day_n: None,
        clock_n: None,
        moment_n: Some(chrono::DateTime::UNIX_EPOCH),
        doc_n: Some(serde_json::Value::Null),
        price_n: Some("-0.001".parse().unwrap()),
    };
    let mut sample = types::samples::Sample::insert(db, &new).unwrap();
    assert_eq!(
        types::samples::Sample::get(db, sample.id).unwrap().as_ref(),
        Some(&sample)
    );
    assert_eq!(
        (
            sample.price.to_string().as_str(),
            &sample.doc,
            sample.moment
        ),
        ("12345678901234.5678", &new.doc, new.moment)
    );
    sample.price_n = None;
    assert!(sample.update(db).unwrap());
    assert_eq!(
        types::samples::Sample::get(db, sample.id).unwrap(),
        Some(sample.clone())
    );
    assert!(types::samples::Sample::delete(db, sample.id).unwrap());

    let setting = types::settings::Setting::insert(
        db,
        &types::settings::NewSetting {
            name: "a".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (
            setting.retries,
            setting.enabled,
            setting.mode.as_str(),
            setting.limit
        ),
        (3, true, "fast 'n' safe", Some(10))
    );
}

#[test]
fn keys_and_hostile_names() {
    let Some((_schema, mut client)) = empty("pg_keys") else {
        return;
    };
    let db = &mut client;
    keys::create_all(db).unwrap();
    let fr = keys::countries::Country::insert(
        db,
        &keys::countries::NewCountry {
            code: "FR".into(),
            name: "France".into(),
        },
    )
    .unwrap();
    let person = keys::people::Person::insert(
        db,
        &keys::people::NewPerson {
            full_name: "Ann".into(),
            country_id: Some(fr.code.clone()),
        },
    )
    .unwrap();
    assert!(keys::countries::Country::delete(db, "FR").unwrap());
    assert_eq!(
        keys::people::Person::get(db, person.person_id)
            .unwrap()
            .unwrap()
            .country_id,
        None,
        "ON DELETE SET NULL"
    );
    let mut m = keys::memberships::Membership::insert(
        db,
        &keys::memberships::NewMembership {
            club: "chess".into(),
            member: 1,
            since: None,
        },
    )
    .unwrap();
    m.since = Some(1999);
    assert!(m.update(db).unwrap());
    assert_eq!(
        keys::memberships::Membership::get(db, "chess", 1).unwrap(),
        Some(m)
    );
    keys::events::Event::insert(
        db,
        &keys::events::NewEvent {
            kind: "k".into(),
            payload: None,
        },
    )
    .unwrap();
    assert_eq!(keys::events::Event::all(db).unwrap().len(), 1);

    hostile::create_all(db).unwrap();
    let group = hostile::group::Self_::insert(
        db,
        &hostile::group::NewSelf {
            option: None,
            new: "n".into(),
            statement: None,
        },
    )
    .unwrap();
    let order = hostile::order::Order::insert(
        db,
        &hostile::order::NewOrder {
            order: "o".into(),
            select: "*".into(),
            group: Some(1),
            r#type: "t".into(),
            self_: true,
            from: None,
            r#where: Some(0.5),
            string: None,
            match_id: Some(group.id),
        },
    )
    .unwrap();
    let kind = hostile::r#type::Type::insert(
        db,
        &hostile::r#type::NewType {
            db: "k1".into(),
            r#fn: "f".into(),
            r#async: None,
        },
    )
    .unwrap();
    assert_eq!(
        hostile::order::r#async::insert(db, order.id, &["k1"]).unwrap(),
        1
    );
    assert_eq!(hostile::order::r#async::list(db, order.id).unwrap(), [kind]);
    assert!(hostile::order::Order::delete(db, order.id).unwrap());
}

#[test]
fn schema_prefixes_are_postgres_schemas() {
    use mortise_tests::pg::prefixed::{self, accounts, entries, labels};
    // The only test that writes outside its own schema: these two are its own.
    let Some((_schema, mut client)) = empty("pg_prefixed") else {
        return;
    };
    let db = &mut client;
    db.batch_execute("DROP SCHEMA IF EXISTS mortise_prefixed_app CASCADE; DROP SCHEMA IF EXISTS mortise_prefixed_audit CASCADE").unwrap();
    prefixed::create_all(db).unwrap();
    let account =
        accounts::Account::insert(db, &accounts::NewAccount { name: "a".into() }).unwrap();
    entries::Entry::insert(
        db,
        &entries::NewEntry {
            note: "n".into(),
            account_id: account.id,
        },
    )
    .unwrap();
    let label = labels::Label::insert(db, &labels::NewLabel { name: "l".into() }).unwrap();
    accounts::labels::insert(db, account.id, &[label.id]).unwrap();
    let mut all = accounts::Account::all(db).unwrap();
    accounts::entries::preload(db, all.iter_mut()).unwrap();
    accounts::labels::preload(db, all.iter_mut()).unwrap();
    assert_eq!(
        (all[0].entries.iter().count(), all[0].labels.iter().count()),
        (1, 1)
    );

    let placed: Vec<(String, String)> = db
        .query(
            "SELECT table_schema, table_name FROM information_schema.tables \
             WHERE table_schema LIKE 'mortise_prefixed_%' ORDER BY 1, 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected = [
        ("mortise_prefixed_app", "account_labels"),
        ("mortise_prefixed_app", "accounts"),
        ("mortise_prefixed_app", "labels"),
        ("mortise_prefixed_audit", "entries"),
    ];
    assert_eq!(placed, expected.map(|(s, t)| (s.to_owned(), t.to_owned())));
    assert!(accounts::Account::delete(db, account.id).unwrap());
    db.batch_execute(
        "DROP SCHEMA mortise_prefixed_app CASCADE; DROP SCHEMA mortise_prefixed_audit CASCADE",
    )
    .unwrap();
}
