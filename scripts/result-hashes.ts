// Writes test/result-hashes.json: the hashes of what scoring gives for the fixed corpus (test/result-corpus.ts). Run it
// only when a change is meant to alter results, and say so in the commit; a speed-up must leave them unchanged.
import { writeFileSync } from 'node:fs';
import { corpusHashes } from '../test/result-corpus.js';

writeFileSync(new URL('../test/result-hashes.json', import.meta.url), `${JSON.stringify(corpusHashes(), null, 2)}\n`);
console.log('wrote test/result-hashes.json');
