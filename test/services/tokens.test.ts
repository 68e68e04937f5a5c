// Tokens: lifetimes, expiry and revocation refused like an unknown token (401), use recorded at most hourly and
// never at the cost of the request, listings without secrets, and the D1 INSERT matching the migrated table.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/sqlite.js';
import {
  authenticate,
  createToken,
  listTokens,
  newToken,
  parseTokenLifetime,
  revokeToken,
  tokenInsertSql,
} from '../../src/services/tokens.js';
import type { Database as Schema } from '../../src/storage/database.js';
import { startTestService, type TestService } from '../http/harness.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('parseTokenLifetime', () => {
  it('takes whole hours and days', () => {
    expect(parseTokenLifetime('90d')).toBe(90 * 24 * HOUR);
    expect(parseTokenLifetime('12h')).toBe(12 * HOUR);
    expect(parseTokenLifetime('3650d')).toBe(3650 * 24 * HOUR);
  });

  it.each(['0d', '0h', '90', 'd', '1w', '1.5d', '-1d', '3651d', '90 days', ''])('refuses %j with a Chinese message', (text) => {
    expect(() => parseTokenLifetime(text)).toThrow(/有效期应写成整数小时或天数/);
  });

  it('refuses an expiry that is not after creation', () => {
    expect(() => newToken({ role: 'bureau', expiresAt: T0 }, T0)).toThrow(/到期时间必须晚于创建时间/);
  });
});

describe('expired and revoked tokens over HTTP', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  it('an expired token gets 401 like an unknown one; one not yet expired works', async () => {
    const now = new Date();
    const expired = await createToken(svc.database.db, { role: 'bureau', expiresAt: new Date(now.getTime() - 1000) }, new Date(now.getTime() - 2 * 24 * HOUR));
    const valid = await createToken(svc.database.db, { role: 'bureau', expiresAt: new Date(now.getTime() + HOUR) }, now);
    const refused = await svc.send('GET', '/v1/evaluations', { token: expired.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '令牌无效、已过期或已被吊销' });
    const unknown = await svc.send('GET', '/v1/evaluations', { token: `jxzp_${'0'.repeat(64)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(refused.body.error.message);
    expect((await svc.send('GET', '/v1/evaluations', { token: valid.token })).status).toBe(200);
  });

  it('a revoked token gets 401; revoking again is not an error; an unknown id is NOT_FOUND', async () => {
    const t = await createToken(svc.database.db, { role: 'reviewer' }, new Date());
    expect((await svc.send('GET', '/v1/evaluations', { token: t.token })).status).toBe(200);
    const first = await revokeToken(svc.database.db, t.id, new Date());
    expect(first.alreadyRevoked).toBe(false);
    expect(first.token.revoked_at).not.toBeNull();
    expect((await svc.send('GET', '/v1/evaluations', { token: t.token })).status).toBe(401);
    expect((await revokeToken(svc.database.db, t.id, new Date())).alreadyRevoked).toBe(true);
    await expect(revokeToken(svc.database.db, 'tok_nope', new Date())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the token list carries no token and no hash', async () => {
    const t = await createToken(svc.database.db, { role: 'unit', unitId: 'mz-list', label: '列表' }, new Date());
    const listed = await listTokens(svc.database.db);
    const row = listed.find((r) => r.id === t.id)!;
    expect(Object.keys(row).sort()).toEqual(['created_at', 'expires_at', 'id', 'label', 'last_used_at', 'revoked_at', 'role', 'unit_id']);
    const hash = (svc.database.sqlite.prepare('SELECT token_hash FROM tokens WHERE id = ?').get(t.id) as { token_hash: string }).token_hash;
    const text = JSON.stringify(listed);
    expect(text).not.toContain(t.token);
    expect(text).not.toContain(hash);
  });
});

describe('last use', () => {
  const database = openDatabase(join(mkdtempSync(join(tmpdir(), 'jxzp-tok-use-')), 't.db'));
  afterAll(() => database.close());
  const lastUsed = (id: string) => (database.sqlite.prepare('SELECT last_used_at FROM tokens WHERE id = ?').get(id) as { last_used_at: string | null }).last_used_at;
  const changes = () => (database.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

  it('is recorded on first use, then at most once an hour (no write in between)', async () => {
    const t = await createToken(database.db, { role: 'bureau' }, T0);
    expect(lastUsed(t.id)).toBeNull();
    expect(await authenticate(database.db, t.token, at(0))).toMatchObject({ tokenId: t.id, role: 'bureau' });
    expect(lastUsed(t.id)).toBe(at(0).toISOString());

    const before = changes();
    for (const minutes of [1, 30, 59]) expect(await authenticate(database.db, t.token, at(minutes * 60_000))).not.toBeNull();
    expect(lastUsed(t.id)).toBe(at(0).toISOString());
    expect(changes()).toBe(before);

    expect(await authenticate(database.db, t.token, at(HOUR + 60_000))).not.toBeNull();
    expect(lastUsed(t.id)).toBe(at(HOUR + 60_000).toISOString());
    expect(changes()).toBe(before + 1);
  });

  it('expiry is judged by the injected clock', async () => {
    const t = await createToken(database.db, { role: 'bureau', expiresAt: at(2 * HOUR) }, T0);
    expect(await authenticate(database.db, t.token, at(2 * HOUR - 1))).not.toBeNull();
    expect(await authenticate(database.db, t.token, at(2 * HOUR))).toBeNull();
    expect(await authenticate(database.db, t.token, at(3 * HOUR))).toBeNull();
  });

  it('a failure to record it (read-only database) does not fail the authentication', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jxzp-tok-ro-')), 't.db');
    const writable = openDatabase(path);
    const t = await createToken(writable.db, { role: 'unit', unitId: 'mz-ro' }, T0);
    await writable.close();
    const readOnly = new Database(path, { readonly: true });
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: readOnly }) });
    try {
      expect(() => readOnly.prepare("UPDATE tokens SET label = 'x'").run()).toThrow(/readonly/);
      expect(await authenticate(db, t.token, at(0))).toEqual({ tokenId: t.id, role: 'unit', unitId: 'mz-ro' });
      expect((readOnly.prepare('SELECT last_used_at FROM tokens').get() as { last_used_at: null }).last_used_at).toBeNull();
    } finally {
      await db.destroy();
    }
  });
});

describe('tokenInsertSql (D1)', () => {
  it('inserts a row the migrated table accepts, expiry included', async () => {
    const database = openDatabase(':memory:');
    try {
      const { token, row } = newToken({ role: 'unit', unitId: 'mz-d1', label: "it's", expiresAt: at(24 * HOUR) }, T0);
      database.sqlite.exec(tokenInsertSql(row));
      expect(await authenticate(database.db, token, at(HOUR))).toEqual({ tokenId: row.id, role: 'unit', unitId: 'mz-d1' });
      expect(await authenticate(database.db, token, at(25 * HOUR))).toBeNull();
      expect(database.sqlite.prepare('SELECT expires_at, label FROM tokens').get()).toEqual({ expires_at: at(24 * HOUR).toISOString(), label: "it's" });
    } finally {
      await database.close();
    }
  });
});
