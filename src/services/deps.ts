// What every use-case needs, built by a platform entry (Node or Workers) and passed in.
import type { DB } from '../storage/database.js';
import type { RuleSetCatalog } from './catalog.js';
import type { EvaluationGroupCommit } from './group-commit.js';

export interface ServiceDeps {
  readonly db: DB;
  readonly catalog: RuleSetCatalog;
  /** current time; injected so tests and replays are deterministic */
  readonly clock: () => Date;
  /** where submissions are written together (Node); without it each is its own INSERT (Workers) */
  readonly groupCommit?: EvaluationGroupCommit;
  /** readiness: resolves when new evaluations can be written now, else throws the DomainError saying why (Node);
   *  without it /readyz only reads the database (Workers: D1 reports its faults per request) */
  readonly readiness?: () => Promise<void>;
}

export interface Principal {
  readonly tokenId: string;
  readonly role: 'bureau' | 'reviewer' | 'unit';
  /** set for role unit: the only unit it may submit for and read */
  readonly unitId: string | null;
}

/** Random ids and secrets from the platform's CSPRNG (Web Crypto: Node 20 and Workers alike). */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return [...buf].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomHex(12)}`;
}
