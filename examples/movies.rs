//! Ecto's movies example on a temporary SQLite file: create the schema, insert
//! a movie with a character and a distributor, read, update and delete.
//!
//! Run with `cargo run --example movies`.

use generated::{characters, distributors, movies};
use mortise_examples::TempDatabase;

fn main() -> rusqlite::Result<()> {
    let database = TempDatabase::new("movies")?;
    let db = &database.connection;
    println!("database: {}", database.path.display());

    generated::create_all(db)?;
    println!("created every table of schema.yaml");

    let mut movie = movies::Movie::insert(
        db,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            released: Some(2018),
            ..Default::default()
        },
    )?;
    println!("inserted {movie:?}");

    let wade = characters::Character::insert(
        db,
        &characters::NewCharacter {
            name: "Wade Watts".into(),
            movie_id: movie.id,
        },
    )?;
    println!("inserted {wade:?}");

    let netflix = distributors::Distributor::insert(
        db,
        &distributors::NewDistributor {
            name: "Netflix".into(),
            movie_id: movie.id,
        },
    )?;
    println!("inserted {netflix:?}");

    movie.tagline = Some("A better reality awaits".into());
    movie.update(db)?;
    println!("updated  {:?}", movies::Movie::get(db, movie.id)?);

    println!("SQL behind Movie::get:\n  {}", movies::GET_SQL);

    movies::Movie::delete(db, movie.id)?;
    println!(
        "deleted the movie; its character and distributor went with it (ON DELETE CASCADE): {} characters, {} distributors left",
        characters::Character::all(db)?.len(),
        distributors::Distributor::all(db)?.len(),
    );
    Ok(())
}
