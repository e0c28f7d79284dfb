-- name: broken :many
SELECT * FROM movies WHERE;
