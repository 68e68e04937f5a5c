// Every list query GET /v1/evaluations offers is read from an index in its own order (no scan, no sort, never the
// wide evaluations rows); other combinations are refused with 400; migration 0003 backfills and keeps the copy whole.
import { mkdtempSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, openDatabase, type OpenDatabase } from '../../src/platform/sqlite.js';
import type { EvaluationsTable } from '../../src/storage/database.js';
import {
  insertEvaluationsReturningIds,
  LIST_QUERIES,
  listEvaluations,
  listEvaluationsQuery,
  type EvaluationFilter,
  type ListFilterName,
} from '../../src/storage/evaluations.js';
import { expectError } from '../http/contract.js';
import { OTHER_UNIT, OWN_UNIT, startTestService, type TestService } from '../http/harness.js';

const row = (i: number, over: Partial<EvaluationsTable> = {}): EvaluationsTable => ({
  id: `ev_${String(i).padStart(6, '0')}`,
  unit_id: i % 2 === 0 ? 'unit-a' : 'unit-b',
  fiscal_year: 2021 + (i % 3),
  project_name: `项目 ${i}`,
  ruleset_id: i % 4 === 0 ? 'cn-mof-2020' : 'gd-meizhou-2022',
  ruleset_version: '1.0.0',
  ruleset_sha256: 'sha',
  engine_version: '0',
  input: 'x'.repeat(5000), // wide rows, as real ones are
  input_sha256: 'h',
  // every fifth one with a discrepancy between the self-assessment and the recomputed points
  result: JSON.stringify({ discrepancies: i % 5 === 0 ? [{ itemId: 'total' }] : [], padding: 'y'.repeat(8000) }),
  total: 80 + (i % 20),
  grade_code: ['excellent', 'good', 'fair'][i % 3]!,
  submitted_by: 'tok',
  idempotency_key: null,
  // several rows share a timestamp, so the id breaks ties
  created_at: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 3) * 1000).toISOString(),
  ...over,
});

const VALUES: Readonly<Record<ListFilterName, Partial<EvaluationFilter>>> = {
  unit: { unitId: 'unit-a' },
  year: { fiscalYear: 2022 },
  ruleset: { rulesetId: 'gd-meizhou-2022' },
  grade: { gradeCode: 'good' },
  pending: { pending: true },
  discrepancies: { discrepancies: true },
};
/** every seventh evaluation has a review */
const isReviewed = (id: string) => Number(id.slice(3)) % 7 === 0;
const filterOf = (names: readonly ListFilterName[]): Omit<EvaluationFilter, 'limit'> => Object.assign({}, ...names.map((n) => VALUES[n]));
const label = (names: readonly ListFilterName[]) => (names.length === 0 ? 'none' : names.join(' + '));

describe('list queries', () => {
  let database: OpenDatabase;
  const rows = Array.from({ length: 600 }, (_, i) => row(i));
  beforeAll(async () => {
    database = openDatabase(':memory:');
    for (let i = 0; i < rows.length; i += 100) await insertEvaluationsReturningIds(database.db, rows.slice(i, i + 100));
    const review = database.sqlite.prepare("INSERT INTO reviews (id, evaluation_id, reviewer, items, comment, created_at) VALUES (?, ?, 'tok_r', '[]', NULL, '2025-01-01T00:00:00.000Z')");
    for (const r of rows.filter((x) => isReviewed(x.id))) review.run(`rv_${r.id}`, r.id);
  });
  afterAll(() => database.close());

  const plan = (f: EvaluationFilter): string[] => {
    const { sql, parameters } = listEvaluationsQuery(database.db, f).compile();
    return database.sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...(parameters as unknown[]))
      .map((r) => (r as { detail: string }).detail);
  };

  it('names the offered combinations', () => {
    expect(LIST_QUERIES.map(label)).toEqual([
      'none', 'unit', 'unit + year', 'year', 'ruleset', 'ruleset + year', 'grade', 'grade + year',
      'pending', 'pending + year', 'discrepancies', 'discrepancies + year', 'pending + discrepancies',
    ]);
  });

  for (const names of LIST_QUERIES) {
    for (const paged of [false, true]) {
      it(`${label(names)}${paged ? ', after a cursor' : ''}: read from its index in list order, no full scan, no temp B-tree`, () => {
        const after = paged ? { after: { createdAt: rows[300]!.created_at, id: rows[300]!.id } } : {};
        const lines = plan({ ...filterOf(names), ...after, limit: 21 });
        expect(lines.join('\n')).not.toMatch(/TEMP B-TREE/);
        // the wide rows are never read for a list
        expect(lines.join('\n')).not.toMatch(/\bevaluations\b/);
        expect(lines).toHaveLength(1);
        if (names.length > 0 || paged) {
          // equality on the index's leading columns (and the cursor as a range on the rest)
          expect(lines[0]).toMatch(/^SEARCH evaluation_summaries USING INDEX evaluation_summaries_\w+ \(/);
          const COLUMN = { unit: 'unit_id', year: 'fiscal_year', ruleset: 'ruleset_id', grade: 'grade_code', pending: 'reviewed', discrepancies: 'has_discrepancies' };
          for (const n of names) expect(lines[0]).toContain(`${COLUMN[n]}=?`);
          if (paged) expect(lines[0]).toContain('(created_at,id)<(?,?)');
        } else {
          // no filter: the newest-first index, walked from its end until LIMIT
          expect(lines[0]).toBe('SCAN evaluation_summaries USING INDEX evaluation_summaries_newest');
        }
      });
    }
    it(`${label(names)}: pages give the same rows, in the same order, as sorting everything`, async () => {
      const f = filterOf(names);
      const expected = rows
        .filter((r) => (f.unitId === undefined || r.unit_id === f.unitId) && (f.fiscalYear === undefined || r.fiscal_year === f.fiscalYear)
          && (f.rulesetId === undefined || r.ruleset_id === f.rulesetId) && (f.gradeCode === undefined || r.grade_code === f.gradeCode)
          && (!f.pending || !isReviewed(r.id)) && (!f.discrepancies || Number(r.id.slice(3)) % 5 === 0))
        .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1))
        .map((r) => r.id);
      const seen: string[] = [];
      let after: EvaluationFilter['after'];
      for (;;) {
        const page = await listEvaluations(database.db, { ...f, ...(after ? { after } : {}), limit: 37 });
        seen.push(...page.map((r) => r.id));
        if (page.length < 37) break;
        after = { createdAt: page.at(-1)!.created_at, id: page.at(-1)!.id };
      }
      expect(seen).toEqual(expected);
    });
  }

  it('refuses a combination that has no index', () => {
    expect(() => listEvaluationsQuery(database.db, { unitId: 'unit-a', gradeCode: 'good', limit: 1 })).toThrow(/not offered/);
  });
});

