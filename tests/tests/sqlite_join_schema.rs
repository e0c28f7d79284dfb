//! Join schemas with data on SQLite (golden case `join_schema`): typed edges,
//! links written with their own values, two associations over one join table
//! kept apart by `join_where`, `join_defaults`, ordering by a join column, and
//! a UUID join key made on every insert path.

use mortise_tests::join_schema::{memberships, people, projects};
use mortise_tests::sqlite_support::Selects;
use rusqlite::Connection;

struct Db {
    conn: Connection,
    selects: Selects,
}

impl Db {
    fn new() -> Db {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        mortise_tests::join_schema::create_all(&conn).unwrap();
        let selects = Selects::count_on(&mut conn);
        Db { conn, selects }
    }

    /// How many SELECT statements ran since the last call.
    fn selects(&self) -> usize {
        self.selects.take()
    }

    fn project(&self, name: &str) -> projects::Project {
        let new = projects::NewProject { name: name.into() };
        projects::Project::insert(&self.conn, &new).unwrap()
    }

    fn person(&self, name: &str) -> people::Person {
        let new = people::NewPerson { name: name.into() };
        people::Person::insert(&self.conn, &new).unwrap()
    }

    fn memberships(&self) -> Vec<(i64, i64, String, i32)> {
        let mut rows: Vec<_> = memberships::Membership::all(&self.conn)
            .unwrap()
            .into_iter()
            .map(|m| (m.project_id, m.person_id, m.kind, m.position))
            .collect();
        rows.sort();
        rows
    }
}

fn names(people: &[people::Person]) -> Vec<&str> {
    people.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn link_writes_the_join_rows_values_and_returns_it() {
    let db = Db::new();
    let (mortise, ann) = (db.project("mortise"), db.person("Ann"));
    // Stored times are whole microseconds: compare with the same.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let values = projects::members::Link {
        position: 3,
        note: Some("founder".into()),
        since: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
    };
    let stored = projects::members::link(&db.conn, mortise.id, ann.id, &values)
        .unwrap()
        .expect("a new link");
    assert_eq!(stored.kind, "member", "the association's join_where value");
    assert_eq!((stored.project_id, stored.person_id), (mortise.id, ann.id));
    assert_eq!(stored.position, 3);
    assert_eq!(stored.note.as_deref(), Some("founder"));
    assert_eq!(stored.since, values.since);
    assert!(stored.created_at >= before);
    assert_eq!(stored.id.get_version_num(), 4, "a v4 UUID made by link");
    assert_eq!(
        memberships::Membership::get(&db.conn, stored.id).unwrap(),
        Some(stored.clone())
    );

    // Links are a set: linking again leaves the first row as it was.
    let again = projects::members::Link {
        position: 9,
        ..Default::default()
    };
    assert_eq!(
        projects::members::link(&db.conn, mortise.id, ann.id, &again).unwrap(),
        None
    );
    assert_eq!(memberships::Membership::all(&db.conn).unwrap(), [stored]);
}

#[test]
fn link_defaults_come_from_join_defaults_then_field_defaults() {
    assert_eq!(projects::members::Link::default().position, 0);
    assert_eq!(projects::reviewers::Link::default().position, 100);
    // The back-reference has no join_where: the caller chooses the kind.
    let back = people::projects::Link::default();
    assert_eq!((back.kind.as_str(), back.position), ("member", 0));
}

#[test]
fn join_where_keeps_two_associations_over_one_table_apart() {
    let db = Db::new();
    let mortise = db.project("mortise");
    let (ann, bob) = (db.person("Ann"), db.person("Bob"));

    // Ann is both a member and a reviewer of the same project.
    assert_eq!(
        projects::members::insert(&db.conn, mortise.id, &[ann.id, bob.id]).unwrap(),
        2
    );
    assert_eq!(
        projects::reviewers::insert(&db.conn, mortise.id, &[ann.id]).unwrap(),
        1
    );
    assert_eq!(
        db.memberships(),
        [
            (mortise.id, ann.id, "member".into(), 0),
            (mortise.id, ann.id, "reviewer".into(), 100),
            (mortise.id, bob.id, "member".into(), 0),
        ],
        "join_where and join_defaults written by insert"
    );
    assert_eq!(projects::members::count(&db.conn, mortise.id).unwrap(), 2);
    assert_eq!(projects::reviewers::count(&db.conn, mortise.id).unwrap(), 1);
    assert_eq!(
        names(&projects::reviewers::list(&db.conn, mortise.id).unwrap()),
        ["Ann"]
    );
    // The back-reference sees both kinds.
    assert_eq!(people::projects::count(&db.conn, ann.id).unwrap(), 2);

    // Unlinking a reviewer leaves the membership of the same pair.
    assert_eq!(
        projects::reviewers::delete(&db.conn, mortise.id, &[ann.id]).unwrap(),
        1
    );
    assert_eq!(projects::members::count(&db.conn, mortise.id).unwrap(), 2);
    projects::reviewers::insert(&db.conn, mortise.id, &[bob.id]).unwrap();
    // Clearing members leaves reviewers; replace touches only its own kind.
    assert_eq!(projects::members::clear(&db.conn, mortise.id).unwrap(), 2);
    assert_eq!(
        db.memberships(),
        [(mortise.id, bob.id, "reviewer".into(), 100)]
    );
    let changes = projects::members::replace(&db.conn, mortise.id, &[bob.id]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 0));
    let changes = projects::reviewers::replace(&db.conn, mortise.id, &[ann.id]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 1));
    assert_eq!(
        db.memberships(),
        [
            (mortise.id, ann.id, "reviewer".into(), 100),
            (mortise.id, bob.id, "member".into(), 0),
        ]
    );
    // Every join row has its own UUID, made in SQL by the key-array insert.
    let ids: std::collections::HashSet<_> = memberships::Membership::all(&db.conn)
        .unwrap()
        .into_iter()
        .map(|m| {
            assert_eq!(m.id.get_version_num(), 4);
            m.id
        })
        .collect();
    assert_eq!(ids.len(), 2);
}

