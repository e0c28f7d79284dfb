-- name: drop_it :exec
DROP TABLE movies;
