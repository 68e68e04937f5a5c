-- PostgreSQL translation of migrations/0001_initial.sql (same tables, columns, keys and indexes; see
-- test/postgres/schema-equivalence.test.ts). Text columns use the "C" collation so that ORDER BY and range
-- comparisons on ids and ISO timestamps are byte order, as SQLite's BINARY collation is, whatever the database's locale.

CREATE TABLE rulesets (
  id TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  sha256 TEXT COLLATE "C" NOT NULL,
  document TEXT COLLATE "C" NOT NULL,
  published_by TEXT COLLATE "C" NOT NULL,
  published_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE evaluations (
  id TEXT COLLATE "C" PRIMARY KEY,
  unit_id TEXT COLLATE "C" NOT NULL,
  fiscal_year INTEGER NOT NULL,
  project_name TEXT COLLATE "C" NOT NULL,
  ruleset_id TEXT COLLATE "C" NOT NULL,
  ruleset_version TEXT COLLATE "C" NOT NULL,
  ruleset_sha256 TEXT COLLATE "C" NOT NULL,
  engine_version TEXT COLLATE "C" NOT NULL,
  input TEXT COLLATE "C" NOT NULL,
  input_sha256 TEXT COLLATE "C" NOT NULL,
  result TEXT COLLATE "C" NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  grade_code TEXT COLLATE "C" NOT NULL,
  submitted_by TEXT COLLATE "C" NOT NULL,
  idempotency_key TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE UNIQUE INDEX evaluations_idempotency ON evaluations (submitted_by, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX evaluations_newest ON evaluations (created_at DESC, id DESC);
CREATE INDEX evaluations_unit_year ON evaluations (unit_id, fiscal_year);

CREATE TABLE reviews (
  id TEXT COLLATE "C" PRIMARY KEY,
  evaluation_id TEXT COLLATE "C" NOT NULL REFERENCES evaluations (id),
  reviewer TEXT COLLATE "C" NOT NULL,
  items TEXT COLLATE "C" NOT NULL,
  comment TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX reviews_evaluation ON reviews (evaluation_id, created_at);

CREATE TABLE tokens (
  id TEXT COLLATE "C" PRIMARY KEY,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('bureau', 'reviewer', 'unit')),
  unit_id TEXT COLLATE "C",
  label TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL,
  revoked_at TEXT COLLATE "C",
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);
