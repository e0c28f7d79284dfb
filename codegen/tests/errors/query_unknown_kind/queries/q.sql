-- name: every_movie :all
SELECT * FROM movies;

-- name: some_movie
SELECT * FROM movies;
