-- name: counts :one
SELECT count(*) FROM movies;