describe('migration 0003', () => {
  it('backfills the summaries of evaluations stored before it, and copies each later insert exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-mig-'));
    const before = join(dir, 'before');
    mkdirSync(before);
    for (const f of ['0001_initial.sql', '0002_rescorings.sql']) copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
    const path = join(dir, 'db.sqlite');
    const old = new Database(path);
    migrate(old, before);
    const insert = old.prepare(`INSERT INTO evaluations VALUES (@id, @unit_id, @fiscal_year, @project_name, @ruleset_id, @ruleset_version,
      @ruleset_sha256, @engine_version, @input, @input_sha256, @result, @total, @grade_code, @submitted_by, @idempotency_key, @created_at)`);
    for (let i = 0; i < 50; i++) insert.run(row(i));
    old.close();

    const database = openDatabase(path);
    const count = (table: string) => (database.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('evaluation_summaries')).toBe(50);
    const listed = await listEvaluations(database.db, { unitId: 'unit-a', fiscalYear: 2022, limit: 100 });
    expect(listed.map((r) => r.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => row(i)).filter((r) => r.unit_id === 'unit-a' && r.fiscal_year === 2022).map((r) => r.id).reverse(),
    );
    expect(listed[0]).toEqual({
      id: row(46).id, created_at: row(46).created_at, unit_id: 'unit-a', fiscal_year: 2022, project_name: '项目 46',
      ruleset_id: 'gd-meizhou-2022', ruleset_version: '1.0.0', ruleset_sha256: 'sha', total: 86, grade_code: 'good',
      has_discrepancies: 0, reviewed: 0,
    });
    // a replayed id is not inserted, and not copied again
    const inserted = await insertEvaluationsReturningIds(database.db, [row(50), row(3)]);
    expect([...inserted]).toEqual([row(50).id]);
    expect(count('evaluations')).toBe(51);
    expect(count('evaluation_summaries')).toBe(51);
    await database.close();
  });
});

