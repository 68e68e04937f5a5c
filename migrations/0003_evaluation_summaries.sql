-- List reads: each evaluation's summary columns, copied into a narrow table by a trigger in the same statement that
-- stores the evaluation (so no evaluation exists without its summary, and writes stay single statements, as D1
-- needs). In `evaluations` these columns sit after the large input/result text, so reading them walked overflow
-- pages; here a row is ~200 bytes. Every list query GET /v1/evaluations offers has an index below whose order is
-- the list's (created_at DESC, id DESC), so a page is read in order and stops at LIMIT: no scan, no sort.
-- Evaluations are never updated or deleted, so an insert trigger is all the copy needs.

CREATE TABLE evaluation_summaries (
  id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  project_name TEXT NOT NULL,
  ruleset_id TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  ruleset_sha256 TEXT NOT NULL,
  total REAL NOT NULL,
  grade_code TEXT NOT NULL
);

-- backfill
INSERT INTO evaluation_summaries
  (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code)
SELECT id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code
FROM evaluations;

CREATE TRIGGER evaluations_summary AFTER INSERT ON evaluations
BEGIN
  INSERT INTO evaluation_summaries
    (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code)
  VALUES
    (NEW.id, NEW.created_at, NEW.unit_id, NEW.fiscal_year, NEW.project_name, NEW.ruleset_id, NEW.ruleset_version,
     NEW.ruleset_sha256, NEW.total, NEW.grade_code);
END;

-- one index per offered list query (LIST_QUERIES in src/storage/evaluations.ts); ids are already unique in evaluations
CREATE INDEX evaluation_summaries_unit ON evaluation_summaries (unit_id, created_at, id);
CREATE INDEX evaluation_summaries_unit_year ON evaluation_summaries (unit_id, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_year ON evaluation_summaries (fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_ruleset ON evaluation_summaries (ruleset_id, created_at, id);
CREATE INDEX evaluation_summaries_ruleset_year ON evaluation_summaries (ruleset_id, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_grade ON evaluation_summaries (grade_code, created_at, id);
CREATE INDEX evaluation_summaries_grade_year ON evaluation_summaries (grade_code, fiscal_year, created_at, id);
CREATE UNIQUE INDEX evaluation_summaries_newest ON evaluation_summaries (created_at, id);

-- lists no longer read evaluations; these two only cost writes now
DROP INDEX evaluations_newest;
DROP INDEX evaluations_unit_year;
