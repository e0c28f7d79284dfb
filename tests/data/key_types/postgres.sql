-- The key_types tables made by hand on PostgreSQL, as an existing database
-- might hold them: columns in another order than the schema's, text keys
-- as varchar, timestamps with their precision written out, an identity
-- key of its own spelling, and no index on the notes' key columns.
CREATE TABLE slots (
  ref uuid NOT NULL UNIQUE,
  code varchar(300) NOT NULL UNIQUE,
  id bigserial PRIMARY KEY,
  tag bytea NOT NULL UNIQUE,
  wall timestamp(6) without time zone NOT NULL UNIQUE,
  moment timestamp(6) with time zone NOT NULL UNIQUE,
  clock time(6) NOT NULL UNIQUE,
  day date NOT NULL UNIQUE,
  label varchar(100) NOT NULL
);
CREATE TABLE notes (
  slot_code varchar(300) REFERENCES slots (code),
  slot_tag bytea REFERENCES slots (tag),
  label varchar(100) NOT NULL,
  slot_day date REFERENCES slots (day),
  slot_clock time(6) REFERENCES slots (clock),
  slot_moment timestamptz REFERENCES slots (moment),
  slot_wall timestamp REFERENCES slots (wall),
  slot_ref uuid REFERENCES slots (ref),
  id bigserial PRIMARY KEY
);
