//! A join schema: `users` and `chat_groups` through `chat_group_users`, a
//! declared table with its own key, a `role` (default "member") and
//! timestamps. `link` writes one membership with its role; the key-only
//! helpers fill the defaults and timestamps; `preload_edges` loads each
//! member WITH their membership row (one query), ordered by role then name;
//! the join rows are ordinary rows you can read and update.
//!
//! Run with `cargo run --example chat_groups`.

use generated::{chat_group_users, chat_groups, users};
use mortise_examples::TempDatabase;

fn main() -> rusqlite::Result<()> {
    let database = TempDatabase::new("chat_groups")?;
    let db = &database.connection;
    generated::create_all(db)?;

    let ann = users::User::insert(
        db,
        &users::NewUser {
            name: "Ann".into(),
            email: None,
        },
    )?;
    let bob = users::User::insert(
        db,
        &users::NewUser {
            name: "Bob".into(),
            email: None,
        },
    )?;
    let group = |name: &str| {
        chat_groups::ChatGroup::insert(db, &chat_groups::NewChatGroup { name: name.into() })
    };
    let (rust, sql) = (group("rustaceans")?, group("sql nerds")?);

    users::chat_groups::insert(db, ann.id, &[rust.id, sql.id])?;
    let admin = chat_groups::users::Link {
        role: "admin".into(),
    };
    let bob_in_rust = chat_groups::users::link(db, rust.id, bob.id, &admin)?;
    println!("Ann joined 2 groups; Bob joined rustaceans as admin: {bob_in_rust:?}");

    // Typed edges: each member with the chat_group_users row that links them.
    let mut groups = chat_groups::ChatGroup::all(db)?;
    chat_groups::users::preload_edges(db, groups.iter_mut())?;
    for g in &groups {
        println!("{}:", g.name);
        for edge in g.users_edges.iter() {
            println!(
                "  {:<4} {:<6} since {}",
                edge.target.name,
                edge.link.role,
                edge.link.inserted_at.format("%H:%M:%S%.3f")
            );
        }
    }

    // The join rows are a table of their own: promote Ann in sql nerds.
    for mut membership in chat_group_users::ChatGroupUser::all(db)? {
        if membership.user_id == ann.id && membership.chat_group_id == sql.id {
            membership.role = "admin".into();
            membership.update(db)?;
        }
    }
    for edge in chat_groups::users::list_edges(db, sql.id)? {
        println!("sql nerds now: {} as {}", edge.target.name, edge.link.role);
    }

    let changes = users::chat_groups::replace(db, ann.id, &[sql.id])?;
    println!("Ann now only in sql nerds: {changes:?}");
    println!(
        "members of rustaceans: {}",
        chat_groups::users::count(db, rust.id)?
    );
    Ok(())
}
