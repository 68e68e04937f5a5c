-- Tokens may expire (expires_at, refused from then on like a revoked one) and record when they were last used
-- (last_used_at, written at most hourly). Both nullable: existing tokens keep working and have no recorded use.

ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
