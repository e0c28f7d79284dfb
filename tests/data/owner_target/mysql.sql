-- The owner_target database on MariaDB 10.11 / InnoDB (see sqlite.sql and
-- postgres.sql): the same PascalCase tables and the same rows (1,000 owners,
-- 200 targets, 5,500 links), made in the current database. The join table's
-- primary key starts with the target column, and nothing indexes its owner
-- column. What differs from postgres.sql, and why:
-- - No foreign key from `OwnerTarget`.`OwnerId` to `Owner`: InnoDB needs an
--   index that leads with a foreign key's columns and creates one itself
--   when there is none, which would index the owner column, the very thing
--   this database lacks on purpose. The key from `TargetId` to `Target` is
--   kept (the primary key leads with it: no extra index). To have both keys
--   (and the owner index with them), add after the rows:
--     ALTER TABLE `OwnerTarget` ADD CONSTRAINT `OwnerTarget_OwnerId_fkey`
--       FOREIGN KEY (`OwnerId`) REFERENCES `Owner` (`OwnerId`)
-- - Text: `Name` is TEXT (no key, no index) in utf8mb4 with the binary
--   collation utf8mb4_bin (every table's default), so that it compares
--   case-sensitively, by bytes, as PostgreSQL's text does here.
-- - Numbers come from a recursive CTE (no generate_series): the 1,000 owners
--   are 999 iterations, within max_recursive_iterations' default (1,000:
--   MariaDB stops a CTE there with only a warning). CONCAT for ||.
CREATE TABLE `Owner` (
  `OwnerId` BIGINT NOT NULL PRIMARY KEY,
  `Name` TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE `Target` (
  `TargetId` BIGINT NOT NULL PRIMARY KEY,
  `Name` TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE `OwnerTarget` (
  `TargetId` BIGINT NOT NULL,
  `OwnerId` BIGINT NOT NULL,
  PRIMARY KEY (`TargetId`, `OwnerId`),
  CONSTRAINT `OwnerTarget_TargetId_fkey` FOREIGN KEY (`TargetId`) REFERENCES `Target` (`TargetId`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO `Owner` (`OwnerId`, `Name`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
SELECT i, CONCAT('owner ', i) FROM n;
INSERT INTO `Target` (`TargetId`, `Name`)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
SELECT i, CONCAT('target ', (i * 7919) % 200) FROM n;
INSERT INTO `OwnerTarget` (`TargetId`, `OwnerId`)
WITH RECURSIVE o (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM o WHERE i < 1000),
  k (j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)
SELECT (i * 37 + j * 53) % 200 + 1, i FROM o, k WHERE j < (i * 7) % 10 + 1 ORDER BY 1, 2;
ANALYZE TABLE `Owner`, `Target`, `OwnerTarget`;
