-- name: near :many
SELECT * FROM movies WHERE abs(:delta) > 2;
