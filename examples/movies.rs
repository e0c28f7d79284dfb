//! Ecto's movies example on a temporary SQLite file: insert "Ready Player One",
//! build its characters and distributor through the movie (Ecto's
//! `build_assoc`), link actors and create a new one linked to the sequel
//! (`put_assoc`), then preload the whole tree (distributor, characters,
//! actors, and each actor's movies) in one query per level, and print it.
//!
//! Run with `cargo run --example movies`.

use generated::{actors, characters, distributors, movies, queries};
use mortise_examples::TempDatabase;

fn main() -> rusqlite::Result<()> {
    let database = TempDatabase::new("movies")?;
    let db = &database.connection;
    println!("database: {}", database.path.display());
    generated::create_all(db)?;

    let movie = movies::Movie::insert(
        db,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            tagline: Some("A better reality awaits".into()),
            released: Some(2018),
        },
    )?;
    let sequel = movies::Movie::insert(
        db,
        &movies::NewMovie {
            title: "Ready Player Two".into(),
            ..Default::default()
        },
    )?;
    println!("inserted movies {:?} and {:?}", movie.title, sequel.title);

    // Ecto's `build_assoc`: each child gets the movie's key.
    for name in ["Wade Watts", "Samantha Cook"] {
        let new = characters::NewCharacter {
            name: name.into(),
            ..Default::default()
        };
        movies::characters::create(db, movie.id, &new)?;
    }
    let netflix = distributors::NewDistributor {
        name: "Netflix".into(),
        ..Default::default()
    };
    movies::distributor::create(db, movie.id, &netflix)?;
    // A has_one holds one row: a second distributor is refused, nothing written.
    let second = movies::distributor::create(db, movie.id, &netflix)?;
    println!("a second distributor for the same movie: {second:?}");

    let cast: Vec<i64> = ["Tye Sheridan", "Olivia Cooke", "Ben Mendelsohn"]
        .into_iter()
        .map(|name| {
            actors::Actor::insert(db, &actors::NewActor { name: name.into() }).map(|a| a.id)
        })
        .collect::<rusqlite::Result<_>>()?;
    let linked = movies::actors::insert(db, movie.id, &cast)?;
    movies::actors::insert(db, sequel.id, &cast[..2])?;
    // Ecto's `put_assoc` with a new actor: inserted and linked, atomically.
    let gary = movies::actors::create(
        db,
        sequel.id,
        &[actors::NewActor {
            name: "Gary".into(),
        }],
    )?;
    println!(
        "created 2 characters and a distributor through the movie, 3 actors; linked {linked} actors (movies_actors); created and linked {} to the sequel",
        gary[0].name
    );

    // The tree, one query per level.
    let mut all = movies::Movie::all(db)?;
    movies::distributor::preload(db, all.iter_mut())?;
    movies::characters::preload(db, all.iter_mut())?;
    movies::actors::preload(db, all.iter_mut())?;
    actors::movies::preload(db, all.iter_mut().flat_map(|m| m.actors.iter_mut()))?;

    println!();
    for movie in &all {
        println!(
            "{} ({})",
            movie.title,
            movie
                .released
                .map_or("unreleased".into(), |y| y.to_string())
        );
        // `row()`: the preloaded row, `Ok(None)` when there is none.
        let distributor = movie
            .distributor
            .row()
            .expect("preloaded above")
            .map_or("none", |d| d.name.as_str());
        println!("├─ distributor: {distributor}");
        let characters: Vec<&str> = movie.characters.iter().map(|c| c.name.as_str()).collect();
        println!(
            "├─ characters: {}",
            if characters.is_empty() {
                "none".to_owned()
            } else {
                characters.join(", ")
            }
        );
        println!("└─ actors (by name):");
        let count = movie.actors.iter().count();
        for (i, actor) in movie.actors.iter().enumerate() {
            let films: Vec<&str> = actor.movies.iter().map(|m| m.title.as_str()).collect();
            let branch = if i + 1 == count { "└─" } else { "├─" };
            println!("   {branch} {}, in: {}", actor.name, films.join(", "));
        }
    }

    println!(
        "\nthe join query behind movies::actors::preload:\n  {}",
        movies::actors::SELECT_SQL
    );

    // A query of our own (queries/movies.sql): its rows are `Movie`s, so
    // the associations preload them as they do any other.
    let mut ready = queries::movies_by_title_prefix(db, "Ready")?;
    movies::actors::preload(db, ready.iter_mut())?;
    for movie in &ready {
        let cast: Vec<&str> = movie.actors.iter().map(|a| a.name.as_str()).collect();
        println!(
            "\nqueries::movies_by_title_prefix(\"Ready\"): {} with {}",
            movie.title,
            cast.join(", ")
        );
    }

    movies::Movie::delete(db, movie.id)?;
    println!(
        "\ndeleted {:?}: on_delete removed its characters, distributor and links; actors stay ({} actors, {} characters left)",
        movie.title,
        actors::Actor::all(db)?.len(),
        characters::Character::all(db)?.len(),
    );
    Ok(())
}
