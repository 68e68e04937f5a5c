-- Browser sessions (the cookie holds a random secret; only its sha256 is stored here) and form drafts kept server-side.
-- A session is good only while its token is: every request joins the token row (revoked or expired ends it).

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                -- sha256 of the session secret
  token_id TEXT NOT NULL REFERENCES tokens(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL,      -- moved forward as the person keeps working
  absolute_expires_at TEXT NOT NULL   -- never moved
);
CREATE INDEX sessions_token ON sessions (token_id);

CREATE TABLE drafts (
  id TEXT NOT NULL,
  token_id TEXT NOT NULL REFERENCES tokens(id),
  ruleset_id TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  title TEXT NOT NULL,
  fields TEXT NOT NULL,               -- the form's fields as a JSON array of [name, value] pairs
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (token_id, id)
);
