// Group commit writes concurrent submissions in one statement and tells each caller whether its row went in.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/sqlite.js';
import { EvaluationGroupCommit } from '../../src/services/group-commit.js';
import { evaluationRow } from '../support.js';


describe('EvaluationGroupCommit', () => {
  it('writes rows queued together in one flush, and reports unique-key conflicts as not inserted', async () => {
    const database = openDatabase(':memory:');
    let flushes = 0;
    const writer = new EvaluationGroupCommit(database.db, (flush) => {
      flushes++;
      setImmediate(flush);
    });
    const results = await Promise.all([
      writer.insert(evaluationRow('ev_a', 'k1')),
      writer.insert(evaluationRow('ev_b', 'k1')), // same idempotency key: loses
      writer.insert(evaluationRow('ev_c')),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(flushes).toBe(1);
    const ids = database.sqlite.prepare('SELECT id FROM evaluations ORDER BY id').all().map((r) => (r as { id: string }).id);
    expect(ids).toEqual(['ev_a', 'ev_c']);
    // a later flush; an id already stored (ids are random, so only a replayed row could do this) is not inserted
    expect(await Promise.all([writer.insert(evaluationRow('ev_d')), writer.insert(evaluationRow('ev_c'))])).toEqual([true, false]);
    expect(flushes).toBe(2);
    await database.close();
  });

  it('splits a burst into statements of at most maxRows', async () => {
    const database = openDatabase(':memory:');
    const writer = new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush), 3);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => writer.insert(evaluationRow(`ev_${i}`))));
    expect(results).toEqual(Array(8).fill(true));
    expect((database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n).toBe(8);
    await database.close();
  });

  it('a failed commit rejects every waiting insert with the storage error, stores none of them, and the next flush works', async () => {
    const database = openDatabase(':memory:');
    const writer = new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush), 3);
    const pages = database.sqlite.pragma('page_count', { simple: true }) as number;
    database.sqlite.pragma(`max_page_count = ${pages}`);
    const big = (id: string) => ({ ...evaluationRow(id), input: 'x'.repeat(20_000) }); // needs new pages
    const outcomes = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => writer.insert(big(`ev_${i}`))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill('rejected'));
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' });
    const count = (t: string) => (database.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect(count('evaluations')).toBe(0);
    expect(count('evaluation_summaries')).toBe(0);
    database.sqlite.pragma('max_page_count = 1073741823');
    expect(await writer.insert(big('ev_after'))).toBe(true);
    expect(count('evaluation_summaries')).toBe(1);
    await database.close();
  });
});
