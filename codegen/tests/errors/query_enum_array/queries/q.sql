-- name: rated :many
SELECT * FROM movies WHERE rating IN (:ratings);
