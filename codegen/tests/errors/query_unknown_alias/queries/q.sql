-- name: titles :many
SELECT x.title FROM movies m;
