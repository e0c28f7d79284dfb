-- name: pairs :many
SELECT id, title
FROM movies m
JOIN characters c ON c.movie_id = m.id;
