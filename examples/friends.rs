//! GORM's self-referencing many2many (`users.friends` through `friendships`,
//! keys `user_id` and `friend_id`): Append, Delete, Replace, Clear and Count.
//!
//! Run with `cargo run --example friends`.

use generated::{Changes, users};
use mortise_examples::TempDatabase;

fn main() -> rusqlite::Result<()> {
    let database = TempDatabase::new("friends")?;
    let db = &database.connection;
    generated::create_all(db)?;

    let user = |name: &str| {
        users::User::insert(
            db,
            &users::NewUser {
                name: name.into(),
                email: None,
            },
        )
    };
    let (jinzhu, ann, bob, cat) = (user("jinzhu")?, user("Ann")?, user("Bob")?, user("Cat")?);
    let show = |when: &str| -> rusqlite::Result<()> {
        let friends: Vec<String> = users::friends::list(db, jinzhu.id)?
            .into_iter()
            .map(|f| f.name)
            .collect();
        println!(
            "{when:<40} jinzhu's friends: [{}]  (count: {})",
            friends.join(", "),
            users::friends::count(db, jinzhu.id)?
        );
        Ok(())
    };

    show("start")?;
    let added = users::friends::insert(db, jinzhu.id, &[ann.id, bob.id, ann.id])?;
    show(&format!("append Ann, Bob, Ann: {added} new"))?;
    let again = users::friends::insert(db, jinzhu.id, &[bob.id])?;
    show(&format!("append Bob again: {again} new"))?;
    let removed = users::friends::delete(db, jinzhu.id, &[ann.id])?;
    show(&format!("delete Ann: {removed} removed"))?;
    let Changes { added, removed } = users::friends::replace(db, jinzhu.id, &[bob.id, cat.id])?;
    show(&format!("replace with Bob, Cat: +{added} -{removed}"))?;
    // Links are directed: Cat's list is her own.
    users::friends::insert(db, cat.id, &[jinzhu.id])?;
    let cats: Vec<String> = users::friends::list(db, cat.id)?
        .into_iter()
        .map(|f| f.name)
        .collect();
    println!(
        "{:<40} Cat's friends: [{}]",
        "Cat appends jinzhu",
        cats.join(", ")
    );
    let cleared = users::friends::clear(db, jinzhu.id)?;
    show(&format!("clear: {cleared} removed"))?;
    println!(
        "users are never deleted by these helpers: {} users",
        users::User::all(db)?.len()
    );
    Ok(())
}
