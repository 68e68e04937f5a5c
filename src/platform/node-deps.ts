// Builds the service's deps on Node: database file, rule sets from rules/ (bad files refused and reported), clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AppDeps } from '../http/env.js';
import { folderBlobStore } from './blob-folder.js';
import { EvaluationGroupCommit } from '../services/group-commit.js';
import { formatDiagnostic, loadRegistry } from './rules-dir.js';
import { serviceDepsOver } from './service-deps.js';
import { checkWritable, openDatabase, type OpenDatabase } from './sqlite.js';
import { ThreadChecker } from './thread-checker.js';

export interface NodeDepsOptions {
  readonly databasePath: string;
  readonly rulesDir: string;
  readonly bodyLimitBytes?: number;
  readonly log?: (line: string) => void;
  /** where 佐证材料 files go: EVIDENCE_DIR, else an `evidence` folder beside the database file */
  readonly evidenceDir?: string;
}

function evidenceDirFor(options: NodeDepsOptions): string {
  if (options.evidenceDir) return options.evidenceDir;
  // an in-memory database keeps its files in a fresh temporary folder, gone with the machine's temp
  return options.databasePath === ':memory:' ? mkdtempSync(join(tmpdir(), 'jxzp-evidence-')) : join(dirname(options.databasePath), 'evidence');
}

export async function buildNodeDeps(
  options: NodeDepsOptions,
): Promise<{ deps: AppDeps; database: OpenDatabase; checker: ThreadChecker }> {
  const log = options.log ?? console.error;
  const database = openDatabase(options.databasePath);
  const { registry, refused, report } = await loadRegistry(options.rulesDir);
  for (const f of refused) {
    log(`已拒绝规则集文件 ${f.file}（不会用它评分）：`);
    f.report.diagnostics.filter((d) => d.severity === 'error').forEach((d) => log(formatDiagnostic(d)));
  }
  // publishing checks run off the event loop
  const checker = new ThreadChecker();
  return {
    deps: {
      ...serviceDepsOver(database.db, {
        bundled: registry,
        bundledCases: report.cases,
        checkRuleSet: checker.check,
        groupCommit: new EvaluationGroupCommit(database.db, (flush) => setImmediate(flush)),
        readiness: async () => checkWritable(database.sqlite),
        blobs: folderBlobStore(evidenceDirFor(options)),
      }),
      log,
      ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    },
    database,
    checker,
  };
}
