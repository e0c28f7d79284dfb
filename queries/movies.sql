-- Queries of the reference schema: see the README's "Your own queries".

-- name: movies_by_title_prefix :many
-- Movies whose title starts with `prefix`, by title.
SELECT * FROM movies WHERE title LIKE :prefix || '%' ORDER BY title;
