// DATABASE_URL chooses the store: postgres:// and postgresql:// are PostgreSQL; a path or a file: URL (or no URL, with
// DATABASE_PATH) is SQLite. Passwords never reach the start-up line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildServiceDeps, chooseDatabase, redactUrl } from '../../src/platform/database-url.js';
import { ROOT } from '../support.js';

describe('DATABASE_URL', () => {
  it('chooses PostgreSQL for postgres:// and postgresql://, SQLite for a path, a file: URL or nothing', () => {
    expect(chooseDatabase('postgres://u:p@db:5432/jxzp', 'data/jxzp.db')).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/jxzp' });
    expect(chooseDatabase(' postgresql://db/jxzp ', 'data/jxzp.db')).toEqual({ kind: 'postgres', url: 'postgresql://db/jxzp' });
    expect(chooseDatabase('POSTGRES://db/jxzp', 'x')).toMatchObject({ kind: 'postgres' });
    expect(chooseDatabase(undefined, 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: 'data/jxzp.db' });
    expect(chooseDatabase('', 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: 'data/jxzp.db' });
    expect(chooseDatabase('/srv/jxzp/main.db', 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: '/srv/jxzp/main.db' });
    expect(chooseDatabase('file:///srv/jxzp/a%20b.db', 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: '/srv/jxzp/a b.db' });
    expect(chooseDatabase('file:data/other.db', 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: 'data/other.db' });
    expect(chooseDatabase('file::memory:', 'data/jxzp.db')).toEqual({ kind: 'sqlite', path: ':memory:' });
    // not a PostgreSQL scheme: a (strange) relative path, never a silent PostgreSQL
    expect(chooseDatabase('postgres:/db', 'x')).toEqual({ kind: 'sqlite', path: 'postgres:/db' });
  });

  it('hides the password', () => {
    expect(redactUrl('postgres://jxzp:s3cret@10.0.0.5:5432/jxzp')).toBe('postgres://jxzp:***@10.0.0.5:5432/jxzp');
    expect(redactUrl('postgres://jxzp@10.0.0.5/jxzp')).toBe('postgres://jxzp@10.0.0.5/jxzp');
    expect(redactUrl('postgres://jxzp:p%40ss@db/jxzp?sslmode=require')).toBe('postgres://jxzp:***@db/jxzp?sslmode=require');
  });

  it('a file: URL builds the SQLite service on that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-url-'));
    const path = join(dir, 'via-url.db');
    const built = await buildServiceDeps({ databasePath: join(tmpdir(), 'not-this.db'), databaseUrl: pathToFileURL(path).href, rulesDir: join(ROOT, 'rules'), log: () => {} });
    try {
      expect(built.kind).toBe('sqlite');
      expect(built.describe).toBe(`数据库 ${path}`);
      expect(built.sqlite?.sqlite.name).toBe(path);
      await built.deps.readiness!();
    } finally {
      await built.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
