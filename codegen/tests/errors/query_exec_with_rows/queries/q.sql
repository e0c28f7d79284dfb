-- name: every_movie :exec
SELECT * FROM movies;
