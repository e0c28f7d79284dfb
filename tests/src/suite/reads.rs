//! Reads for many owners in one statement (issue 14, items 4 and 5):
//! `counts` (one `GROUP BY` query for every owner given, Prisma's `_count`)
//! and the first N rows of each owner (`preload_first`, and `preload_limit`
//! declared in the schema), checked against direct SQL on every backend: on
//! Chinook (a database mortise did not create), and on golden cases with
//! composite keys, `where`, `join_where`, a `through` path and an order
//! SQL must keep (an enum on PostgreSQL).

#[macro_export]
#[doc(hidden)]
macro_rules! suite_reads {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use std::collections::BTreeMap;

        /// `(owner, value)` pairs by direct SQL on Chinook.
        fn chinook_pairs(db: &Db, sql: &str) -> Vec<(i64, i64)> {
            db.pairs(&db.chinook_sql(sql))
        }

        /// A Chinook key as `i64` (it is `i32` on PostgreSQL).
        fn id(key: impl Into<i64>) -> i64 {
            key.into()
        }

        /// Each owner's values, in the order SQL gave them.
        fn grouped(pairs: Vec<(i64, i64)>) -> BTreeMap<i64, Vec<i64>> {
            let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for (owner, value) in pairs {
                groups.entry(owner).or_default().push(value);
            }
            groups
        }

        #[test]
        fn chinook_counts_for_many_owners_equal_group_by() {
            use chinook::{albums, playlists, tracks};
            let db = $crate::open_or_skip!(chinook("counts"));
            let all = q!(db, playlists::Playlist::all()).unwrap();
            let direct: BTreeMap<i64, i64> =
                chinook_pairs(&db, "SELECT PlaylistId, count(*) FROM PlaylistTrack GROUP BY PlaylistId").into_iter().collect();
            // Every playlist twice, the second time backwards: repeats, and
            // the four playlists without tracks count 0.
            let owners: Vec<&playlists::Playlist> = all.iter().chain(all.iter().rev()).collect();
            db.reset_selects();
            let counts = q!(db, playlists::tracks::counts(owners.iter().copied())).unwrap();
            db.check_selects(1, "one query for 36 owners");
            let expected: Vec<u64> = owners
                .iter()
                .map(|p| direct.get(&id(p.playlist_id)).map_or(0, |n| *n as u64))
                .collect();
            assert_eq!(counts, expected);
            assert_eq!(counts.iter().filter(|n| **n == 0).count(), 8);
            // One owner: the same statement, the same numbers.
            assert_eq!(q!(db, playlists::tracks::count(1)).unwrap(), 3290);
            assert_eq!(q!(db, playlists::tracks::count(2)).unwrap(), 0, "no row: 0");
            // No owners: nothing to count.
            assert!(q!(db, playlists::tracks::counts(std::iter::empty())).unwrap().is_empty());

            // The other way: 3,503 owners in one query.
            let tracks = q!(db, tracks::Track::all()).unwrap();
            let direct: BTreeMap<i64, i64> =
                chinook_pairs(&db, "SELECT TrackId, count(*) FROM PlaylistTrack GROUP BY TrackId").into_iter().collect();
            let counts = q!(db, tracks::playlists::counts(&tracks)).unwrap();
            let expected: Vec<u64> = tracks.iter().map(|t| direct[&id(t.track_id)] as u64).collect();
            assert_eq!(counts, expected);

            // has_many: an album's tracks.
            let albums = q!(db, albums::Album::all()).unwrap();
            let direct: BTreeMap<i64, i64> =
                chinook_pairs(&db, "SELECT AlbumId, count(*) FROM Track WHERE AlbumId IS NOT NULL GROUP BY AlbumId").into_iter().collect();
            let counts = q!(db, albums::tracks::counts(&albums)).unwrap();
            let expected: Vec<u64> = albums.iter().map(|a| direct.get(&id(a.album_id)).map_or(0, |n| *n as u64)).collect();
            assert_eq!(counts, expected);
        }

        #[test]
        fn through_counts_count_distinct_targets() {
            use chinook::playlists;
            let db = $crate::open_or_skip!(chinook("through_counts"));
            let all = q!(db, playlists::Playlist::all()).unwrap();
            // A playlist reaches an artist through many tracks: once.
            let direct: BTreeMap<i64, i64> = chinook_pairs(
                &db,
                "SELECT pt.PlaylistId, count(DISTINCT al.ArtistId) FROM PlaylistTrack pt \
                 JOIN Track t ON t.TrackId = pt.TrackId JOIN Album al ON al.AlbumId = t.AlbumId GROUP BY pt.PlaylistId",
            )
            .into_iter()
            .collect();
            let counts = q!(db, playlists::artists::counts(&all)).unwrap();
            let expected: Vec<u64> = all.iter().map(|p| direct.get(&id(p.playlist_id)).map_or(0, |n| *n as u64)).collect();
            assert_eq!(counts, expected);
            for (playlist, count) in all.iter().zip(&counts) {
                let listed = q!(db, playlists::artists::list(playlist.playlist_id)).unwrap();
                assert_eq!(listed.len() as u64, *count, "count agrees with list");
                assert_eq!(q!(db, playlists::artists::count(playlist.playlist_id)).unwrap(), *count);
            }
        }

        #[test]
        fn preload_first_gives_each_playlist_its_first_tracks() {
            use chinook::{playlists, tracks};
            let db = $crate::open_or_skip!(chinook("preload_first"));
            let mut all = q!(db, playlists::Playlist::all()).unwrap();
            db.reset_selects();
            q!(db, playlists::tracks::preload_first(all.iter_mut(), 3)).unwrap();
            db.check_selects(1, "one query for 18 playlists");
            let direct = grouped(chinook_pairs(
                &db,
                "SELECT PlaylistId, TrackId FROM (SELECT PlaylistId, TrackId, \
                 row_number() OVER (PARTITION BY PlaylistId ORDER BY TrackId) AS n FROM PlaylistTrack) AS r \
                 WHERE n <= 3 ORDER BY PlaylistId, n",
            ));
            for playlist in &all {
                let loaded: Vec<i64> = playlist.tracks.get().expect("loaded").iter().map(|t| t.track_id.into()).collect();
                let expected = direct.get(&id(playlist.playlist_id)).cloned().unwrap_or_default();
                assert_eq!(loaded, expected, "playlist {}", playlist.playlist_id);
            }
            assert_eq!(all.iter().filter(|p| p.tracks.get().unwrap().is_empty()).count(), 4);

            // A nested preload reads from the rows preload_first left.
            q!(db, tracks::album::preload(all.iter_mut().flat_map(|p| p.tracks.iter_mut()))).unwrap();
            for track in all.iter().flat_map(|p| p.tracks.iter()) {
                let album = track.album.get().expect("loaded").as_ref().expect("every track here has an album");
                assert_eq!(Some(album.album_id), track.album_id);
            }

            // n larger than every group: the whole preload.
            let mut first = q!(db, playlists::Playlist::all()).unwrap();
            let mut whole = first.clone();
            q!(db, playlists::tracks::preload_first(first.iter_mut(), 10_000)).unwrap();
            q!(db, playlists::tracks::preload(whole.iter_mut())).unwrap();
            assert_eq!(first, whole);

            // n = 0: every owner loaded, with no rows.
            let mut none = q!(db, playlists::Playlist::all()).unwrap();
            q!(db, playlists::tracks::preload_first(none.iter_mut(), 0)).unwrap();
            assert!(none.iter().all(|p| p.tracks.get().is_some_and(|t| t.is_empty())));

            // Many small groups: each track's first playlist, a track given twice.
            let mut tracks = q!(db, tracks::Track::all()).unwrap();
            tracks.push(tracks[0].clone());
            q!(db, tracks::playlists::preload_first(tracks.iter_mut(), 1)).unwrap();
            let direct: BTreeMap<i64, i64> =
                chinook_pairs(&db, "SELECT TrackId, min(PlaylistId) FROM PlaylistTrack GROUP BY TrackId").into_iter().collect();
            for track in &tracks {
                let loaded: Vec<i64> = track.playlists.iter().map(|p| p.playlist_id.into()).collect();
                assert_eq!(loaded, [direct[&id(track.track_id)]], "track {}", track.track_id);
            }
        }

        #[test]
        fn preload_limit_cuts_list_and_preload_in_order_with_ties() {
            use chinook::albums;
            let db = $crate::open_or_skip!(chinook("preload_limit"));
            // `first_tracks: preload_order: [MediaTypeId desc], preload_limit: 3`:
            // most albums have one media type, so the key breaks the ties.
            let direct = grouped(chinook_pairs(
                &db,
                "SELECT AlbumId, TrackId FROM (SELECT AlbumId, TrackId, \
                 row_number() OVER (PARTITION BY AlbumId ORDER BY MediaTypeId DESC, TrackId) AS n \
                 FROM Track WHERE AlbumId IS NOT NULL) AS r WHERE n <= 3 ORDER BY AlbumId, n",
            ));
            let mut all = q!(db, albums::Album::all()).unwrap();
            q!(db, albums::first_tracks::preload(all.iter_mut())).unwrap();
            for album in &all {
                let loaded: Vec<i64> = album.first_tracks.iter().map(|t| t.track_id.into()).collect();
                let expected = direct.get(&id(album.album_id)).cloned().unwrap_or_default();
                assert_eq!(loaded, expected, "album {}", album.album_id);
                assert!(loaded.len() <= 3);
            }
            // `list` cuts one album's rows the same way.
            let listed: Vec<i64> = q!(db, albums::first_tracks::list(all[0].album_id)).unwrap().iter().map(|t| t.track_id.into()).collect();
            assert_eq!(listed, direct[&id(all[0].album_id)]);
            // The count counts every row, not the first 3.
            let first = q!(db, albums::first_tracks::counts(&all)).unwrap();
            let every = q!(db, albums::tracks::counts(&all)).unwrap();
            assert_eq!(first, every);
            // preload_first's n replaces the declared limit.
            q!(db, albums::first_tracks::preload_first(all.iter_mut(), 1)).unwrap();
            for album in &all {
                let loaded: Vec<i64> = album.first_tracks.iter().map(|t| t.track_id.into()).collect();
                let expected: Vec<i64> = direct.get(&id(album.album_id)).map(|d| d[..1].to_vec()).unwrap_or_default();
                assert_eq!(loaded, expected, "album {}", album.album_id);
            }
        }

        #[test]
        fn composite_keys_count_and_cut_per_owner() {
            use composite::{bins, warehouses, workers};
            let db = $crate::open_or_skip!(fresh("reads_composite"));
            q!(db, composite::create_all()).unwrap();
            let warehouse = |region: &str, code: i64| {
                let new = warehouses::NewWarehouse { region: region.into(), code, name: format!("{region}-{code}") };
                q!(db, warehouses::Warehouse::insert(&new)).unwrap()
            };
            let bin = |region: &str, code: i64, label: &str| {
                let new = bins::NewBin { label: label.into(), warehouse_region: region.into(), warehouse_code: code };
                q!(db, bins::Bin::insert(&new)).unwrap()
            };
            // Keys that share a region or a code; ("us", 2) has no bins.
            let (eu1, eu2, us1, us2) = (warehouse("eu", 1), warehouse("eu", 2), warehouse("us", 1), warehouse("us", 2));
            for label in ["c", "a", "b"] {
                bin("eu", 1, label);
            }
            let eu2_bin = bin("eu", 2, "z");
            bin("us", 1, "y");
            let owners = [&eu1, &us2, &eu2, &us1, &eu1];
            assert_eq!(q!(db, warehouses::bins::counts(owners)).unwrap(), [3, 0, 1, 1, 3]);
            assert_eq!(q!(db, warehouses::bins::count("eu", 1)).unwrap(), 3);

            // First 2 bins of each (`preload_order: [label asc]`).
            let mut all = [eu1.clone(), eu2.clone(), us1.clone(), us2.clone()];
            q!(db, warehouses::bins::preload_first(all.iter_mut(), 2)).unwrap();
            let labels: Vec<Vec<&str>> = all
                .iter()
                .map(|w| w.bins.iter().map(|b| b.label.as_str()).collect())
                .collect();
            assert_eq!(labels, [vec!["a", "b"], vec!["z"], vec!["y"], vec![]]);

            // many_to_many over a three-column owner key.
            let worker = |name: &str| q!(db, workers::Worker::insert(&workers::NewWorker { name: name.into() })).unwrap();
            let (ann, bob) = (worker("ann"), worker("bob"));
            let key = |b: &bins::Bin| (b.warehouse_region.clone(), b.warehouse_code, b.label.clone());
            let mut eu1_bins = q!(db, warehouses::bins::list("eu", 1)).unwrap();
            q!(db, bins::workers::insert(&eu1_bins[0].warehouse_region, eu1_bins[0].warehouse_code, &eu1_bins[0].label, &[ann.id, bob.id])).unwrap();
            q!(db, bins::workers::insert(&eu2_bin.warehouse_region, eu2_bin.warehouse_code, &eu2_bin.label, &[bob.id])).unwrap();
            let counted = q!(db, bins::workers::counts(eu1_bins.iter().chain([&eu2_bin]))).unwrap();
            assert_eq!(counted, [2, 0, 0, 1], "{:?}", eu1_bins.iter().map(key).collect::<Vec<_>>());
            q!(db, bins::workers::preload_first(eu1_bins.iter_mut(), 1)).unwrap();
            assert_eq!(eu1_bins[0].workers.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["ann"]);
            assert!(eu1_bins[1].workers.get().unwrap().is_empty());
        }

        #[test]
        fn where_and_join_where_filter_counts_and_first_rows() {
            use join_schema::{people, projects};
            let db = $crate::open_or_skip!(fresh("reads_join_where"));
            q!(db, join_schema::create_all()).unwrap();
            let project = |name: &str| q!(db, projects::Project::insert(&projects::NewProject { name: name.into() })).unwrap();
            let person = |name: &str| q!(db, people::Person::insert(&people::NewPerson { name: name.into() })).unwrap();
            let (apollo, gemini, mercury) = (project("apollo"), project("gemini"), project("mercury"));
            let (cy, al, bo) = (person("Cy"), person("Al"), person("Bo"));
            q!(db, projects::members::insert(apollo.id, &[cy.id, al.id, bo.id])).unwrap();
            q!(db, projects::reviewers::insert(gemini.id, &[al.id, bo.id])).unwrap();
            q!(db, projects::reviewers::insert(mercury.id, &[cy.id])).unwrap();
            let owners = [&apollo, &gemini, &mercury];
            // Each counts only its own kind of membership.
            let direct = |kind: &str| -> Vec<u64> {
                owners
                    .iter()
                    .map(|p| db.int(&format!("SELECT count(*) FROM memberships WHERE kind = '{kind}' AND project_id = {}", p.id)) as u64)
                    .collect()
            };
            let members = q!(db, projects::members::counts(owners)).unwrap();
            assert_eq!(members, direct("member"));
            let reviewers = q!(db, projects::reviewers::counts(owners)).unwrap();
            assert_eq!(reviewers, direct("reviewer"));
            assert_eq!((direct("member"), direct("reviewer")), (vec![3, 0, 0], vec![0, 2, 1]));
            // The back-reference sees every kind.
            let everyone = [&cy, &al, &bo];
            assert_eq!(q!(db, people::projects::counts(everyone)).unwrap(), [2, 2, 2]);

            // `preload_order: [memberships.position asc, name asc]`: equal
            // positions, so names decide.
            let mut all = [apollo.clone(), gemini.clone(), mercury.clone()];
            q!(db, projects::members::preload_first(all.iter_mut(), 2)).unwrap();
            let names: Vec<Vec<&str>> = all.iter().map(|p| p.members.iter().map(|m| m.name.as_str()).collect()).collect();
            assert_eq!(names, [vec!["Al", "Bo"], vec![], vec![]]);
        }

        #[test]
        fn an_order_only_sql_keeps_survives_the_cut() {
            use enums::{MpaaRating, films, studios};
            let db = $crate::open_or_skip!(fresh("reads_enum_order"));
            q!(db, enums::create_all()).unwrap();
            let studio = |name: &str| q!(db, studios::Studio::insert(&studios::NewStudio { name: name.into() })).unwrap();
            let (big, small) = (studio("big"), studio("small"));
            for (title, rating, audience) in [
                ("r", Some(MpaaRating::R), MpaaRating::Nc17),
                ("g", Some(MpaaRating::G), MpaaRating::G),
                ("pg", Some(MpaaRating::Pg), MpaaRating::Pg13),
                ("g2", Some(MpaaRating::G), MpaaRating::Pg),
            ] {
                let new = films::NewFilm { title: title.into(), rating, audience, studio_id: big.id };
                q!(db, films::Film::insert(&new)).unwrap();
            }
            // `where: { rating: G }`.
            assert_eq!(q!(db, studios::family_films::counts([&big, &small, &big])).unwrap(), [2, 0, 2]);
            assert_eq!(q!(db, studios::films::counts([&big, &small])).unwrap(), [4, 0]);
            // `preload_order: [audience desc]`: PostgreSQL orders an enum as
            // declared, SQLite by its text; the first two are what `list` starts with.
            let listed: Vec<String> = q!(db, studios::films::list(big.id)).unwrap().into_iter().map(|f| f.title).collect();
            let mut all = [big.clone(), small.clone()];
            q!(db, studios::films::preload_first(all.iter_mut(), 2)).unwrap();
            let first: Vec<String> = all[0].films.iter().map(|f| f.title.clone()).collect();
            assert_eq!(first, listed[..2]);
            assert!(all[1].films.get().unwrap().is_empty());
        }
    };
}
