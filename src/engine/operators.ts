// The closed catalogue of condition operators (the enum of schemas/ruleset.schema.json's factCondition.operator):
// for each, how json-rules-engine 7.3.1 evaluates it (the fast path), which condition values fit a fact of each kind
// (pass operatorValues) and where its condition's truth can change (pass bandCoverage). A Map: operator names are
// data from the rule set.

/** The kinds of fact a condition can compare (integer facts are numbers). */
export type FactKind = 'number' | 'string' | 'boolean' | 'checklist';

export interface OperatorDefinition {
  /** json-rules-engine's verdict for the fact's value against the condition's `value` */
  readonly evaluate: (factValue: unknown, value: unknown) => boolean;
  /** what is wrong with a condition's `value` for a fact of this kind, in Chinese, or null when it fits */
  readonly valueProblem: (value: unknown, kind: FactKind) => string | null;
  /**
   * The values at which the condition's truth can change: band coverage probes each, the midpoints between them and
   * beyond both ends. Called only on values valueProblem accepted.
   */
  readonly bandEdges: (value: unknown) => readonly unknown[];
}

const KIND_WORDS: Readonly<Record<FactKind, string>> = { number: '数值', string: '文字', boolean: 'true/false', checklist: '清单' };

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `数组 ${JSON.stringify(v)}`;
  if (typeof v === 'string') return `文字 ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `数值 ${v}`;
  return String(v);
}

/**
 * json-rules-engine's number validator for the order comparisons, checked before comparing as the engine does: the
 * fact's text starts with a number. A number's text does unless it is NaN, so numbers skip the string round trip,
 * which costs some 30 times the comparison.
 */
function startsWithNumber(factValue: unknown): boolean {
  switch (typeof factValue) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent — a number sent down the general path gets the same answer, only slower
    case 'number':
      return !Number.isNaN(factValue);
    default:
      return Number.parseFloat(factValue as string).toString() !== 'NaN';
  }
}

/** lessThan … greaterThanInclusive: a number fact against a number. */
function orderComparison(name: string, evaluate: OperatorDefinition['evaluate']): OperatorDefinition {
  return {
    evaluate,
    valueProblem(value, kind) {
      if (kind !== 'number') return `运算符 ${name} 只能用于数值数据项，该数据项为${KIND_WORDS[kind]}`;
      if (typeof value === 'number') return null;
      // json-rules-engine would compare 0.92 < "0.9" as numbers, but band coverage reasons over typed thresholds
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? `比较值须为数值，不能是带引号的文字 ${JSON.stringify(value)}（应写作 ${Number(value)}）`
        : `比较值须为数值，实际为${describeValue(value)}`;
    },
    bandEdges: (value) => [value],
  };
}

/** equal, notEqual: strict equality with one scalar of the fact's type, or null (a derived fact that cannot be computed). */
function equality(name: string, evaluate: OperatorDefinition['evaluate']): OperatorDefinition {
  return {
    evaluate,
    valueProblem(value, kind) {
      if (Array.isArray(value)) return `运算符 ${name} 的值不能是数组（数组从不与数据项相等；判断是否属于其中之一请用 in / notIn）`;
      if (kind === 'checklist') return `运算符 ${name} 不能用于清单数据项`;
      if (value !== null && typeof value !== kind) return `比较值须为${KIND_WORDS[kind]}，实际为${describeValue(value)}`;
      return null;
    },
    bandEdges: (value) => [value],
  };
}

/**
 * in, notIn: strict membership in an array of scalars of the fact's type. json-rules-engine calls the value's
 * indexOf, so a string value would match substrings and a number throw: such values are refused here.
 */
function membership(name: string, evaluate: OperatorDefinition['evaluate']): OperatorDefinition {
  return {
    evaluate,
    valueProblem(value, kind) {
      if (!Array.isArray(value)) return `运算符 ${name} 的值须为数组（如 [${JSON.stringify(value)}]），实际为${describeValue(value)}`;
      if (kind === 'checklist') return `运算符 ${name} 不能用于清单数据项`;
      const wrong = value.findIndex((v) => typeof v !== kind);
      return wrong === -1 ? null : `数组第 ${wrong + 1} 项须为${KIND_WORDS[kind]}，实际为${describeValue(value[wrong])}`;
    },
    bandEdges: (value) => value as readonly unknown[],
  };
}

export const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map([
  ['equal', equality('equal', (a, b) => a === b)],
  ['notEqual', equality('notEqual', (a, b) => a !== b)],
  ['lessThan', orderComparison('lessThan', (a, b) => startsWithNumber(a) && (a as number) < (b as number))],
  ['lessThanInclusive', orderComparison('lessThanInclusive', (a, b) => startsWithNumber(a) && (a as number) <= (b as number))],
  ['greaterThan', orderComparison('greaterThan', (a, b) => startsWithNumber(a) && (a as number) > (b as number))],
  ['greaterThanInclusive', orderComparison('greaterThanInclusive', (a, b) => startsWithNumber(a) && (a as number) >= (b as number))],
  ['in', membership('in', (a, b) => (b as readonly unknown[]).indexOf(a) > -1)],
  ['notIn', membership('notIn', (a, b) => (b as readonly unknown[]).indexOf(a) === -1)],
]);

/** The operator of that name; throws for a name outside the catalogue (the schema refuses those). */
export function operatorNamed(name: string): OperatorDefinition {
  const operator = OPERATORS.get(name);
  if (operator === undefined) throw new Error(`未知的运算符 ${name}`);
  return operator;
}

/** A stretch of numbers; an end at ±Infinity is open. */
export interface NumberStretch {
  readonly from: number;
  readonly fromInclusive: boolean;
  readonly to: number;
  readonly toInclusive: boolean;
}

/**
 * The numbers a fact may take for `fact <operator> value` to hold, as stretches and whether they are the holes (for
 * notEqual / notIn the condition holds everywhere but there); null when the value is not numeric (no number solves it,
 * or every number does: the caller decides by evaluating). Used by "what it would take" to solve a rule's conditions.
 */
export function numbersWhere(operator: string, value: unknown): { readonly stretches: readonly NumberStretch[]; readonly holes: boolean } | null {
  const at = (v: number): NumberStretch => ({ from: v, fromInclusive: true, to: v, toInclusive: true });
  switch (operator) {
    case 'greaterThan':
    case 'greaterThanInclusive':
      return typeof value === 'number' ? { stretches: [{ from: value, fromInclusive: operator === 'greaterThanInclusive', to: Infinity, toInclusive: false }], holes: false } : null;
    case 'lessThan':
    case 'lessThanInclusive':
      return typeof value === 'number' ? { stretches: [{ from: -Infinity, fromInclusive: false, to: value, toInclusive: operator === 'lessThanInclusive' }], holes: false } : null;
    case 'equal':
    case 'notEqual':
      // a number never equals a non-number: equal holds nowhere, notEqual everywhere
      return { stretches: typeof value === 'number' ? [at(value)] : [], holes: operator === 'notEqual' };
    case 'in':
    case 'notIn':
      return { stretches: (Array.isArray(value) ? value : []).filter((m): m is number => typeof m === 'number').map(at), holes: operator === 'notIn' };
    default:
      return null;
  }
}
