-- The reviewer's queue: "has discrepancies" (the unit's self-assessment differs from the recomputed points somewhere)
-- and "not yet reviewed" as stored summary columns, each with the index its list is read in order from (as in 0003).
-- The summary table is derived: the evaluations stay immutable; a review marks its evaluation's summary reviewed.

ALTER TABLE evaluation_summaries ADD COLUMN has_discrepancies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evaluation_summaries ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;

-- backfill
UPDATE evaluation_summaries
SET has_discrepancies = (
  SELECT CASE WHEN json_valid(e.result) AND json_array_length(json_extract(e.result, '$.discrepancies')) > 0 THEN 1 ELSE 0 END
  FROM evaluations AS e WHERE e.id = evaluation_summaries.id
);
UPDATE evaluation_summaries SET reviewed = 1 WHERE id IN (SELECT evaluation_id FROM reviews);

DROP TRIGGER evaluations_summary;
CREATE TRIGGER evaluations_summary AFTER INSERT ON evaluations
BEGIN
  INSERT INTO evaluation_summaries
    (id, created_at, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, total, grade_code,
     has_discrepancies, reviewed)
  VALUES
    (NEW.id, NEW.created_at, NEW.unit_id, NEW.fiscal_year, NEW.project_name, NEW.ruleset_id, NEW.ruleset_version,
     NEW.ruleset_sha256, NEW.total, NEW.grade_code,
     CASE WHEN json_valid(NEW.result) AND json_array_length(json_extract(NEW.result, '$.discrepancies')) > 0 THEN 1 ELSE 0 END, 0);
END;

CREATE TRIGGER reviews_mark_reviewed AFTER INSERT ON reviews
BEGIN
  UPDATE evaluation_summaries SET reviewed = 1 WHERE id = NEW.evaluation_id AND reviewed = 0;
END;

CREATE INDEX evaluation_summaries_pending ON evaluation_summaries (reviewed, created_at, id);
CREATE INDEX evaluation_summaries_pending_year ON evaluation_summaries (reviewed, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_discrepancies ON evaluation_summaries (has_discrepancies, created_at, id);
CREATE INDEX evaluation_summaries_discrepancies_year ON evaluation_summaries (has_discrepancies, fiscal_year, created_at, id);
CREATE INDEX evaluation_summaries_pending_discrepancies ON evaluation_summaries (reviewed, has_discrepancies, created_at, id);