describe('migration 0008 (the review queue)', () => {
  it('backfills "has discrepancies" and "reviewed"; later reviews (an accepted dispute\'s too) mark the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-mig8-'));
    const before = join(dir, 'before');
    mkdirSync(before);
    for (const f of ['0001_initial.sql', '0002_rescorings.sql', '0003_evaluation_summaries.sql']) copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
    const path = join(dir, 'db.sqlite');
    const old = new Database(path);
    migrate(old, before);
    const insert = old.prepare(`INSERT INTO evaluations VALUES (@id, @unit_id, @fiscal_year, @project_name, @ruleset_id, @ruleset_version,
      @ruleset_sha256, @engine_version, @input, @input_sha256, @result, @total, @grade_code, @submitted_by, @idempotency_key, @created_at)`);
    for (let i = 0; i < 10; i++) insert.run(row(i));
    old.prepare("INSERT INTO reviews VALUES ('rv_1', ?, 'tok_r', '[]', NULL, '2025-01-01T00:00:00.000Z')").run(row(5).id);
    old.close();

    const database = openDatabase(path);
    const flags = () =>
      database.sqlite.prepare('SELECT id, has_discrepancies AS d, reviewed AS r FROM evaluation_summaries ORDER BY id').all() as { id: string; d: number; r: number }[];
    // rows 0 and 5 had a discrepancy; row 5 a review
    expect(flags().filter((f) => f.d === 1).map((f) => f.id)).toEqual([row(0).id, row(5).id]);
    expect(flags().filter((f) => f.r === 1).map((f) => f.id)).toEqual([row(5).id]);
    expect((await listEvaluations(database.db, { pending: true, discrepancies: true, limit: 10 })).map((r) => r.id)).toEqual([row(0).id]);
    // a later review marks its evaluation reviewed; so does a dispute accepted (its trigger writes the review)
    database.sqlite.prepare("INSERT INTO reviews VALUES ('rv_2', ?, 'tok_r', '[]', NULL, '2025-01-02T00:00:00.000Z')").run(row(2).id);
    database.sqlite
      .prepare("INSERT INTO disputes VALUES ('dp_1', ?, 'unit-a', 'payment', 'recomputed', 4, 8, '标准', '理由', 'tok_u', '2025-01-03T00:00:00.000Z')")
      .run(row(0).id);
    database.sqlite.prepare("INSERT INTO dispute_answers VALUES ('dp_1', 'accepted', 6, '接受', 'tok_r', '2025-01-04T00:00:00.000Z')").run();
    expect(flags().filter((f) => f.r === 1).map((f) => f.id)).toEqual([row(0).id, row(2).id, row(5).id]);
    const review = database.sqlite.prepare("SELECT items, comment FROM reviews WHERE id = 'rv_dp_1'").get() as { items: string; comment: string };
    expect(JSON.parse(review.items)).toEqual([{ itemId: 'payment', points: 6, reason: '接受' }]);
    expect(review.comment).toBe('接受申诉 dp_1');
    await database.close();
  });
});

describe('GET /v1/evaluations filter combinations', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());

  it('offered combinations answer 200', async () => {
    for (const q of ['', 'unit=x', 'unit=x&year=2022', 'year=2022', 'ruleset=gd-meizhou-2022', 'ruleset=gd-meizhou-2022&year=2022', 'grade=good', 'grade=good&year=2022',
      'pending=true', 'pending=true&year=2022', 'discrepancies=true', 'discrepancies=true&year=2022', 'pending=true&discrepancies=true']) {
      expect((await t.send('GET', `/v1/evaluations?${q}`, { token: t.tokens.bureau })).status, q).toBe(200);
    }
    for (const q of ['', 'year=2022', `unit=${OWN_UNIT}`, `unit=${OWN_UNIT}&year=2022`, `unit=${OTHER_UNIT}`]) {
      expect((await t.send('GET', `/v1/evaluations?${q}`, { token: t.tokens.unit })).status, q).toBe(200);
    }
  });

  it('a combination not offered is 400 BAD_REQUEST naming its parameters', async () => {
    const r = await t.send('GET', '/v1/evaluations?unit=x&grade=good', { token: t.tokens.reviewer });
    expectError(r, 400, 'BAD_REQUEST');
    expect(r.body.error.message).toMatch(/单位（unit） \+ 等级（grade）/);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.unit', 'query.grade']);
    const both = await t.send('GET', '/v1/evaluations?ruleset=gd-meizhou-2022&grade=good&year=2022', { token: t.tokens.bureau });
    expectError(both, 400, 'BAD_REQUEST');
    expect(both.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.ruleset', 'query.grade', 'query.year']);
    const notTrue = await t.send('GET', '/v1/evaluations?pending=yes', { token: t.tokens.reviewer });
    expectError(notTrue, 400, 'BAD_REQUEST');
    expect(notTrue.body.error.details).toEqual([{ path: 'query.pending', message: '只能为 true（不筛选时省略该参数）' }]);
    const queue = await t.send('GET', '/v1/evaluations?pending=true&grade=good', { token: t.tokens.reviewer });
    expectError(queue, 400, 'BAD_REQUEST');
    expect(queue.body.error.message).toMatch(/等级（grade） \+ 未复核（pending）/);
  });

  it('a unit token is always filtered by its unit, so grade or rule set is a combination not offered', async () => {
    for (const q of ['grade=good', 'ruleset=gd-meizhou-2022', 'ruleset=gd-meizhou-2022&year=2022']) {
      const r = await t.send('GET', `/v1/evaluations?${q}`, { token: t.tokens.unit });
      expectError(r, 400, 'BAD_REQUEST');
      expect(r.body.error.message).toMatch(/预算单位令牌只能查看本单位/);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).not.toContain('query.unit');
    }
  });
});
