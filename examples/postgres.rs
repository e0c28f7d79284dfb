//! The movies example on PostgreSQL, with the async driver (tokio-postgres):
//! the same generated API as on SQLite, plus `async`/`.await`.
//!
//! Run with `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --example postgres`.
//! It works in a schema of its own, dropped at the end.

use mortise_examples::pg::{actors, movies};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), tokio_postgres::Error> {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test");
        std::process::exit(2);
    };
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    // Each generated statement is prepared once on this connection, then reused.
    let mut client = mortise_examples::pg::Cached::new(client);
    let schema = format!("mortise_example_{}", std::process::id());
    client
        .batch_execute(&format!(
            "CREATE SCHEMA {schema}; SET search_path TO {schema}"
        ))
        .await?;
    println!("connected; working in schema {schema}");

    let result = run(&mut client).await;
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await?;
    println!("dropped schema {schema}");
    result
}

async fn run(
    client: &mut mortise_examples::pg::Cached<tokio_postgres::Client>,
) -> Result<(), tokio_postgres::Error> {
    mortise_examples::pg::create_all(client).await?;
    let rpo = movies::Movie::insert(
        client,
        &movies::NewMovie {
            title: "Ready Player One".into(),
            released: Some(2018),
            ..Default::default()
        },
    )
    .await?;
    let two = movies::Movie::insert(
        client,
        &movies::NewMovie {
            title: "Ready Player Two".into(),
            ..Default::default()
        },
    )
    .await?;
    let mut cast = Vec::new();
    for name in ["Tye Sheridan", "Olivia Cooke", "Ben Mendelsohn"] {
        cast.push(
            actors::Actor::insert(client, &actors::NewActor { name: name.into() })
                .await?
                .id,
        );
    }
    movies::actors::insert(client, rpo.id, &cast).await?;
    movies::actors::insert(client, two.id, &cast[..2]).await?;
    let changes = movies::actors::replace(client, two.id, &cast[1..]).await?;
    println!("linked actors; replace on the sequel: {changes:?}");

    // One query per level, whatever the number of movies.
    let mut all = movies::Movie::all(client).await?;
    movies::actors::preload(client, all.iter_mut()).await?;
    actors::movies::preload(client, all.iter_mut().flat_map(|m| m.actors.iter_mut())).await?;
    for movie in &all {
        println!("{}", movie.title);
        for actor in movie.actors.iter() {
            let films: Vec<&str> = actor.movies.iter().map(|m| m.title.as_str()).collect();
            println!("  {} (in: {})", actor.name, films.join(", "));
        }
    }
    println!("the join query:\n  {}", movies::actors::SELECT_SQL);
    Ok(())
}
