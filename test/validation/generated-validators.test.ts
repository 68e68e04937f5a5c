// Generated validators are committed; this fails when they drift from schemas/ (run `npm run generate`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTypesSource, generateValidatorSource, GENERATED_PATH } from '../../scripts/generate-validators.js';
import { ROOT } from '../support.js';

describe('generated validators', () => {
  it('are up to date with schemas/', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8') === generateValidatorSource()).toBe(true);
    expect(readFileSync(GENERATED_PATH.replace(/\.js$/, '.d.ts'), 'utf8')).toBe(generateTypesSource());
  });

  it('need no code generation at run time and import nothing', () => {
    const source = readFileSync(GENERATED_PATH, 'utf8');
    expect(source).not.toMatch(/\bnew Function\b|\beval\(|\brequire\(|^import /m);
  });

  it('every schema has a stable $id and is JSON Schema 2020-12', () => {
    for (const f of ['ruleset', 'submission', 'result', 'golden-case', 'review', 'ruleset-publish']) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${f}.schema.json`), 'utf8'));
      expect(schema.$id).toBe(`https://jxzp.example/schemas/${f}.schema.json`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
  });
});
