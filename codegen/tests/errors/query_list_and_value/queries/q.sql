-- name: some :many
SELECT * FROM movies WHERE id IN (:ids) OR id = :ids;
