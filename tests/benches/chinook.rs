//! Generated code against hand-written rusqlite code doing the same work into
//! the same structs, in the same run, on a copy of Chinook:
//!
//! - `preload/playlists->tracks` (18 owners, 8,715 rows) and
//!   `preload/tracks->playlists` (3,503 owners, 8,715 rows): one query each;
//! - `replace/playlist`: a playlist's links swapped between two 200-track sets
//!   that overlap by half (each replace removes 100 links and adds 100). The
//!   hand-written side is what application code usually does: read the
//!   current links, diff in Rust, delete and insert row by row, in a transaction.
//!
//! Run: `cargo bench -p mortise-tests --bench chinook`; compare the pairs'
//! times (ratios, not absolute times: machines here are noisy).

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::path::PathBuf;
use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use mortise_tests::chinook::{Loaded, playlists, tracks};
use rusqlite::Connection;
use rusqlite::types::Value;

/// A private copy of Chinook, removed when dropped.
struct Chinook {
    path: PathBuf,
    db: Connection,
}

impl Chinook {
    fn open() -> Chinook {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook/Chinook_Sqlite.sqlite");
        let path = std::env::temp_dir().join(format!(
            "mortise-bench-chinook-{}.sqlite",
            std::process::id()
        ));
        std::fs::copy(&source, &path).unwrap_or_else(|e| panic!("copy {}: {e}", source.display()));
        let db = Connection::open(&path).unwrap();
        rusqlite::vtab::array::load_module(&db).unwrap();
        Chinook { path, db }
    }
}

