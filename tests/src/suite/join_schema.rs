//! Join schemas with data (golden case `join_schema`): typed edges, links
//! written with their own values, two associations over one join table kept
//! apart by `join_where`, `join_defaults`, ordering by a join column, and a
//! UUID join key made on every insert path.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_join_schema {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use join_schema::{memberships, people, projects};

        fn database(test: &str) -> Option<Db> {
            let db = Db::fresh(test)?;
            q!(db, join_schema::create_all()).unwrap();
            Some(db)
        }

        #[test]
        fn a_join_schema_with_no_column_of_its_own_links_without_values() {
            use bare_join_schema::{players, teams};
            let db = $crate::open_or_skip!(fresh("bare_join_schema"));
            q!(db, bare_join_schema::create_all()).unwrap();
            let team = q!(db, teams::Team::insert(&teams::NewTeam { name: "Reds".into() })).unwrap();
            let ann = q!(db, players::Player::insert(&players::NewPlayer { name: "Ann".into() })).unwrap();
            let roster = q!(db, teams::players::link(team.id, ann.id)).unwrap().expect("a new link");
            assert_eq!((roster.team_id, roster.player_id), (team.id, ann.id));
            assert!(q!(db, players::teams::link(ann.id, team.id)).unwrap().is_none(), "the link exists");
            let edges = q!(db, teams::players::list_edges(team.id)).unwrap();
            assert_eq!(edges.len(), 1);
            assert_eq!((edges[0].link.clone(), edges[0].target.name.as_str()), (roster, "Ann"));
        }

        fn project(db: &Db, name: &str) -> projects::Project {
            q!(db, projects::Project::insert(&projects::NewProject { name: name.into() })).unwrap()
        }

        fn person(db: &Db, name: &str) -> people::Person {
            q!(db, people::Person::insert(&people::NewPerson { name: name.into() })).unwrap()
        }

        /// The join table's rows, sorted.
        fn memberships(db: &Db) -> Vec<(i64, i64, String, i32)> {
            let mut rows: Vec<_> = q!(db, memberships::Membership::all())
                .unwrap()
                .into_iter()
                .map(|m| (m.project_id, m.person_id, m.kind, m.position))
                .collect();
            rows.sort();
            rows
        }

        fn names(people: &[people::Person]) -> Vec<&str> {
            people.iter().map(|p| p.name.as_str()).collect()
        }

        #[test]
        fn link_writes_the_join_rows_values_and_returns_it() {
            let Some(db) = database("join_schema_1") else { return };
            let db = &db;
            let (mortise, ann) = (project(db, "mortise"), person(db, "Ann"));
            // Stored times are whole microseconds: compare with the same.
            let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
            let values = projects::members::Link {
                position: 3,
                note: Some("founder".into()),
                since: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
            };
            let stored = q!(db, projects::members::link(mortise.id, ann.id, &values))
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
                q!(db, memberships::Membership::get(stored.id)).unwrap(),
                Some(stored.clone())
            );

            // Links are a set: linking again leaves the first row as it was.
            let again = projects::members::Link {
                position: 9,
                ..Default::default()
            };
            assert_eq!(
                q!(db, projects::members::link(mortise.id, ann.id, &again)).unwrap(),
                None
            );
            assert_eq!(q!(db, memberships::Membership::all()).unwrap(), [stored]);
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
            let Some(db) = database("join_schema_2") else { return };
            let db = &db;
            let mortise = project(db, "mortise");
            let (ann, bob) = (person(db, "Ann"), person(db, "Bob"));

            // Ann is both a member and a reviewer of the same project.
            assert_eq!(
                q!(db, projects::members::insert(mortise.id, &[ann.id, bob.id])).unwrap(),
                2
            );
            assert_eq!(
                q!(db, projects::reviewers::insert(mortise.id, &[ann.id])).unwrap(),
                1
            );
            assert_eq!(
                memberships(db),
                [
                    (mortise.id, ann.id, "member".into(), 0),
                    (mortise.id, ann.id, "reviewer".into(), 100),
                    (mortise.id, bob.id, "member".into(), 0),
                ],
                "join_where and join_defaults written by insert"
            );
            assert_eq!(q!(db, projects::members::count(mortise.id)).unwrap(), 2);
            assert_eq!(q!(db, projects::reviewers::count(mortise.id)).unwrap(), 1);
            assert_eq!(
                names(&q!(db, projects::reviewers::list(mortise.id)).unwrap()),
                ["Ann"]
            );
            // The back-reference sees both kinds.
            assert_eq!(q!(db, people::projects::count(ann.id)).unwrap(), 2);

            // Unlinking a reviewer leaves the membership of the same pair.
            assert_eq!(
                q!(db, projects::reviewers::delete(mortise.id, &[ann.id])).unwrap(),
                1
            );
            assert_eq!(q!(db, projects::members::count(mortise.id)).unwrap(), 2);
            q!(db, projects::reviewers::insert(mortise.id, &[bob.id])).unwrap();
            // Clearing members leaves reviewers; replace touches only its own kind.
            assert_eq!(q!(db, projects::members::clear(mortise.id)).unwrap(), 2);
            assert_eq!(
                memberships(db),
                [(mortise.id, bob.id, "reviewer".into(), 100)]
            );
            let changes = q!(db, projects::members::replace(mortise.id, &[bob.id])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 0));
            let changes = q!(db, projects::reviewers::replace(mortise.id, &[ann.id])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 1));
            assert_eq!(
                memberships(db),
                [
                    (mortise.id, ann.id, "reviewer".into(), 100),
                    (mortise.id, bob.id, "member".into(), 0),
                ]
            );
            // Every join row has its own UUID, made in SQL by the key-array insert.
            let ids: std::collections::HashSet<_> = q!(db, memberships::Membership::all())
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
            let Some(db) = database("join_schema_3") else { return };
            let db = &db;
            let (mortise, ecto, empty) = (
                project(db, "mortise"),
                project(db, "ecto"),
                project(db, "empty"),
            );
            let (ann, bob, cy) = (person(db, "Ann"), person(db, "Bob"), person(db, "Cy"));
            let member = |position| projects::members::Link {
                position,
                ..Default::default()
            };
            q!(db, projects::members::link(mortise.id, cy.id, &member(1))).unwrap();
            q!(db, projects::members::link(mortise.id, ann.id, &member(2))).unwrap();
            q!(db, projects::members::link(mortise.id, bob.id, &member(1))).unwrap();
            q!(db, projects::members::link(ecto.id, ann.id, &member(5))).unwrap();
            q!(db, projects::reviewers::insert(mortise.id, &[ann.id])).unwrap();

            let mut all = q!(db, projects::Project::all()).unwrap();
            db.reset_selects();
            q!(db, projects::members::preload_edges(all.iter_mut())).unwrap();
            db.check_selects(1, "one query for every owner");
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
                q!(db, projects::members::list_edges(mortise.id)).unwrap(),
                all[0].members_edges.get().unwrap().clone()
            );

            // An edge's join row is a row like any other: change it, and the order follows.
            let mut ann_edge = all[0].members_edges.get().unwrap()[2].clone();
            ann_edge.link.position = 0;
            assert!(q!(db, ann_edge.link.update()).unwrap());
            let edges = q!(db, projects::members::list_edges(mortise.id)).unwrap();
            assert_eq!(edges[0].target.name, "Ann");

            // The back-reference's edges carry both kinds; nested preloads compose.
            let mut people = q!(db, people::Person::all()).unwrap();
            db.reset_selects();
            q!(db, people::projects::preload_edges(people.iter_mut())).unwrap();
            q!(db, projects::reviewers::preload(people
                    .iter_mut()
                    .flat_map(|p| p.projects_edges.iter_mut().map(|e| &mut e.target)),
            ))
            .unwrap();
            db.check_selects(2, "one query per level");
            let mut ann_projects: Vec<(&str, &str)> = people[0]
                .projects_edges
                .iter()
                .map(|e| (e.target.name.as_str(), e.link.kind.as_str()))
                .collect();
            // In `preload_order` (name), then the target's key: the two
            // memberships of one project tie, in no given order.
            assert!(ann_projects.is_sorted_by_key(|(name, _)| *name));
            ann_projects.sort_unstable();
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
            let Some(db) = database("join_schema_4") else { return };
            let db = &db;
            let mortise = project(db, "mortise");
            let error = q!(db, projects::members::link(mortise.id,
                404,
                &projects::members::Link::default(),
            ))
            .unwrap_err();
            assert!(fk_violation(&error), "{error}");
            let ann = person(db, "Ann");
            let error = q!(db, projects::members::link(404, ann.id, &Default::default())).unwrap_err();
            assert!(fk_violation(&error), "a missing owner too: {error}");
            assert!(memberships(db).is_empty());
        }

        #[test]
        fn deleting_an_owner_removes_only_its_delete_all_association_rows() {
            let Some(db) = database("join_schema_5") else { return };
            let db = &db;
            let mortise = project(db, "mortise");
            let ann = person(db, "Ann");
            q!(db, projects::members::insert(mortise.id, &[ann.id])).unwrap();
            q!(db, projects::reviewers::insert(mortise.id, &[ann.id])).unwrap();
            // members has on_delete: delete_all (its own kind only), and the join
            // schema's foreign key cascades the rest.
            assert!(q!(db, projects::Project::delete(mortise.id)).unwrap());
            assert!(memberships(db).is_empty());
            assert_eq!(q!(db, people::Person::all()).unwrap().len(), 1);
        }

        #[test]
        fn unlink_clear_and_replace_touch_only_their_own_kind() {
            let Some(db) = database("join_schema_kinds") else { return };
            let db = &db;
            let (mortise, ecto) = (project(db, "mortise"), project(db, "ecto"));
            let (ann, bob, cy) = (person(db, "Ann"), person(db, "Bob"), person(db, "Cy"));
            let member = |position| projects::members::Link {
                position,
                ..Default::default()
            };
            for (project, person, position) in [(&mortise, &ann, 2), (&mortise, &cy, 1), (&mortise, &bob, 1), (&ecto, &ann, 5)] {
                q!(db, projects::members::link(project.id, person.id, &member(position)))
                    .unwrap()
                    .expect("a new link");
            }
            assert_eq!(
                q!(db, projects::members::link(mortise.id, ann.id, &member(9))).unwrap(),
                None,
                "links are a set"
            );
            // A reviewer row for a pair that is also a member: join_where keeps them apart.
            assert_eq!(q!(db, projects::reviewers::insert(mortise.id, &[ann.id])).unwrap(), 1);
            assert_eq!(q!(db, projects::members::count(mortise.id)).unwrap(), 3);
            assert_eq!(q!(db, projects::reviewers::count(mortise.id)).unwrap(), 1);

            // Unlink and clear touch only their own kind; UUIDs made in SQL.
            assert_eq!(
                q!(db, projects::members::delete(mortise.id, &[ann.id])).unwrap(),
                1
            );
            assert_eq!(q!(db, projects::reviewers::count(mortise.id)).unwrap(), 1);
            q!(db, projects::reviewers::insert(mortise.id, &[bob.id])).unwrap();
            assert_eq!(q!(db, projects::members::clear(mortise.id)).unwrap(), 2);
            assert_eq!(
                memberships(db),
                [
                    (mortise.id, ann.id, "reviewer".into(), 100),
                    (mortise.id, bob.id, "reviewer".into(), 100),
                    (ecto.id, ann.id, "member".into(), 5),
                ]
            );
            for m in q!(db, memberships::Membership::all()).unwrap() {
                assert_eq!(m.id.get_version_num(), 4);
            }
            let changes = q!(db, projects::reviewers::replace(mortise.id, &[cy.id])).unwrap();
            assert_eq!((changes.added, changes.removed), (1, 2));

            // The back-reference's edges carry every kind.
            let mut everyone = q!(db, people::Person::all()).unwrap();
            q!(db, people::projects::preload_edges(everyone.iter_mut())).unwrap();
            let cy_projects: Vec<(&str, &str)> = everyone[2]
                .projects_edges
                .iter()
                .map(|e| (e.target.name.as_str(), e.link.kind.as_str()))
                .collect();
            assert_eq!(cy_projects, [("mortise", "reviewer")]);

        }

    };
}
