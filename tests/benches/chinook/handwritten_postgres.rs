//! The best hand-written `postgres` (sync) code for the Chinook benchmarks,
//! into the generated structs: each statement prepared once (kept in
//! [`Statements`]), the keys as one array (`= ANY($1)`), the join table
//! first in the join (the planner picks the order on PostgreSQL), rows
//! grouped per owner in a `HashMap` but not sorted; `replace` is two
//! statements (delete the links not wanted, insert the missing ones) in a
//! transaction.

use std::collections::HashMap;

use mortise_tests::pg::chinook_pg::{Loaded, playlists, tracks};
use mortise_tests::suite::postgres::Db;
use postgres::Statement;

pub(crate) const PLAYLIST_TRACKS: &str = "SELECT j.playlist_id, t.track_id, t.name, t.album_id, t.media_type_id, t.genre_id, t.composer, t.milliseconds, t.bytes, t.unit_price \
     FROM playlist_track AS j JOIN track AS t ON t.track_id = j.track_id \
     WHERE j.playlist_id = ANY($1)";
pub(crate) const TRACK_PLAYLISTS: &str = "SELECT j.track_id, p.playlist_id, p.name \
     FROM playlist_track AS j JOIN playlist AS p ON p.playlist_id = j.playlist_id \
     WHERE j.track_id = ANY($1)";
pub(crate) const DELETE_OTHERS: &str =
    "DELETE FROM playlist_track WHERE playlist_id = $1 AND track_id <> ALL($2)";
pub(crate) const INSERT_MISSING: &str = "INSERT INTO playlist_track (playlist_id, track_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING";

/// Drops the index on the join table's track column (of the bench's copy).
pub const DROP_TRACK_INDEX: &str = "DROP INDEX playlist_track_track_id_idx";

pub struct Statements {
    playlist_tracks: Statement,
    track_playlists: Statement,
    delete_others: Statement,
    insert_missing: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut client = db.c();
        let mut prepare = |sql: &str| client.prepare(sql).unwrap();
        Statements {
            playlist_tracks: prepare(PLAYLIST_TRACKS),
            track_playlists: prepare(TRACK_PLAYLISTS),
            delete_others: prepare(DELETE_OTHERS),
            insert_missing: prepare(INSERT_MISSING),
        }
    }
}

/// Vacuums and analyzes the copy, so autovacuum does not start on it while
/// a pair is measured, and both sides get the same statistics.
pub fn settle(db: &Db) {
    db.c().batch_execute("VACUUM ANALYZE").unwrap();
}

pub fn playlist_tracks(
    db: &Db,
    st: &Statements,
    owners: &mut [playlists::Playlist],
) -> Result<(), postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|p| p.playlist_id).collect();
    let rows = db.c().query(&st.playlist_tracks, &[&keys])?;
    let mut groups: HashMap<i32, Vec<tracks::Track>> = HashMap::new();
    for row in &rows {
        groups
            .entry(row.try_get(0)?)
            .or_default()
            .push(tracks::Track {
                track_id: row.try_get(1)?,
                name: row.try_get(2)?,
                album_id: row.try_get(3)?,
                media_type_id: row.try_get(4)?,
                genre_id: row.try_get(5)?,
                composer: row.try_get(6)?,
                milliseconds: row.try_get(7)?,
                bytes: row.try_get(8)?,
                unit_price: row.try_get(9)?,
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
    st: &Statements,
    owners: &mut [tracks::Track],
) -> Result<(), postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|t| t.track_id).collect();
    let rows = db.c().query(&st.track_playlists, &[&keys])?;
    let mut groups: HashMap<i32, Vec<playlists::Playlist>> = HashMap::new();
    for row in &rows {
        groups
            .entry(row.try_get(0)?)
            .or_default()
            .push(playlists::Playlist {
                playlist_id: row.try_get(1)?,
                name: row.try_get(2)?,
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
    st: &Statements,
    playlist: i32,
    wanted: &[i32],
) -> Result<(u64, u64), postgres::Error> {
    let mut client = db.c();
    let mut tx = client.transaction()?;
    let removed = tx.execute(&st.delete_others, &[&playlist, &wanted])?;
    let added = tx.execute(&st.insert_missing, &[&playlist, &wanted])?;
    tx.commit()?;
    Ok((added, removed))
}

/// The statements that show PostgreSQL's plan of `sql` (a generated
/// preload) as a prepared statement runs it with `keys` as `$1`: prepared,
/// run six times (from the sixth run on, the server may keep a generic
/// plan), then explained; run them in turn, the second one for its rows.
pub(crate) fn plan_statements(sql: &str, keys: &[i32]) -> [String; 3] {
    let keys: Vec<String> = keys.iter().map(i32::to_string).collect();
    let keys = format!("'{{{}}}'", keys.join(","));
    let runs = format!("EXECUTE mortise_plan({keys});").repeat(6);
    [
        format!("PREPARE mortise_plan(int[]) AS {sql}; {runs}"),
        format!("EXPLAIN (COSTS OFF) EXECUTE mortise_plan({keys})"),
        "DEALLOCATE mortise_plan".to_owned(),
    ]
}

/// A plan's lines, with a long array constant cut to its ends.
pub(crate) fn plan_text(lines: Vec<String>) -> String {
    let lines: Vec<String> = lines
        .into_iter()
        .map(|line| match (line.find("'{"), line.find("}'")) {
            (Some(start), Some(end)) if end - start > 40 => {
                let items: Vec<&str> = line[start + 2..end].split(',').collect();
                let (first, last) = (items[..3].join(","), items[items.len() - 1]);
                format!(
                    "{}'{{{first},…,{last}}}'{}",
                    &line[..start],
                    &line[end + 2..]
                )
            }
            _ => line,
        })
        .collect();
    lines.join("\n")
}

/// PostgreSQL's plan of `sql` (a generated preload), prepared, with `keys` as `$1`.
pub fn plan(db: &Db, sql: &str, keys: &[i32]) -> String {
    let [prepare, explain, deallocate] = plan_statements(sql, keys);
    let mut client = db.c();
    client.batch_execute(&prepare).unwrap();
    let rows = client.query(&explain, &[]).unwrap();
    client.batch_execute(&deallocate).unwrap();
    plan_text(rows.iter().map(|row| row.get(0)).collect())
}
