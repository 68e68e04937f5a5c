// What the use-cases need, built by a platform entry (Node or Workers) and passed in: ports only, no classes.
// Each use-case declares the few it uses (SubmitDeps, ViewDeps, …); ServiceDeps is all of them.
import type { DisputeDeps } from './disputes.js';
import type { EvidenceDeps } from './evidence.js';
import type { CatalogueDeps, RuleSetCatalogue } from './catalogue.js';
import type { ListDeps } from './evaluation-list.js';
import type { ViewDeps } from './evaluation-view.js';
import type { PublishDeps } from './publish.js';
import type { RescoreDeps } from './rescore.js';
import type { ReviewDeps } from './review.js';
import type { SubmitDeps } from './submit.js';
import type { VerifyDeps } from './verify.js';

export type { Principal } from './ports.js';

export interface ServiceDeps
  extends SubmitDeps,
    ViewDeps,
    ListDeps,
    VerifyDeps,
    ReviewDeps,
    PublishDeps,
    CatalogueDeps,
    RescoreDeps,
    DisputeDeps,
    EvidenceDeps {
  /** the one catalogue serves every use-case's view of the rule sets */
  readonly ruleSets: RuleSetCatalogue;
  /**
   * readiness: resolves when new evaluations can be written now, else throws the DomainError saying why (Node);
   * without it /readyz only reads (Workers: D1 reports its faults per request)
   */
  readonly readiness?: () => Promise<void>;
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

/** Lets timers and I/O run before going on (setTimeout exists on Node and Workers alike). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
