//! The hand-written rusqlite side of the Chinook benchmarks: what
//! application code usually writes, into the generated structs.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use mortise_tests::chinook::{Loaded, playlists, tracks};
use mortise_tests::suite::sqlite::Db;
use rusqlite::Connection;
use rusqlite::types::Value;

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

/// Drops the index on the join table's track column.
pub const DROP_TRACK_INDEX: &str = "DROP INDEX IFK_PlaylistTrackTrackId";

/// Loads `rarray` (the hand-written preloads pass their keys in one array).
pub fn settle(db: &Db) {
    rusqlite::vtab::array::load_module(db.c()).unwrap();
}

pub fn playlist_tracks(db: &Db, owners: &mut [playlists::Playlist]) -> rusqlite::Result<()> {
    handwritten_playlist_tracks(db.c(), owners)
}

pub fn track_playlists(db: &Db, owners: &mut [tracks::Track]) -> rusqlite::Result<()> {
    handwritten_track_playlists(db.c(), owners)
}

pub fn replace(db: &Db, playlist: i64, wanted: &[i64]) -> rusqlite::Result<(usize, usize)> {
    handwritten_replace(db.c(), playlist, wanted)
}
