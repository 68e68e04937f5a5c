// The unit's form ↔ a submission document: field names are the submission's JSON paths (facts.<leaf>.<fact>,
// indicators.<n>.target …), read by walking the rule set — the names a browser posts are looked up, never used as keys.
import type { ChecklistRequirement } from '../domain/methods.js';
import { walkIndicators, type FactDeclaration, type IndicatorNode, type RuleSetDocument } from '../domain/ruleset.js';
import { ownValue, type Submission, type UnitIndicator } from '../domain/submission.js';

/** The posted form: name → value (the last one wins); a Map, so no posted name becomes an object key. */
export type FormFields = ReadonlyMap<string, string>;

/** Rows the form offers for the unit's own indicators and for goals (the schema's own limits). */
export const MAX_INDICATOR_ROWS = 200;
export const MAX_GOAL_ROWS = 10;
/** fields read from one post at most (the body limit bounds their size) */
export const MAX_FORM_FIELDS = 5000;

export const PROJECT_FIELDS = ['name', 'code', 'unitId', 'unitName', 'department', 'fiscalYear', 'budgetTotal'] as const;
const PROJECT_NUMBERS = new Set(['fiscalYear', 'budgetTotal']);
export const INDICATOR_FIELDS = [
  'id',
  'category',
  'name',
  'unitOfMeasure',
  'direction',
  'target',
  'actual',
  'tier',
  'chosenScore',
  'points',
  'notApplicable',
  'deviationReason',
  'goal',
  'selfReported',
] as const;
/** fields of an indicator row that are filled by default; a row with nothing else filled is an empty row */
const ROW_DEFAULTS = new Set(['id', 'category', 'direction']);
const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A leaf of the table with what the form asks for it. */
export interface FormLeaf {
  readonly node: IndicatorNode;
  readonly namePath: readonly string[];
  readonly facts: readonly (readonly [string, FactDeclaration])[];
  readonly checklist: readonly ChecklistRequirement[];
}

/** The parts of a rule set the form is generated from. */
export interface FormShape {
  readonly leaves: readonly FormLeaf[];
  /** places for the unit's own indicators: category id → names from the first level down */
  readonly slots: readonly { readonly id: string; readonly namePath: readonly string[] }[];
  readonly goals: { readonly label: string; readonly maxGoals: number } | null;
}

export function formShape(doc: RuleSetDocument): FormShape {
  const leaves: FormLeaf[] = [];
  const slots: { id: string; namePath: readonly string[] }[] = [];
  let goals: FormShape['goals'] = null;
  for (const visit of walkIndicators(doc.indicators)) {
    const node = visit.node;
    if (node.goals && !goals) goals = { label: node.goals.label, maxGoals: Math.min(node.goals.maxGoals, MAX_GOAL_ROWS) };
    if (node.children) continue;
    if (node.unitIndicators) {
      slots.push({ id: node.id, namePath: visit.namePath });
      continue;
    }
    leaves.push({ node, namePath: visit.namePath, facts: Object.entries(node.facts ?? {}), checklist: node.checklist ?? [] });
  }
  return { leaves, slots, goals };
}

/** A number when the text is one, else the text (the validator then says, in Chinese, what was expected). */
function numberOrText(text: string): number | string {
  return NUMERIC.test(text.trim()) ? Number(text.trim()) : text;
}

