-- PostgreSQL translation of migrations/0005_sessions.sql.

CREATE TABLE sessions (
  id TEXT COLLATE "C" PRIMARY KEY,                -- sha256 of the session secret
  token_id TEXT COLLATE "C" NOT NULL REFERENCES tokens(id),
  created_at TEXT COLLATE "C" NOT NULL,
  last_seen_at TEXT COLLATE "C" NOT NULL,
  idle_expires_at TEXT COLLATE "C" NOT NULL,      -- moved forward as the person keeps working
  absolute_expires_at TEXT COLLATE "C" NOT NULL   -- never moved
);
CREATE INDEX sessions_token ON sessions (token_id);

CREATE TABLE drafts (
  id TEXT COLLATE "C" NOT NULL,
  token_id TEXT COLLATE "C" NOT NULL REFERENCES tokens(id),
  ruleset_id TEXT COLLATE "C" NOT NULL,
  ruleset_version TEXT COLLATE "C" NOT NULL,
  fiscal_year INTEGER NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  fields TEXT COLLATE "C" NOT NULL,               -- the form's fields as a JSON array of [name, value] pairs
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (token_id, id)
);
