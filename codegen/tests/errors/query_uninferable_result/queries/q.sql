-- name: totals :one
SELECT sum(released) AS total FROM movies;
