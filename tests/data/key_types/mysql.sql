-- The key_types tables made by hand on MariaDB, as an existing database
-- might hold them: columns in another order than the schema's, the tables'
-- default collation utf8mb4_unicode_ci (a common default, Laravel's), so
-- the text keys compare without case while the generated key lists
-- compare by bytes; keys of their own sizes (VARCHAR(300), VARBINARY(64));
-- foreign keys on the notes' key columns only (InnoDB indexes them).
CREATE TABLE slots (
  ref BINARY(16) NOT NULL UNIQUE,
  code VARCHAR(300) NOT NULL UNIQUE,
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tag VARBINARY(64) NOT NULL UNIQUE,
  wall DATETIME(6) NOT NULL UNIQUE,
  moment DATETIME(6) NOT NULL UNIQUE,
  clock TIME(6) NOT NULL UNIQUE,
  day DATE NOT NULL UNIQUE,
  label VARCHAR(100) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE notes (
  slot_code VARCHAR(300) REFERENCES slots (code),
  slot_tag VARBINARY(64) REFERENCES slots (tag),
  label VARCHAR(100) NOT NULL,
  slot_day DATE,
  slot_clock TIME(6),
  slot_moment DATETIME(6),
  slot_wall DATETIME(6),
  slot_ref BINARY(16),
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  FOREIGN KEY (slot_day) REFERENCES slots (day),
  FOREIGN KEY (slot_ref) REFERENCES slots (ref)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
