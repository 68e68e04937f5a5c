// Group commit: evaluations submitted at about the same time are written by one multi-row INSERT — one
// transaction, one fsync — and each request is answered only after that commit. On SQLite, where every commit
// waits for the disk, this is what lets concurrent submissions share the cost of durability.
import type { DB, EvaluationsTable } from '../storage/database.js';
import { insertEvaluationsReturningIds } from '../storage/evaluations.js';

interface Pending {
  readonly row: EvaluationsTable;
  readonly resolve: (inserted: boolean) => void;
  readonly reject: (error: unknown) => void;
}

export class EvaluationGroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: DB,
    /** runs the flush after the current round of I/O callbacks (Node: setImmediate) */
    private readonly schedule: (flush: () => void) => void = (flush) => setTimeout(flush, 0),
    /** rows per statement (SQLite takes 32,766 bound values: 16 columns × 200 rows is well inside) */
    private readonly maxRows = 200,
  ) {}

  /** Resolves once the row's commit is durable: true when inserted, false when a unique key already held it. */
  insert(row: EvaluationsTable): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // requests arriving together share the commit
        this.schedule(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxRows);
      try {
        const inserted = await insertEvaluationsReturningIds(this.db, batch.map((p) => p.row));
        for (const p of batch) p.resolve(inserted.has(p.row.id));
      } catch (e) {
        // one statement: a failure (disk full, read-only, locked) stored none of the batch, so every waiting request
        // gets it (answered 507/503 by the error mapping); later batches still run
        for (const p of batch) p.reject(e);
      }
    }
  }
}
