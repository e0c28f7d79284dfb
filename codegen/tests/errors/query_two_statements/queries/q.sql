-- name: both :many
SELECT * FROM movies;
SELECT * FROM characters;
