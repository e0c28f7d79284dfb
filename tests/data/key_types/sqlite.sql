-- The key_types tables made by hand on SQLite, as an existing database
-- might hold them: columns in another order than the schema's, declared
-- types of other spellings (DATETIME, VARCHAR(300), BINARY(16)), and no
-- index on the notes' key columns.
CREATE TABLE slots (
  ref BINARY(16) NOT NULL UNIQUE,
  code VARCHAR(300) NOT NULL UNIQUE,
  id INTEGER PRIMARY KEY,
  tag BLOB NOT NULL UNIQUE,
  wall DATETIME NOT NULL UNIQUE,
  moment DATETIME NOT NULL UNIQUE,
  clock TIME NOT NULL UNIQUE,
  day DATE NOT NULL UNIQUE,
  label VARCHAR(100) NOT NULL
);
CREATE TABLE notes (
  slot_code VARCHAR(300) REFERENCES slots (code),
  slot_tag BLOB REFERENCES slots (tag),
  label VARCHAR(100) NOT NULL,
  slot_day DATE REFERENCES slots (day),
  slot_clock TIME REFERENCES slots (clock),
  slot_moment DATETIME REFERENCES slots (moment),
  slot_wall DATETIME REFERENCES slots (wall),
  slot_ref BINARY(16) REFERENCES slots (ref),
  id INTEGER PRIMARY KEY
);
