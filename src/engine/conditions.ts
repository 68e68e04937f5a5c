// The one walker over json-rules-engine condition trees (all / any / not / fact), as written in a rule set or as
// evaluated (json-rules-engine's result tree and the fast path's carry the same keys). Iterative, so no input depth
// can exhaust the stack; the validators cap nesting at 32 anyway (src/validation/bounds.ts).
import type { FactCondition } from '../domain/ruleset.js';

/** A condition tree whose fact conditions have type F: a rule's conditions (F = FactCondition), or an evaluated tree. */
export type ConditionTree<F> =
  | F
  | { readonly all: readonly ConditionTree<F>[] }
  | { readonly any: readonly ConditionTree<F>[] }
  | { readonly not: ConditionTree<F> };

export type Connective = 'all' | 'any' | 'not';

/**
 * The connective of a node, or null for a fact condition. json-rules-engine's order (any, then all, then not; own
 * properties only); a schema-valid node has exactly one of them.
 */
export function connectiveOf(node: object): Connective | null {
  if (Object.hasOwn(node, 'any')) return 'any';
  if (Object.hasOwn(node, 'all')) return 'all';
  if (Object.hasOwn(node, 'not')) return 'not';
  return null;
}

/** Where a node sits: its JSON path below the root's, and how many connectives enclose it (the root has 0). */
export interface ConditionSite {
  readonly location: string;
  readonly depth: number;
}

/** What a fold makes of each kind of node, given what it made of the node's children (in document order). */
export interface ConditionFold<F, R> {
  fact(condition: F, site: ConditionSite): R;
  all(parts: R[], site: ConditionSite): R;
  any(parts: R[], site: ConditionSite): R;
  not(part: R, site: ConditionSite): R;
}

interface Frame<F, R> {
  readonly node: ConditionTree<F>;
  readonly site: ConditionSite;
  readonly connective: Connective | null;
  readonly children: readonly ConditionTree<F>[];
  readonly parts: R[];
}

function frameOf<F, R>(node: ConditionTree<F>, location: string, depth: number): Frame<F, R> {
  const connective = connectiveOf(node as object);
  const children =
    connective === null ? [] : connective === 'not' ? [(node as { not: ConditionTree<F> }).not] : (node as Record<Connective, readonly ConditionTree<F>[]>)[connective];
  return { node, site: { location, depth }, connective, children, parts: [] };
}

function childLocation(parent: Frame<unknown, unknown>, index: number): string {
  const { location } = parent.site;
  return parent.connective === 'not' ? `${location}.not` : `${location}.${parent.connective}[${index}]`;
}

/**
 * Folds a tree bottom-up: every node once, children before their parent and in document order (so fact conditions
 * are met in the order they are written). `location` is the root's JSON path.
 */
export function foldCondition<R, F = FactCondition>(root: ConditionTree<NoInfer<F>>, fold: ConditionFold<F, R>, location = '$'): R {
  const stack: Frame<F, R>[] = [frameOf(root, location, 0)];
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (top.parts.length < top.children.length) {
      // a frame's parts fill as its children finish, so their count is the index of the next child to visit
      const index = top.parts.length;
      stack.push(frameOf(top.children[index]!, childLocation(top, index), top.site.depth + 1));
      continue;
    }
    stack.pop();
    const made =
      top.connective === null
        ? fold.fact(top.node as F, top.site)
        : top.connective === 'not'
          ? fold.not(top.parts[0]!, top.site)
          : fold[top.connective](top.parts, top.site);
    const parent = stack[stack.length - 1];
    if (parent === undefined) return made;
    parent.parts.push(made);
  }
}

export interface LocatedFactCondition<F> {
  readonly condition: F;
  readonly location: string;
}

/** The fact conditions of a tree in document order, each with its JSON path below `location`. */
export function factConditions<F = FactCondition>(root: ConditionTree<NoInfer<F>>, location = '$'): LocatedFactCondition<F>[] {
  const concat = (parts: LocatedFactCondition<F>[][]) => parts.flat();
  return foldCondition<LocatedFactCondition<F>[], F>(
    root,
    { fact: (condition, site) => [{ condition, location: site.location }], all: concat, any: concat, not: (part) => part },
    location,
  );
}

/**
 * The fact conditions of a tree in document order, without their paths: the same walk as factConditions for the
 * hot path (evidence of every scored item), building no paths, frames or closures.
 */
export function factConditionsInOrder<F = FactCondition>(root: ConditionTree<NoInfer<F>>): F[] {
  const out: F[] = [];
  const stack: ConditionTree<F>[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const connective = connectiveOf(node as object);
    if (connective === null) out.push(node as F);
    else if (connective === 'not') stack.push((node as { not: ConditionTree<F> }).not);
    else {
      const children = (node as Record<Connective, readonly ConditionTree<F>[]>)[connective];
      // pushed last to first, so they come off the stack in document order
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as ConditionTree<F>);
    }
  }
  return out;
}
