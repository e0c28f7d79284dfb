-- Queries of the user's own on a database made by its own scripts.

-- name: films_by_ids :many
-- Films by key: smallint keys, as one array parameter.
SELECT * FROM film WHERE film_id IN (:ids) ORDER BY film_id;

-- name: films_rated :many
-- Films of a rating, with how many actors each has (none too).
SELECT f.film_id, f.title, f.rating, count(fa.actor_id) AS actors
FROM film f
LEFT JOIN film_actor fa ON fa.film_id = f.film_id
WHERE f.rating = :rating
GROUP BY f.film_id, f.title, f.rating
ORDER BY f.film_id;

-- name: lengthen_rentals :many
-- Lengthens to some days the rentals of a rating's films that are
-- shorter: the rows as the UPDATE left them (on MariaDB, which has no
-- RETURNING on UPDATE, locked, updated and read back by key).
UPDATE film SET rental_duration = :days WHERE rating = :rating AND rental_duration < :days RETURNING *;
