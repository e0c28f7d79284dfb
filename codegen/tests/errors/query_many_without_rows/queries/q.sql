-- name: remove :many
DELETE FROM movies WHERE id = :id;
