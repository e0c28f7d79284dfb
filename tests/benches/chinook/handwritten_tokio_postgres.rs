//! The best hand-written `tokio-postgres` (async) code for the Chinook
//! benchmarks: the statements of the sync side, each prepared once, run to
//! completion on the adapter's runtime.

use std::collections::HashMap;

use mortise_tests::pg_async::chinook_pg::{Loaded, playlists, tracks};
use mortise_tests::suite::tokio_postgres::Db;
use tokio_postgres::Statement;

pub use super::handwritten_postgres::DROP_TRACK_INDEX;
use super::handwritten_postgres::{
    DELETE_OTHERS, INSERT_MISSING, PLAYLIST_TRACKS, TRACK_PLAYLISTS, plan_statements, plan_text,
};

pub struct Statements {
    playlist_tracks: Statement,
    track_playlists: Statement,
    delete_others: Statement,
    insert_missing: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let client = db.c();
        let prepare = |sql: &str| db.block_on(client.prepare(sql)).unwrap();
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
    db.block_on(db.c().batch_execute("VACUUM ANALYZE")).unwrap();
}

pub fn playlist_tracks(
    db: &Db,
    st: &Statements,
    owners: &mut [playlists::Playlist],
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|p| p.playlist_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.playlist_tracks, &[&keys]))?;
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
) -> Result<(), tokio_postgres::Error> {
    let keys: Vec<i32> = owners.iter().map(|t| t.track_id).collect();
    let client = db.c();
    let rows = db.block_on(client.query(&st.track_playlists, &[&keys]))?;
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
) -> Result<(u64, u64), tokio_postgres::Error> {
    let mut client = db.c();
    db.block_on(async {
        let tx = client.transaction().await?;
        let removed = tx.execute(&st.delete_others, &[&playlist, &wanted]).await?;
        let added = tx
            .execute(&st.insert_missing, &[&playlist, &wanted])
            .await?;
        tx.commit().await?;
        Ok((added, removed))
    })
}

/// PostgreSQL's plan of `sql` (a generated preload), prepared, with `keys` as `$1`.
pub fn plan(db: &Db, sql: &str, keys: &[i32]) -> String {
    let [prepare, explain, deallocate] = plan_statements(sql, keys);
    let client = db.c();
    db.block_on(client.batch_execute(&prepare)).unwrap();
    let rows = db.block_on(client.query(&explain, &[])).unwrap();
    db.block_on(client.batch_execute(&deallocate)).unwrap();
    plan_text(rows.iter().map(|row| row.get(0)).collect())
}
