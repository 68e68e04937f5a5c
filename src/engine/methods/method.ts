// What a scoring method declares, in one module per method (registered in catalogue.ts): the fields of its award in
// a rule file, its checks, how it awards points, how it inverts, the values it gives explanations and a default
// explanation. schemas/ruleset.schema.json stays the source of truth for the award's shape; a test holds the two equal.
import { DomainError } from '../../domain/errors.js';
import type { ChecklistRequirement, MethodOutcome } from '../../domain/methods.js';
import type { Award } from '../../domain/ruleset.js';
import type { FactKind, FactMap, FactScope } from '../facts.js';

/** A field of the award object in a rule file, besides `method`. */
export type AwardField =
  /** names a fact of the rule's target (a declared or derived fact) of this kind */
  | { readonly kind: 'fact'; readonly accepts: Exclude<FactKind, 'boolean'>; readonly required: boolean; readonly label: string }
  /** a number written in the rule */
  | { readonly kind: 'number'; readonly required: boolean; readonly label: string; /** a share of 1 (shown as a percentage) */ readonly share?: boolean }
  /** one of these words, written in the rule */
  | { readonly kind: 'choice'; readonly values: readonly string[]; readonly required: boolean; readonly label: string }
  /** an object written in the rule (its shape is the schema's) */
  | { readonly kind: 'object'; readonly required: boolean; readonly label: string };

/** What a method scores with: the target's facts (derived ones included) and the leaf's points. */
export interface AwardInput {
  readonly facts: FactMap;
  /** the points the item is scored out of (after any not-applicable redistribution) */
  readonly w: number;
  /** the points the table (or the unit) gives the item */
  readonly declaredMax: number;
  readonly scope: FactScope;
}

/** A problem with one rule's award that the schema cannot see, reported by the references pass at `field`. */
export interface AwardProblem {
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

/** A set of real numbers: from … to, each end open or closed (±Infinity for an open end). */
export interface NumberInterval {
  readonly from: number;
  readonly fromInclusive: boolean;
  readonly to: number;
  readonly toInclusive: boolean;
}

/**
 * "What it would take": the input that earns a given number of points, the other inputs held as submitted.
 * Not every method has a single answer, and the type says which kind each gives.
 */
export type Inversion =
  /** the fact named by the award's `field` earns exactly the points for every value in `values` (empty: for none) */
  | {
      readonly kind: 'input';
      readonly field: string;
      readonly values: readonly NumberInterval[];
      /** other inputs that come with it (e.g. the qualitative tier the score falls in) */
      readonly with?: Readonly<Record<string, string>>;
    }
  /** the points do not depend on the facts: every input earns `points` */
  | { readonly kind: 'constant'; readonly points: number }
  /** several answers combine (a checklist): the total the unmet requirements' deductions must come to (empty: none does) */
  | { readonly kind: 'deduction'; readonly field: string; readonly deductions: readonly NumberInterval[] };

export interface MethodExample<A extends Award> {
  readonly award: A;
  /** facts named by the award's fact fields */
  readonly facts: Readonly<Record<string, unknown>>;
  /** the leaf's checklist, for methods that read it */
  readonly checklist?: readonly ChecklistRequirement[];
}

export interface ScoringMethod<A extends Award = Award> {
  /** the `method` of an award in a rule file */
  readonly name: A['method'];
  /** the method's Chinese name */
  readonly label: string;
  /** the award's fields besides `method` */
  readonly fields: { readonly [F in Exclude<keyof A, 'method'>]-?: AwardField };
  /** the values the method computes for explanation placeholders (keys of MethodOutcome.values) */
  readonly placeholders: readonly string[];
  /** an award as a rule file writes it and facts it scores (documentation, and the sample the registry tests use) */
  readonly example: MethodExample<A>;
  /** checks beyond each fact field naming a declared fact of the kind it accepts (which the references pass does) */
  check?(award: A, scope: FactScope): readonly AwardProblem[];
  /** unrounded points within [0, w] and the values explanations may show; AwardInputRejected for input it cannot score */
  award(award: A, input: AwardInput): MethodOutcome;
  /** the input that would have earned `points` of `input.w` */
  invert(award: A, input: AwardInput, points: number): Inversion;
  /** an explanation template for a case scored with this award (placeholders resolved by the templates pass) */
  defaultExplanation(award: A): string;
}

/** A method's fields in its declared order. */
export function fieldsOf(method: ScoringMethod): [string, AwardField][] {
  return Object.entries(method.fields as Readonly<Record<string, AwardField>>);
}

/** A submitted value the method cannot score (e.g. a qualitative score outside its tier): the submission is refused. */
export class AwardInputRejected extends Error {
  constructor(
    /** the award field naming the fact at fault */
    readonly field: string,
    /** for people, in Chinese */
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The value of one of an award's fields (the award passed the schema, so the field has the method's shape). */
export function awardField(award: Award, field: string): unknown {
  return Object.hasOwn(award, field) ? (award as unknown as Readonly<Record<string, unknown>>)[field] : undefined;
}

/** The number a fact field names; a missing or non-numeric fact at scoring time is a broken invariant. */
export function numberFact(facts: FactMap, factName: string): number {
  const v = Object.hasOwn(facts, factName) ? facts[factName] : undefined;
  if (typeof v !== 'number') {
    throw new DomainError('SCORING_INVARIANT_BROKEN', `计分所需的数值「${factName}」缺失或不是数值`);
  }
  return v;
}

export const ALL_NUMBERS: NumberInterval = { from: -Infinity, fromInclusive: false, to: Infinity, toInclusive: false };

export function exactly(x: number): NumberInterval {
  return { from: x, fromInclusive: true, to: x, toInclusive: true };
}

export function atMost(x: number): NumberInterval {
  return { from: -Infinity, fromInclusive: false, to: x, toInclusive: true };
}

export function atLeast(x: number): NumberInterval {
  return { from: x, fromInclusive: true, to: Infinity, toInclusive: false };
}

export function above(x: number): NumberInterval {
  return { from: x, fromInclusive: false, to: Infinity, toInclusive: false };
}

export function between(from: number, to: number): NumberInterval {
  return { from, fromInclusive: true, to, toInclusive: true };
}

export function inInterval(x: number, i: NumberInterval): boolean {
  return (i.fromInclusive ? x >= i.from : x > i.from) && (i.toInclusive ? x <= i.to : x < i.to);
}

/**
 * The inverse shared by the methods of the shape "a ≥ t → w, else a ÷ t × w" with negative inputs counted as 0
 * (正向, 预算执行率, threshold rate): w at t and above, a = p·t ÷ w between, and 0 for a ≤ 0.
 */
export function invertProportional(field: string, t: number, w: number, points: number): Inversion {
  const values =
    w <= 0
      ? points === 0 ? [ALL_NUMBERS] : []
      : points === w ? [atLeast(t)]
      : points === 0 ? [atMost(0)]
      : points > 0 && points < w ? [exactly((points * t) / w)]
      : [];
  return { kind: 'input', field, values };
}
