-- name: renumber :many
UPDATE movies SET title = :title, id = id + 1000 WHERE released < :year RETURNING *;

-- name: rename_event :many
UPDATE events SET what = :what RETURNING what;

-- name: rename_from_characters :many
UPDATE movies JOIN characters c ON c.movie_id = movies.id SET title = c.name RETURNING movies.id;

-- name: fine :one
UPDATE movies SET title = :title WHERE id = :id RETURNING id, title;
