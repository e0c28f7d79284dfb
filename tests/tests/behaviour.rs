//! The behaviour suite (`mortise_tests::suite`), once per backend: the same
//! tests, named `<backend>::<area>::<behaviour>`. PostgreSQL tests need
//! `DATABASE_URL`, MariaDB tests `MYSQL_URL` (without it they say so
//! loudly and pass without running).

mod on_rusqlite {
    mortise_tests::behaviour_suite!(mortise_tests::suite::sqlite);
}

mod on_postgres {
    mortise_tests::behaviour_suite!(mortise_tests::suite::postgres);
}

mod on_tokio_postgres {
    mortise_tests::behaviour_suite!(mortise_tests::suite::tokio_postgres);
}

mod on_sqlx_postgres {
    mortise_tests::behaviour_suite!(mortise_tests::suite::sqlx_postgres);
}

mod on_sqlx_sqlite {
    mortise_tests::behaviour_suite!(mortise_tests::suite::sqlx_sqlite);
}

mod on_mariadb {
    mortise_tests::behaviour_suite!(mortise_tests::suite::mariadb);
}
