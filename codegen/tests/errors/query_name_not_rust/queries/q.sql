-- name: 2fast :many
SELECT * FROM movies;
