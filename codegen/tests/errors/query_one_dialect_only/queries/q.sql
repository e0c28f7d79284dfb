-- Queries that one backend's SQL has and the other's has not: a query
-- file serves every backend, so `mortise check` refuses each, naming the
-- dialect that cannot read it.

-- name: titles_in :many
SELECT * FROM movies WHERE title = ANY(ARRAY['Alien', 'Brave']);

-- name: titles_like :many
SELECT * FROM movies WHERE title GLOB 'A*';
