// The tests `npm run mutation` runs against each mutant of src/engine/fast.ts, operators.ts and conditions.ts (see
// stryker.config.json). Chosen here rather than with Stryker's `testFiles`, which in 9.6.1 activates static mutants
// (module-level code, such as the operator registry) only after their module has loaded, so that they all survive
// (stryker-js#6144). Files run in the order listed, quick and pointed ones first: Stryker stops a mutant's run at its
// first failing test, and vitest would otherwise start with the slowest file.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

const MUTATION_TESTS = [
  'test/engine/operators-',
  'test/engine/conditions-',
  'test/engine/differential-',
  'test/engine/prototype-keys.test.ts',
  'test/engine/check.test.ts',
  'test/engine/checker-soundness.test.ts',
  'test/engine/golden-cases.test.ts',
  'test/engine/differential.test.ts',
];

const rank = (spec: TestSpecification) => {
  const path = spec.moduleId.replaceAll('\\', '/');
  const i = MUTATION_TESTS.findIndex((prefix) => path.includes(`/${prefix}`));
  return i === -1 ? MUTATION_TESTS.length : i;
};

class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: MUTATION_TESTS.map((prefix) => (prefix.endsWith('.ts') ? prefix : `${prefix}*.test.ts`)),
    sequence: { sequencer: ListedOrder },
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
