//! Join schemas with data on PostgreSQL, both drivers (golden case
//! `join_schema`): typed edges, links written with their own values,
//! `join_where` keeping two associations apart, `join_defaults`, ordering by
//! a join column, UUID join keys, and concurrent links of one pair. Needs
//! `DATABASE_URL`.

use mortise_tests::pg::join_schema::{memberships, people, projects};
use mortise_tests::pg_async::join_schema as async_schema;
use mortise_tests::pg_support::{TestSchema, async_client};
use postgres::Client;

fn database(test: &str) -> Option<(TestSchema, Client)> {
    let schema = TestSchema::new(test)?;
    let mut client = schema.connect();
    mortise_tests::pg::join_schema::create_all(&mut client).unwrap();
    Some((schema, client))
}

fn project(db: &mut Client, name: &str) -> projects::Project {
    projects::Project::insert(db, &projects::NewProject { name: name.into() }).unwrap()
}

fn person(db: &mut Client, name: &str) -> people::Person {
    people::Person::insert(db, &people::NewPerson { name: name.into() }).unwrap()
}

fn memberships(db: &mut Client) -> Vec<(i64, i64, String, i32)> {
    let mut rows: Vec<_> = memberships::Membership::all(db)
        .unwrap()
        .into_iter()
        .map(|m| (m.project_id, m.person_id, m.kind, m.position))
        .collect();
    rows.sort();
    rows
}

