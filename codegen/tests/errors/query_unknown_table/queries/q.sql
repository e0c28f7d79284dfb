-- name: films :many
SELECT * FROM movie;
