//! Chinook, a real SQLite database with a many-to-many join table and a
//! self-reference: the generated preloads return exactly what direct SQL
//! returns. Each test reads its own copy; the shared file is never written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use mortise_tests::chinook::{Loaded, albums, artists, employees, playlists, tracks};
use rusqlite::Connection;

/// A private copy of `shared/data/chinook/Chinook_Sqlite.sqlite`.
struct Chinook {
    path: PathBuf,
    db: Connection,
}

impl Chinook {
    fn open(test: &str) -> Chinook {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook/Chinook_Sqlite.sqlite");
        assert!(
            source.is_file(),
            "Chinook is missing at {}: the tests need the shared/ folder beside the repository",
            source.display()
        );
        let path = std::env::temp_dir().join(format!(
            "mortise-chinook-{test}-{}.sqlite",
            std::process::id()
        ));
        std::fs::copy(&source, &path).unwrap();
        let db = Connection::open(&path).unwrap();
        Chinook { path, db }
    }

    /// `(owner, target)` pairs by direct SQL.
    fn pairs(&self, sql: &str) -> Vec<(i64, i64)> {
        let mut statement = self.db.prepare(sql).unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

impl Drop for Chinook {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn playlists_to_tracks_equals_direct_sql() {
    let chinook = Chinook::open("playlists");
    let mut all = playlists::Playlist::all(&chinook.db).unwrap();
    assert_eq!(all.len(), 18);
    playlists::tracks::preload(&chinook.db, all.iter_mut()).unwrap();

    let loaded: Vec<(i64, i64)> = all
        .iter()
        .flat_map(|p| p.tracks.iter().map(move |t| (p.playlist_id, t.track_id)))
        .collect();
    let direct =
        chinook.pairs("SELECT PlaylistId, TrackId FROM PlaylistTrack ORDER BY PlaylistId, TrackId");
    assert_eq!(loaded.len(), 8715);
    assert_eq!(loaded, direct);

    let empty: Vec<i64> = all
        .iter()
        .filter(|p| p.tracks.get().unwrap().is_empty())
        .map(|p| p.playlist_id)
        .collect();
    assert_eq!(empty, [2, 4, 6, 7]);
    let by_id: BTreeMap<i64, usize> = all
        .iter()
        .map(|p| (p.playlist_id, p.tracks.iter().count()))
        .collect();
    assert_eq!(
        (by_id[&1], by_id[&8], by_id[&9], by_id[&18]),
        (3290, 3290, 1, 1)
    );
    // Non-ASCII survives the round trip.
    assert_eq!(all[4].name.as_deref(), Some("90’s Music"));

    // The per-owner functions agree with the preload.
    for playlist in &all {
        assert_eq!(
            playlists::tracks::count(&chinook.db, playlist.playlist_id).unwrap() as usize,
            playlist.tracks.iter().count()
        );
    }
    assert_eq!(
        &playlists::tracks::list(&chinook.db, 9).unwrap(),
        all[8].tracks.get().unwrap()
    );
}

#[test]
fn tracks_to_playlists_equals_direct_sql() {
    let chinook = Chinook::open("tracks");
    let mut all = tracks::Track::all(&chinook.db).unwrap();
    assert_eq!(all.len(), 3503);
    tracks::playlists::preload(&chinook.db, all.iter_mut()).unwrap();
    let loaded: Vec<(i64, i64)> = all
        .iter()
        .flat_map(|t| t.playlists.iter().map(move |p| (t.track_id, p.playlist_id)))
        .collect();
    let direct =
        chinook.pairs("SELECT TrackId, PlaylistId FROM PlaylistTrack ORDER BY TrackId, PlaylistId");
    assert_eq!(loaded, direct);
    assert!(
        all.iter()
            .all(|t| (2..=5).contains(&t.playlists.iter().count())),
        "every track is in 2 to 5 playlists"
    );
}

#[test]
fn artists_albums_tracks_nest_and_agree_with_sql() {
    let chinook = Chinook::open("albums");
    let mut artists = artists::Artist::all(&chinook.db).unwrap();
    artists::albums::preload(&chinook.db, artists.iter_mut()).unwrap();
    albums::tracks::preload(
        &chinook.db,
        artists.iter_mut().flat_map(|a| a.albums.iter_mut()),
    )
    .unwrap();
    albums::artist::preload(
        &chinook.db,
        artists.iter_mut().flat_map(|a| a.albums.iter_mut()),
    )
    .unwrap();

    let album_pairs: Vec<(i64, i64)> = artists
        .iter()
        .flat_map(|a| a.albums.iter().map(move |b| (a.artist_id, b.album_id)))
        .collect();
    assert_eq!(
        album_pairs,
        chinook.pairs("SELECT ArtistId, AlbumId FROM Album ORDER BY ArtistId, AlbumId")
    );
    assert_eq!(
        artists
            .iter()
            .filter(|a| a.albums.get().unwrap().is_empty())
            .count(),
        71
    );

    let track_pairs: Vec<(i64, i64)> = artists
        .iter()
        .flat_map(|a| a.albums.iter())
        .flat_map(|b| b.tracks.iter().map(move |t| (b.album_id, t.track_id)))
        .collect();
    let mut direct = chinook.pairs("SELECT AlbumId, TrackId FROM Track ORDER BY AlbumId, TrackId");
    let mut loaded = track_pairs;
    loaded.sort_unstable();
    direct.sort_unstable();
    assert_eq!(loaded, direct);
    // belongs_to back to the owner.
    for artist in &artists {
        for album in artist.albums.iter() {
            assert_eq!(
                album.artist.iter().next().map(|a| a.artist_id),
                Some(artist.artist_id)
            );
        }
    }
}

#[test]
fn the_employee_self_reference_tree() {
    let chinook = Chinook::open("employees");
    let mut staff = employees::Employee::all(&chinook.db).unwrap();
    employees::manager::preload(&chinook.db, staff.iter_mut()).unwrap();
    employees::reports::preload(&chinook.db, staff.iter_mut()).unwrap();
    let reports = |id: i64| -> Vec<i64> {
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
        employees::manager::get(&chinook.db, 2)
            .unwrap()
            .map(|m| m.last_name),
        Some("Edwards".to_owned())
    );
}

#[test]
fn through_paths_equal_direct_sql() {
    let chinook = Chinook::open("through");
    // Artist -> albums -> tracks.
    let mut artists = artists::Artist::all(&chinook.db).unwrap();
    artists::tracks::preload(&chinook.db, artists.iter_mut()).unwrap();
    let loaded: Vec<(i64, i64)> = artists
        .iter()
        .flat_map(|a| a.tracks.iter().map(move |t| (a.artist_id, t.track_id)))
        .collect();
    let direct = chinook.pairs("SELECT a.ArtistId, t.TrackId FROM Album a JOIN Track t ON t.AlbumId = a.AlbumId ORDER BY a.ArtistId, t.TrackId");
    assert_eq!(loaded, direct);

    // Playlist -> tracks -> album -> artist: three hops, distinct artists, ordered by name.
    let mut lists = playlists::Playlist::all(&chinook.db).unwrap();
    playlists::artists::preload(&chinook.db, lists.iter_mut()).unwrap();
    let loaded: Vec<(i64, i64)> = lists
        .iter()
        .flat_map(|p| p.artists.iter().map(move |a| (p.playlist_id, a.artist_id)))
        .collect();
    let direct = chinook.pairs(
        "SELECT DISTINCT pt.PlaylistId, ar.ArtistId, ar.Name FROM PlaylistTrack pt JOIN Track t ON t.TrackId = pt.TrackId \
         JOIN Album al ON al.AlbumId = t.AlbumId JOIN Artist ar ON ar.ArtistId = al.ArtistId ORDER BY pt.PlaylistId, ar.Name, ar.ArtistId",
    );
    assert_eq!(loaded, direct);
    for playlist in &lists {
        assert_eq!(
            playlists::artists::count(&chinook.db, playlist.playlist_id).unwrap() as usize,
            playlist.artists.iter().count()
        );
    }
}
