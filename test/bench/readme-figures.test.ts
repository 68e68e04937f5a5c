// README's 性能 figures and the charts in docs/bench/ are generated from the committed bench/results.json by
// scripts/bench-report.ts: this fails when someone edits a figure by hand or commits results without regenerating.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHART_DIR, readmeBlock, readResults, renderCharts, renderReadmeBlock, staleFiles, writeReport } from '../../scripts/bench-report.js';
import { ROOT } from '../support.js';

const results = () => readResults(ROOT);
const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8');

/** A copy of what the report reads and writes (README.md, bench/results.json, docs/bench/), to mutate. */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-readme-figures-'));
  mkdirSync(join(dir, 'bench'));
  cpSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
  cpSync(join(ROOT, 'bench/results.json'), join(dir, 'bench/results.json'));
  if (existsSync(join(ROOT, CHART_DIR))) cpSync(join(ROOT, CHART_DIR), join(dir, CHART_DIR), { recursive: true });
  made.push(dir);
  return dir;
}
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('README 性能 figures', () => {
  it('the generated block in README.md is what bench/results.json gives', () => {
    const block = readmeBlock(readme());
    expect(block, 'README.md lacks the <!-- bench:begin --> … <!-- bench:end --> markers').not.toBeNull();
    expect(block).toBe(renderReadmeBlock(results()));
  });

  it('every chart in docs/bench/ is what bench/results.json gives', () => {
    for (const [name, svg] of Object.entries(renderCharts(results()))) {
      const file = join(ROOT, CHART_DIR, name);
      expect(existsSync(file), `${CHART_DIR}/${name} missing (npm run bench:report)`).toBe(true);
      expect(readFileSync(file, 'utf8'), name).toBe(svg);
    }
    expect(staleFiles(ROOT, results())).toEqual([]);
  });

  it('a number changed in results.json makes README stale, and the report brings it back in line', () => {
    const dir = copyOfRepository();
    const changed = results();
    const national = changed.inProcess.national12.ours;
    national.perSecond += 1234;
    writeFileSync(join(dir, 'bench/results.json'), JSON.stringify(changed));
    expect(staleFiles(dir, changed)).toContain('README.md');
    expect(renderReadmeBlock(changed)).not.toBe(readmeBlock(readme()));

    writeReport(dir);
    expect(staleFiles(dir, changed)).toEqual([]);
    const block = readmeBlock(readFileSync(join(dir, 'README.md'), 'utf8'))!;
    const shown = Math.round(national.perSecond).toLocaleString('en-US');
    expect(block).toContain(`| ${shown} |`);
    // only the block changes: the text around it is the committed README's
    const outside = (text: string) => text.replace(readmeBlock(text)!, '');
    expect(outside(readFileSync(join(dir, 'README.md'), 'utf8'))).toBe(outside(readme()));
  });

  it('a figure edited by hand in README is caught', () => {
    const dir = copyOfRepository();
    const text = readFileSync(join(dir, 'README.md'), 'utf8');
    const block = readmeBlock(text)!;
    // the first table figure of the block, one digit changed
    const figure = /\| (\d[\d,.]*) \|/.exec(block)!;
    const edited = figure[1]!.replace(/\d(?=[^\d]*$)/, (d) => String((Number(d) + 1) % 10));
    writeFileSync(join(dir, 'README.md'), text.replace(block, block.replace(figure[0], `| ${edited} |`)));
    expect(staleFiles(dir, results())).toEqual(['README.md']);
  });

  it('a chart edited by hand is caught', () => {
    // the committed results may lack a charted section (a partial run): give the copy one, so there is a chart to edit
    const dir = copyOfRepository();
    const withScale = results();
    withScale.scale ??= {
      sizes: Object.fromEntries([12, 60, 240, 1000].map((leaves) => [String(leaves), { leaves, ours: { perSecond: 1e5 / leaves }, naiveJsonRulesEngine: { perSecond: 1e4 / leaves }, handWritten: { perSecond: 1e7 / leaves } }])),
    };
    writeFileSync(join(dir, 'bench/results.json'), JSON.stringify(withScale));
    writeReport(dir);
    expect(staleFiles(dir, withScale)).toEqual([]);
    const file = join(dir, CHART_DIR, 'scale.svg');
    expect(readFileSync(file, 'utf8')).toContain('<title id="title">规模曲线');
    writeFileSync(file, readFileSync(file, 'utf8').replace('</svg>', '<!-- edited --></svg>'));
    expect(staleFiles(dir, withScale)).toEqual([`${CHART_DIR}/scale.svg`]);
  });
});
