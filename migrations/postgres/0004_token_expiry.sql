-- PostgreSQL translation of migrations/0004_token_expiry.sql.

ALTER TABLE tokens ADD COLUMN expires_at TEXT COLLATE "C";
ALTER TABLE tokens ADD COLUMN last_used_at TEXT COLLATE "C";
