//! A query of the user's own (the golden case `movie_queries`) against the
//! same query written by hand with rusqlite, in the same run, into the same
//! struct: `movies_by_ids` (1,000 ids of 10,000 movies, one array
//! parameter) and `recent_movies` (100 rows, two scalar parameters).
//!
//! The table is made by a script of its own whose columns are not in the
//! row struct's order (the generated query selects `*` as the struct's
//! columns, by name). The hand-written side prepares each statement once
//! (rusqlite's statement cache, as the generated code does), binds the ids
//! as one `rarray`, and reads each column by position into the struct.
//!
//! Run: `cargo bench -p mortise-tests --bench queries`. Compare each pair's
//! times: ratios, not absolute times.

use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use mortise_tests::movie_queries::{Loaded, Rating, movies, queries};
use rusqlite::Connection;
use rusqlite::types::Value;

/// 10,000 movies, made as another program would make the table.
fn database() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        "CREATE TABLE movies (
            title TEXT NOT NULL,
            rating TEXT CHECK (rating IN ('G', 'PG', 'R')),
            released INTEGER,
            tagline TEXT,
            id INTEGER PRIMARY KEY
        );
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
        INSERT INTO movies (id, title, rating, released, tagline)
        SELECT i, 'movie ' || i, CASE i % 3 WHEN 0 THEN 'G' WHEN 1 THEN 'PG' ELSE 'R' END,
               1950 + i % 75, CASE WHEN i % 2 = 0 THEN 'tagline ' || i END
        FROM n;",
    )
    .unwrap();
    rusqlite::vtab::array::load_module(&db).unwrap();
    db
}

/// A row read by hand: the select list below is in the struct's order.
fn movie(row: &rusqlite::Row<'_>) -> rusqlite::Result<movies::Movie> {
    Ok(movies::Movie {
        id: row.get(0)?,
        title: row.get(1)?,
        tagline: row.get(2)?,
        released: row.get(3)?,
        rating: row.get::<_, Option<Rating>>(4)?,
        characters: Loaded::NotLoaded,
        actors: Loaded::NotLoaded,
    })
}

fn by_ids_by_hand(db: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<movies::Movie>> {
    let mut statement = db.prepare_cached(
        "SELECT id, title, tagline, released, rating FROM movies WHERE id IN rarray(?1) ORDER BY id",
    )?;
    let ids: Rc<Vec<Value>> = Rc::new(ids.iter().map(|&id| Value::Integer(id)).collect());
    statement.query_map([ids], movie)?.collect()
}

fn recent_by_hand(db: &Connection, year: i32, limit: i64) -> rusqlite::Result<Vec<movies::Movie>> {
    let mut statement = db.prepare_cached(
        "SELECT id, title, tagline, released, rating FROM movies WHERE released >= ?1 \
         ORDER BY released DESC, id LIMIT ?2",
    )?;
    statement
        .query_map(rusqlite::params![year, limit], movie)?
        .collect()
}

fn benches(c: &mut Criterion) {
    let db = database();
    let ids: Vec<i64> = (0..1000).map(|i| i * 7 + 3).collect();
    // Both sides read the same rows.
    assert_eq!(
        queries::movies_by_ids(&db, &ids).unwrap(),
        by_ids_by_hand(&db, &ids).unwrap()
    );
    assert_eq!(
        queries::recent_movies(&db, 2020, 100).unwrap(),
        recent_by_hand(&db, 2020, 100).unwrap()
    );

    let mut group = c.benchmark_group("queries/movies_by_ids (1,000 of 10,000)");
    group.bench_function("generated", |b| {
        b.iter(|| queries::movies_by_ids(&db, &ids).unwrap())
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| by_ids_by_hand(&db, &ids).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("queries/recent_movies (100 rows)");
    group.bench_function("generated", |b| {
        b.iter(|| queries::recent_movies(&db, 2020, 100).unwrap())
    });
    group.bench_function("hand-written", |b| {
        b.iter(|| recent_by_hand(&db, 2020, 100).unwrap())
    });
    group.finish();
}

criterion_group!(queries_benches, benches);
criterion_main!(queries_benches);