#[test]
fn preload_edges_returns_each_target_with_its_join_row_in_one_query() {
    let db = Db::new();
    let (mortise, ecto, empty) = (
        db.project("mortise"),
        db.project("ecto"),
        db.project("empty"),
    );
    let (ann, bob, cy) = (db.person("Ann"), db.person("Bob"), db.person("Cy"));
    let member = |position| projects::members::Link {
        position,
        ..Default::default()
    };
    projects::members::link(&db.conn, mortise.id, cy.id, &member(1)).unwrap();
    projects::members::link(&db.conn, mortise.id, ann.id, &member(2)).unwrap();
    projects::members::link(&db.conn, mortise.id, bob.id, &member(1)).unwrap();
    projects::members::link(&db.conn, ecto.id, ann.id, &member(5)).unwrap();
    projects::reviewers::insert(&db.conn, mortise.id, &[ann.id]).unwrap();

    let mut all = projects::Project::all(&db.conn).unwrap();
    db.selects();
    projects::members::preload_edges(&db.conn, all.iter_mut()).unwrap();
    assert_eq!(db.selects(), 1, "one query for every owner");
    let summary = |p: &projects::Project| -> Vec<(String, i32, String)> {
        p.members_edges
            .iter()
            .map(|e| (e.target.name.clone(), e.link.position, e.link.kind.clone()))
            .collect()
    };
    // preload_order: [memberships.position asc, name asc]; reviewers left out.
    assert_eq!(
        summary(&all[0]),
        [
            ("Bob".into(), 1, "member".into()),
            ("Cy".into(), 1, "member".into()),
            ("Ann".into(), 2, "member".into()),
        ]
    );
    assert_eq!(summary(&all[1]), [("Ann".into(), 5, "member".into())]);
    assert_eq!(all[2].id, empty.id);
    assert!(all[2].members_edges.get().unwrap().is_empty());
    assert!(
        !all[0].members.is_loaded(),
        "preload_edges fills only the edges"
    );
    for edge in all[0].members_edges.iter() {
        assert_eq!(edge.link.person_id, edge.target.id);
        assert_eq!(edge.link.project_id, mortise.id);
    }
    // list_edges is the same query for one owner.
    assert_eq!(
        projects::members::list_edges(&db.conn, mortise.id).unwrap(),
        all[0].members_edges.get().unwrap().clone()
    );

    // An edge's join row is a row like any other: change it, and the order follows.
    let mut ann_edge = all[0].members_edges.get().unwrap()[2].clone();
    ann_edge.link.position = 0;
    assert!(ann_edge.link.update(&db.conn).unwrap());
    let edges = projects::members::list_edges(&db.conn, mortise.id).unwrap();
    assert_eq!(edges[0].target.name, "Ann");

    // The back-reference's edges carry both kinds; nested preloads compose.
    let mut people = people::Person::all(&db.conn).unwrap();
    db.selects();
    people::projects::preload_edges(&db.conn, people.iter_mut()).unwrap();
    projects::reviewers::preload(
        &db.conn,
        people
            .iter_mut()
            .flat_map(|p| p.projects_edges.iter_mut().map(|e| &mut e.target)),
    )
    .unwrap();
    assert_eq!(db.selects(), 2, "one query per level");
    let ann_projects: Vec<(&str, &str)> = people[0]
        .projects_edges
        .iter()
        .map(|e| (e.target.name.as_str(), e.link.kind.as_str()))
        .collect();
    assert_eq!(
        ann_projects,
        [
            ("ecto", "member"),
            ("mortise", "member"),
            ("mortise", "reviewer")
        ]
    );
    let reviewed = &people[0].projects_edges.get().unwrap()[2].target;
    assert_eq!(names(reviewed.reviewers.get().unwrap()), ["Ann"]);
}

#[test]
fn a_link_to_a_missing_row_fails_and_writes_nothing() {
    let db = Db::new();
    let mortise = db.project("mortise");
    let error = projects::members::link(
        &db.conn,
        mortise.id,
        404,
        &projects::members::Link::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("FOREIGN KEY"), "{error}");
    assert!(db.memberships().is_empty());
}

#[test]
fn deleting_an_owner_removes_only_its_delete_all_association_rows() {
    let db = Db::new();
    let mortise = db.project("mortise");
    let ann = db.person("Ann");
    projects::members::insert(&db.conn, mortise.id, &[ann.id]).unwrap();
    projects::reviewers::insert(&db.conn, mortise.id, &[ann.id]).unwrap();
    // members has on_delete: delete_all (its own kind only), and the join
    // schema's foreign key cascades the rest.
    assert!(projects::Project::delete(&db.conn, mortise.id).unwrap());
    assert!(db.memberships().is_empty());
    assert_eq!(people::Person::all(&db.conn).unwrap().len(), 1);
}
