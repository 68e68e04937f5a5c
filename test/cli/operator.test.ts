// Operator commands end to end as separate processes: token create/list/revoke and an online backup.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/sqlite.js';
import { createToken } from '../../src/services/tokens.js';
import { lines, runCli, STACK_TRACE } from './run-cli.js';

describe('cli token', () => {
  const env = { DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jxzp-cli-tok-')), 'nested', 't.db') };

  it('create --expires, list without secrets, revoke', async () => {
    const created = await runCli(['token', 'create', '--role', 'unit', '--unit', 'mz-hpf-center', '--label', '梅州', '--expires', '90d'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = lines(created.stdout).at(-1)!;
    expect(token).toMatch(/^jxzp_[0-9a-f]{64}$/);
    const id = /已创建令牌 (tok_[0-9a-f]+)/.exec(created.stdout)![1]!;
    expect(created.stdout).toMatch(/Z 到期/);

    const listed = await runCli(['token', 'list', '--format', 'json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, role: 'unit', unit_id: 'mz-hpf-center', label: '梅州', revoked_at: null, last_used_at: null });
    const days = (Date.parse(rows[0].expires_at) - Date.parse(rows[0].created_at)) / 86_400_000;
    expect(days).toBe(90);

    const sqlite = new Database(env.DATABASE_PATH, { readonly: true });
    const hash = (sqlite.prepare('SELECT token_hash FROM tokens').get() as { token_hash: string }).token_hash;
    sqlite.close();
    const table = await runCli(['token', 'list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/编号\s+角色\s+单位\s+说明\s+创建时间\s+最近使用\s+到期\s+吊销/);
    expect(table.stdout).toContain(id);
    for (const out of [listed.stdout, table.stdout]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(token.slice(5));
      expect(out).not.toContain(hash);
    }

    const revoked = await runCli(['token', 'revoke', id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`已吊销令牌 ${id}`);
    expect(JSON.parse((await runCli(['token', 'list', '--format', 'json'], env)).stdout)[0].revoked_at).not.toBeNull();

    const unknown = await runCli(['token', 'revoke', 'tok_nope'], env);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toHaveLength(1);
    expect(unknown.stderr).toContain('没有编号为「tok_nope」的令牌');
  });

  it('create --sql-out writes an INSERT with the expiry columns and touches no database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-cli-sql-'));
    const out = join(dir, 'token.sql');
    const r = await runCli(['token', 'create', '--role', 'reviewer', '--expires', '12h', '--sql-out', out], { DATABASE_PATH: join(dir, 'absent.db') });
    expect(r.code, r.stderr).toBe(0);
    const sql = readFileSync(out, 'utf8');
    expect(sql).toMatch(/^INSERT INTO tokens \(id, token_hash, role, unit_id, label, created_at, revoked_at, expires_at, last_used_at\) VALUES \('tok_[0-9a-f]+', '[0-9a-f]{64}', 'reviewer', NULL, NULL, '[^']+', NULL, '[^']+', NULL\);\n$/);
    expect(() => statSync(join(dir, 'absent.db'))).toThrow();
  });
});

describe('cli backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-cli-backup-'));
  const databasePath = join(dir, 'live.db');
  const database = openDatabase(databasePath);
  afterAll(() => database.close());

  it('copies a database in use, WAL included, into a file that passes integrity_check; refuses to overwrite without --force', async () => {
    // keep the rows in the WAL (no checkpoint), as in a running service: a copy of the .db file alone would miss them
    database.sqlite.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 300; i++) await createToken(database.db, { role: 'unit', unitId: `unit-${i}` }, new Date());
    expect(statSync(`${databasePath}-wal`).size).toBeGreaterThan(0);

    const target = join(dir, 'copy.db');
    const r = await runCli(['backup', target], { DATABASE_PATH: databasePath });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`已备份 ${databasePath} → ${target}`);
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 300 });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      copy.close();
    }

    await createToken(database.db, { role: 'bureau' }, new Date());
    const refused = await runCli(['backup', target], { DATABASE_PATH: databasePath });
    expect(refused.code).toBe(2);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toContain('已存在；要覆盖请加 --force');
    expect(refused.stderr).not.toMatch(STACK_TRACE);

    const forced = await runCli(['backup', target, '--force'], { DATABASE_PATH: databasePath });
    expect(forced.code, forced.stderr).toBe(0);
    const second = new Database(target, { readonly: true });
    try {
      expect(second.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 301 });
      expect(second.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      second.close();
    }
  });

  it('a file that is not a database is one line, not a stack', async () => {
    const notDb = join(dir, 'not-a.db');
    writeFileSync(notDb, 'hello, this is not SQLite'.repeat(100));
    const r = await runCli(['backup', join(dir, 'x.db')], { DATABASE_PATH: notDb });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('backup 失败');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});
