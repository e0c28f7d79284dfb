-- name: characters_with_movie :many
-- Each character with its movie's title.
SELECT c.id, c.name, m.title AS movie_title, m.released
FROM characters c
JOIN movies m ON m.id = c.movie_id
WHERE m.title LIKE :pattern
ORDER BY c.id;

-- name: actors_with_movies :many
-- Every actor, with a movie's title when they have one (an outer join).
SELECT a.name, a.born, m.title
FROM actors a
LEFT JOIN movies_actors ma ON ma.actor_id = a.id
LEFT JOIN movies m ON m.id = ma.movie_id
ORDER BY a.name, m.title;

-- name: add_actor :one
INSERT INTO actors (name, born) VALUES (:name, :born) RETURNING *;

-- name: oldest_born :one
SELECT min(born) AS born, CAST(count(*) AS INTEGER) AS actors FROM actors WHERE name <> :excluded;
