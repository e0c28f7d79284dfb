SELECT * FROM movies;

-- name: named :many
SELECT * FROM characters;
