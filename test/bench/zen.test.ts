// The GoRules ZEN decision model the bench runs beside ours (bench/zen.ts) scores national-table submissions without
// not-applicable items to the same points, total and grade as cn-mof-2020 — so the bench compares equal work.
import { describe, expect, it } from 'vitest';
import { NATIONAL_12 } from '../../bench/cases.js';
import { loadZen } from '../../bench/zen.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { compiled, readJson } from '../support.js';

describe('the ZEN decision model of the national table', () => {
  it('gives our points, total and grade on national-12 and on golden cases without not-applicable items', async () => {
    const zen = await loadZen();
    if ('unavailable' in zen) throw new Error(zen.unavailable); // an npm devDependency: present after npm ci
    try {
      const rules = compiled('cn-mof-2020');
      const submissions = [
        NATIONAL_12,
        ...['water-supply-excellent-2023', 'waste-collection-fair-2022', 'digital-stations-poor-2021'].map(
          (name) => readJson<{ submission: Record<string, unknown> }>(`rules/cn-mof-2020/cases/${name}.json`).submission,
        ),
      ];
      for (const submission of submissions) {
        const ours = scoreWithRuleSet(rules, submission);
        const theirs = (await zen.evaluate(submission)) as { total: number; grade: string; items: number[]; budgetExecution: number };
        // ZEN lists the unit's indicators in the submission's order, ours in the table's
        const byId = new Map(ours.items.map((i) => [i.id, i.points]));
        const indicators = submission.indicators as { id: string }[];
        expect([theirs.budgetExecution, ...theirs.items]).toEqual([byId.get('budgetExecution'), ...indicators.map((i) => byId.get(i.id))]);
        expect({ total: theirs.total, grade: theirs.grade }).toEqual({ total: ours.total, grade: ours.grade.code });
      }
    } finally {
      zen.dispose();
    }
  });
});
