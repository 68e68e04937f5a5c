// Resolution of a rule file into the rule set that is checked, hashed, published and scored with: an extension
// (`extends` a published version, with changes) is applied to its parent, and shared rule groups are expanded into
// one rule per leaf using them. A file with neither is returned as it is, so its content hash does not change.
import type { IndicatorNode, RuleSetDocument, ScoringRule } from '../domain/ruleset.js';
import { ruleSetShapeErrors } from '../validation/index.js';
import type { Diagnostic } from './check/diagnostics.js';
import { contentHash } from './hash.js';

/** Extension depth: a rule set may rest on at most this many others (national → province → city). */
export const MAX_EXTENSION_DEPTH = 3;

type ParameterValue = number | string | boolean;

interface SharedRuleTemplate {
  readonly name: string;
  readonly priority?: number;
  readonly conditions: unknown;
  readonly event: unknown;
}

interface SharedRuleGroup {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, { readonly label: string; readonly default?: ParameterValue }>>;
  readonly rules: readonly SharedRuleTemplate[];
  readonly usedBy: readonly (string | { readonly leaf: string; readonly with?: Readonly<Record<string, ParameterValue>> })[];
}

interface RuleChange {
  readonly priority?: number;
  readonly conditions?: ScoringRule['conditions'];
  readonly case?: string;
  readonly award?: ScoringRule['event']['params']['award'];
  readonly explanation?: string;
}

/** A rule file as written: a whole rule set, or an extension of a published one; either may use shared rule groups. */
export interface RuleSetSourceDocument extends Partial<Omit<RuleSetDocument, 'id' | 'version'>> {
  readonly id: string;
  readonly version: string;
  readonly extends?: { readonly id: string; readonly version: string };
  readonly sharedRuleGroups?: Readonly<Record<string, SharedRuleGroup>>;
  readonly indicatorChanges?: Readonly<Record<string, { readonly name?: string; readonly points?: number; readonly description?: string; readonly checklist?: IndicatorNode['checklist'] }>>;
  readonly ruleChanges?: Readonly<Record<string, RuleChange>>;
  readonly removeRules?: readonly string[];
}

/** The resolved parent of an extension, looked up by exact id and version (published or bundled). */
export type ParentLookup = (id: string, version: string) => Promise<RuleSetDocument | undefined>;

