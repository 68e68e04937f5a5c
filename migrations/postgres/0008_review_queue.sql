-- PostgreSQL translation of migrations/0008_review_queue.sql. "Has discrepancies" reads the result's JSON with jsonb;
-- a result that is not valid JSON (or whose discrepancies are not a non-empty array) counts as none, never an error,
-- as SQLite's json_valid guard does.

ALTER TABLE evaluation_summaries ADD COLUMN has_discrepancies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evaluation_summaries ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;

-- 1 when `result` is JSON whose discrepancies member is a non-empty array, else 0; never raises
CREATE FUNCTION result_has_discrepancies(result TEXT) RETURNS INTEGER LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d jsonb;
BEGIN
  BEGIN
    d := result::jsonb -> 'discrepancies';
  EXCEPTION WHEN others THEN
    RETURN 0;
  END;
  IF d IS NOT NULL AND jsonb_typeof(d) = 'array' AND jsonb_array_length(d) > 0 THEN
    RETURN 1;
  END IF;
  RETURN 0;
END;
$$;

-- backfill
UPDATE evaluation_summaries
SET has_discrepancies = (
  SELECT result_has_discrepancies(e.result)
  FROM evaluations AS e WHERE e.id = evaluation_summaries.id
);
UPDATE evaluation_summaries SET reviewed = 1 WHERE id IN (SELECT evaluation_id FROM reviews);

DROP TRIGGER evaluations_summary ON evaluations;
CREATE OR REPLACE FUNCTION evaluations_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO evaluation_summaries
    (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code,
     has_discrepancies, reviewed)
  VALUES
    (NEW.id, NEW.created_at, NEW.unit_id, NEW.fiscal_year, NEW.project_name, NEW.ruleset_id, NEW.ruleset_version,
     NEW.ruleset_sha256, NEW.total, NEW.grade_code, result_has_discrepancies(NEW.result), 0);
  RETURN NULL;
END;
$$;
CREATE TRIGGER evaluations_summary AFTER INSERT ON evaluations
  FOR EACH ROW EXECUTE FUNCTION evaluations_summary();

CREATE FUNCTION reviews_mark_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE evaluation_summaries SET reviewed = 1 WHERE id = NEW.evaluation_id AND reviewed = 0;
  RETURN NULL;
END;
$$;
CREATE TRIGGER reviews_mark_reviewed AFTER INSERT ON reviews
  FOR EACH ROW EXECUTE FUNCTION reviews_mark_reviewed();

CREATE INDEX evaluation_summaries_pending ON evaluation_summaries (reviewed, created_at, id);
CREATE INDEX evaluation_summaries_pending_year ON evaluation_summaries (reviewed, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_discrepancies ON evaluation_summaries (has_discrepancies, created_at, id);
CREATE INDEX evaluation_summaries_discrepancies_year ON evaluation_summaries (has_discrepancies, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_pending_discrepancies ON evaluation_summaries (reviewed, has_discrepancies, created_at, id);
