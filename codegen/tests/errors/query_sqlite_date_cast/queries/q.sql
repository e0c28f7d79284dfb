-- name: first_day :one
SELECT CAST(min(title) AS DATE) AS day FROM movies;
