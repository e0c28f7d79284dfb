-- name: add :exec
INSERT INTO movies VALUES (:id, :title, :released, :rating);
