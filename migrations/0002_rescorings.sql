-- Re-scoring stored evaluations under another rule-set version writes new result rows here; the evaluation and its
-- original result are never touched. One row per run, and one per evaluation re-scored in it.

CREATE TABLE rescore_runs (
  id TEXT PRIMARY KEY,
  ruleset_id TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  ruleset_sha256 TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  selection TEXT NOT NULL,
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL
);

CREATE TABLE rescorings (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES rescore_runs (id),
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
  result TEXT NOT NULL,
  total REAL NOT NULL,
  grade_code TEXT NOT NULL,
  previous_total REAL NOT NULL,
  previous_grade_code TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX rescorings_run ON rescorings (run_id);
CREATE INDEX rescorings_evaluation ON rescorings (evaluation_id, created_at);