/** A fresh null-prototype record: keys from the rule set or the person never reach Object.prototype. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The submission the form's fields stand for (as plain JSON, the same document the JSON API takes). */
export function formToSubmission(doc: RuleSetDocument, fields: FormFields, shape: FormShape = formShape(doc)): Submission {
  const text = (name: string): string => fields.get(name) ?? '';
  const filled = (name: string): boolean => text(name).trim() !== '';

  const project = record<unknown>();
  for (const f of PROJECT_FIELDS) {
    const name = `project.${f}`;
    if (!filled(name)) continue;
    project[f] = PROJECT_NUMBERS.has(f) ? numberOrText(text(name)) : text(name);
  }

  const facts = record<Record<string, unknown>>();
  const notApplicable = record<string>();
  const remarks = record<string>();
  const selfItems = record<number | string>();
  for (const leaf of shape.leaves) {
    const id = leaf.node.id;
    const leafNa = filled(`notApplicable.${id}`);
    if (leafNa) notApplicable[id] = text(`notApplicable.${id}`);
    if (filled(`remarks.${id}`)) remarks[id] = text(`remarks.${id}`);
    if (filled(`selfAssessment.items.${id}`)) selfItems[id] = numberOrText(text(`selfAssessment.items.${id}`));
    const values = record<unknown>();
    for (const [factName, declaration] of leaf.facts) {
      const name = `facts.${id}.${factName}`;
      if (declaration.type === 'checklist') {
        const answers = record<boolean>();
        let anyMet = false;
        for (const r of leaf.checklist) {
          answers[r.id] = text(`${name}.${r.id}`) === 'true';
          anyMet ||= answers[r.id]!;
        }
        // a leaf that does not apply needs no answers: all unticked there means none were given
        if (leaf.checklist.length > 0 && (anyMet || !leafNa)) values[factName] = answers;
        continue;
      }
      if (!filled(name)) continue;
      const value = text(name);
      if (declaration.type === 'number' || declaration.type === 'integer') values[factName] = numberOrText(value);
      else if (declaration.type === 'boolean') values[factName] = value === 'true' ? true : value === 'false' ? false : value;
      else values[factName] = value;
    }
    if (Object.keys(values).length > 0) facts[id] = values;
  }

  const goals: Record<string, unknown>[] = [];
  if (shape.goals) {
    for (let n = 0; n < shape.goals.maxGoals; n++) {
      const p = `goals.${n}`;
      if (!filled(`${p}.name`) && !filled(`${p}.points`)) continue;
      const goal = record<unknown>();
      goal.id = text(`${p}.id`);
      goal.name = text(`${p}.name`);
      if (filled(`${p}.points`)) goal.points = numberOrText(text(`${p}.points`));
      goals.push(goal);
    }
  }

  const indicators: Record<string, unknown>[] = [];
  if (shape.slots.length > 0) {
    for (let n = 0; n < MAX_INDICATOR_ROWS; n++) {
      const p = `indicators.${n}`;
      if (!INDICATOR_FIELDS.some((f) => !ROW_DEFAULTS.has(f) && filled(`${p}.${f}`))) continue;
      const row = record<unknown>();
      for (const f of INDICATOR_FIELDS) {
        const name = `${p}.${f}`;
        if (f === 'selfReported' || !filled(name)) continue;
        if (f === 'target' || f === 'actual' || f === 'chosenScore' || f === 'points') row[f] = numberOrText(text(name));
        else row[f] = text(name);
      }
      if (typeof row.id === 'string' && filled(`${p}.selfReported`)) selfItems[row.id] = numberOrText(text(`${p}.selfReported`));
      indicators.push(row);
    }
  }

  const selfAssessment = record<unknown>();
  if (filled('selfAssessment.total')) selfAssessment.total = numberOrText(text('selfAssessment.total'));
  if (filled('selfAssessment.grade')) selfAssessment.grade = text('selfAssessment.grade');
  if (Object.keys(selfItems).length > 0) selfAssessment.items = selfItems;

  const ruleset = record<unknown>();
  ruleset.id = text('ruleset.id');
  if (filled('ruleset.version')) ruleset.version = text('ruleset.version');

  const submission = record<unknown>();
  submission.ruleset = ruleset;
  submission.project = project;
  if (Object.keys(facts).length > 0) submission.facts = facts;
  if (Object.keys(notApplicable).length > 0) submission.notApplicable = notApplicable;
  if (Object.keys(remarks).length > 0) submission.remarks = remarks;
  if (indicators.length > 0) submission.indicators = indicators;
  if (goals.length > 0) submission.goals = goals;
  if (Object.keys(selfAssessment).length > 0) submission.selfAssessment = selfAssessment;
  // plain JSON from here on, exactly what the JSON API would have parsed
  return JSON.parse(JSON.stringify(submission)) as Submission;
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** The inverse: a submission (stored, or a draft's source) as the form's fields, to fill the form in. */
export function submissionToFields(doc: RuleSetDocument, submission: Submission, shape: FormShape = formShape(doc)): Map<string, string> {
  const out = new Map<string, string>();
  const put = (name: string, v: unknown) => {
    const s = shown(v);
    if (s !== '') out.set(name, s);
  };
  put('ruleset.id', submission.ruleset?.id);
  put('ruleset.version', submission.ruleset?.version);
  for (const f of PROJECT_FIELDS) put(`project.${f}`, ownValue(submission.project as unknown as Record<string, unknown>, f));
  const selfItems = submission.selfAssessment?.items;
  for (const leaf of shape.leaves) {
    const id = leaf.node.id;
    put(`notApplicable.${id}`, ownValue(submission.notApplicable, id));
    put(`remarks.${id}`, ownValue(submission.remarks, id));
    put(`selfAssessment.items.${id}`, ownValue(selfItems, id));
    const values = ownValue(submission.facts, id);
    for (const [factName, declaration] of leaf.facts) {
      const value = ownValue(values, factName);
      if (declaration.type === 'checklist') {
        for (const r of leaf.checklist) {
          if (value && typeof value === 'object' && ownValue(value as Record<string, boolean>, r.id) === true) out.set(`facts.${id}.${factName}.${r.id}`, 'true');
        }
      } else put(`facts.${id}.${factName}`, value);
    }
  }
  (submission.goals ?? []).slice(0, MAX_GOAL_ROWS).forEach((g, n) => {
    put(`goals.${n}.id`, g.id);
    put(`goals.${n}.name`, g.name);
    put(`goals.${n}.points`, g.points);
  });
  (submission.indicators ?? []).slice(0, MAX_INDICATOR_ROWS).forEach((indicator: UnitIndicator, n) => {
    for (const f of INDICATOR_FIELDS) {
      if (f !== 'selfReported') put(`indicators.${n}.${f}`, ownValue(indicator as unknown as Record<string, unknown>, f));
    }
    put(`indicators.${n}.selfReported`, ownValue(selfItems, indicator.id));
  });
  put('selfAssessment.total', submission.selfAssessment?.total);
  put('selfAssessment.grade', submission.selfAssessment?.grade);
  return out;
}

/** Form fields from a posted body, bounded: a Map, in order, the last value of a repeated name winning. */
export function fieldsFromFormData(data: FormData): Map<string, string> {
  const out = new Map<string, string>();
  let n = 0;
  for (const [name, value] of data) {
    if (++n > MAX_FORM_FIELDS) break;
    if (typeof value === 'string') out.set(name, value);
  }
  return out;
}

/**
 * The field an error's JSON path points at ($.facts.x.y → facts.x.y, $.indicators[2].target → indicators.2.target),
 * or the nearest enclosing one the form shows (a leaf, an indicator row); null when none.
 */
export function fieldForPath(path: string, known: ReadonlySet<string>): string | null {
  const parts = path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((p) => p !== '');
  for (let end = parts.length; end > 0; end--) {
    const name = parts.slice(0, end).join('.');
    if (known.has(name)) return name;
  }
  return null;
}
