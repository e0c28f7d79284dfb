//! A join schema: `users` and `chat_groups` through `chat_group_users`, a
//! declared table with its own key, a `role` (default "member") and
//! timestamps. The link helpers fill the defaults and timestamps; the join
//! rows are ordinary rows you can read and update.
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
    chat_groups::users::insert(db, rust.id, &[bob.id])?;
    println!("Ann joined 2 groups, Bob joined rustaceans (from the group's side)");

    // The join rows are a table of their own: promote Bob.
    for mut membership in chat_group_users::ChatGroupUser::all(db)? {
        if membership.user_id == bob.id {
            membership.role = "admin".into();
            membership.update(db)?;
        }
    }
    for m in chat_group_users::ChatGroupUser::all(db)? {
        println!(
            "  chat_group_users row {}: user {} in group {} as {:<6} since {}",
            m.id,
            m.user_id,
            m.chat_group_id,
            m.role,
            m.inserted_at.format("%H:%M:%S%.3f")
        );
    }

    let mut groups = chat_groups::ChatGroup::all(db)?;
    chat_groups::users::preload(db, groups.iter_mut())?;
    for g in &groups {
        let members: Vec<&str> = g.users.iter().map(|u| u.name.as_str()).collect();
        println!("{}: {}", g.name, members.join(", "));
    }

    let changes = users::chat_groups::replace(db, ann.id, &[sql.id])?;
    println!("Ann now only in sql nerds: {changes:?}");
    println!(
        "members of rustaceans: {}",
        chat_groups::users::count(db, rust.id)?
    );
    Ok(())
}
