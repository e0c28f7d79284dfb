//! The best hand-written rusqlite code for the Chinook benchmarks, into the
//! generated structs: each statement prepared once per connection
//! (`prepare_cached`), the keys as one `rarray`, the join table read first
//! (`CROSS JOIN`, as a person who read the plan would), rows grouped per
//! owner in a `HashMap` but not sorted; `replace` is two statements (delete
//! the links not wanted, insert the missing ones) in a transaction.

use std::collections::HashMap;
use std::rc::Rc;

use mortise_tests::chinook::{Loaded, playlists, tracks};
use mortise_tests::suite::sqlite::Db;
use rusqlite::types::Value;

const PLAYLIST_TRACKS: &str = "SELECT j.PlaylistId, t.TrackId, t.Name, t.AlbumId, t.MediaTypeId, t.GenreId, t.Composer, t.Milliseconds, t.Bytes, t.UnitPrice \
     FROM PlaylistTrack AS j CROSS JOIN Track AS t \
     WHERE j.PlaylistId IN (SELECT value FROM rarray(?1)) AND t.TrackId = j.TrackId";
const TRACK_PLAYLISTS: &str = "SELECT j.TrackId, p.PlaylistId, p.Name \
     FROM PlaylistTrack AS j CROSS JOIN Playlist AS p \
     WHERE j.TrackId IN (SELECT value FROM rarray(?1)) AND p.PlaylistId = j.PlaylistId";
const DELETE_OTHERS: &str = "DELETE FROM PlaylistTrack WHERE PlaylistId = ?1 AND TrackId NOT IN (SELECT value FROM rarray(?2))";
const INSERT_MISSING: &str = "INSERT INTO PlaylistTrack (PlaylistId, TrackId) SELECT ?1, value FROM rarray(?2) WHERE true ON CONFLICT DO NOTHING";

/// Drops the index on the join table's track column (of the bench's copy).
pub const DROP_TRACK_INDEX: &str = "DROP INDEX IFK_PlaylistTrackTrackId";

/// rusqlite keeps prepared statements per connection (`prepare_cached`):
/// nothing to hold here but the `rarray` module, registered once.
pub struct Statements;

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        rusqlite::vtab::array::load_module(db.c()).unwrap();
        Statements
    }
}

/// Nothing to settle: SQLite plans each statement when it is prepared.
pub fn settle(_: &Db) {}

fn array(keys: impl Iterator<Item = i64>) -> Rc<Vec<Value>> {
    Rc::new(keys.map(Value::Integer).collect())
}

pub fn playlist_tracks(
    db: &Db,
    _: &Statements,
    owners: &mut [playlists::Playlist],
) -> rusqlite::Result<()> {
    let keys = array(owners.iter().map(|p| p.playlist_id));
    let mut statement = db.c().prepare_cached(PLAYLIST_TRACKS)?;
    let mut rows = statement.query([keys])?;
    let mut groups: HashMap<i64, Vec<tracks::Track>> = HashMap::new();
    while let Some(row) = rows.next()? {
        groups.entry(row.get(0)?).or_default().push(tracks::Track {
            track_id: row.get(1)?,
            name: row.get(2)?,
            album_id: row.get(3)?,
            media_type_id: row.get(4)?,
            genre_id: row.get(5)?,
            composer: row.get(6)?,
            milliseconds: row.get(7)?,
            bytes: row.get(8)?,
            unit_price: row.get(9)?,
            album: Loaded::NotLoaded,
            playlists: Loaded::NotLoaded,
        });
    }
    for owner in owners {
        owner.tracks = Loaded::Loaded(groups.remove(&owner.playlist_id).unwrap_or_default());
    }
    Ok(())
}

pub fn track_playlists(
    db: &Db,
    _: &Statements,
    owners: &mut [tracks::Track],
) -> rusqlite::Result<()> {
    let keys = array(owners.iter().map(|t| t.track_id));
    let mut statement = db.c().prepare_cached(TRACK_PLAYLISTS)?;
    let mut rows = statement.query([keys])?;
    let mut groups: HashMap<i64, Vec<playlists::Playlist>> = HashMap::new();
    while let Some(row) = rows.next()? {
        groups
            .entry(row.get(0)?)
            .or_default()
            .push(playlists::Playlist {
                playlist_id: row.get(1)?,
                name: row.get(2)?,
                tracks: Loaded::NotLoaded,
                artists: Loaded::NotLoaded,
            });
    }
    for owner in owners {
        owner.playlists = Loaded::Loaded(groups.remove(&owner.track_id).unwrap_or_default());
    }
    Ok(())
}

/// The playlist's links set to `wanted`, in a transaction: returns (added, removed).
pub fn replace(
    db: &Db,
    _: &Statements,
    playlist: i64,
    wanted: &[i64],
) -> rusqlite::Result<(usize, usize)> {
    let tx = db.c().unchecked_transaction()?;
    let keys = array(wanted.iter().copied());
    let removed = tx
        .prepare_cached(DELETE_OTHERS)?
        .execute(rusqlite::params![playlist, keys])?;
    let added = tx
        .prepare_cached(INSERT_MISSING)?
        .execute(rusqlite::params![playlist, keys])?;
    tx.commit()?;
    Ok((added, removed))
}

/// SQLite's plan of `sql` (a generated preload) with `keys` as its array,
/// one line per step, indented as `EXPLAIN QUERY PLAN` nests them.
pub fn plan(db: &Db, sql: &str, keys: &[i64]) -> String {
    let mut statement = db
        .c()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    let mut rows = statement.query([array(keys.iter().copied())]).unwrap();
    let mut depth: HashMap<i64, usize> = HashMap::new();
    let mut lines = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let (id, parent, detail): (i64, i64, String) = (
            row.get(0).unwrap(),
            row.get(1).unwrap(),
            row.get(3).unwrap(),
        );
        let indent = depth.get(&parent).map_or(0, |d| d + 1);
        depth.insert(id, indent);
        lines.push(format!("{}{detail}", "  ".repeat(indent)));
    }
    lines.join("\n")
}
