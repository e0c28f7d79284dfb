-- A PostgreSQL database mortise did not make, pulled by tests/tests/pull.rs:
-- a schema, an enum, a domain, arrays, an interval, identity and serial keys,
-- a generated column, a check, a partitioned table, a view and a trigger.
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('happy', 'sad', 'so-so');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE "Person" ("PersonId" serial PRIMARY KEY, "Name" varchar(40) NOT NULL CHECK ("Name" <> ''), "Mood" mood DEFAULT 'happy', "Code" char(3), "Tags" text[] NOT NULL DEFAULT '{}', "Born" timestamptz DEFAULT now(), "Seen" timestamp, "Age" positive_int, "Span" interval, "Moods" mood[]);
CREATE TABLE billing.invoice (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, person_id integer NOT NULL REFERENCES "Person" ON DELETE RESTRICT, total numeric(10,2) NOT NULL DEFAULT 0, doubled numeric GENERATED ALWAYS AS (total * 2) STORED);
CREATE TABLE measurement (city_id int NOT NULL, logdate date NOT NULL, PRIMARY KEY (city_id, logdate)) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE VIEW adults AS SELECT * FROM "Person";
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER touch_person BEFORE UPDATE ON "Person" FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO "Person" ("Name", "Mood", "Code", "Tags", "Age", "Span", "Moods") VALUES ('Ada', 'so-so', 'ABC', '{a,b}', 36, '1 day', '{happy,sad}'), ('Brian', NULL, NULL, '{}', NULL, NULL, NULL);
INSERT INTO billing.invoice (person_id, total) VALUES (1, 9.99), (1, 1.01);
