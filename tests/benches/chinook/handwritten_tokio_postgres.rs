//! The hand-written `tokio-postgres` (async) side of the Chinook
//! benchmarks: the sync side's code with `.await`, run to completion on the
//! adapter's runtime. Like it, it passes SQL text (prepared on each call).

use std::collections::{HashMap, HashSet};

use mortise_tests::pg_async::chinook_pg::{Loaded, playlists, tracks};
use mortise_tests::suite::tokio_postgres::Db;
use tokio_postgres::{Client, Row};

pub use super::handwritten_postgres::DROP_TRACK_INDEX;

fn track_from_row(row: &Row) -> Result<tracks::Track, tokio_postgres::Error> {
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
async fn handwritten_playlist_tracks(
    db: &Client,
    owners: &mut [playlists::Playlist],
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|p| p.playlist_id).collect();
    let rows = db
        .query(
            "SELECT t.track_id, t.name, t.album_id, t.media_type_id, t.genre_id, t.composer, t.milliseconds, t.bytes, t.unit_price, pt.playlist_id \
             FROM track t JOIN playlist_track pt ON pt.track_id = t.track_id \
             WHERE pt.playlist_id = ANY($1) ORDER BY t.track_id",
            &[&keys],
        )
        .await?;
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
async fn handwritten_track_playlists(
    db: &Client,
    owners: &mut [tracks::Track],
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|t| t.track_id).collect();
    let rows = db
        .query(
            "SELECT p.playlist_id, p.name, pt.track_id FROM playlist p JOIN playlist_track pt ON pt.playlist_id = p.playlist_id \
             WHERE pt.track_id = ANY($1) ORDER BY p.playlist_id",
            &[&keys],
        )
        .await?;
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
async fn handwritten_replace(
    db: &mut Client,
    playlist: i32,
    wanted: &[i32],
) -> Result<(u64, u64), tokio_postgres::Error> {
    let tx = db.transaction().await?;
    let current: HashSet<i32> = tx
        .query(
            "SELECT track_id FROM playlist_track WHERE playlist_id = $1",
            &[&playlist],
        )
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let wanted: HashSet<i32> = wanted.iter().copied().collect();
    let mut removed = 0;
    let delete = tx
        .prepare("DELETE FROM playlist_track WHERE playlist_id = $1 AND track_id = $2")
        .await?;
    for track in current.difference(&wanted) {
        removed += tx.execute(&delete, &[&playlist, track]).await?;
    }
    let mut added = 0;
    let insert = tx
        .prepare("INSERT INTO playlist_track (playlist_id, track_id) VALUES ($1, $2)")
        .await?;
    for track in wanted.difference(&current) {
        added += tx.execute(&insert, &[&playlist, track]).await?;
    }
    tx.commit().await?;
    Ok((added, removed))
}

/// Vacuums and analyzes the fresh copy (see the sync side).
pub fn settle(db: &Db) {
    let client = db.c();
    db.block_on(client.batch_execute("VACUUM ANALYZE")).unwrap();
}

pub fn playlist_tracks(
    db: &Db,
    owners: &mut [playlists::Playlist],
) -> Result<(), tokio_postgres::Error> {
    let client = db.c();
    db.block_on(handwritten_playlist_tracks(&client, owners))
}

pub fn track_playlists(db: &Db, owners: &mut [tracks::Track]) -> Result<(), tokio_postgres::Error> {
    let client = db.c();
    db.block_on(handwritten_track_playlists(&client, owners))
}

pub fn replace(
    db: &Db,
    playlist: i32,
    wanted: &[i32],
) -> Result<(u64, u64), tokio_postgres::Error> {
    let mut client = db.c();
    db.block_on(handwritten_replace(&mut client, playlist, wanted))
}
