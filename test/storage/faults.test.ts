// Storage faults through the real code path: disk full → 507 STORAGE_FULL; read-only or locked past the busy
// timeout → 503 STORAGE_UNAVAILABLE with Retry-After; reads keep working; /readyz says so, /healthz stays liveness;
// a bad database path is one Chinese line, not a stack.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkWritable, openDatabase } from '../../src/platform/sqlite.js';
import { expectError } from '../http/contract.js';
import { startTestService, type TestService } from '../http/harness.js';
import { checkedSend, contractChecker } from '../http/openapi-contract.js';
import { example } from '../support.js';

const stored = (t: TestService) => (t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n;
const summaries = (t: TestService) => (t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluation_summaries').get() as { n: number }).n;

describe('storage faults over HTTP', () => {
  let t: TestService;
  let undo: (() => void) | null = null;
  const submit = () => t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: example('meizhou-2022.json') });

  beforeAll(async () => {
    const started = await startTestService();
    // every answer, 503 and 507 included, as the served OpenAPI document declares it
    t = { ...started, send: checkedSend(started.send, contractChecker((await started.send('GET', '/v1/openapi.json')).body)) };
    expect((await submit()).status).toBe(201); // something to read while writes fail
  });
  afterEach(() => {
    undo?.();
    undo = null;
  });
  afterAll(() => t.close());

  const diskFull = () => {
    // the database may not grow past the pages it has now: the next evaluation fails with SQLITE_FULL
    const pages = t.database.sqlite.pragma('page_count', { simple: true }) as number;
    t.database.sqlite.pragma(`max_page_count = ${pages}`);
    undo = () => t.database.sqlite.pragma('max_page_count = 1073741823');
  };
  const readOnly = () => {
    t.database.sqlite.pragma('query_only = 1');
    undo = () => t.database.sqlite.pragma('query_only = 0');
  };
  const locked = () => {
    // another connection holds the write lock; ours gives up after a (shortened) busy timeout
    const other = new Database(t.database.sqlite.name);
    other.exec('BEGIN IMMEDIATE');
    t.database.sqlite.pragma('busy_timeout = 50');
    undo = () => {
      other.exec('ROLLBACK');
      other.close();
      t.database.sqlite.pragma('busy_timeout = 5000');
    };
  };

  const cases = [
    { name: 'disk full', fault: diskFull, status: 507, code: 'STORAGE_FULL', retryAfter: false },
    { name: 'read-only', fault: readOnly, status: 503, code: 'STORAGE_UNAVAILABLE', retryAfter: true },
    { name: 'locked past the busy timeout', fault: locked, status: 503, code: 'STORAGE_UNAVAILABLE', retryAfter: true },
  ];

  for (const c of cases) {
    it(`${c.name}: every waiting submission answered ${c.status} ${c.code}, none stored; reads, /healthz keep working; /readyz 503`, async () => {
      const before = stored(t);
      c.fault();
      // concurrent submissions share one group commit: each must get the failure
      const replies = await Promise.all(Array.from({ length: 5 }, submit));
      for (const r of replies) {
        expectError(r, c.status, c.code);
        expect(r.body.error.message).toMatch(/未保存/);
        expect(r.headers.get('retry-after')).toBe(c.retryAfter ? '5' : null);
      }
      expect(t.logs.filter((l) => l.includes(c.code)).length).toBeGreaterThanOrEqual(5);
      expect(t.logs.join('\n')).not.toMatch(/\n\s+at /);

      const list = await t.send('GET', '/v1/evaluations', { token: t.tokens.bureau });
      expect(list.status).toBe(200);
      expect(list.body.evaluations.length).toBe(before);
      expect((await t.send('GET', `/v1/evaluations/${list.body.evaluations[0].id}`, { token: t.tokens.bureau })).status).toBe(200);
      expect((await t.send('GET', '/healthz')).status).toBe(200);
      const ready = await t.send('GET', '/readyz');
      expectError(ready, 503, 'STORAGE_UNAVAILABLE');
      expect(ready.headers.get('retry-after')).toBe('5');

      undo!();
      undo = null;
      expect(stored(t)).toBe(before);
      expect(summaries(t)).toBe(before);
      expect((await t.send('GET', '/readyz')).status).toBe(200);
      expect((await submit()).status).toBe(201);
      expect(stored(t)).toBe(before + 1);
    });
  }

  it('/readyz is 200 when the database can be written, and writes nothing', async () => {
    const version = t.database.sqlite.pragma('data_version', { simple: true });
    const n = stored(t);
    const r = await t.send('GET', '/readyz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ready' });
    expect(stored(t)).toBe(n);
    expect(t.database.sqlite.pragma('data_version', { simple: true })).toBe(version);
  });

  it('the readiness check fails on a connection SQLite could open only for reading (a read-only file or mount)', () => {
    const readonly = new Database(t.database.sqlite.name, { readonly: true });
    try {
      // BEGIN IMMEDIATE alone succeeds here; the rolled-back change is what fails
      expect(() => checkWritable(readonly)).toThrow(expect.objectContaining({ code: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/只读/) }));
    } finally {
      readonly.close();
    }
  });
});

describe('opening a bad database path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-badpath-'));
  const file = join(dir, 'plain.txt');
  writeFileSync(file, 'not a database, and long enough that SQLite reads its header: '.repeat(4));
  for (const [name, path] of [
    ['a directory', dir],
    ['a path under a file', join(file, 'db.sqlite')],
    ['a file that is not a database', file],
  ] as const) {
    it(`${name}: a DomainError with one Chinese line naming the path`, () => {
      let error: unknown;
      try {
        openDatabase(path);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      const e = error as DomainError;
      expect(e.code).toBe('STORAGE_UNAVAILABLE');
      expect(e.message).toMatch(/^无法打开数据库 /);
      expect(e.message).toContain(path);
      expect(e.message).not.toContain('\n');
    });
  }
});
