-- name: by_id :one
SELECT * FROM movies WHERE id = ?;
