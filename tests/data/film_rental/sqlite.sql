-- The film_rental database on SQLite (see postgres.sql): the same rows, in
-- SQLite's terms. No enum type (a CHECK on text), no array (special
-- features as JSON text, `["Trailers"]`, the form mortise reads a `text[]`
-- field from on SQLite; Sakila's own SQLite port separates them by commas), no
-- domain (the CHECK on the column), NUMERIC affinity for numeric(p,s), and
-- the key from store to staff is DEFERRABLE INITIALLY DEFERRED, checked at
-- COMMIT once both tables hold their rows. Numbers come from a recursive
-- `n` (SQLite has no generate_series without its extension).

BEGIN;

CREATE TABLE language (
  language_id SMALLINT PRIMARY KEY NOT NULL,
  name CHAR(20) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE category (
  category_id SMALLINT PRIMARY KEY NOT NULL,
  name VARCHAR(25) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE actor (
  actor_id SMALLINT PRIMARY KEY NOT NULL,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_actor_last_name ON actor (last_name);

CREATE TABLE film (
  film_id SMALLINT PRIMARY KEY NOT NULL,
  title VARCHAR(255) NOT NULL,
  description TEXT,
  release_year INTEGER CHECK (release_year BETWEEN 1901 AND 2155),
  language_id SMALLINT NOT NULL REFERENCES language (language_id),
  original_language_id SMALLINT REFERENCES language (language_id),
  rental_duration SMALLINT NOT NULL DEFAULT 3,
  rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99,
  length SMALLINT,
  replacement_cost DECIMAL(5,2) NOT NULL DEFAULT 19.99,
  rating VARCHAR(10) DEFAULT 'G' CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')),
  special_features VARCHAR(100),
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE film_actor (
  actor_id SMALLINT NOT NULL REFERENCES actor (actor_id) ON DELETE RESTRICT,
  film_id SMALLINT NOT NULL REFERENCES film (film_id) ON DELETE RESTRICT,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE film_category (
  film_id SMALLINT NOT NULL REFERENCES film (film_id),
  category_id SMALLINT NOT NULL REFERENCES category (category_id),
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (film_id, category_id)
);

CREATE TABLE store (
  store_id SMALLINT PRIMARY KEY NOT NULL,
  manager_staff_id SMALLINT NOT NULL UNIQUE REFERENCES staff (staff_id) DEFERRABLE INITIALLY DEFERRED,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE staff (
  staff_id SMALLINT PRIMARY KEY NOT NULL,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  email VARCHAR(50),
  store_id SMALLINT NOT NULL REFERENCES store (store_id),
  active BOOLEAN NOT NULL DEFAULT 1,
  username VARCHAR(16) NOT NULL,
  password VARCHAR(40),
  picture BLOB,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE customer (
  customer_id INTEGER PRIMARY KEY NOT NULL,
  store_id SMALLINT NOT NULL REFERENCES store (store_id),
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  email VARCHAR(50),
  activebool BOOLEAN NOT NULL DEFAULT 1,
  create_date DATE NOT NULL DEFAULT CURRENT_DATE,
  last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE payment (
  payment_id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customer (customer_id),
  staff_id SMALLINT NOT NULL REFERENCES staff (staff_id),
  amount DECIMAL(5,2) NOT NULL,
  payment_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE s (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 300)
INSERT INTO n SELECT i FROM s;

INSERT INTO language (language_id, name, last_update) VALUES
  (1, 'English', '2006-02-15 10:02:19'), (2, 'Italian', '2006-02-15 10:02:19'),
  (3, 'Japanese', '2006-02-15 10:02:19'), (4, 'Mandarin', '2006-02-15 10:02:19'),
  (5, 'French', '2006-02-15 10:02:19'), (6, 'German', '2006-02-15 10:02:19');

INSERT INTO category (category_id, name, last_update)
SELECT i, CASE i WHEN 1 THEN 'Action' WHEN 2 THEN 'Animation' WHEN 3 THEN 'Children' WHEN 4 THEN 'Classics'
  WHEN 5 THEN 'Comedy' WHEN 6 THEN 'Documentary' WHEN 7 THEN 'Drama' WHEN 8 THEN 'Family' WHEN 9 THEN 'Foreign'
  WHEN 10 THEN 'Games' WHEN 11 THEN 'Horror' WHEN 12 THEN 'Music' WHEN 13 THEN 'New' WHEN 14 THEN 'Sci-Fi'
  WHEN 15 THEN 'Sports' ELSE 'Travel' END, '2006-02-15 09:46:27'
FROM n WHERE i BETWEEN 1 AND 16;

INSERT INTO actor (actor_id, first_name, last_name, last_update)
SELECT i,
  json_extract('["PENELOPE","NICK","ED","JENNIFER","JOHNNY","BETTE","GRACE","MATTHEW","JOE","CHRISTIAN","ZERO","KARL"]', '$[' || (i % 12) || ']'),
  json_extract('["GUINESS","WAHLBERG","CHASE","DAVIS","LOLLOBRIGIDA","NICHOLSON","MOSTEL","JOHANSSON","SWANK","GABLE","CAGE"]', '$[' || (i % 11) || ']'),
  datetime('2006-02-15 04:34:33', '+' || i || ' seconds')
FROM n WHERE i BETWEEN 1 AND 200;

INSERT INTO film (film_id, title, description, release_year, language_id, original_language_id, rental_duration,
                  rental_rate, length, replacement_cost, rating, special_features, last_update)
SELECT i,
  'FILM ' || printf('%03d', i),
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'A story numbered ' || i END,
  CASE WHEN i % 17 = 0 THEN NULL ELSE 2000 + i % 10 END,
  1 + i % 3,
  CASE WHEN i % 5 = 0 THEN 1 + i % 6 END,
  3 + i % 5,
  json_extract('[0.99, 2.99, 4.99]', '$[' || (i % 3) || ']'),
  CASE WHEN i % 23 = 0 THEN NULL ELSE 46 + (i * 7) % 140 END,
  round(9.99 + i % 21, 2),
  json_extract('["G","PG","PG-13","R","NC-17"]', '$[' || (i % 5) || ']'),
  CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '["Trailers"]' WHEN 2 THEN '["Commentaries","Deleted Scenes"]'
             ELSE '["Trailers","Behind the Scenes"]' END,
  datetime('2006-02-15 05:03:42', '+' || i || ' minutes')
FROM n WHERE i BETWEEN 1 AND 100;

INSERT INTO film_actor (actor_id, film_id, last_update)
SELECT a.i, (a.i * 7 + j.i * 13) % 100 + 1, '2006-02-15 05:05:03'
FROM n AS a, n AS j WHERE a.i BETWEEN 1 AND 200 AND j.i <= a.i % 5 AND ((a.i * 7 + j.i * 13) % 100 + 1) % 25 <> 0
UNION
SELECT i, 100, '2006-02-15 05:05:03' FROM n WHERE i BETWEEN 1 AND 11
ORDER BY 1, 2;

INSERT INTO film_category (film_id, category_id, last_update)
SELECT i, 1 + i % 16, '2006-02-15 05:07:09' FROM n WHERE i BETWEEN 1 AND 100
UNION
SELECT i, 1 + (i + 5) % 16, '2006-02-15 05:07:09' FROM n WHERE i BETWEEN 1 AND 100 AND i % 11 = 0
ORDER BY 1, 2;

INSERT INTO store (store_id, manager_staff_id, last_update)
SELECT i, i, '2006-02-15 09:57:12' FROM n WHERE i BETWEEN 1 AND 3;

INSERT INTO staff (staff_id, first_name, last_name, email, store_id, active, username, password, picture, last_update)
SELECT i,
  json_extract('["Mike","Jon","Ana","Lee","Sam","Ida"]', '$[' || (i - 1) || ']'),
  json_extract('["Hillyer","Stephens","Ortiz","Wong","Berg","Novak"]', '$[' || (i - 1) || ']'),
  CASE WHEN i = 5 THEN NULL
       ELSE lower(json_extract('["Mike","Jon","Ana","Lee","Sam","Ida"]', '$[' || (i - 1) || ']')) || '@sakilastaff.com' END,
  CASE WHEN i <= 3 THEN i ELSE 1 + i % 2 END,
  i <> 6,
  'staff' || i,
  -- PostgreSQL's md5('pw' || i), written out (SQLite has no md5).
  CASE i WHEN 1 THEN '6e6fdf956d04289354dcf1619e28fe77' WHEN 3 THEN 'de1774aac52706b13a39a08ad3ca7dfe'
         WHEN 5 THEN '5802b867241e0c83cbda61ec986dea0d' END,
  CASE WHEN i = 1 THEN X'89504e470d0a1a0a' END,
  '2006-02-15 04:57:16'
FROM n WHERE i BETWEEN 1 AND 6;

INSERT INTO customer (customer_id, store_id, first_name, last_name, email, activebool, create_date, last_update)
SELECT i,
  1 + i % 3,
  'FIRST' || i,
  'LAST' || i,
  CASE WHEN i % 7 = 0 THEN NULL ELSE 'customer' || i || '@example.org' END,
  i % 9 <> 0,
  date('2006-02-14', '+' || i || ' days'),
  CASE WHEN i % 13 = 0 THEN NULL ELSE datetime('2006-02-15 09:57:20', '+' || i || ' hours') END
FROM n WHERE i BETWEEN 1 AND 60;

INSERT INTO payment (customer_id, staff_id, amount, payment_date)
SELECT 1 + i % 59, 1 + i % 6, round(json_extract('[0.99, 2.99, 4.99, 10.99, 0.00]', '$[' || (i % 5) || ']') + (i % 3), 2),
  strftime('%Y-%m-%d %H:%M:%f', '2007-02-14 21:21:59.996', '+' || (i * 37) || ' minutes') || '577'
FROM n WHERE i BETWEEN 1 AND 300 ORDER BY i;

DROP TABLE n;

COMMIT;
