-- name: sorted :many
SELECT * FROM characters ORDER BY SortKey;
