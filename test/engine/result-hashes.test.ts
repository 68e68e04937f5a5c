// Results are the same bytes as when test/result-hashes.json was written (scripts/result-hashes.ts): every golden case,
// every example and 10,002 generated submissions, refusals included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusHashes, GENERATED_PER_FAMILY } from '../result-corpus.js';
import { ROOT } from '../support.js';

describe('result hashes of the fixed corpus', () => {
  it(`golden cases, examples and ${GENERATED_PER_FAMILY * 3} generated submissions score to the committed bytes, and what it would take beside each generated result is unchanged`, () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'test/result-hashes.json'), 'utf8'));
    expect(corpusHashes()).toEqual(committed);
  }, 300_000);
});