export interface Resolution {
  /** the resolved document, or null when resolution failed (the diagnostics say why) */
  readonly document: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

/** Fields an extension may give to replace its parent's (the rest are inherited). */
const REPLACEABLE = ['title', 'document', 'issuer', 'fiscalYears', 'changelog', 'provisional', 'provisionalNote', 'total', 'rounding', 'notApplicable', 'grades'] as const;
/** Fields only a rule file has: never in a resolved document. */
export const SOURCE_ONLY_FIELDS = ['extends', 'sharedRuleGroups', 'indicatorChanges', 'ruleChanges', 'removeRules'] as const;

export function needsResolution(input: unknown): boolean {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && SOURCE_ONLY_FIELDS.some((f) => Object.hasOwn(input, f));
}

/**
 * Resolves a rule file. Input that needs no resolution (or is not even an object) is returned unchanged for the
 * checker to judge; a file that uses extension or shared groups must pass the schema first, and every reference it
 * makes (parent, indicator, rule, leaf, parameter) must exist. The result still goes through every check.
 */
export async function resolveRuleSet(input: unknown, parentOf: ParentLookup): Promise<Resolution> {
  const wanted = needsResolution(input) ? (input as { extends?: unknown }).extends : undefined;
  const named = typeof wanted === 'object' && wanted !== null ? (wanted as { id?: unknown; version?: unknown }) : undefined;
  // the one asynchronous step: fetch the parent the file names (if it names one well enough to look up)
  const parent = typeof named?.id === 'string' && typeof named.version === 'string' ? await parentOf(named.id, named.version) : undefined;
  return resolveRuleSetWith(input, (id, version) => (parent && parent.id === id && parent.version === version ? parent : undefined));
}

/** resolveRuleSet with its parent at hand (e.g. from a registry already loaded). */
export function resolveRuleSetWith(input: unknown, parentOf: (id: string, version: string) => RuleSetDocument | undefined): Resolution {
  if (!needsResolution(input)) return { document: input, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, message: string, location: string) => diagnostics.push({ pass: 'resolve', code, severity: 'error', message, location });
  let shape;
  try {
    shape = ruleSetShapeErrors(input);
  } catch (e) {
    report('CHECK_PASS_FAILED', `规则集展开前的格式检查意外中断（${e instanceof Error ? e.message : String(e)}）`, '$');
    return { document: null, diagnostics };
  }
  if (shape.length > 0) {
    for (const e of shape) diagnostics.push({ pass: 'schema', code: 'SCHEMA_VIOLATION', severity: 'error', message: e.message, location: e.path });
    return { document: null, diagnostics };
  }
  const source = input as RuleSetSourceDocument;
  let base: Record<string, unknown>;
  if (source.extends) {
    const parent = parentOf(source.extends.id, source.extends.version);
    if (!parent) {
      report('EXTENDS_NOT_FOUND', `所依据的规则集 ${source.extends.id} ${source.extends.version} 不存在（须为已发布或随服务提供的版本，写明确切版本号）`, '$.extends');
      return { document: null, diagnostics };
    }
    if (parent.id === source.id && parent.version === source.version) {
      report('EXTENDS_CYCLE', `规则集 ${source.id} ${source.version} 不能以自身为依据`, '$.extends');
      return { document: null, diagnostics };
    }
    const lineage = [...(parent.basedOn ?? []), { id: parent.id, version: parent.version, sha256: contentHash(parent) }];
    if (lineage.length > MAX_EXTENSION_DEPTH) {
      report(
        'EXTENDS_TOO_DEEP',
        `规则集层层依据不能超过 ${MAX_EXTENSION_DEPTH} 层（现为 ${lineage.map((l) => `${l.id} ${l.version}`).join(' → ')} → ${source.id} ${source.version}）`,
        '$.extends',
      );
      return { document: null, diagnostics };
    }
    base = applyExtension(structuredClone(parent) as unknown as Record<string, unknown>, source, lineage, report);
  } else {
    base = { ...(structuredClone(source) as unknown as Record<string, unknown>) };
  }
  for (const f of SOURCE_ONLY_FIELDS) delete base[f];
  base.rules = [...((base.rules as ScoringRule[] | undefined) ?? []), ...expandSharedGroups(source, base, report)];
  if (diagnostics.length > 0) return { document: null, diagnostics };
  return { document: base, diagnostics };
}

function applyExtension(
  parent: Record<string, unknown>,
  source: RuleSetSourceDocument,
  lineage: RuleSetDocument['basedOn'],
  report: (code: string, message: string, location: string) => void,
): Record<string, unknown> {
  // identity first, lineage next: the resolved document reads like a hand-written one
  const out: Record<string, unknown> = { ...(source.$schema !== undefined ? { $schema: source.$schema } : {}), id: source.id, version: source.version, basedOn: lineage };
  for (const [key, value] of Object.entries(parent)) {
    if (key !== '$schema' && key !== 'id' && key !== 'version' && key !== 'basedOn') out[key] = value;
  }
  for (const key of REPLACEABLE) {
    if (Object.hasOwn(source, key)) out[key] = structuredClone(source[key]);
  }
  // a table that is no longer provisional drops the parent's note on why it was
  if (source.provisional === false && !Object.hasOwn(source, 'provisionalNote')) delete out.provisionalNote;
  if (source.ruleGroups) out.ruleGroups = { ...((out.ruleGroups as object | undefined) ?? {}), ...structuredClone(source.ruleGroups) };

  const nodes = new Map<string, Record<string, unknown>>();
  const visit = (list: unknown) => {
    for (const node of list as Record<string, unknown>[]) {
      nodes.set(node.id as string, node);
      if (node.children) visit(node.children);
    }
  };
  visit(out.indicators);
  for (const [id, change] of Object.entries(source.indicatorChanges ?? {})) {
    const node = nodes.get(id);
    if (!node) {
      report('EXTENDS_UNKNOWN_INDICATOR', `所依据的规则集中没有指标「${id}」，无法修改`, `$.indicatorChanges.${id}`);
      continue;
    }
    Object.assign(node, structuredClone(change));
  }

  let rules = [...(out.rules as ScoringRule[])].map((r) => structuredClone(r));
  const byName = new Map(rules.map((r) => [r.name, r]));
  for (const [name, change] of Object.entries(source.ruleChanges ?? {})) {
    const rule = byName.get(name) as { priority?: number; conditions: unknown; event: { params: Record<string, unknown> } } | undefined;
    if (!rule) {
      report('EXTENDS_UNKNOWN_RULE', `所依据的规则集中没有规则「${name}」，无法修改`, `$.ruleChanges["${name}"]`);
      continue;
    }
    if (change.priority !== undefined) rule.priority = change.priority;
    if (change.conditions !== undefined) rule.conditions = structuredClone(change.conditions);
    for (const key of ['case', 'award', 'explanation'] as const) {
      if (change[key] !== undefined) rule.event.params[key] = structuredClone(change[key]);
    }
  }
  const removed = new Set<string>();
  (source.removeRules ?? []).forEach((name, i) => {
    if (!byName.has(name)) report('EXTENDS_UNKNOWN_RULE', `所依据的规则集中没有规则「${name}」，无法删除`, `$.removeRules[${i}]`);
    removed.add(name);
  });
  rules = rules.filter((r) => !removed.has(r.name));
  (source.rules ?? []).forEach((rule, i) => {
    if (byName.has(rule.name) && !removed.has(rule.name)) {
      report('EXTENDS_DUPLICATE_RULE', `所依据的规则集已有规则「${rule.name}」；修改它请写在 ruleChanges 中`, `$.rules[${i}].name`);
    }
    rules.push(structuredClone(rule));
  });
  out.rules = rules;
  return out;
}

const PLACEHOLDER = /\{@([A-Za-z][A-Za-z0-9_]*)\}/g;
const WHOLE_PLACEHOLDER = /^\{@([A-Za-z][A-Za-z0-9_]*)\}$/;
/** Nodes visited when substituting one template rule: a template is at most a few hundred values (schema caps). */
const MAX_TEMPLATE_VALUES = 10_000;

/** One rule per (group, leaf using it, template rule): named <leaf>.<rule>, applying to the leaf, tagged with the group. */
function expandSharedGroups(
  source: RuleSetSourceDocument,
  resolved: Record<string, unknown>,
  report: (code: string, message: string, location: string) => void,
): ScoringRule[] {
  const groups = source.sharedRuleGroups;
  if (!groups) return [];
  const leaves = new Map<string, string>();
  const visit = (list: unknown) => {
    for (const node of list as { id: string; name: string; children?: unknown }[]) {
      if (node.children) visit(node.children);
      else leaves.set(node.id, node.name);
    }
  };
  visit(resolved.indicators);
  const out: ScoringRule[] = [];
  for (const [groupId, group] of Object.entries(groups)) {
    const at = `$.sharedRuleGroups.${groupId}`;
    const declared = group.parameters ?? {};
    group.usedBy.forEach((use, u) => {
      const leaf = typeof use === 'string' ? use : use.leaf;
      const given = typeof use === 'string' ? {} : (use.with ?? {});
      const useAt = `${at}.usedBy[${u}]`;
      const leafName = leaves.get(leaf);
      if (leafName === undefined) {
        report('SHARED_GROUP_UNKNOWN_LEAF', `共用规则组「${group.name}」用于「${leaf}」，但规则集中没有这个末级指标`, useAt);
        return;
      }
      const values = new Map<string, ParameterValue>([['indicator', leafName]]);
      for (const [name, p] of Object.entries(declared)) {
        if (Object.hasOwn(given, name)) values.set(name, given[name]!);
        else if (p.default !== undefined) values.set(name, p.default);
        else report('SHARED_GROUP_PARAMETER_MISSING', `「${leafName}」使用共用规则组「${group.name}」时须给出参数「${name}」（${p.label}）`, `${useAt}.with`);
      }
      for (const name of Object.keys(given)) {
        if (!Object.hasOwn(declared, name)) report('SHARED_GROUP_PARAMETER_UNKNOWN', `共用规则组「${group.name}」没有参数「${name}」`, `${useAt}.with.${name}`);
      }
      group.rules.forEach((template, r) => {
        const event = template.event as { params?: Record<string, unknown> } | null;
        if (event?.params && Object.hasOwn(event.params, 'appliesTo')) {
          report('SHARED_GROUP_APPLIES_TO', '共用规则组中的规则不写 appliesTo：展开时自动指向使用它的指标', `${at}.rules[${r}].event.params.appliesTo`);
          return;
        }
        const unknown = new Set<string>();
        const substituted = substitute({ conditions: template.conditions, event: template.event }, values, unknown) as { conditions: unknown; event: { params?: Record<string, unknown> } };
        for (const name of unknown) report('SHARED_GROUP_PARAMETER_UNKNOWN', `共用规则组「${group.name}」的规则 ${template.name} 引用了未声明的参数 {@${name}}`, `${at}.rules[${r}]`);
        const params = { appliesTo: leaf, ...(substituted.event?.params ?? {}) };
        out.push({
          name: `${leaf}.${template.name}`,
          ...(template.priority !== undefined ? { priority: template.priority } : {}),
          conditions: substituted.conditions as ScoringRule['conditions'],
          event: { ...(substituted.event as object), params } as unknown as ScoringRule['event'],
          sharedGroup: { id: groupId, name: group.name },
        });
      });
    });
  }
  return out;
}

/** A copy with {@name} replaced in every string; a string that is only {@name} becomes the value itself. Iterative. */
function substitute(value: unknown, values: ReadonlyMap<string, ParameterValue>, unknown: Set<string>): unknown {
  const replaceText = (text: string): unknown => {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole) {
      const v = values.get(whole[1]!);
      if (v === undefined) unknown.add(whole[1]!);
      return v ?? text;
    }
    return text.replace(PLACEHOLDER, (m, name: string) => {
      const v = values.get(name);
      if (v === undefined) unknown.add(name);
      return v === undefined ? m : String(v);
    });
  };
  const root: { v: unknown } = { v: undefined };
  const stack: { from: unknown; into: Record<string | number, unknown>; key: string | number }[] = [{ from: value, into: root as Record<string, unknown>, key: 'v' }];
  let visited = 0;
  while (stack.length > 0) {
    const { from, into, key } = stack.pop()!;
    if (++visited > MAX_TEMPLATE_VALUES) throw new RangeError('shared rule template too large');
    if (typeof from === 'string') into[key] = replaceText(from);
    else if (Array.isArray(from)) {
      const copy: unknown[] = new Array(from.length);
      into[key] = copy;
      for (let i = from.length - 1; i >= 0; i--) stack.push({ from: from[i], into: copy as unknown as Record<number, unknown>, key: i });
    } else if (typeof from === 'object' && from !== null) {
      // null prototype: a template key named __proto__ stays a plain key; pushed in reverse so keys keep their order
      const copy: Record<string, unknown> = Object.create(null);
      into[key] = copy;
      const keys = Object.keys(from);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ from: (from as Record<string, unknown>)[keys[i]!], into: copy, key: keys[i]! });
    } else into[key] = from;
  }
  return root.v;
}
