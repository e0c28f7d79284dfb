-- name: set_titles :exec
-- An array parameter: bound as the column is (a PostgreSQL array, JSON text on SQLite).
UPDATE collections SET titles = :titles WHERE name = :name;

-- name: collections_with_titles :many
SELECT * FROM collections WHERE titles = :titles ORDER BY name;
