-- Initial schema: published rule-set versions, evaluations (input + machine result, immutable),
-- reviews layered over them, and API tokens (hashes only). Applied as-is to SQLite (Node) and D1 (Workers).

CREATE TABLE rulesets (
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  document TEXT NOT NULL,
  published_by TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE evaluations (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  project_name TEXT NOT NULL,
  ruleset_id TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  ruleset_sha256 TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  input TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  result TEXT NOT NULL,
  total REAL NOT NULL,
  grade_code TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  idempotency_key TEXT,
  created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX evaluations_idempotency ON evaluations (submitted_by, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX evaluations_newest ON evaluations (created_at DESC, id DESC);
CREATE INDEX evaluations_unit_year ON evaluations (unit_id, fiscal_year);

CREATE TABLE reviews (
  id TEXT PRIMARY KEY,
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
  reviewer TEXT NOT NULL,
  items TEXT NOT NULL,
  comment TEXT,
  created_at TEXT NOT NULL
);

CREATE INDEX reviews_evaluation ON reviews (evaluation_id, created_at);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('bureau', 'reviewer', 'unit')),
  unit_id TEXT,
  label TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);
