// The writer protocol between an HTTP worker and the primary, over an in-memory channel that copies messages the way
// the cluster channel does (structured clone): rows inserted once through the primary's group commit, a unique key
// already held answered `false`, and storage faults arriving in the worker as errors the HTTP mapping answers with
// the same 507/503 as in one process.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { STATUS_OF, storageFaultOf } from '../../src/http/errors.js';
import { EvaluationWriterClient, serveWriter } from '../../src/platform/evaluation-writer-ipc.js';
import { checkWritable, openDatabase, type OpenDatabase } from '../../src/platform/sqlite.js';
import { EvaluationGroupCommit } from '../../src/services/group-commit.js';
import { evaluationRow } from '../support.js';


const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

/** A primary (writer over a fresh file) and a worker's client joined by a channel that clones every message. */
function pair(options: { connected?: boolean } = {}) {
  const database = openDatabase(join(mkdtempSync(join(tmpdir(), 'jxzp-ipc-')), 'jxzp.db'));
  opened.push(database);
  let flushes = 0;
  const groupCommit = new EvaluationGroupCommit(database.db, (flush) => {
    flushes++;
    setImmediate(flush);
  });
  const toPrimary = new EventEmitter();
  const toWorker = new EventEmitter();
  serveWriter(
    { send: (m) => setImmediate(() => toWorker.emit('message', structuredClone(m))), on: (e, l) => void toPrimary.on(e, l) },
    { insert: (r) => groupCommit.insert(r), ready: () => checkWritable(database.sqlite) },
  );
  const client = new EvaluationWriterClient({
    connected: options.connected ?? true,
    send: (m, done) => {
      setImmediate(() => toPrimary.emit('message', structuredClone(m)));
      done(null);
    },
    on: (e, l) => toWorker.on(e, l),
  });
  return { database, client, flushes: () => flushes };
}

/** The HTTP status the worker's error would be answered with (errors.ts's mapping). */
const statusOf = (e: unknown) => {
  const domain = e instanceof DomainError ? e : storageFaultOf(e);
  return domain ? { status: STATUS_OF[domain.code], code: domain.code } : { status: 500, code: 'INTERNAL' };
};

describe('evaluation writer over IPC', () => {
  it('rows sent together share one commit; a key already held is answered false and stores nothing', async () => {
    const { database, client, flushes } = pair();
    const answers = await Promise.all([client.insert(evaluationRow('ev_a', 'k1')), client.insert(evaluationRow('ev_b', 'k1')), client.insert(evaluationRow('ev_c'))]);
    expect(answers).toEqual([true, false, true]);
    expect(flushes()).toBe(1);
    expect(database.sqlite.prepare('SELECT id FROM evaluations ORDER BY id').pluck().all()).toEqual(['ev_a', 'ev_c']);
  });

  it('disk full reaches the worker as 507 STORAGE_FULL; read-only and a held lock as 503 STORAGE_UNAVAILABLE', async () => {
    const { database, client } = pair();
    await client.insert(evaluationRow('ev_first'));
    const sqlite = database.sqlite;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    const big = { ...evaluationRow('ev_big'), input: 'x'.repeat(64 * 1024) };
    expect(statusOf(await client.insert(big).catch((e: unknown) => e))).toEqual({ status: 507, code: 'STORAGE_FULL' });
    sqlite.pragma('max_page_count = 1073741823');

    sqlite.pragma('query_only = 1');
    const readOnly = await client.insert(evaluationRow('ev_ro')).catch((e: unknown) => e);
    sqlite.pragma('query_only = 0');
    expect(statusOf(readOnly)).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });

    const other = new Database(sqlite.name);
    other.exec('BEGIN IMMEDIATE');
    sqlite.pragma('busy_timeout = 50');
    try {
      expect(statusOf(await client.insert(evaluationRow('ev_locked')).catch((e: unknown) => e))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
      // readiness asks the writer, which cannot take the lock either
      expect(statusOf(await client.ready().catch((e: unknown) => e))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
      sqlite.pragma('busy_timeout = 5000');
    }
    await expect(client.ready()).resolves.toBeUndefined();
    expect(sqlite.prepare('SELECT id FROM evaluations').pluck().all()).toEqual(['ev_first']);
  });

  it('with the channel closed, an insert and readiness are 503 STORAGE_UNAVAILABLE at once', async () => {
    const { client } = pair({ connected: false });
    expect(statusOf(await client.insert(evaluationRow('ev_x')).catch((e: unknown) => e))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(statusOf(await client.ready().catch((e: unknown) => e))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
  });
});
