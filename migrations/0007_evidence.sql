-- 佐证材料: files a unit attaches to an item of its evaluation. The bytes live in a blob store by content hash (a folder
-- on Node, R2 on Workers); this table says which evaluation and item each belongs to. Evaluations stay immutable.

CREATE TABLE evidence (
  id TEXT PRIMARY KEY,
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
  item_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);

CREATE INDEX evidence_evaluation ON evidence (evaluation_id, item_id, uploaded_at);
