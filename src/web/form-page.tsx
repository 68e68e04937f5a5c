/** @jsxImportSource hono/jsx */
// The unit's 自评 form, generated from the rule-set version that applies: the indicator tree with its facts, checklist
// items as checkboxes, 不适用 and remarks per item, rows for the unit's own indicators, and the 试算 region beside it.
import type { Child } from 'hono/jsx';
import type { FactDeclaration, IndicatorNode, RuleSetDocument } from '../domain/ruleset.js';
import { DIRECTION_LABELS, TIER_LABELS } from '../domain/submission.js';
import type { ReportView } from '../report/view.js';
import { formShape, MAX_INDICATOR_ROWS, PROJECT_FIELDS, type FormFields, type FormShape } from './form.js';

/** An error as the form shows it: beside its field when it has one, always in the 试算 region's list. */
export interface FormError {
  readonly field: string | null;
  readonly message: string;
}

export interface FormPageState {
  readonly doc: RuleSetDocument;
  readonly fields: FormFields;
  readonly errors: readonly FormError[];
  readonly trial: ReportView | null;
  readonly draftId: string;
  readonly idempotencyKey: string;
  /** the unit the principal acts for (its unitId field is fixed to it) */
  readonly unitId: string | null;
  readonly notice?: string;
  /** what a field shows while it is blank (a new row's id, category and direction) */
  readonly defaults?: ReadonlyMap<string, string>;
}

function valueOf(state: FormPageState, name: string): string {
  const v = state.fields.get(name) ?? '';
  return v !== '' ? v : (state.defaults?.get(name) ?? '');
}

const LEVEL_NAMES = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标'];

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly state: FormPageState;
  readonly inputmode?: 'decimal' | 'numeric' | 'text';
  readonly readonly?: boolean;
  readonly required?: boolean;
  readonly multiline?: boolean;
  readonly placeholder?: string;
}

function errorsFor(state: FormPageState, name: string): string {
  return state.errors
    .filter((e) => e.field === name)
    .map((e) => e.message)
    .join('；');
}

function ErrorSlot({ name, state }: { name: string; state: FormPageState }) {
  return (
    <span class="field-error" id={`err-${name}`}>
      {errorsFor(state, name)}
    </span>
  );
}

function TextField({ name, label, state, inputmode, readonly, required, multiline, placeholder }: FieldProps) {
  const id = `f-${name}`;
  const value = valueOf(state, name);
  const invalid = errorsFor(state, name) !== '' ? 'true' : undefined;
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {multiline ? (
        <textarea id={id} name={name} aria-describedby={`err-${name}`} aria-invalid={invalid} rows={2}>
          {value}
        </textarea>
      ) : (
        <input
          id={id}
          name={name}
          type="text"
          value={value}
          inputmode={inputmode}
          readonly={readonly}
          aria-required={required ? 'true' : undefined}
          placeholder={placeholder}
          aria-describedby={`err-${name}`}
          aria-invalid={invalid}
          autocomplete="off"
        />
      )}
      <ErrorSlot name={name} state={state} />
    </div>
  );
}

function SelectField({ name, label, state, options }: { name: string; label: string; state: FormPageState; options: readonly (readonly [string, string])[] }) {
  const id = `f-${name}`;
  const value = valueOf(state, name);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-describedby={`err-${name}`} aria-invalid={errorsFor(state, name) !== '' ? 'true' : undefined}>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
      <ErrorSlot name={name} state={state} />
    </div>
  );
}

function factLabel(d: FactDeclaration): string {
  return d.unit ? `${d.label}（${d.unit}）` : d.label;
}

function FactField({ leafId, factName, declaration, state }: { leafId: string; factName: string; declaration: FactDeclaration; state: FormPageState }) {
  const name = `facts.${leafId}.${factName}`;
  const label = factLabel(declaration);
  if (declaration.type === 'boolean') {
    return <SelectField name={name} label={label} state={state} options={[['', '请选择'], ['true', '是'], ['false', '否']]} />;
  }
  if (declaration.type === 'string' && declaration.enum) {
    const labels = declaration.enumLabels;
    const options: [string, string][] = [['', '请选择'], ...declaration.enum.map((v): [string, string] => [v, labels && Object.hasOwn(labels, v) ? labels[v]! : v])];
    return <SelectField name={name} label={label} state={state} options={options} />;
  }
  const numeric = declaration.type === 'number' || declaration.type === 'integer';
  return <TextField name={name} label={label} state={state} inputmode={numeric ? (declaration.type === 'integer' ? 'numeric' : 'decimal') : undefined} />;
}

