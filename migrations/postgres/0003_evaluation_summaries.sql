-- PostgreSQL translation of migrations/0003_evaluation_summaries.sql: the summary copy is written by a row trigger
-- (a PL/pgSQL function) in the same statement that stores the evaluation.

CREATE TABLE evaluation_summaries (
  id TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  unit_id TEXT COLLATE "C" NOT NULL,
  fiscal_year INTEGER NOT NULL,
  project_name TEXT COLLATE "C" NOT NULL,
  ruleset_id TEXT COLLATE "C" NOT NULL,
  ruleset_version TEXT COLLATE "C" NOT NULL,
  ruleset_sha256 TEXT COLLATE "C" NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  grade_code TEXT COLLATE "C" NOT NULL
);

-- backfill
INSERT INTO evaluation_summaries
  (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code)
SELECT id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code
FROM evaluations;

CREATE FUNCTION evaluations_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO evaluation_summaries
    (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code)
  VALUES
    (NEW.id, NEW.created_at, NEW.unit_id, NEW.fiscal_year, NEW.project_name, NEW.ruleset_id, NEW.ruleset_version,
     NEW.ruleset_sha256, NEW.total, NEW.grade_code);
  RETURN NULL;
END;
$$;

CREATE TRIGGER evaluations_summary AFTER INSERT ON evaluations
  FOR EACH ROW EXECUTE FUNCTION evaluations_summary();

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
