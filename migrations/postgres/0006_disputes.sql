-- PostgreSQL translation of migrations/0006_disputes.sql: the accepted answer's review row is written by a row
-- trigger in the same statement; its items are a JSON array built with json_build_array/json_build_object, stored as text.

CREATE TABLE disputes (
  id TEXT COLLATE "C" PRIMARY KEY,
  evaluation_id TEXT COLLATE "C" NOT NULL REFERENCES evaluations (id),
  unit_id TEXT COLLATE "C" NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  about TEXT COLLATE "C" NOT NULL CHECK (about IN ('recomputed', 'review')),
  disputed_points DOUBLE PRECISION NOT NULL,
  claimed_points DOUBLE PRECISION,
  criterion TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  raised_by TEXT COLLATE "C" NOT NULL,
  raised_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX disputes_evaluation ON disputes (evaluation_id, raised_at);

CREATE TABLE dispute_answers (
  dispute_id TEXT COLLATE "C" PRIMARY KEY REFERENCES disputes (id),
  decision TEXT COLLATE "C" NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  review_points DOUBLE PRECISION,
  reason TEXT COLLATE "C" NOT NULL,
  answered_by TEXT COLLATE "C" NOT NULL,
  answered_at TEXT COLLATE "C" NOT NULL,
  CHECK ((decision = 'accepted') = (review_points IS NOT NULL))
);

CREATE FUNCTION dispute_accepted_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reviews (id, evaluation_id, reviewer, items, comment, created_at)
  SELECT 'rv_' || NEW.dispute_id, d.evaluation_id, NEW.answered_by,
         jsonb_build_array(jsonb_build_object('itemId', d.item_id, 'points', NEW.review_points, 'reason', NEW.reason))::text,
         '接受申诉 ' || d.id, NEW.answered_at
  FROM disputes AS d
  WHERE d.id = NEW.dispute_id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER dispute_accepted_review AFTER INSERT ON dispute_answers
  FOR EACH ROW WHEN (NEW.decision = 'accepted') EXECUTE FUNCTION dispute_accepted_review();
