-- A database mortise did not make, pulled by tests/tests/pull.rs: PascalCase
-- names, smallint keys, two foreign keys to one table, a unique foreign key,
-- join tables of every shape, a table without a key, a view and a trigger.
CREATE TABLE "Language" ("LanguageId" SMALLINT PRIMARY KEY, "Name" TEXT NOT NULL UNIQUE);
CREATE TABLE "Film" (
  "FilmId" SMALLINT PRIMARY KEY,
  "Title" VARCHAR(255) NOT NULL,
  "LanguageId" SMALLINT NOT NULL REFERENCES "Language",
  "OriginalLanguageId" SMALLINT REFERENCES "Language" ("LanguageId") ON DELETE SET NULL,
  "Rating" TEXT CHECK ("Rating" IN ('G', 'PG', 'PG-13')) DEFAULT 'G',
  "Length" SMALLINT CHECK ("Length" > 0),
  "Price" NUMERIC(4,2) NOT NULL DEFAULT 4.99
);
CREATE TABLE "Actor" ("ActorId" SMALLINT PRIMARY KEY, "Name" TEXT NOT NULL);
-- A join table whose key is its two columns in the other order.
CREATE TABLE "FilmActor" (
  "FilmId" SMALLINT NOT NULL REFERENCES "Film",
  "ActorId" SMALLINT NOT NULL REFERENCES "Actor",
  PRIMARY KEY ("ActorId", "FilmId")
);
CREATE TABLE "Category" ("CategoryId" SMALLINT PRIMARY KEY, "Name" TEXT NOT NULL);
-- A join table with a column of its own.
CREATE TABLE "FilmCategory" (
  "FilmId" SMALLINT NOT NULL REFERENCES "Film" ON DELETE CASCADE,
  "CategoryId" SMALLINT NOT NULL REFERENCES "Category" ON DELETE CASCADE,
  "LastUpdate" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("FilmId", "CategoryId")
);
CREATE TABLE "Customer" ("CustomerId" INTEGER PRIMARY KEY AUTOINCREMENT, "FullName" TEXT NOT NULL, "Country" CHAR(2) NOT NULL DEFAULT 'FR');
-- A self-referencing join table.
CREATE TABLE "Friendship" (
  "CustomerId" INTEGER NOT NULL REFERENCES "Customer",
  "FriendId" INTEGER NOT NULL REFERENCES "Customer",
  PRIMARY KEY ("CustomerId", "FriendId")
);
-- A unique foreign key: one card per customer (named in another case,
-- which SQLite accepts).
CREATE TABLE "LoyaltyCard" (
  "CardId" INTEGER PRIMARY KEY,
  "CustomerId" INTEGER NOT NULL UNIQUE REFERENCES customer (customerid) ON DELETE CASCADE,
  "Points" INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE "AuditLog" ("Message" TEXT NOT NULL, "At" TEXT);
CREATE VIEW "FilmTitles" AS SELECT "Title" FROM "Film";
CREATE TRIGGER "FilmAudit" AFTER INSERT ON "Film" BEGIN INSERT INTO "AuditLog" ("Message") VALUES (NEW."Title"); END;

INSERT INTO "Language" VALUES (1, 'English'), (2, 'French'), (3, 'Japanese');
INSERT INTO "Film" ("FilmId", "Title", "LanguageId", "OriginalLanguageId", "Rating", "Length") VALUES
  (1, 'Amélie', 1, 2, 'PG', 122), (2, 'Spirited Away', 2, 3, 'PG', 125), (3, 'Alien', 1, NULL, NULL, 117);
INSERT INTO "Actor" VALUES (1, 'Audrey'), (2, 'Mathieu'), (3, 'Sigourney');
INSERT INTO "FilmActor" ("ActorId", "FilmId") VALUES (1, 1), (2, 1), (3, 3);
INSERT INTO "Category" VALUES (1, 'Comedy'), (2, 'Animation'), (3, 'Horror');
INSERT INTO "FilmCategory" ("FilmId", "CategoryId") VALUES (1, 1), (2, 2), (3, 3), (2, 1);
INSERT INTO "Customer" ("FullName") VALUES ('Ada'), ('Brian'), ('Chen');
INSERT INTO "Friendship" VALUES (1, 2), (1, 3), (2, 3);
INSERT INTO "LoyaltyCard" ("CustomerId", "Points") VALUES (1, 10), (3, 25);
