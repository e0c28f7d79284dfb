-- The owner_target database on PostgreSQL (see sqlite.sql): the same rows.
CREATE TABLE "Owner" ("OwnerId" BIGINT PRIMARY KEY, "Name" TEXT NOT NULL);
CREATE TABLE "Target" ("TargetId" BIGINT PRIMARY KEY, "Name" TEXT NOT NULL);
CREATE TABLE "OwnerTarget" (
  "TargetId" BIGINT NOT NULL REFERENCES "Target" ("TargetId"),
  "OwnerId" BIGINT NOT NULL REFERENCES "Owner" ("OwnerId"),
  PRIMARY KEY ("TargetId", "OwnerId")
);
INSERT INTO "Owner" SELECT i, 'owner ' || i FROM generate_series(1, 1000) AS i;
INSERT INTO "Target" SELECT i, 'target ' || ((i * 7919) % 200) FROM generate_series(1, 200) AS i;
INSERT INTO "OwnerTarget" ("TargetId", "OwnerId")
SELECT (i * 37 + j * 53) % 200 + 1, i FROM generate_series(1, 1000) AS i, generate_series(0, 9) AS j
WHERE j < (i * 7) % 10 + 1 ORDER BY 1, 2;
ANALYZE;
