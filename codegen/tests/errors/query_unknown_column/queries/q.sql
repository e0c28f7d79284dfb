-- name: titles :many
SELECT titel FROM movies WHERE released > :year;
