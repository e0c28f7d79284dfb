//! The best hand-written `mysql_async` code on MariaDB for the Chinook
//! benchmarks: the statements of the sqlx side, each prepared once
//! (`Conn::prep`) on a connection of its own to the same database and
//! reused, the keys as one JSON array parameter, rows folded straight into
//! per-owner groups in a `HashMap` (not sorted) as they arrive; `replace`
//! is the delete and the `INSERT IGNORE` in a transaction, with no owner
//! lock. The calls run to completion on the adapter's runtime.
//!
//! Rows are read as tuples (`exec_fold`), as `mysql_async` is meant to be
//! used: a row that does not convert panics instead of returning an error.

use std::cell::RefCell;
use std::collections::HashMap;

use mortise_tests::maria::chinook_mysql::{Loaded, playlists, tracks};
use mortise_tests::suite::mariadb::Db;
use mysql_async::prelude::Queryable as _;
use mysql_async::{Conn, Statement, TxOpts};
use rust_decimal::Decimal;

use super::handwritten_sqlx_mysql::{
    DELETE_OTHERS, INSERT_MISSING, PLAYLIST_TRACKS, TRACK_PLAYLISTS, json,
};
use super::mysql_async_conn::connect;

/// The connection, with its statements prepared on it.
pub struct Statements {
    conn: RefCell<Conn>,
    playlist_tracks: Statement,
    track_playlists: Statement,
    delete_others: Statement,
    insert_missing: Statement,
}

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut conn = connect(db);
        let mut prepare = |sql: &str| db.block_on(conn.prep(sql)).unwrap();
        Statements {
            playlist_tracks: prepare(PLAYLIST_TRACKS),
            track_playlists: prepare(TRACK_PLAYLISTS),
            delete_others: prepare(DELETE_OTHERS),
            insert_missing: prepare(INSERT_MISSING),
            conn: RefCell::new(conn),
        }
    }
}

/// A row of [`PLAYLIST_TRACKS`]: the playlist, then the track's columns.
type TrackRow = (
    i64,
    i64,
    String,
    Option<i64>,
    i64,
    Option<i64>,
    Option<String>,
    i64,
    Option<i64>,
    Decimal,
);

pub fn playlist_tracks(
    db: &Db,
    st: &Statements,
    owners: &mut [playlists::Playlist],
) -> mysql_async::Result<()> {
    let keys = json(owners.iter().map(|p| p.playlist_id));
    let mut conn = st.conn.borrow_mut();
    let fold = conn.exec_fold(
        &st.playlist_tracks,
        (keys,),
        HashMap::new(),
        |mut groups: HashMap<i64, Vec<tracks::Track>>, row: TrackRow| {
            let (
                playlist,
                track_id,
                name,
                album_id,
                media_type_id,
                genre_id,
                composer,
                milliseconds,
                bytes,
                unit_price,
            ) = row;
            groups.entry(playlist).or_default().push(tracks::Track {
                track_id,
                name,
                album_id,
                media_type_id,
                genre_id,
                composer,
                milliseconds,
                bytes,
                unit_price,
                album: Loaded::NotLoaded,
                playlists: Loaded::NotLoaded,
            });
            groups
        },
    );
    let mut groups = db.block_on(fold)?;
    for owner in owners {
        owner.tracks = Loaded::Loaded(groups.remove(&owner.playlist_id).unwrap_or_default());
    }
    Ok(())
}

pub fn track_playlists(
    db: &Db,
    st: &Statements,
    owners: &mut [tracks::Track],
) -> mysql_async::Result<()> {
    let keys = json(owners.iter().map(|t| t.track_id));
    let mut conn = st.conn.borrow_mut();
    let fold = conn.exec_fold(
        &st.track_playlists,
        (keys,),
        HashMap::new(),
        |mut groups: HashMap<i64, Vec<playlists::Playlist>>,
         (track, playlist_id, name): (i64, i64, Option<String>)| {
            groups.entry(track).or_default().push(playlists::Playlist {
                playlist_id,
                name,
                tracks: Loaded::NotLoaded,
                artists: Loaded::NotLoaded,
            });
            groups
        },
    );
    let mut groups = db.block_on(fold)?;
    for owner in owners {
        owner.playlists = Loaded::Loaded(groups.remove(&owner.track_id).unwrap_or_default());
    }
    Ok(())
}

/// The playlist's links set to `wanted`, in a transaction: returns (added, removed).
pub fn replace(
    db: &Db,
    st: &Statements,
    playlist: i64,
    wanted: &[i64],
) -> mysql_async::Result<(u64, u64)> {
    let wanted = json(wanted.iter().copied());
    let mut conn = st.conn.borrow_mut();
    db.block_on(async {
        let mut tx = conn.start_transaction(TxOpts::default()).await?;
        tx.exec_drop(&st.delete_others, (playlist, &wanted)).await?;
        let removed = tx.affected_rows();
        tx.exec_drop(&st.insert_missing, (playlist, &wanted))
            .await?;
        let added = tx.affected_rows();
        tx.commit().await?;
        Ok((added, removed))
    })
}