function Leaf({ node, level, state, shape }: { node: IndicatorNode; level: number; state: FormPageState; shape: FormShape }) {
  const leaf = shape.leaves.find((l) => l.node === node);
  if (!leaf) return null;
  const id = node.id;
  const extrasOpen = ['notApplicable', 'remarks'].some((p) => (state.fields.get(`${p}.${id}`) ?? '') !== '');
  return (
    <fieldset class="leaf" id={`leaf-${id}`}>
      <legend>
        {LEVEL_NAMES[level - 1] ?? ''} {node.name}（{node.points ?? '—'} 分）
      </legend>
      {node.description ? <p class="muted">{node.description}</p> : null}
      <span class="field-error" id={`err-facts.${id}`}>
        {errorsFor(state, `facts.${id}`)}
      </span>
      <div class="facts">
        {leaf.facts
          .filter(([, d]) => d.type !== 'checklist')
          .map(([factName, d]) => (
            <FactField leafId={id} factName={factName} declaration={d} state={state} />
          ))}
      </div>
      {leaf.facts
        .filter(([, d]) => d.type === 'checklist')
        .map(([factName, d]) => (
          <fieldset class="checklist-set">
            <legend>{d.label}（勾选已满足的要求；未满足的按所列分值扣分）</legend>
            <ul class="checklist">
              {leaf.checklist.map((r) => {
                const name = `facts.${id}.${factName}.${r.id}`;
                return (
                  <li>
                    <input type="checkbox" id={`f-${name}`} name={name} value="true" checked={state.fields.get(name) === 'true'} />{' '}
                    <label for={`f-${name}`}>
                      {r.requirement}（未满足扣 {r.deduction} 分）
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ))}
      <div class="facts">
        <TextField name={`selfAssessment.items.${id}`} label="自评分" state={state} inputmode="decimal" />
      </div>
      <details open={extrasOpen}>
        <summary>不适用、说明</summary>
        <TextField name={`notApplicable.${id}`} label="不适用原因（填写即按不适用处理，分值按规则调剂）" state={state} />
        <TextField name={`remarks.${id}`} label="说明（偏差原因、佐证材料）" state={state} multiline />
      </details>
    </fieldset>
  );
}

function Tree({ nodes, level, state, shape }: { nodes: readonly IndicatorNode[]; level: number; state: FormPageState; shape: FormShape }): Child {
  return (
    <>
      {nodes.map((node) => {
        if (node.children) {
          if (node.children.every((c) => c.unitIndicators)) {
            return (
              <p class="muted">
                {LEVEL_NAMES[level - 1] ?? ''} {node.name}（{node.points ?? '由单位分配'} 分）：由单位自设三级指标，在下方“单位自设指标”中填写。
              </p>
            );
          }
          return (
            <fieldset class="group">
              <legend>
                {LEVEL_NAMES[level - 1] ?? ''} {node.name}（{node.points ?? '—'} 分）
              </legend>
              <Tree nodes={node.children} level={level + 1} state={state} shape={shape} />
            </fieldset>
          );
        }
        if (node.unitIndicators) return null;
        return <Leaf node={node} level={level} state={state} shape={shape} />;
      })}
    </>
  );
}

/** how many rows a repeated section shows: those filled in and one empty one, within the limit */
function rowCount(fields: FormFields, prefix: 'indicators' | 'goals', limit: number): number {
  const pattern = prefix === 'indicators' ? /^indicators\.(\d{1,3})\.(\w+)$/ : /^goals\.(\d{1,2})\.(\w+)$/;
  // a blank row posts its defaults back: those alone do not make it a row
  const defaults = prefix === 'indicators' ? ['id', 'category', 'direction'] : ['id'];
  let last = -1;
  for (const [name, value] of fields) {
    const m = pattern.exec(name);
    if (m && value !== '' && !defaults.includes(m[2]!)) last = Math.max(last, Number(m[1]));
  }
  return Math.min(last + 2, limit);
}

const TIER_OPTIONS: [string, string][] = [
  ['', '（定量指标不填）'],
  ['achieved', `${TIER_LABELS.achieved}（80%–100% 分值）`],
  ['partial', `${TIER_LABELS.partial}（60%–80% 分值）`],
  ['notAchieved', `${TIER_LABELS.notAchieved}（0–60% 分值）`],
];

function UnitIndicators({ state, shape }: { state: FormPageState; shape: FormShape }) {
  const rows = rowCount(state.fields, 'indicators', MAX_INDICATOR_ROWS);
  const categories: [string, string][] = shape.slots.map((s) => [s.id, s.namePath.join(' · ')]);
  const directions = Object.entries(DIRECTION_LABELS) as [string, string][];
  return (
    <fieldset class="group" id="unit-indicators">
      <legend>单位自设指标（三级指标：名称、计量单位、方向、年度指标值、实际完成值、分值）</legend>
      <p class="muted">每行一项；填写后再试算或保存，会多出一行空行用于添加。空行不提交。</p>
      {Array.from({ length: rows }, (_, n) => {
        const p = `indicators.${n}`;
        const withDefaults: FormPageState = {
          ...state,
          defaults: new Map([
            [`${p}.id`, `u${n + 1}`],
            [`${p}.category`, shape.slots[0]?.id ?? ''],
            [`${p}.direction`, 'gte'],
          ]),
        };
        return (
          <fieldset class="indicator-row" id={`row-${p}`}>
            <legend>自设指标 {n + 1}</legend>
            <span class="field-error" id={`err-${p}`}>
              {errorsFor(state, p)}
            </span>
            <div class="facts">
              <TextField name={`${p}.id`} label="编号" state={withDefaults} />
              <SelectField name={`${p}.category`} label="所属二级指标" state={withDefaults} options={categories} />
              <TextField name={`${p}.name`} label="指标名称" state={withDefaults} />
              <TextField name={`${p}.unitOfMeasure`} label="计量单位" state={withDefaults} />
              <SelectField name={`${p}.direction`} label="指标方向" state={withDefaults} options={directions} />
              <TextField name={`${p}.target`} label="年度指标值" state={withDefaults} />
              <TextField name={`${p}.actual`} label="实际完成值" state={withDefaults} />
              <TextField name={`${p}.points`} label="分值" state={withDefaults} inputmode="decimal" />
              <SelectField name={`${p}.tier`} label="定性评价档次" state={withDefaults} options={TIER_OPTIONS} />
              <TextField name={`${p}.chosenScore`} label="定性指标所选得分" state={withDefaults} inputmode="decimal" />
              <TextField name={`${p}.selfReported`} label="自评分" state={withDefaults} inputmode="decimal" />
              {shape.goals ? <TextField name={`${p}.goal`} label={`所属${shape.goals.label}编号`} state={withDefaults} /> : null}
            </div>
            <TextField name={`${p}.notApplicable`} label="不适用原因（填写即按不适用处理）" state={withDefaults} />
            <TextField name={`${p}.deviationReason`} label="偏差原因" state={withDefaults} multiline />
          </fieldset>
        );
      })}
    </fieldset>
  );
}

function Goals({ state, shape }: { state: FormPageState; shape: FormShape }) {
  if (!shape.goals) return null;
  const rows = Math.max(rowCount(state.fields, 'goals', shape.goals.maxGoals), 1);
  return (
    <fieldset class="group" id="goals">
      <legend>{shape.goals.label}</legend>
      {Array.from({ length: rows }, (_, n) => {
        const p = `goals.${n}`;
        const withDefault: FormPageState = { ...state, defaults: new Map([[`${p}.id`, `g${n + 1}`]]) };
        return (
          <div class="facts">
            <TextField name={`${p}.id`} label={`目标 ${n + 1} 编号`} state={withDefault} />
            <TextField name={`${p}.name`} label={`目标 ${n + 1} 名称`} state={withDefault} />
            <TextField name={`${p}.points`} label={`目标 ${n + 1} 分值`} state={withDefault} inputmode="decimal" />
          </div>
        );
      })}
    </fieldset>
  );
}

const PROJECT_LABELS: Readonly<Record<(typeof PROJECT_FIELDS)[number], string>> = {
  name: '项目名称',
  code: '项目编码',
  unitId: '单位编号',
  unitName: '单位名称',
  department: '主管部门',
  fiscalYear: '年度',
  budgetTotal: '预算总额（万元）',
};

/** The 试算 region: per item points, subtotals, total and grade — or what stops the form from being scored. */
export function TryResult({ trial, errors }: { trial: ReportView | null; errors: readonly FormError[] }) {
  return (
    <div id="try-result" aria-live="polite">
      {errors.length > 0 ? (
        <div class="error-box" role="alert">
          <p>有 {errors.length} 处需要修改：</p>
          <ul>
            {errors.map((e) => (
              <li data-error-for={e.field ?? undefined} data-message={e.message}>
                {e.field ? <a href={`#f-${e.field}`}>{e.message}</a> : e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {trial ? (
        <>
          <p>
            试算总分 <strong data-testid="try-total">{trial.summary.total}</strong> / {trial.summary.maxTotal}，等级{' '}
            <strong data-testid="try-grade">{trial.summary.grade.name}</strong>（{trial.summary.grade.label}）
          </p>
          {trial.summary.nextGrade ? <p class="muted">{trial.summary.nextGrade}</p> : null}
          <table class="try">
            <thead>
              <tr>
                <th scope="col">指标</th>
                <th scope="col" class="num">得分</th>
                <th scope="col" class="num">分值</th>
              </tr>
            </thead>
            <tbody>
              {trial.rows.map((r) => (
                <tr class={`level-${r.level}`} data-try-item={r.id}>
                  <th scope="row">{r.name}</th>
                  <td class="num">{r.applicable ? r.recomputed : '不适用'}</td>
                  <td class="num">{r.max}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : errors.length === 0 ? (
        <p class="muted">填写后，这里显示逐项得分、小计、总分和等级（不保存）。</p>
      ) : null}
    </div>
  );
}

export function FormBody({ state }: { state: FormPageState }) {
  const { doc } = state;
  const shape = formShape(doc);
  return (
    <>
      <h1>新建自评：{doc.title}</h1>
      <p class="muted">
        评分规则 {doc.id} 版本 {doc.version}，适用年度 {doc.fiscalYears.from}
        {doc.fiscalYears.to !== undefined ? `–${doc.fiscalYears.to}` : ' 起'}。带 * 的为必填。
      </p>
      {doc.provisional ? <p class="notice">{doc.provisionalNote ?? '该评分表为暂行版本。'}</p> : null}
      {state.notice ? (
        <p class="ok-box" role="status">
          {state.notice}
        </p>
      ) : null}
      <div class="form-layout">
        <form method="post" action="/evaluations" data-try="/evaluations/try" class="stack" id="evaluation-form" novalidate>
          <input type="hidden" name="ruleset.id" value={doc.id} />
          <input type="hidden" name="ruleset.version" value={state.fields.get('ruleset.version') ?? doc.version} />
          <input type="hidden" name="draftId" value={state.draftId} />
          <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
          <fieldset class="group">
            <legend>项目信息</legend>
            <span class="field-error" id="err-project">
              {errorsFor(state, 'project')}
            </span>
            <div class="facts">
              {PROJECT_FIELDS.map((f) => (
                <TextField
                  name={`project.${f}`}
                  label={PROJECT_LABELS[f]}
                  state={state}
                  inputmode={f === 'fiscalYear' ? 'numeric' : f === 'budgetTotal' ? 'decimal' : undefined}
                  readonly={f === 'unitId' || f === 'fiscalYear'}
                  required={f === 'name' || f === 'unitName' || f === 'unitId' || f === 'fiscalYear'}
                />
              ))}
            </div>
          </fieldset>
          <Tree nodes={doc.indicators} level={1} state={state} shape={shape} />
          <Goals state={state} shape={shape} />
          {shape.slots.length > 0 ? <UnitIndicators state={state} shape={shape} /> : null}
          <fieldset class="group">
            <legend>单位自评结论</legend>
            <div class="facts">
              <TextField name="selfAssessment.total" label="自评总分" state={state} inputmode="decimal" />
              <TextField name="selfAssessment.grade" label="自评等级" state={state} placeholder={doc.grades.map((g) => g.name).join(' / ')} />
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit" class="secondary" formaction="/evaluations/try">
              试算
            </button>
            <button type="submit" class="secondary" formaction="/drafts">
              保存草稿
            </button>
            <button type="submit">提交自评</button>
          </div>
        </form>
        <aside aria-labelledby="try-heading">
          <h2 id="try-heading">试算</h2>
          <TryResult trial={state.trial} errors={state.errors} />
        </aside>
      </div>
    </>
  );
}

/** Every field name the form shows an error slot for (error paths are matched against these). */
export function knownFieldNames(doc: RuleSetDocument, fields: FormFields): Set<string> {
  const shape = formShape(doc);
  const out = new Set<string>(['project', 'selfAssessment.total', 'selfAssessment.grade', ...PROJECT_FIELDS.map((f) => `project.${f}`)]);
  for (const leaf of shape.leaves) {
    const id = leaf.node.id;
    out.add(`facts.${id}`);
    out.add(`notApplicable.${id}`);
    out.add(`remarks.${id}`);
    out.add(`selfAssessment.items.${id}`);
    for (const [factName, d] of leaf.facts) if (d.type !== 'checklist') out.add(`facts.${id}.${factName}`);
  }
  const rows = rowCount(fields, 'indicators', MAX_INDICATOR_ROWS);
  for (let n = 0; n < rows; n++) {
    out.add(`indicators.${n}`);
    for (const f of ['id', 'category', 'name', 'unitOfMeasure', 'direction', 'target', 'actual', 'points', 'tier', 'chosenScore', 'selfReported', 'goal', 'notApplicable', 'deviationReason']) out.add(`indicators.${n}.${f}`);
  }
  if (shape.goals) for (let n = 0; n < shape.goals.maxGoals; n++) ['id', 'name', 'points'].forEach((f) => out.add(`goals.${n}.${f}`));
  return out;
}
