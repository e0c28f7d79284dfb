//! Chinook on PostgreSQL, loaded from its own psql script (snake_case names,
//! INTEGER keys, NUMERIC prices): the generated preloads of both drivers
//! return exactly what direct SQL returns. Each test loads a database of its
//! own and drops it afterwards. Needs `DATABASE_URL`.

use std::collections::BTreeMap;

use mortise_tests::pg::chinook_pg::{Loaded, employees, playlists, tracks};
use mortise_tests::pg_support::ChinookDatabase;
use postgres::Client;

/// `(owner, target)` pairs by direct SQL.
fn pairs(db: &mut Client, sql: &str) -> Vec<(i32, i32)> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn playlists_to_tracks_equals_direct_sql() {
    let Some(chinook) = ChinookDatabase::load("playlists") else {
        return;
    };
    let db = &mut chinook.connect();
    let mut all = playlists::Playlist::all(db).unwrap();
    assert_eq!(all.len(), 18);
    playlists::tracks::preload(db, all.iter_mut()).unwrap();

    let loaded: Vec<(i32, i32)> = all
        .iter()
        .flat_map(|p| p.tracks.iter().map(move |t| (p.playlist_id, t.track_id)))
        .collect();
    let direct = pairs(
        db,
        "SELECT playlist_id, track_id FROM playlist_track ORDER BY playlist_id, track_id",
    );
    assert_eq!(loaded.len(), 8715);
    assert_eq!(loaded, direct);

    let empty: Vec<i32> = all
        .iter()
        .filter(|p| p.tracks.get().unwrap().is_empty())
        .map(|p| p.playlist_id)
        .collect();
    assert_eq!(empty, [2, 4, 6, 7]);
    let by_id: BTreeMap<i32, usize> = all
        .iter()
        .map(|p| (p.playlist_id, p.tracks.iter().count()))
        .collect();
    assert_eq!(
        (by_id[&1], by_id[&8], by_id[&9], by_id[&18]),
        (3290, 3290, 1, 1)
    );
    // Non-ASCII survives the round trip.
    assert_eq!(all[4].name.as_deref(), Some("90’s Music"));
    // NUMERIC(10,2) decodes exactly.
    let first = &all[0].tracks.get().unwrap()[0];
    assert_eq!(first.unit_price.to_string(), "0.99");

    // The per-owner functions agree with the preload.
    for playlist in &all {
        assert_eq!(
            playlists::tracks::count(db, playlist.playlist_id).unwrap() as usize,
            playlist.tracks.iter().count()
        );
    }
    assert_eq!(
        &playlists::tracks::list(db, 9).unwrap(),
        all[8].tracks.get().unwrap()
    );
}

#[test]
fn tracks_to_playlists_equals_direct_sql() {
    let Some(chinook) = ChinookDatabase::load("tracks") else {
        return;
    };
    let db = &mut chinook.connect();
    let mut all = tracks::Track::all(db).unwrap();
    assert_eq!(all.len(), 3503);
    tracks::playlists::preload(db, all.iter_mut()).unwrap();
    let loaded: Vec<(i32, i32)> = all
        .iter()
        .flat_map(|t| t.playlists.iter().map(move |p| (t.track_id, p.playlist_id)))
        .collect();
    let direct = pairs(
        db,
        "SELECT track_id, playlist_id FROM playlist_track ORDER BY track_id, playlist_id",
    );
    assert_eq!(loaded, direct);
    assert!(
        all.iter()
            .all(|t| (2..=5).contains(&t.playlists.iter().count())),
        "every track is in 2 to 5 playlists"
    );
}

#[test]
fn through_playlists_to_artists_equals_direct_sql() {
    let Some(chinook) = ChinookDatabase::load("through") else {
        return;
    };
    let db = &mut chinook.connect();
    // Playlist -> tracks -> album -> artist: three hops, distinct artists,
    // ordered by name then key (the preload's `preload_order`), in the
    // database's collation on both sides.
    let mut lists = playlists::Playlist::all(db).unwrap();
    playlists::artists::preload(db, lists.iter_mut()).unwrap();
    let loaded: Vec<(i32, i32)> = lists
        .iter()
        .flat_map(|p| p.artists.iter().map(move |a| (p.playlist_id, a.artist_id)))
        .collect();
    let direct = pairs(
        db,
        "SELECT DISTINCT pt.playlist_id, ar.artist_id, ar.name FROM playlist_track pt \
         JOIN track t ON t.track_id = pt.track_id JOIN album al ON al.album_id = t.album_id \
         JOIN artist ar ON ar.artist_id = al.artist_id ORDER BY pt.playlist_id, ar.name, ar.artist_id",
    );
    assert!(!direct.is_empty());
    assert_eq!(loaded, direct);
    for playlist in &lists {
        assert_eq!(
            playlists::artists::count(db, playlist.playlist_id).unwrap() as usize,
            playlist.artists.iter().count()
        );
    }
}

#[test]
fn the_employee_self_reference_tree_and_the_database_goes_afterwards() {
    let Some(chinook) = ChinookDatabase::load("employees") else {
        return;
    };
    let db = &mut chinook.connect();
    let mut staff = employees::Employee::all(db).unwrap();
    employees::manager::preload(db, staff.iter_mut()).unwrap();
    employees::reports::preload(db, staff.iter_mut()).unwrap();
    let reports = |id: i32| -> Vec<i32> {
        staff
            .iter()
            .find(|e| e.employee_id == id)
            .unwrap()
            .reports
            .iter()
            .map(|e| e.employee_id)
            .collect()
    };
    assert_eq!(reports(1), [2, 6]);
    assert_eq!(reports(2), [3, 4, 5]);
    assert_eq!(reports(6), [7, 8]);
    assert!(reports(3).is_empty());
    let adams = &staff[0];
    assert_eq!(
        (adams.first_name.as_str(), adams.last_name.as_str()),
        ("Andrew", "Adams")
    );
    assert_eq!(
        adams.manager,
        Loaded::Loaded(None),
        "the root reports to nobody"
    );
    assert_eq!(
        staff[7].manager.iter().next().map(|m| m.employee_id),
        Some(6)
    );
    assert_eq!(
        employees::manager::get(db, 2).unwrap().map(|m| m.last_name),
        Some("Edwards".to_owned())
    );

    // Dropping the guard removes the database, even with a client still open.
    let name = chinook.name().to_owned();
    drop(chinook);
    let server_url = std::env::var("DATABASE_URL").unwrap();
    let mut server = Client::connect(&server_url, postgres::NoTls).unwrap();
    let left = server
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .unwrap();
    assert_eq!(left.get::<_, i64>(0), 0, "database {name} is still there");
}

#[tokio::test]
async fn async_driver_playlists_to_tracks_equals_direct_sql() {
    use mortise_tests::pg_async::chinook_pg::playlists;
    let Some(chinook) = ChinookDatabase::load("async") else {
        return;
    };
    let (db, connection) = tokio_postgres::connect(chinook.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);

    let mut all = playlists::Playlist::all(&db).await.unwrap();
    assert_eq!(all.len(), 18);
    playlists::tracks::preload(&db, all.iter_mut())
        .await
        .unwrap();
    let loaded: Vec<(i32, i32)> = all
        .iter()
        .flat_map(|p| p.tracks.iter().map(move |t| (p.playlist_id, t.track_id)))
        .collect();
    let direct: Vec<(i32, i32)> = db
        .query(
            "SELECT playlist_id, track_id FROM playlist_track ORDER BY playlist_id, track_id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(loaded.len(), 8715);
    assert_eq!(loaded, direct);
}
