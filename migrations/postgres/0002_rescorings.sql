-- PostgreSQL translation of migrations/0002_rescorings.sql.

CREATE TABLE rescore_runs (
  id TEXT COLLATE "C" PRIMARY KEY,
  ruleset_id TEXT COLLATE "C" NOT NULL,
  ruleset_version TEXT COLLATE "C" NOT NULL,
  ruleset_sha256 TEXT COLLATE "C" NOT NULL,
  engine_version TEXT COLLATE "C" NOT NULL,
  selection TEXT COLLATE "C" NOT NULL,
  started_at TEXT COLLATE "C" NOT NULL,
  started_by TEXT COLLATE "C" NOT NULL
);

CREATE TABLE rescorings (
  id TEXT COLLATE "C" PRIMARY KEY,
  run_id TEXT COLLATE "C" NOT NULL REFERENCES rescore_runs (id),
  evaluation_id TEXT COLLATE "C" NOT NULL REFERENCES evaluations (id),
  result TEXT COLLATE "C" NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  grade_code TEXT COLLATE "C" NOT NULL,
  previous_total DOUBLE PRECISION NOT NULL,
  previous_grade_code TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX rescorings_run ON rescorings (run_id);
CREATE INDEX rescorings_evaluation ON rescorings (evaluation_id, created_at);
