//! The golden case `enums`: schema enums written and read by the generated
//! code, by other programs (raw SQL), as defaults, `where`, `join_where` and
//! `join_defaults` values, on every backend; on PostgreSQL, an enum type a
//! script created first, found by its `sql_name`.

#[macro_export]
#[doc(hidden)]
macro_rules! suite_enums {
    ($($backend:ident)::+) => {
        #[allow(unused_imports)]
        use $($backend)::+::*;
        use enums::{Billing, MpaaRating, RoleKind, actors, films, roles, studios};

        fn database(test: &str) -> Option<(Db, studios::Studio)> {
            let db = Db::fresh(test)?;
            q!(db, enums::create_all()).unwrap();
            let studio = q!(db, studios::Studio::insert(&studios::NewStudio { name: "s".into() })).unwrap();
            Some((db, studio))
        }

        fn film(studio: &studios::Studio, title: &str, rating: Option<MpaaRating>, audience: MpaaRating) -> films::NewFilm {
            films::NewFilm { title: title.into(), rating, audience, studio_id: studio.id }
        }

        #[test]
        fn enum_values_round_trip() {
            let Some((db, studio)) = database("enum_values") else { return };
            // The types exist now: create_all runs again.
            q!(db, enums::create_all()).unwrap();
            let mut stored = q!(db, films::Film::insert(&film(&studio, "a", Some(MpaaRating::Pg13), MpaaRating::Nc17))).unwrap();
            assert_eq!((stored.rating, stored.audience), (Some(MpaaRating::Pg13), MpaaRating::Nc17));
            assert_eq!(q!(db, films::Film::get(stored.id)).unwrap().as_ref(), Some(&stored));
            stored.rating = None;
            stored.audience = MpaaRating::G;
            assert!(q!(db, stored.update()).unwrap());
            assert_eq!(q!(db, films::Film::get(stored.id)).unwrap().as_ref(), Some(&stored), "{NAME}");

            // Every value, through the client the generated code is given
            // (on PostgreSQL, statements prepared once).
            let cached = generated_client!(db, enums);
            for rating in MpaaRating::ALL {
                let new = film(&studio, rating.as_str(), Some(rating), rating);
                let written = q!(cached, films::Film::insert(&new)).unwrap();
                let read = q!(cached, films::Film::get(written.id)).unwrap().unwrap();
                assert_eq!((read.rating, read.audience), (Some(rating), rating), "{NAME}");
            }
            // Stored as the value's text.
            let texts = db.strings("SELECT CAST(audience AS TEXT) FROM films ORDER BY id");
            assert_eq!(texts, ["G", "G", "PG", "PG-13", "R", "NC-17"]);

            assert_eq!("PG-13".parse::<MpaaRating>(), Ok(MpaaRating::Pg13));
            assert_eq!(MpaaRating::Nc17.to_string(), "NC-17");
            let unknown = "pg-13".parse::<MpaaRating>().unwrap_err();
            assert_eq!(unknown.to_string(), "\"pg-13\" is not a value of enum mpaa_rating");
        }

        #[test]
        fn defaults_and_where_values_are_enum_values() {
            let Some((db, studio)) = database("enum_defaults") else { return };
            let rust = films::NewFilm::default();
            assert_eq!((rust.rating, rust.audience), (Some(MpaaRating::G), MpaaRating::Pg13));
            // Rows another program writes: the DDL's defaults, the texts, NULL.
            db.exec(&format!(
                "INSERT INTO films (title, studio_id) VALUES ('raw', {0}); \
                 INSERT INTO films (title, rating, audience, studio_id) VALUES ('r', 'R', 'NC-17', {0}), ('none', NULL, 'PG', {0})",
                studio.id
            ));
            let rows: Vec<_> = q!(db, films::Film::all()).unwrap().into_iter().map(|f| (f.title, f.rating, f.audience)).collect();
            assert_eq!(rows, [
                ("raw".to_owned(), rust.rating, rust.audience),
                ("r".to_owned(), Some(MpaaRating::R), MpaaRating::Nc17),
                ("none".to_owned(), None, MpaaRating::Pg),
            ], "{NAME}");
            // `where: { rating: G }` keeps the G film only.
            let family = q!(db, studios::family_films::list(studio.id)).unwrap();
            assert_eq!($crate::suite::names(&family, |f| &f.title), ["raw"]);
            assert_eq!(q!(db, studios::family_films::count(studio.id)).unwrap(), 1);
            assert_eq!(q!(db, studios::films::count(studio.id)).unwrap(), 3);
            // `preload_order: [audience desc]`: PostgreSQL orders an enum as
            // declared (NC-17 last), SQLite by its text.
            let ordered = q!(db, studios::films::list(studio.id)).unwrap();
            let expected = if SCRIPTS == "sqlite" { ["raw", "none", "r"] } else { ["r", "raw", "none"] };
            assert_eq!($crate::suite::names(&ordered, |f| &f.title), expected, "{NAME}");
        }

        #[test]
        fn links_write_join_where_and_join_defaults_enum_values() {
            let Some((db, studio)) = database("enum_links") else { return };
            let film = q!(db, films::Film::insert(&film(&studio, "f", None, MpaaRating::R))).unwrap();
            let actor = |name: &str| q!(db, actors::Actor::insert(&actors::NewActor { name: name.into() })).unwrap();
            let (ann, bob) = (actor("ann"), actor("bob"));
            assert_eq!(q!(db, films::leads::insert(film.id, &[ann.id])).unwrap(), 1);
            let link = films::voices::Link::default();
            assert_eq!(link.billing, Billing::BelowTheLine);
            let role = q!(db, films::voices::link(film.id, bob.id, &link)).unwrap().expect("a new link");
            assert_eq!((role.kind, role.billing), (RoleKind::VoiceOnly, Billing::BelowTheLine), "{NAME}");
            assert_eq!(q!(db, films::leads::list(film.id)).unwrap(), [ann]);
            assert_eq!(q!(db, films::voices::list(film.id)).unwrap(), [bob]);
            let kinds: Vec<_> = q!(db, roles::Role::all()).unwrap().into_iter().map(|r| (r.kind, r.billing)).collect();
            assert_eq!(kinds, [(RoleKind::Lead, Billing::Top), (RoleKind::VoiceOnly, Billing::BelowTheLine)]);
        }

        #[test]
        fn a_value_outside_the_enum_is_an_error_when_read() {
            let Some(db) = Db::fresh("enum_existing") else { return };
            // An existing database: its own type (found by `sql_name`) with a
            // value the schema does not list, or on SQLite a table without
            // the CHECK.
            if SCRIPTS == "sqlite" {
                db.exec("CREATE TABLE roles (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, \
                         billing TEXT NOT NULL, film_id INTEGER NOT NULL, actor_id INTEGER NOT NULL)");
            } else if NAME == "sqlx-mysql" {
                db.exec("CREATE TABLE roles (id BIGINT AUTO_INCREMENT PRIMARY KEY, \
                         kind ENUM('lead', 'supporting', 'voice only', 'cameo') NOT NULL, \
                         billing ENUM('top', 'below the line') NOT NULL, film_id BIGINT NOT NULL, actor_id BIGINT NOT NULL)");
            } else {
                db.exec("CREATE TYPE role_kind_t AS ENUM ('lead', 'supporting', 'voice only', 'cameo'); \
                         CREATE TYPE billing AS ENUM ('top', 'below the line'); \
                         CREATE TABLE roles (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
                         kind role_kind_t NOT NULL, billing billing NOT NULL, film_id BIGINT NOT NULL, actor_id BIGINT NOT NULL)");
            }
            q!(db, enums::create_all()).unwrap();
            db.exec("INSERT INTO roles (kind, billing, film_id, actor_id) VALUES ('voice only', 'top', 1, 1)");
            let read: Vec<_> = q!(db, roles::Role::all()).unwrap().into_iter().map(|r| (r.kind, r.billing)).collect();
            assert_eq!(read, [(RoleKind::VoiceOnly, Billing::Top)], "{NAME}");
            db.exec("INSERT INTO roles (kind, billing, film_id, actor_id) VALUES ('cameo', 'top', 1, 1)");
            let error = q!(db, roles::Role::all()).unwrap_err();
            // PostgreSQL's error names the column; its source, the value.
            let source = std::error::Error::source(&error).map(ToString::to_string);
            let error = format!("{error}: {}", source.unwrap_or_default());
            assert!(error.contains("\"cameo\" is not a value of enum role_kind"), "{NAME}: {error}");
        }
    };
}
