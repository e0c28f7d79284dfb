-- The film_rental database on MariaDB 10.11 / InnoDB (see postgres.sql): a
-- small copy of the classic film-rental sample (Sakila, Pagila), made by
-- this script in the current database and never by mortise's create_all.
-- The same tables, columns, keys and rows as postgres.sql: 6 languages, 16
-- categories, 200 actors, 100 films, 587 film_actor links, 109
-- film_category links, 3 stores, 6 staff, 60 customers, 300 payments.
-- What differs from the PostgreSQL script, and why:
-- - No enum type: `rating` is an ENUM('G', 'PG', 'PG-13', 'R', 'NC-17')
--   column with the same labels and default.
-- - No domain: `release_year` is an INT with the domain's CHECK
--   (`year_check`, 1901 to 2155: MariaDB enforces CHECK constraints).
-- - No array: `special_features` is JSON (MariaDB's JSON is LONGTEXT with a
--   JSON_VALID check) holding the text `["Trailers"]`, as sqlite.sql does:
--   the form mortise writes and reads a `text[]` field in on MariaDB.
-- - char(20) is CHAR(20), which MariaDB reads back without its trailing
--   spaces: 'English', as on SQLite (PostgreSQL pads to 20).
-- - timestamp is DATETIME(6) with DEFAULT CURRENT_TIMESTAMP(6), the session
--   time zone's wall clock as PostgreSQL's now() in a timestamp. timestamptz
--   (customer.last_update, payment.payment_date) is DATETIME(6) holding UTC,
--   with DEFAULT UTC_TIMESTAMP(6) (a TIMESTAMP would convert by the
--   session's time zone). date is DATE with DEFAULT (CURRENT_DATE).
-- - text is TEXT, except actor.last_name, VARCHAR(255) because it is
--   indexed. Every table's default character set is utf8mb4 with the binary
--   collation utf8mb4_bin, so that text, CHAR and the ENUM compare
--   case-sensitively, by bytes, as PostgreSQL's text does.
-- - numeric(p,s) is DECIMAL(p,s), bytea BLOB, boolean BOOLEAN (TINYINT(1)).
-- - Identities are AUTO_INCREMENT, and the rows write their keys (1 to n,
--   the identity's values in postgres.sql): an INSERT ... SELECT that
--   leaves them to InnoDB reserves values in batches, after which the next
--   payment would be 512, not 301. Written keys set the counter to max + 1.
-- - Foreign keys: InnoDB needs an index that leads with each foreign key's
--   columns and creates one (named after the constraint) when none does.
--   So film_actor, keyed (actor_id, film_id), gets an index on film_id,
--   which postgres.sql deliberately lacks ("no index leads with film_id").
--   The same goes for film.language_id, film.original_language_id,
--   film_category.category_id, staff.store_id, customer.store_id,
--   payment.customer_id and payment.staff_id, none indexed on PostgreSQL.
--   Unavoidable while the keys are there (the tests rely on film_actor's).
--   The constraints carry PostgreSQL's default names. ON DELETE RESTRICT is
--   InnoDB's default (NO ACTION) under another name, as on PostgreSQL
--   without deferral.
-- - store and staff reference each other: as in postgres.sql, the key from
--   store to staff is added once both hold their rows.
-- - Rows: numbers come from recursive CTEs (no generate_series, and 300 at most,
--   within max_recursive_iterations, 1,000 by default), an array's element
--   is ELT(i, ...) or a CASE, || is CONCAT, and timestamps add an INTERVAL.
--   MD5 gives the same hex as PostgreSQL's md5.

CREATE TABLE `language` (
  `language_id` SMALLINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `name` CHAR(20) NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `category` (
  `category_id` SMALLINT NOT NULL PRIMARY KEY,
  `name` TEXT NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `actor` (
  `actor_id` SMALLINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `first_name` TEXT NOT NULL,
  `last_name` VARCHAR(255) NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  INDEX `idx_actor_last_name` (`last_name`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `film` (
  `film_id` SMALLINT NOT NULL PRIMARY KEY,
  `title` TEXT NOT NULL,
  `description` TEXT,
  `release_year` INT,
  `language_id` SMALLINT NOT NULL,
  `original_language_id` SMALLINT,
  `rental_duration` SMALLINT NOT NULL DEFAULT 3,
  `rental_rate` DECIMAL(4,2) NOT NULL DEFAULT 4.99,
  `length` SMALLINT,
  `replacement_cost` DECIMAL(5,2) NOT NULL DEFAULT 19.99,
  `rating` ENUM('G', 'PG', 'PG-13', 'R', 'NC-17') DEFAULT 'G',
  `special_features` JSON,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT `year_check` CHECK (`release_year` BETWEEN 1901 AND 2155),
  CONSTRAINT `film_language_id_fkey` FOREIGN KEY (`language_id`) REFERENCES `language` (`language_id`),
  CONSTRAINT `film_original_language_id_fkey` FOREIGN KEY (`original_language_id`) REFERENCES `language` (`language_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Keyed (actor_id, film_id) only: InnoDB adds an index on film_id for its
-- foreign key (see above).
CREATE TABLE `film_actor` (
  `actor_id` SMALLINT NOT NULL,
  `film_id` SMALLINT NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`actor_id`, `film_id`),
  CONSTRAINT `film_actor_actor_id_fkey` FOREIGN KEY (`actor_id`) REFERENCES `actor` (`actor_id`) ON DELETE RESTRICT,
  CONSTRAINT `film_actor_film_id_fkey` FOREIGN KEY (`film_id`) REFERENCES `film` (`film_id`) ON DELETE RESTRICT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `film_category` (
  `film_id` SMALLINT NOT NULL,
  `category_id` SMALLINT NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`film_id`, `category_id`),
  CONSTRAINT `film_category_film_id_fkey` FOREIGN KEY (`film_id`) REFERENCES `film` (`film_id`),
  CONSTRAINT `film_category_category_id_fkey` FOREIGN KEY (`category_id`) REFERENCES `category` (`category_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- store and staff reference each other: the key from store to staff is
-- added once both hold their rows (as Pagila's dump does).
CREATE TABLE `store` (
  `store_id` SMALLINT NOT NULL PRIMARY KEY,
  `manager_staff_id` SMALLINT NOT NULL,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT `store_manager_staff_id_key` UNIQUE (`manager_staff_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `staff` (
  `staff_id` SMALLINT NOT NULL PRIMARY KEY,
  `first_name` TEXT NOT NULL,
  `last_name` TEXT NOT NULL,
  `email` TEXT,
  `store_id` SMALLINT NOT NULL,
  `active` BOOLEAN NOT NULL DEFAULT TRUE,
  `username` TEXT NOT NULL,
  `password` TEXT,
  `picture` BLOB,
  `last_update` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT `staff_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `store` (`store_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `customer` (
  `customer_id` INT NOT NULL PRIMARY KEY,
  `store_id` SMALLINT NOT NULL,
  `first_name` TEXT NOT NULL,
  `last_name` TEXT NOT NULL,
  `email` TEXT,
  `activebool` BOOLEAN NOT NULL DEFAULT TRUE,
  `create_date` DATE NOT NULL DEFAULT (CURRENT_DATE),
  `last_update` DATETIME(6) DEFAULT UTC_TIMESTAMP(6),
  CONSTRAINT `customer_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `store` (`store_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE `payment` (
  `payment_id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `customer_id` INT NOT NULL,
  `staff_id` SMALLINT NOT NULL,
  `amount` DECIMAL(5,2) NOT NULL,
  `payment_date` DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  CONSTRAINT `payment_customer_id_fkey` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`customer_id`),
  CONSTRAINT `payment_staff_id_fkey` FOREIGN KEY (`staff_id`) REFERENCES `staff` (`staff_id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO `language` (`language_id`, `name`, `last_update`) VALUES
  (1, 'English', '2006-02-15 10:02:19'), (2, 'Italian', '2006-02-15 10:02:19'),
  (3, 'Japanese', '2006-02-15 10:02:19'), (4, 'Mandarin', '2006-02-15 10:02:19'),
  (5, 'French', '2006-02-15 10:02:19'), (6, 'German', '2006-02-15 10:02:19');

INSERT INTO `category` (`category_id`, `name`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16)
SELECT i, ELT(i, 'Action', 'Animation', 'Children', 'Classics', 'Comedy', 'Documentary', 'Drama', 'Family',
                 'Foreign', 'Games', 'Horror', 'Music', 'New', 'Sci-Fi', 'Sports', 'Travel'),
       '2006-02-15 09:46:27'
FROM n;

INSERT INTO `actor` (`actor_id`, `first_name`, `last_name`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
SELECT i,
       ELT(i % 12 + 1, 'PENELOPE', 'NICK', 'ED', 'JENNIFER', 'JOHNNY', 'BETTE', 'GRACE', 'MATTHEW', 'JOE', 'CHRISTIAN', 'ZERO', 'KARL'),
       ELT(i % 11 + 1, 'GUINESS', 'WAHLBERG', 'CHASE', 'DAVIS', 'LOLLOBRIGIDA', 'NICHOLSON', 'MOSTEL', 'JOHANSSON', 'SWANK', 'GABLE', 'CAGE'),
       TIMESTAMP '2006-02-15 04:34:33' + INTERVAL i SECOND
FROM n ORDER BY i;

INSERT INTO `film` (`film_id`, `title`, `description`, `release_year`, `language_id`, `original_language_id`, `rental_duration`,
                    `rental_rate`, `length`, `replacement_cost`, `rating`, `special_features`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
SELECT i,
       CONCAT('FILM ', LPAD(i, 3, '0')),
       CASE WHEN i % 10 = 0 THEN NULL ELSE CONCAT('A story numbered ', i) END,
       CASE WHEN i % 17 = 0 THEN NULL ELSE 2000 + i % 10 END,
       1 + i % 3,
       CASE WHEN i % 5 = 0 THEN 1 + i % 6 END,
       3 + i % 5,
       CASE i % 3 WHEN 0 THEN 0.99 WHEN 1 THEN 2.99 ELSE 4.99 END,
       CASE WHEN i % 23 = 0 THEN NULL ELSE 46 + (i * 7) % 140 END,
       9.99 + i % 21,
       ELT(i % 5 + 1, 'G', 'PG', 'PG-13', 'R', 'NC-17'),
       CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '["Trailers"]' WHEN 2 THEN '["Commentaries","Deleted Scenes"]'
                  ELSE '["Trailers","Behind the Scenes"]' END,
       TIMESTAMP '2006-02-15 05:03:42' + INTERVAL i MINUTE
FROM n ORDER BY i;

-- Actor a plays in up to a % 5 + 1 films (distinct: 13 and 100 are
-- coprime), none of 25, 50, 75 and 100. Actors 1 to 11 play in film 100.
-- Films 25, 50 and 75 have no actor.
INSERT INTO `film_actor` (`actor_id`, `film_id`, `last_update`)
WITH RECURSIVE a (a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM a WHERE a < 200),
  j (j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM j WHERE j < 4)
SELECT a, (a * 7 + j * 13) % 100 + 1, TIMESTAMP '2006-02-15 05:05:03'
FROM a, j WHERE j <= a % 5 AND ((a * 7 + j * 13) % 100 + 1) % 25 <> 0
UNION
SELECT a, 100, TIMESTAMP '2006-02-15 05:05:03' FROM a WHERE a <= 11
ORDER BY 1, 2;

INSERT INTO `film_category` (`film_id`, `category_id`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
SELECT i, 1 + i % 16, TIMESTAMP '2006-02-15 05:07:09' FROM n
UNION
SELECT i, 1 + (i + 5) % 16, TIMESTAMP '2006-02-15 05:07:09' FROM n WHERE i % 11 = 0
ORDER BY 1, 2;

INSERT INTO `store` (`store_id`, `manager_staff_id`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
SELECT i, i, '2006-02-15 09:57:12' FROM n;

INSERT INTO `staff` (`staff_id`, `first_name`, `last_name`, `email`, `store_id`, `active`, `username`, `password`, `picture`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6)
SELECT i,
       ELT(i, 'Mike', 'Jon', 'Ana', 'Lee', 'Sam', 'Ida'),
       ELT(i, 'Hillyer', 'Stephens', 'Ortiz', 'Wong', 'Berg', 'Novak'),
       CASE WHEN i = 5 THEN NULL ELSE CONCAT(LOWER(ELT(i, 'Mike', 'Jon', 'Ana', 'Lee', 'Sam', 'Ida')), '@sakilastaff.com') END,
       CASE WHEN i <= 3 THEN i ELSE 1 + i % 2 END,
       i <> 6,
       CONCAT('staff', i),
       CASE WHEN i % 2 = 1 THEN MD5(CONCAT('pw', i)) END,
       CASE WHEN i = 1 THEN X'89504e470d0a1a0a' END,
       '2006-02-15 04:57:16'
FROM n;

ALTER TABLE `store` ADD CONSTRAINT `store_manager_staff_id_fkey` FOREIGN KEY (`manager_staff_id`) REFERENCES `staff` (`staff_id`);

INSERT INTO `customer` (`customer_id`, `store_id`, `first_name`, `last_name`, `email`, `activebool`, `create_date`, `last_update`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
SELECT i,
       1 + i % 3,
       CONCAT('FIRST', i),
       CONCAT('LAST', i),
       CASE WHEN i % 7 = 0 THEN NULL ELSE CONCAT('customer', i, '@example.org') END,
       i % 9 <> 0,
       DATE '2006-02-14' + INTERVAL i DAY,
       -- UTC, as PostgreSQL's timestamptz '2006-02-15 09:57:20+00' + i hours.
       CASE WHEN i % 13 = 0 THEN NULL ELSE TIMESTAMP '2006-02-15 09:57:20' + INTERVAL i HOUR END
FROM n;

-- Customer 60 has no payment. payment_id is written: 1 to 300, what the
-- identity gives on PostgreSQL (see above).
INSERT INTO `payment` (`payment_id`, `customer_id`, `staff_id`, `amount`, `payment_date`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
SELECT i,
       1 + i % 59,
       1 + i % 6,
       CASE i % 5 WHEN 0 THEN 0.99 WHEN 1 THEN 2.99 WHEN 2 THEN 4.99 WHEN 3 THEN 10.99 ELSE 0.00 END + i % 3,
       -- UTC, as PostgreSQL's timestamptz '2007-02-14 21:21:59.996577+00' + i * 37 minutes.
       TIMESTAMP '2007-02-14 21:21:59.996577' + INTERVAL i * 37 MINUTE
FROM n ORDER BY i;

ANALYZE TABLE `language`, `category`, `actor`, `film`, `film_actor`, `film_category`, `store`, `staff`, `customer`, `payment`;
