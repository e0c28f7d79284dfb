-- name: odd :many
SELECT * FROM movies WHERE title = released;