#[test]
fn link_and_edges_on_the_sync_driver() {
    let Some((_schema, mut client)) = database("pg_join_schema") else {
        return;
    };
    let db = &mut client;
    let (mortise, ecto) = (project(db, "mortise"), project(db, "ecto"));
    let (ann, bob, cy) = (person(db, "Ann"), person(db, "Bob"), person(db, "Cy"));

    // Stored times are whole microseconds: compare with the same.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let values = projects::members::Link {
        position: 2,
        note: Some("founder".into()),
        since: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
    };
    let stored = projects::members::link(db, mortise.id, ann.id, &values)
        .unwrap()
        .expect("a new link");
    assert_eq!(stored.kind, "member", "the association's join_where value");
    assert_eq!(
        (stored.position, stored.note.as_deref()),
        (2, Some("founder"))
    );
    assert_eq!(stored.since, values.since);
    assert!(stored.created_at >= before);
    assert_eq!(stored.id.get_version_num(), 4);
    assert_eq!(
        memberships::Membership::get(db, stored.id).unwrap(),
        Some(stored.clone())
    );
    let again = projects::members::Link::default();
    assert_eq!(
        projects::members::link(db, mortise.id, ann.id, &again).unwrap(),
        None,
        "links are a set"
    );
    let member = |position| projects::members::Link {
        position,
        ..Default::default()
    };
    projects::members::link(db, mortise.id, cy.id, &member(1)).unwrap();
    projects::members::link(db, mortise.id, bob.id, &member(1)).unwrap();
    projects::members::link(db, ecto.id, ann.id, &member(5)).unwrap();
    // A reviewer row for a pair that is also a member: join_where keeps them apart.
    assert_eq!(
        projects::reviewers::insert(db, mortise.id, &[ann.id]).unwrap(),
        1
    );
    assert_eq!(projects::members::count(db, mortise.id).unwrap(), 3);
    assert_eq!(projects::reviewers::count(db, mortise.id).unwrap(), 1);

    let mut all = projects::Project::all(db).unwrap();
    projects::members::preload_edges(db, all.iter_mut()).unwrap();
    let summary: Vec<(String, i32)> = all[0]
        .members_edges
        .iter()
        .map(|e| (e.target.name.clone(), e.link.position))
        .collect();
    assert_eq!(
        summary,
        [("Bob".into(), 1), ("Cy".into(), 1), ("Ann".into(), 2)],
        "ordered by memberships.position, then name; reviewers left out"
    );
    assert_eq!(all[1].members_edges.get().unwrap().len(), 1);
    assert_eq!(
        projects::members::list_edges(db, mortise.id).unwrap(),
        all[0].members_edges.get().unwrap().clone()
    );

    // Unlink and clear touch only their own kind; UUIDs made in SQL.
    assert_eq!(
        projects::members::delete(db, mortise.id, &[ann.id]).unwrap(),
        1
    );
    assert_eq!(projects::reviewers::count(db, mortise.id).unwrap(), 1);
    projects::reviewers::insert(db, mortise.id, &[bob.id]).unwrap();
    assert_eq!(projects::members::clear(db, mortise.id).unwrap(), 2);
    assert_eq!(
        memberships(db),
        [
            (mortise.id, ann.id, "reviewer".into(), 100),
            (mortise.id, bob.id, "reviewer".into(), 100),
            (ecto.id, ann.id, "member".into(), 5),
        ]
    );
    for m in memberships::Membership::all(db).unwrap() {
        assert_eq!(m.id.get_version_num(), 4);
    }
    let changes = projects::reviewers::replace(db, mortise.id, &[cy.id]).unwrap();
    assert_eq!((changes.added, changes.removed), (1, 2));

    // The back-reference's edges carry every kind.
    let mut everyone = people::Person::all(db).unwrap();
    people::projects::preload_edges(db, everyone.iter_mut()).unwrap();
    let cy_projects: Vec<(&str, &str)> = everyone[2]
        .projects_edges
        .iter()
        .map(|e| (e.target.name.as_str(), e.link.kind.as_str()))
        .collect();
    assert_eq!(cy_projects, [("mortise", "reviewer")]);

    // A link to a missing row is an error and writes nothing.
    let before = memberships(db);
    assert!(projects::members::link(db, mortise.id, 404, &member(0)).is_err());
    assert!(projects::members::link(db, 404, ann.id, &member(0)).is_err());
    assert_eq!(memberships(db), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn link_and_edges_on_the_async_driver_and_concurrent_links_of_one_pair() {
    let Some(schema) = TestSchema::new("pga_join_schema") else {
        return;
    };
    let db = async_client(schema.url(), schema.name()).await;
    async_schema::create_all(&db).await.unwrap();
    let mortise = async_schema::projects::Project::insert(
        &db,
        &async_schema::projects::NewProject {
            name: "mortise".into(),
        },
    )
    .await
    .unwrap();
    let ann = async_schema::people::Person::insert(
        &db,
        &async_schema::people::NewPerson { name: "Ann".into() },
    )
    .await
    .unwrap();

    // Eight clients link the same pair at once: exactly one row, one `Some`.
    let mut tasks = Vec::new();
    for position in 0..8 {
        let (url, name) = (schema.url().to_owned(), schema.name().to_owned());
        tasks.push(tokio::spawn(async move {
            let client = async_client(&url, &name).await;
            let values = async_schema::projects::members::Link {
                position,
                ..Default::default()
            };
            async_schema::projects::members::link(&client, mortise.id, ann.id, &values)
                .await
                .unwrap()
        }));
    }
    let mut stored = Vec::new();
    for task in tasks {
        stored.extend(task.await.unwrap());
    }
    assert_eq!(stored.len(), 1, "one link written, the others found it");

    let mut all = async_schema::projects::Project::all(&db).await.unwrap();
    async_schema::projects::members::preload_edges(&db, all.iter_mut())
        .await
        .unwrap();
    let edges = all[0].members_edges.get().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0].link, stored[0]);
    assert_eq!(edges[0].target.name, "Ann");
    assert_eq!(
        async_schema::projects::members::list_edges(&db, mortise.id)
            .await
            .unwrap(),
        edges.clone()
    );
    let reviewer = async_schema::projects::reviewers::Link::default();
    let row = async_schema::projects::reviewers::link(&db, mortise.id, ann.id, &reviewer)
        .await
        .unwrap()
        .expect("a reviewer row beside the member row");
    assert_eq!((row.kind.as_str(), row.position), ("reviewer", 100));
}
