-- name: movies_by_title :many
SELECT * FROM movies WHERE title = :title;

-- name: movies_by_title :one
SELECT * FROM movies WHERE title = :title;
