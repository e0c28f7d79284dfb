//! Chinook, a real database with a many-to-many join table and a
//! self-reference: the generated preloads return exactly what direct SQL
//! returns. Each test reads a copy of its own. The SQLite copy names things
//! in PascalCase, the PostgreSQL one in snake_case: the SQL below is written
//! in the former, and `db.chinook_sql` gives it in the copy's names. Keys are
//! `i64` on SQLite and `i32` (INTEGER) on PostgreSQL: compared as `i64`.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_chinook {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use chinook::{Loaded, albums, artists, employees, playlists, tracks};
        use std::collections::BTreeMap;

        /// `(owner, target)` pairs by direct SQL.
        fn pairs(db: &Db, sql: &str) -> Vec<(i64, i64)> {
            db.pairs(&db.chinook_sql(sql))
        }

        #[test]
        fn playlists_to_tracks_equals_direct_sql() {
            let db = $crate::open_or_skip!(chinook("playlists"));
            let mut all = q!(db, playlists::Playlist::all()).unwrap();
            assert_eq!(all.len(), 18);
            q!(db, playlists::tracks::preload(all.iter_mut())).unwrap();

            let loaded: Vec<(i64, i64)> = all
                .iter()
                .flat_map(|p| p.tracks.iter().map(move |t| (p.playlist_id.into(), t.track_id.into())))
                .collect();
            let direct = pairs(&db, "SELECT PlaylistId, TrackId FROM PlaylistTrack ORDER BY PlaylistId, TrackId");
            assert_eq!(loaded.len(), 8715);
            assert_eq!(loaded, direct);

            let empty: Vec<i64> = all
                .iter()
                .filter(|p| p.tracks.get().unwrap().is_empty())
                .map(|p| p.playlist_id.into())
                .collect();
            assert_eq!(empty, [2, 4, 6, 7]);
            let by_id: BTreeMap<i64, usize> =
                all.iter().map(|p| (p.playlist_id.into(), p.tracks.iter().count())).collect();
            assert_eq!((by_id[&1], by_id[&8], by_id[&9], by_id[&18]), (3290, 3290, 1, 1));
            // Non-ASCII survives the round trip.
            assert_eq!(all[4].name.as_deref(), Some("90’s Music"));
            // Prices decode exactly (REAL on SQLite, NUMERIC(10,2) on PostgreSQL).
            let first = &all[0].tracks.get().unwrap()[0];
            assert_eq!(first.unit_price.to_string(), "0.99");

            // The per-owner functions agree with the preload.
            for playlist in &all {
                assert_eq!(
                    q!(db, playlists::tracks::count(playlist.playlist_id)).unwrap() as usize,
                    playlist.tracks.iter().count()
                );
            }
            assert_eq!(&q!(db, playlists::tracks::list(9)).unwrap(), all[8].tracks.get().unwrap());
        }

        #[test]
        fn tracks_to_playlists_equals_direct_sql() {
            let db = $crate::open_or_skip!(chinook("tracks"));
            let mut all = q!(db, tracks::Track::all()).unwrap();
            assert_eq!(all.len(), 3503);
            q!(db, tracks::playlists::preload(all.iter_mut())).unwrap();
            let loaded: Vec<(i64, i64)> = all
                .iter()
                .flat_map(|t| t.playlists.iter().map(move |p| (t.track_id.into(), p.playlist_id.into())))
                .collect();
            let direct = pairs(&db, "SELECT TrackId, PlaylistId FROM PlaylistTrack ORDER BY TrackId, PlaylistId");
            assert_eq!(loaded, direct);
            assert!(
                all.iter().all(|t| (2..=5).contains(&t.playlists.iter().count())),
                "every track is in 2 to 5 playlists"
            );
        }

        #[test]
        fn artists_albums_tracks_nest_and_agree_with_sql() {
            let db = $crate::open_or_skip!(chinook("albums"));
            let mut artists = q!(db, artists::Artist::all()).unwrap();
            q!(db, artists::albums::preload(artists.iter_mut())).unwrap();
            q!(db, albums::tracks::preload(artists.iter_mut().flat_map(|a| a.albums.iter_mut()))).unwrap();
            q!(db, albums::artist::preload(artists.iter_mut().flat_map(|a| a.albums.iter_mut()))).unwrap();

            let album_pairs: Vec<(i64, i64)> = artists
                .iter()
                .flat_map(|a| a.albums.iter().map(move |b| (a.artist_id.into(), b.album_id.into())))
                .collect();
            assert_eq!(album_pairs, pairs(&db, "SELECT ArtistId, AlbumId FROM Album ORDER BY ArtistId, AlbumId"));
            assert_eq!(artists.iter().filter(|a| a.albums.get().unwrap().is_empty()).count(), 71);

            let mut loaded: Vec<(i64, i64)> = artists
                .iter()
                .flat_map(|a| a.albums.iter())
                .flat_map(|b| b.tracks.iter().map(move |t| (b.album_id.into(), t.track_id.into())))
                .collect();
            let mut direct = pairs(&db, "SELECT AlbumId, TrackId FROM Track ORDER BY AlbumId, TrackId");
            loaded.sort_unstable();
            direct.sort_unstable();
            assert_eq!(loaded, direct);
            // belongs_to back to the owner.
            for artist in &artists {
                for album in artist.albums.iter() {
                    assert_eq!(album.artist.iter().next().map(|a| a.artist_id), Some(artist.artist_id));
                }
            }
        }

        #[test]
        fn the_employee_self_reference_tree() {
            let db = $crate::open_or_skip!(chinook("employees"));
            let mut staff = q!(db, employees::Employee::all()).unwrap();
            q!(db, employees::manager::preload(staff.iter_mut())).unwrap();
            q!(db, employees::reports::preload(staff.iter_mut())).unwrap();
            let reports = |id: i64| -> Vec<i64> {
                staff
                    .iter()
                    .find(|e| i64::from(e.employee_id) == id)
                    .unwrap()
                    .reports
                    .iter()
                    .map(|e| e.employee_id.into())
                    .collect()
            };
            assert_eq!(reports(1), [2, 6]);
            assert_eq!(reports(2), [3, 4, 5]);
            assert_eq!(reports(6), [7, 8]);
            assert!(reports(3).is_empty());
            let adams = &staff[0];
            assert_eq!((adams.first_name.as_str(), adams.last_name.as_str()), ("Andrew", "Adams"));
            assert_eq!(adams.manager, Loaded::Loaded(None), "the root reports to nobody");
            assert_eq!(staff[7].manager.iter().next().map(|m| i64::from(m.employee_id)), Some(6));
            assert_eq!(
                q!(db, employees::manager::get(2)).unwrap().map(|m| m.last_name),
                Some("Edwards".to_owned())
            );
        }

        #[test]
        fn through_paths_equal_direct_sql() {
            let db = $crate::open_or_skip!(chinook("through"));
            // Artist -> albums -> tracks.
            let mut artists = q!(db, artists::Artist::all()).unwrap();
            q!(db, artists::tracks::preload(artists.iter_mut())).unwrap();
            let loaded: Vec<(i64, i64)> = artists
                .iter()
                .flat_map(|a| a.tracks.iter().map(move |t| (a.artist_id.into(), t.track_id.into())))
                .collect();
            let direct = pairs(
                &db,
                "SELECT a.ArtistId, t.TrackId FROM Album a JOIN Track t ON t.AlbumId = a.AlbumId \
                 ORDER BY a.ArtistId, t.TrackId",
            );
            assert_eq!(loaded, direct);

            // Playlist -> tracks -> album -> artist: three hops, distinct
            // artists, ordered by name then key (the preload's
            // `preload_order`), in the database's collation on both sides.
            let mut lists = q!(db, playlists::Playlist::all()).unwrap();
            q!(db, playlists::artists::preload(lists.iter_mut())).unwrap();
            let loaded: Vec<(i64, i64)> = lists
                .iter()
                .flat_map(|p| p.artists.iter().map(move |a| (p.playlist_id.into(), a.artist_id.into())))
                .collect();
            let direct = pairs(
                &db,
                "SELECT DISTINCT pt.PlaylistId, ar.ArtistId, ar.Name FROM PlaylistTrack pt \
                 JOIN Track t ON t.TrackId = pt.TrackId JOIN Album al ON al.AlbumId = t.AlbumId \
                 JOIN Artist ar ON ar.ArtistId = al.ArtistId ORDER BY pt.PlaylistId, ar.Name, ar.ArtistId",
            );
            assert!(!direct.is_empty());
            assert_eq!(loaded, direct);
            for playlist in &lists {
                assert_eq!(
                    q!(db, playlists::artists::count(playlist.playlist_id)).unwrap() as usize,
                    playlist.artists.iter().count()
                );
            }
        }
    };
}
