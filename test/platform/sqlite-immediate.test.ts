// Several processes on one SQLite file: kysely transactions take the write lock when they begin (BEGIN IMMEDIATE),
// so a transaction that reads and then writes never meets SQLITE_BUSY_SNAPSHOT; and processes opening a fresh file
// at the same moment apply each migration once between them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDatabase, type OpenDatabase } from '../../src/platform/sqlite.js';
import { ROOT } from '../support.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'jxzp-imm-')), 'jxzp.db');
const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

describe('BEGIN IMMEDIATE', () => {
  it('a kysely transaction holds the write lock from its start, before it has written anything', async () => {
    const path = freshPath();
    const a = openDatabase(path);
    opened.push(a);
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    try {
      let whileOpen: string | undefined;
      await a.db.transaction().execute(async (trx) => {
        await sql`SELECT COUNT(*) AS n FROM evaluations`.execute(trx); // a read only
        try {
          other.exec('BEGIN IMMEDIATE');
          other.exec('ROLLBACK');
          whileOpen = 'acquired';
        } catch (e) {
          whileOpen = (e as { code?: string }).code;
        }
      });
      // a deferred BEGIN would have let the other connection take the lock here
      expect(whileOpen).toBe('SQLITE_BUSY');
      // and once it commits, the lock is free again
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
  });

  it('a transaction that reads, meets another connection writing, then writes: the other waits, this one commits', async () => {
    const path = freshPath();
    const a = openDatabase(path);
    opened.push(a);
    const b = new Database(path);
    b.pragma('busy_timeout = 0');
    try {
      let other: string | undefined;
      // with a deferred BEGIN, b's UPDATE would commit between the read and the write below, and that write would
      // fail with SQLITE_BUSY_SNAPSHOT
      const n = await a.db.transaction().execute(async (trx) => {
        const before = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM schema_migrations`.execute(trx);
        try {
          b.prepare("UPDATE schema_migrations SET applied_at = 'b'").run();
          other = 'committed';
        } catch (e) {
          other = (e as { code?: string }).code;
        }
        await sql`UPDATE schema_migrations SET applied_at = 'a'`.execute(trx);
        return before.rows[0]!.n;
      });
      expect(other).toBe('SQLITE_BUSY');
      expect(n).toBeGreaterThan(0);
      expect(b.prepare('SELECT DISTINCT applied_at FROM schema_migrations').pluck().all()).toEqual(['a']);
    } finally {
      b.close();
    }
  });
});

describe('migrations from several processes at once', () => {
  it('three processes opening one fresh file together: each migration applied once, none fails', async () => {
    const path = freshPath();
    const script = `import { openDatabase } from './src/platform/sqlite.ts';
const d = openDatabase(process.argv[1]);
console.log(JSON.stringify(d.migrationsApplied));
await d.close();`;
    const runs = await Promise.all(
      Array.from(
        { length: 3 },
        () =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], { cwd: ROOT, detached: true });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (d) => (stdout += d));
            child.stderr.on('data', (d) => (stderr += d));
            child.on('exit', (code) => resolve({ code, stdout, stderr }));
          }),
      ),
    );
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(runs.map(() => [0, '']));
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
    // between them the processes applied every migration exactly once
    const applied = runs.flatMap((r) => JSON.parse(r.stdout) as string[]).sort();
    expect(applied).toEqual(files);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name ORDER BY name').all();
    db.close();
    expect(rows).toEqual(files.map((name) => ({ name, n: 1 })));
  }, 60_000);
});
