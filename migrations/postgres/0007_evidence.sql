-- PostgreSQL translation of migrations/0007_evidence.sql.

CREATE TABLE evidence (
  id TEXT COLLATE "C" PRIMARY KEY,
  evaluation_id TEXT COLLATE "C" NOT NULL REFERENCES evaluations (id),
  item_id TEXT COLLATE "C" NOT NULL,
  sha256 TEXT COLLATE "C" NOT NULL,
  file_name TEXT COLLATE "C" NOT NULL,
  size INTEGER NOT NULL,
  media_type TEXT COLLATE "C" NOT NULL,
  uploaded_by TEXT COLLATE "C" NOT NULL,
  uploaded_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX evidence_evaluation ON evidence (evaluation_id, item_id, uploaded_at);
