-- The owner_target database on SQLite, as an existing application made it:
-- the join table's primary key starts with the target column, and nothing
-- indexes its owner column. Deterministic: owner i links 1 to 10 targets.
CREATE TABLE "Owner" ("OwnerId" INTEGER PRIMARY KEY, "Name" TEXT NOT NULL);
CREATE TABLE "Target" ("TargetId" INTEGER PRIMARY KEY, "Name" TEXT NOT NULL);
CREATE TABLE "OwnerTarget" (
  "TargetId" INTEGER NOT NULL REFERENCES "Target" ("TargetId"),
  "OwnerId" INTEGER NOT NULL REFERENCES "Owner" ("OwnerId"),
  PRIMARY KEY ("TargetId", "OwnerId")
);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO "Owner" SELECT i, 'owner ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO "Target" SELECT i, 'target ' || ((i * 7919) % 200) FROM n;
WITH RECURSIVE o(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM o WHERE i < 1000),
  k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)
INSERT INTO "OwnerTarget" ("TargetId", "OwnerId")
SELECT (i * 37 + j * 53) % 200 + 1, i FROM o, k WHERE j < (i * 7) % 10 + 1 ORDER BY 1, 2;
ANALYZE;