impl Drop for Chinook {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn track_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<tracks::Track> {
    Ok(tracks::Track {
        track_id: row.get(0)?,
        name: row.get(1)?,
        album_id: row.get(2)?,
        media_type_id: row.get(3)?,
        genre_id: row.get(4)?,
        composer: row.get(5)?,
        milliseconds: row.get(6)?,
        bytes: row.get(7)?,
        unit_price: row.get(8)?,
        album: Loaded::NotLoaded,
        playlists: Loaded::NotLoaded,
    })
}

/// Hand-written: every playlist's tracks in one query, grouped by playlist.
fn handwritten_playlist_tracks(
    db: &Connection,
    owners: &mut [playlists::Playlist],
) -> rusqlite::Result<()> {
    let keys: Rc<Vec<Value>> = Rc::new(
        owners
            .iter()
            .map(|p| Value::Integer(p.playlist_id))
            .collect(),
    );
    let mut statement = db.prepare_cached(
        "SELECT t.TrackId, t.Name, t.AlbumId, t.MediaTypeId, t.GenreId, t.Composer, t.Milliseconds, t.Bytes, t.UnitPrice, pt.PlaylistId \
         FROM Track t JOIN PlaylistTrack pt ON pt.TrackId = t.TrackId \
         WHERE pt.PlaylistId IN (SELECT value FROM rarray(?1)) ORDER BY t.TrackId",
    )?;
    let mut groups: HashMap<i64, Vec<tracks::Track>> = HashMap::new();
    let mut rows = statement.query([keys])?;
    while let Some(row) = rows.next()? {
        groups
            .entry(row.get(9)?)
            .or_default()
            .push(track_from_row(row)?);
    }
    for owner in owners {
        owner.tracks = Loaded::Loaded(groups.remove(&owner.playlist_id).unwrap_or_default());
    }
    Ok(())
}

/// Hand-written: every track's playlists in one query, grouped by track.
fn handwritten_track_playlists(
    db: &Connection,
    owners: &mut [tracks::Track],
) -> rusqlite::Result<()> {
    let keys: Rc<Vec<Value>> = Rc::new(owners.iter().map(|t| Value::Integer(t.track_id)).collect());
    let mut statement = db.prepare_cached(
        "SELECT p.PlaylistId, p.Name, pt.TrackId FROM Playlist p JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId \
         WHERE pt.TrackId IN (SELECT value FROM rarray(?1)) ORDER BY p.PlaylistId",
    )?;
    let mut groups: HashMap<i64, Vec<playlists::Playlist>> = HashMap::new();
    let mut rows = statement.query([keys])?;
    while let Some(row) = rows.next()? {
        let playlist = playlists::Playlist {
            playlist_id: row.get(0)?,
            name: row.get(1)?,
            tracks: Loaded::NotLoaded,
            artists: Loaded::NotLoaded,
        };
        groups.entry(row.get(2)?).or_default().push(playlist);
    }
    for owner in owners {
        owner.playlists = Loaded::Loaded(groups.remove(&owner.track_id).unwrap_or_default());
    }
    Ok(())
}

/// Hand-written replace: read, diff, delete and insert the difference, in a transaction.
fn handwritten_replace(
    db: &Connection,
    playlist: i64,
    wanted: &[i64],
) -> rusqlite::Result<(usize, usize)> {
    let tx = db.unchecked_transaction()?;
    let current: HashSet<i64> = tx
        .prepare_cached("SELECT TrackId FROM PlaylistTrack WHERE PlaylistId = ?1")?
        .query_map([playlist], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let wanted: HashSet<i64> = wanted.iter().copied().collect();
    let mut removed = 0;
    let mut delete =
        tx.prepare_cached("DELETE FROM PlaylistTrack WHERE PlaylistId = ?1 AND TrackId = ?2")?;
    for track in current.difference(&wanted) {
        removed += delete.execute([playlist, *track])?;
    }
    let mut added = 0;
    let mut insert =
        tx.prepare_cached("INSERT INTO PlaylistTrack (PlaylistId, TrackId) VALUES (?1, ?2)")?;
    for track in wanted.difference(&current) {
        added += insert.execute([playlist, *track])?;
    }
    drop((delete, insert));
    tx.commit()?;
    Ok((added, removed))
}

fn preloads(c: &mut Criterion) {
    let chinook = Chinook::open();
    let db = &chinook.db;

    let mut owners = playlists::Playlist::all(db).unwrap();
    let mut expected = owners.clone();
    playlists::tracks::preload(db, owners.iter_mut()).unwrap();
    handwritten_playlist_tracks(db, &mut expected).unwrap();
    assert_eq!(owners, expected, "both sides load the same rows");

    let mut group = c.benchmark_group("preload/playlists->tracks");
    group.bench_function("generated", |b| {
        b.iter(|| playlists::tracks::preload(db, black_box(owners.iter_mut())).unwrap())
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten_playlist_tracks(db, black_box(&mut expected)).unwrap())
    });
    group.finish();

    let mut owners = tracks::Track::all(db).unwrap();
    let mut expected = owners.clone();
    tracks::playlists::preload(db, owners.iter_mut()).unwrap();
    handwritten_track_playlists(db, &mut expected).unwrap();
    assert_eq!(owners, expected, "both sides load the same rows");

    let mut group = c.benchmark_group("preload/tracks->playlists");
    group.bench_function("generated", |b| {
        b.iter(|| tracks::playlists::preload(db, black_box(owners.iter_mut())).unwrap())
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten_track_playlists(db, black_box(&mut expected)).unwrap())
    });
    group.finish();
}

fn replace(c: &mut Criterion) {
    let chinook = Chinook::open();
    let db = &chinook.db;
    let first: Vec<i64> = (1..=200).collect();
    let second: Vec<i64> = (101..=300).collect();
    let playlist = 9;

    let generated = playlists::tracks::replace(db, playlist, &first).unwrap();
    let swapped = playlists::tracks::replace(db, playlist, &second).unwrap();
    assert_eq!(
        (swapped.added, swapped.removed),
        (100, 100),
        "after {generated:?}"
    );
    assert_eq!(
        handwritten_replace(db, playlist, &first).unwrap(),
        (100, 100)
    );

    let mut group = c.benchmark_group("replace/playlist");
    group.bench_function("generated", |b| {
        b.iter(|| {
            playlists::tracks::replace(db, playlist, black_box(&second)).unwrap();
            playlists::tracks::replace(db, playlist, black_box(&first)).unwrap();
        })
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            handwritten_replace(db, playlist, black_box(&second)).unwrap();
            handwritten_replace(db, playlist, black_box(&first)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, preloads, replace);
criterion_main!(benches);
