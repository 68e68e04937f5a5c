-- 申诉: a unit disputes one item's recomputed or review points; a reviewer accepts or rejects it with a reason. Both
-- sides are kept: a dispute row, then at most one answer row (its primary key). Nothing is updated. An accepted answer
-- records the review score through the trigger, in the same statement (D1 has no interactive transactions).

CREATE TABLE disputes (
  id TEXT PRIMARY KEY,
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
  unit_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  about TEXT NOT NULL CHECK (about IN ('recomputed', 'review')),
  disputed_points REAL NOT NULL,
  claimed_points REAL,
  criterion TEXT NOT NULL,
  reason TEXT NOT NULL,
  raised_by TEXT NOT NULL,
  raised_at TEXT NOT NULL
);

CREATE INDEX disputes_evaluation ON disputes (evaluation_id, raised_at);

CREATE TABLE dispute_answers (
  dispute_id TEXT PRIMARY KEY REFERENCES disputes (id),
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  review_points REAL,
  reason TEXT NOT NULL,
  answered_by TEXT NOT NULL,
  answered_at TEXT NOT NULL,
  CHECK ((decision = 'accepted') = (review_points IS NOT NULL))
);

CREATE TRIGGER dispute_accepted_review AFTER INSERT ON dispute_answers WHEN NEW.decision = 'accepted'
BEGIN
  INSERT INTO reviews (id, evaluation_id, reviewer, items, comment, created_at)
  SELECT 'rv_' || NEW.dispute_id, d.evaluation_id, NEW.answered_by,
         json_array(json_object('itemId', d.item_id, 'points', NEW.review_points, 'reason', NEW.reason)),
         '接受申诉 ' || d.id, NEW.answered_at
  FROM disputes AS d
  WHERE d.id = NEW.dispute_id;
END;
