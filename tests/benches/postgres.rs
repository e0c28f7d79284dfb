//! Generated code against hand-written `postgres` (sync) code doing the same
//! work into the same structs, in the same run, on Chinook loaded into a
//! database of its own (dropped afterwards); `benches/chinook.rs` on PostgreSQL:
//!
//! - `pg/preload/playlists->tracks` (18 owners, 8,715 rows) and
//!   `pg/preload/tracks->playlists` (3,503 owners, 8,715 rows): one query
//!   each, the owner keys in one array parameter (`= ANY($1)`);
//! - `pg/replace/playlist`: a playlist's links swapped between two 200-track
//!   sets that overlap by half (each replace removes 100 links and adds 100).
//!   The hand-written side is what application code usually does: read the
//!   current links, diff in Rust, delete and insert row by row, in a transaction.
//!
//! Both sides pass SQL text to the driver, which prepares it on each call
//! (the `postgres` crate has no statement cache), so the comparison is of the
//! statements and the Rust around them.
//!
//! Run: `DATABASE_URL=postgres://... cargo bench -p mortise-tests --bench postgres`;
//! without `DATABASE_URL` it says so loudly and measures nothing.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mortise_tests::pg::chinook_pg::{Loaded, playlists, tracks};
use mortise_tests::pg_support::ChinookDatabase;
use postgres::{Client, Row};

fn track_from_row(row: &Row) -> Result<tracks::Track, postgres::Error> {
    Ok(tracks::Track {
        track_id: row.try_get(0)?,
        name: row.try_get(1)?,
        album_id: row.try_get(2)?,
        media_type_id: row.try_get(3)?,
        genre_id: row.try_get(4)?,
        composer: row.try_get(5)?,
        milliseconds: row.try_get(6)?,
        bytes: row.try_get(7)?,
        unit_price: row.try_get(8)?,
        album: Loaded::NotLoaded,
        playlists: Loaded::NotLoaded,
    })
}

/// Hand-written: every playlist's tracks in one query, grouped by playlist.
fn handwritten_playlist_tracks(
    db: &mut Client,
    owners: &mut [playlists::Playlist],
) -> Result<(), postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|p| p.playlist_id).collect();
    let rows = db.query(
        "SELECT t.track_id, t.name, t.album_id, t.media_type_id, t.genre_id, t.composer, t.milliseconds, t.bytes, t.unit_price, pt.playlist_id \
         FROM track t JOIN playlist_track pt ON pt.track_id = t.track_id \
         WHERE pt.playlist_id = ANY($1) ORDER BY t.track_id",
        &[&keys],
    )?;
    let mut groups: HashMap<i32, Vec<tracks::Track>> = HashMap::new();
    for row in &rows {
        groups
            .entry(row.try_get(9)?)
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
    db: &mut Client,
    owners: &mut [tracks::Track],
) -> Result<(), postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|t| t.track_id).collect();
    let rows = db.query(
        "SELECT p.playlist_id, p.name, pt.track_id FROM playlist p JOIN playlist_track pt ON pt.playlist_id = p.playlist_id \
         WHERE pt.track_id = ANY($1) ORDER BY p.playlist_id",
        &[&keys],
    )?;
    let mut groups: HashMap<i32, Vec<playlists::Playlist>> = HashMap::new();
    for row in &rows {
        let playlist = playlists::Playlist {
            playlist_id: row.try_get(0)?,
            name: row.try_get(1)?,
            tracks: Loaded::NotLoaded,
            artists: Loaded::NotLoaded,
        };
        groups.entry(row.try_get(2)?).or_default().push(playlist);
    }
    for owner in owners {
        owner.playlists = Loaded::Loaded(groups.remove(&owner.track_id).unwrap_or_default());
    }
    Ok(())
}

/// Hand-written replace: read, diff, delete and insert the difference, in a transaction.
fn handwritten_replace(
    db: &mut Client,
    playlist: i32,
    wanted: &[i32],
) -> Result<(u64, u64), postgres::Error> {
    let mut tx = db.transaction()?;
    let current: HashSet<i32> = tx
        .query(
            "SELECT track_id FROM playlist_track WHERE playlist_id = $1",
            &[&playlist],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let wanted: HashSet<i32> = wanted.iter().copied().collect();
    let mut removed = 0;
    let delete =
        tx.prepare("DELETE FROM playlist_track WHERE playlist_id = $1 AND track_id = $2")?;
    for track in current.difference(&wanted) {
        removed += tx.execute(&delete, &[&playlist, track])?;
    }
    let mut added = 0;
    let insert =
        tx.prepare("INSERT INTO playlist_track (playlist_id, track_id) VALUES ($1, $2)")?;
    for track in wanted.difference(&current) {
        added += tx.execute(&insert, &[&playlist, track])?;
    }
    tx.commit()?;
    Ok((added, removed))
}

/// Vacuums and analyzes the fresh copy, so autovacuum does not start on it
/// while the first pair is measured, and both sides get the same plans.
fn settle(db: &mut Client) {
    db.batch_execute("VACUUM ANALYZE").unwrap();
}

fn preloads(c: &mut Criterion) {
    let Some(chinook) = ChinookDatabase::load("bench_preloads") else {
        return;
    };
    let db = &mut chinook.connect();
    settle(db);

    let mut owners = playlists::Playlist::all(db).unwrap();
    let mut expected = owners.clone();
    playlists::tracks::preload(db, owners.iter_mut()).unwrap();
    handwritten_playlist_tracks(db, &mut expected).unwrap();
    assert_eq!(owners, expected, "both sides load the same rows");

    let mut group = c.benchmark_group("pg/preload/playlists->tracks");
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

    let mut group = c.benchmark_group("pg/preload/tracks->playlists");
    group.bench_function("generated", |b| {
        b.iter(|| tracks::playlists::preload(db, black_box(owners.iter_mut())).unwrap())
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten_track_playlists(db, black_box(&mut expected)).unwrap())
    });
    group.finish();
}

fn replace(c: &mut Criterion) {
    let Some(chinook) = ChinookDatabase::load("bench_replace") else {
        return;
    };
    let db = &mut chinook.connect();
    settle(db);
    let first: Vec<i32> = (1..=200).collect();
    let second: Vec<i32> = (101..=300).collect();
    let playlist = 9;
    let links = |db: &mut Client| -> Vec<i32> {
        db.query(
            "SELECT track_id FROM playlist_track WHERE playlist_id = $1 ORDER BY track_id",
            &[&playlist],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };

    // Both sides swap the same links and leave the same table.
    let generated = playlists::tracks::replace(db, playlist, &first).unwrap();
    let swapped = playlists::tracks::replace(db, playlist, &second).unwrap();
    assert_eq!(
        (swapped.added, swapped.removed),
        (100, 100),
        "after {generated:?}"
    );
    assert_eq!(links(db), second);
    assert_eq!(
        handwritten_replace(db, playlist, &first).unwrap(),
        (100, 100)
    );
    assert_eq!(links(db), first);

    let mut group = c.benchmark_group("pg/replace/playlist");
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
