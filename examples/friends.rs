//! GORM's self-referencing many2many (`users.friends` through `friendships`,
//! keys `user_id` and `friend_id`): Append (of new users and of existing
//! ones), Delete, Replace (with existing users, and with a new one), Clear
//! and Count, as on GORM's Association page.
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
    // GORM: db.Model(&user).Association("Friends").Append(&User{Name: "friend1"}, &User{Name: "friend2"})
    let new = |name: &str| users::NewUser {
        name: name.into(),
        email: None,
    };
    let created = users::friends::create(db, jinzhu.id, &[new("friend1"), new("friend2")])?;
    show(&format!(
        "append new friend1, friend2: {} new",
        created.len()
    ))?;
    let removed = users::friends::delete(db, jinzhu.id, &[created[0].id, created[1].id])?;
    show(&format!("delete friend1, friend2: {removed} removed"))?;
    let added = users::friends::insert(db, jinzhu.id, &[ann.id, bob.id, ann.id])?;
    show(&format!("append Ann, Bob, Ann: {added} new"))?;
    let again = users::friends::insert(db, jinzhu.id, &[bob.id])?;
    show(&format!("append Bob again: {again} new"))?;
    let removed = users::friends::delete(db, jinzhu.id, &[ann.id])?;
    show(&format!("delete Ann: {removed} removed"))?;
    let Changes { added, removed } = users::friends::replace(db, jinzhu.id, &[bob.id, cat.id])?;
    show(&format!("replace with Bob, Cat: +{added} -{removed}"))?;
    // GORM's Replace with a new user: create and replace in one transaction.
    let tx = db.unchecked_transaction()?;
    let dan = users::User::insert(&tx, &new("Dan"))?;
    let Changes { added, removed } = users::friends::replace(&tx, jinzhu.id, &[cat.id, dan.id])?;
    tx.commit()?;
    show(&format!("replace with Cat, new Dan: +{added} -{removed}"))?;
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
