//! The best hand-written sqlx code on MariaDB for the Chinook benchmarks,
//! into the generated structs: each statement prepared once on the
//! connection (sqlx's statement cache), the keys as one JSON array read by
//! `JSON_TABLE` in an `IN (SELECT …)` (as `owner_target`'s side does it),
//! the join table read first, rows grouped per owner in a `HashMap` but not
//! sorted; `replace` is two statements (delete the links not wanted, insert
//! the missing ones with `INSERT IGNORE`) in a transaction, with no owner
//! lock.
//!
//! The keys are read as `INT`, the type of Chinook's key columns here.

use std::collections::HashMap;

use mortise_tests::maria::chinook_mysql::{Loaded, playlists, tracks};
use mortise_tests::suite::mariadb::{Db, in_transaction};
use sqlx::mysql::MySqlRow;
use sqlx::{AssertSqlSafe, Executor as _, Row as _, SqlSafeStr as _};

pub(crate) const PLAYLIST_TRACKS: &str = "SELECT j.`PlaylistId`, t.`TrackId`, t.`Name`, t.`AlbumId`, t.`MediaTypeId`, t.`GenreId`, t.`Composer`, t.`Milliseconds`, t.`Bytes`, t.`UnitPrice` \
     FROM `PlaylistTrack` AS j JOIN `Track` AS t ON t.`TrackId` = j.`TrackId` \
     WHERE j.`PlaylistId` IN (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k INT PATH '$')) AS keys_)";
pub(crate) const TRACK_PLAYLISTS: &str = "SELECT j.`TrackId`, p.`PlaylistId`, p.`Name` \
     FROM `PlaylistTrack` AS j JOIN `Playlist` AS p ON p.`PlaylistId` = j.`PlaylistId` \
     WHERE j.`TrackId` IN (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k INT PATH '$')) AS keys_)";
pub(crate) const DELETE_OTHERS: &str = "DELETE FROM `PlaylistTrack` WHERE `PlaylistId` = ? AND `TrackId` NOT IN \
     (SELECT k FROM JSON_TABLE(?, '$[*]' COLUMNS (k INT PATH '$')) AS keys_)";
pub(crate) const INSERT_MISSING: &str = "INSERT IGNORE INTO `PlaylistTrack` (`PlaylistId`, `TrackId`) \
     SELECT ?, k FROM JSON_TABLE(?, '$[*]' COLUMNS (k INT PATH '$')) AS keys_";

/// Drops the index on the join table's track column (of the bench's copy).
/// InnoDB refuses to drop an index a foreign key needs ("needed in a
/// foreign key constraint"), and `FK_PlaylistTrackTrackId` needs this one
/// (the primary key starts with `PlaylistId`): the foreign key goes with it,
/// in the same statement. Only the preloads run without it; they write
/// nothing.
pub const DROP_TRACK_INDEX: &str = "ALTER TABLE `PlaylistTrack` \
     DROP FOREIGN KEY `FK_PlaylistTrackTrackId`, DROP INDEX `IFK_PlaylistTrackTrackId`";

/// The statements, prepared on the connection: sqlx keeps them there, and
/// each `sqlx::query` of the same SQL runs the prepared one.
pub struct Statements;

impl Statements {
    pub fn prepare(db: &Db) -> Statements {
        let mut conn = db.c();
        for sql in [
            PLAYLIST_TRACKS,
            TRACK_PLAYLISTS,
            DELETE_OTHERS,
            INSERT_MISSING,
        ] {
            db.block_on(conn.prepare(sql.into_sql_str())).unwrap();
        }
        Statements
    }
}

/// Keys as a JSON array: `[1,2,3]`.
pub(crate) fn json(keys: impl IntoIterator<Item = i64>) -> String {
    let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
    format!("[{}]", keys.join(","))
}

/// Updates the copy's statistics (InnoDB's), so that both sides are
/// planned from the same ones.
pub fn settle(db: &Db) {
    db.exec("ANALYZE TABLE `PlaylistTrack`, `Track`, `Playlist`");
}

pub fn playlist_tracks(
    db: &Db,
    _: &Statements,
    owners: &mut [playlists::Playlist],
) -> Result<(), sqlx::Error> {
    let keys = json(owners.iter().map(|p| p.playlist_id));
    let mut conn = db.c();
    let rows = db.block_on(
        sqlx::query(PLAYLIST_TRACKS)
            .bind(&keys)
            .fetch_all(&mut *conn),
    )?;
    let mut groups: HashMap<i64, Vec<tracks::Track>> = HashMap::new();
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
    _: &Statements,
    owners: &mut [tracks::Track],
) -> Result<(), sqlx::Error> {
    let keys = json(owners.iter().map(|t| t.track_id));
    let mut conn = db.c();
    let rows = db.block_on(
        sqlx::query(TRACK_PLAYLISTS)
            .bind(&keys)
            .fetch_all(&mut *conn),
    )?;
    let mut groups: HashMap<i64, Vec<playlists::Playlist>> = HashMap::new();
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
    _: &Statements,
    playlist: i64,
    wanted: &[i64],
) -> Result<(u64, u64), sqlx::Error> {
    let wanted = json(wanted.iter().copied());
    let (added, removed);
    in_transaction!(db, tx => {
        let mut conn = tx.c();
        let delete = sqlx::query(DELETE_OTHERS).bind(playlist).bind(&wanted);
        removed = tx.block_on(delete.execute(&mut *conn))?.rows_affected();
        let insert = sqlx::query(INSERT_MISSING).bind(playlist).bind(&wanted);
        added = tx.block_on(insert.execute(&mut *conn))?.rows_affected();
    });
    Ok((added, removed))
}

/// MariaDB's plan of `sql` (a generated preload) with `keys` bound as its
/// JSON array: `EXPLAIN` of it, prepared, as the generated code runs it
/// (MariaDB plans a prepared statement at each run, with its values). One
/// line per row, the columns' names first.
pub fn plan(db: &Db, sql: &str, keys: &[i64]) -> String {
    let mut conn = db.c();
    let explain = sqlx::query(AssertSqlSafe(format!("EXPLAIN {sql}")))
        .persistent(false)
        .bind(json(keys.iter().copied()));
    let rows = db.block_on(explain.fetch_all(&mut *conn)).unwrap();
    let Some(first) = rows.first() else {
        return String::new();
    };
    let header: Vec<&str> = first.columns().iter().map(sqlx::Column::name).collect();
    let mut lines = vec![header.join(" | ")];
    for row in &rows {
        let cells: Vec<String> = (0..row.len()).map(|i| cell(row, i)).collect();
        lines.push(cells.join(" | "));
    }
    lines.join("\n")
}

/// Column `index` of an `EXPLAIN` row, as text (`NULL` for none).
fn cell(row: &MySqlRow, index: usize) -> String {
    row.try_get::<Option<String>, _>(index)
        .or_else(|_| {
            row.try_get::<Option<i64>, _>(index)
                .map(|v| v.map(|v| v.to_string()))
        })
        .or_else(|_| {
            row.try_get::<Option<u64>, _>(index)
                .map(|v| v.map(|v| v.to_string()))
        })
        .unwrap_or_else(|e| panic!("EXPLAIN column {index}: {e}"))
        .unwrap_or_else(|| "NULL".to_owned())
}
