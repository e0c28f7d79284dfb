-- Queries about movies.

-- name: recent_movies :many
-- Movies released in or after a year, newest first.
SELECT * FROM movies WHERE released >= :year ORDER BY released DESC, id LIMIT :limit;

-- name: movie_by_title :one
SELECT m.* FROM movies AS m WHERE m.title = :title;

-- name: movies_by_ids :many
-- Any number of movies in one statement: the ids are ONE array parameter.
SELECT * FROM movies WHERE id IN (:ids) ORDER BY id;

-- name: movies_not_rated :many
SELECT * FROM movies WHERE rating IS NULL OR CAST(rating AS VARCHAR(10)) NOT IN (:ratings) ORDER BY id;

-- name: cast_sizes :many
-- How many actors each movie has, with movies that have none.
SELECT m.id, m.title, count(ma.actor_id) AS actors
FROM movies m
LEFT JOIN movies_actors ma ON ma.movie_id = m.id
GROUP BY m.id, m.title
ORDER BY m.id;

-- name: rename_movie :one
UPDATE movies SET title = :title, tagline = :tagline WHERE id = :id RETURNING *;

-- name: rerelease :many
-- Moves those of the movies released before a year to that year: the rows
-- as the UPDATE left them, which its WHERE no longer finds.
UPDATE movies SET released = :year WHERE id IN (:ids) AND released < :year
RETURNING id, title, released, rating;

-- name: delete_movies_before :exec
DELETE FROM movies WHERE released < :year;

-- name: ratings :many
-- Each movie's rating (an enum column of a row of the query's own).
SELECT title, m.rating AS rated FROM movies m ORDER BY id;
