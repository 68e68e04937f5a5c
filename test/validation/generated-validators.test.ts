// Generated files are committed; this fails when any drifts from its source (schemas/, rules/): run `npm run generate`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledRulesOutputs } from '../../scripts/generate-bundled-rules.js';
import { GENERATED_PATH, QUICK_PATH, generateValidatorSource, validatorOutputs } from '../../scripts/generate-validators.js';
import { ROOT } from '../support.js';

describe('generated files', () => {
  it.each([...validatorOutputs(), ...bundledRulesOutputs()].map(([path, source]) => [path.slice(ROOT.length), path, source]))(
    '%s is up to date with its source',
    (_name, path, source) => {
      expect(readFileSync(path, 'utf8') === source, `${path} is stale: run npm run generate`).toBe(true);
    },
  );

  it('a schema changed without regeneration no longer matches the committed validators', () => {
    const changed = generateValidatorSource((file) => {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', file), 'utf8'));
      if (file === 'review.schema.json') schema.properties.items.items.properties.reason.maxLength = 10;
      return schema;
    });
    expect(changed === readFileSync(GENERATED_PATH, 'utf8')).toBe(false);
  });

  it.each([GENERATED_PATH, QUICK_PATH])('%s needs no code generation at run time and imports nothing', (path) => {
    const source = readFileSync(path, 'utf8');
    expect(source).not.toMatch(/\bnew Function\b|\beval\(|\brequire\(|^import /m);
  });

  it.each([GENERATED_PATH, QUICK_PATH])('%s appends a referenced validator’s errors in place (concat made collecting errors quadratic)', (path) => {
    const source = readFileSync(path, 'utf8');
    expect(source).not.toContain('.concat(');
    expect(source).toContain('appendErrors(vErrors, ');
  });

  it('every schema has a stable $id and is JSON Schema 2020-12', () => {
    for (const f of ['ruleset', 'submission', 'result', 'golden-case', 'review', 'ruleset-publish', 'api']) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${f}.schema.json`), 'utf8'));
      expect(schema.$id).toBe(`https://jxzp.example/schemas/${f}.schema.json`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
  });
});
