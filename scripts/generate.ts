// `npm run generate` writes every generated file; `--check` (part of `npm run check`) fails when one is stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { bundledRulesOutputs } from './generate-bundled-rules.js';
import { validatorOutputs } from './generate-validators.js';

const outputs = [...validatorOutputs(), ...bundledRulesOutputs()];
if (process.argv.includes('--check')) {
  const stale = outputs.filter(([path, source]) => {
    try {
      return readFileSync(path, 'utf8') !== source;
    } catch {
      return true;
    }
  });
  for (const [path] of stale) console.error(`${relative(process.cwd(), path)} 已过期：请运行 npm run generate 并提交。`);
  if (stale.length > 0) process.exit(1);
  console.log(`generated files are up to date (${outputs.length})`);
} else {
  for (const [path, source] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source);
    console.log(`wrote ${relative(process.cwd(), path)}`);
  }
}
