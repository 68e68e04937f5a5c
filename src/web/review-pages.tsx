/** @jsxImportSource hono/jsx */
// The evaluation list as the reviewer's queue (filters by year, unit, rule set, grade, 有差异, 未复核), and the evaluation
// page's actions: review scores with reasons, verify, 申诉 and their answers, 佐证材料 upload and download.
import type { Hono } from 'hono';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import type { AppEnv } from '../http/env.js';
import { STATUS_OF } from '../http/errors.js';
import { reportView, type ReportItemRow, type ReportView } from '../report/view.js';
import { listRuleSets } from '../services/catalogue.js';
import { answerDispute, listDisputes, raiseDispute, type Dispute } from '../services/disputes.js';
import { listEvaluations, type EvaluationListQuery, type EvaluationSummary } from '../services/evaluation-list.js';
import { getEvaluation } from '../services/evaluation-view.js';
import { attachEvidence, attachmentDisposition, downloadEvidence, listEvidence, type EvidenceEntry } from '../services/evidence.js';
import { decide } from '../services/policy.js';
import type { Principal } from '../services/ports.js';
import { addReview } from '../services/review.js';
import { verifyEvaluation, type VerifyReport } from '../services/verify.js';
import { Layout } from './layout.js';
import { emptyForm, FieldError, formFromError, FormMessage, GRADE_NAMES, invalid, requireSignIn, send, type PageContext, type PostedForm } from './page-kit.js';
import { ReportBody } from './report-page.js';

/** The page route a 佐证材料 file is posted to (multipart), for its larger body limit (src/http/app.ts). */
export const PAGE_EVIDENCE_UPLOAD_PATH = /^\/evaluations\/[^/]+\/evidence$/;

const MAX_FILTER_LENGTH = 100;
const PAGE_SIZE = 20;

// ---- the queue

export function EvaluationTable({ rows }: { rows: readonly EvaluationSummary[] }) {
  if (rows.length === 0) return <p>没有符合条件的评价记录。</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">项目</th>
          <th scope="col">单位</th>
          <th scope="col">年度</th>
          <th scope="col">评分规则</th>
          <th scope="col" class="num">总分</th>
          <th scope="col">等级</th>
          <th scope="col">自评与复算</th>
          <th scope="col">复核</th>
          <th scope="col">提交时间</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr>
            <td>
              <a href={`/evaluations/${encodeURIComponent(e.id)}`}>{e.projectName}</a>
            </td>
            <td>{e.unitId}</td>
            <td>{e.fiscalYear}</td>
            <td>
              {e.ruleset.id} {e.ruleset.version}
            </td>
            <td class="num">{e.total}</td>
            <td>{GRADE_NAMES[e.gradeCode] ?? e.gradeCode}</td>
            <td>{e.hasDiscrepancies ? <strong class="discrepancy">有差异</strong> : '一致'}</td>
            <td>{e.reviewed ? '已复核' : '未复核'}</td>
            <td>{e.createdAt}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const QUEUE_FIELDS = ['year', 'unit', 'ruleset', 'grade', 'discrepancies', 'pending'] as const;

/** The filters of the list's query string, or what is wrong with them beside their fields. */
function queueQuery(c: PageContext): { query: EvaluationListQuery; form: PostedForm } {
  const values = new Map<string, string>();
  for (const name of QUEUE_FIELDS) {
    const v = (c.req.query(name) ?? '').trim();
    if (v !== '') values.set(name, v);
  }
  const errors = new Map<string, string>();
  const query: { -readonly [K in keyof EvaluationListQuery]: EvaluationListQuery[K] } = { limit: PAGE_SIZE };
  const year = values.get('year');
  if (year !== undefined) {
    if (/^\d{4}$/.test(year)) query.year = Number(year);
    else errors.set('year', `年度应为四位数字，如 2022，不能是「${year.slice(0, MAX_FILTER_LENGTH)}」`);
  }
  for (const name of ['unit', 'ruleset'] as const) {
    const v = values.get(name);
    if (v === undefined) continue;
    if (v.length > MAX_FILTER_LENGTH) errors.set(name, `最多 ${MAX_FILTER_LENGTH} 个字符`);
    else query[name] = v;
  }
  const grade = values.get('grade');
  if (grade !== undefined) {
    if (Object.hasOwn(GRADE_NAMES, grade)) query.grade = grade;
    else errors.set('grade', '请从列表中选择等级');
  }
  if (values.get('discrepancies') === '1') query.discrepancies = true;
  if (values.get('pending') === '1') query.pending = true;
  const cursor = c.req.query('cursor');
  if (cursor) query.cursor = cursor;
  return { query, form: { values, errors, message: errors.size > 0 ? '筛选条件有误，请按提示修改' : null } };
}

function QueueFilters({ form, ruleSetIds, unit }: { form: PostedForm; ruleSetIds: readonly string[]; unit: boolean }) {
  const v = (name: string) => form.values.get(name) ?? '';
  const described = (name: string) => `err-q-${name}`;
  return (
    <form method="get" action="/evaluations" class="filters" aria-label="筛选评价">
      <div class="facts">
        <div class="field">
          <label for="q-year">年度</label>
          <input id="q-year" name="year" type="text" inputmode="numeric" size={6} value={v('year')} aria-invalid={invalid(form, 'year')} aria-describedby={described('year')} />
          <FieldError id={described('year')} form={form} name="year" />
        </div>
        {unit ? null : (
          <div class="field">
            <label for="q-unit">单位编号</label>
            <input id="q-unit" name="unit" type="text" size={18} value={v('unit')} aria-invalid={invalid(form, 'unit')} aria-describedby={described('unit')} />
            <FieldError id={described('unit')} form={form} name="unit" />
          </div>
        )}
        <div class="field">
          <label for="q-ruleset">评分规则</label>
          <select id="q-ruleset" name="ruleset" aria-invalid={invalid(form, 'ruleset')} aria-describedby={described('ruleset')}>
            <option value="">（全部）</option>
            {ruleSetIds.map((id) => (
              <option value={id} selected={v('ruleset') === id}>
                {id}
              </option>
            ))}
          </select>
          <FieldError id={described('ruleset')} form={form} name="ruleset" />
        </div>
        <div class="field">
          <label for="q-grade">等级</label>
          <select id="q-grade" name="grade" aria-invalid={invalid(form, 'grade')} aria-describedby={described('grade')}>
            <option value="">（全部）</option>
            {Object.entries(GRADE_NAMES).map(([code, name]) => (
              <option value={code} selected={v('grade') === code}>
                {name}
              </option>
            ))}
          </select>
          <FieldError id={described('grade')} form={form} name="grade" />
        </div>
        <div class="field">
          <span class="label">只看</span>
          <ul class="checklist">
            <li>
              <input id="q-discrepancies" name="discrepancies" type="checkbox" value="1" checked={v('discrepancies') === '1'} />{' '}
              <label for="q-discrepancies">自评分与复算分有差异</label>
            </li>
            <li>
              <input id="q-pending" name="pending" type="checkbox" value="1" checked={v('pending') === '1'} /> <label for="q-pending">尚未复核</label>
            </li>
          </ul>
        </div>
      </div>
      <div class="actions">
        <button type="submit">筛选</button>
        <a class="button secondary" href="/evaluations">清除筛选</a>
      </div>
    </form>
  );
}

async function queuePage(c: PageContext, principal: Principal): Promise<Response> {
  const deps = c.get('deps');
  const { query, form } = queueQuery(c);
  const unit = principal.role === 'unit';
  const title = unit ? '我的自评' : '全部评价';
  let page: { evaluations: EvaluationSummary[]; nextCursor: string | null } | null = null;
  let shown = form;
  let status = 200;
  if (form.errors.size > 0) status = 400;
  else {
    try {
      page = await listEvaluations(deps, principal, query);
    } catch (e) {
      // a combination no index serves is the person's choice of filters: said on the page, beside the filters
      if (!(e instanceof DomainError && e.code === 'BAD_REQUEST')) throw e;
      shown = formFromError(form.values, e.message, e.details, (path) => {
        const name = path.replace(/^query\./, '');
        return (QUEUE_FIELDS as readonly string[]).includes(name) && !(unit && name === 'unit') ? name : null;
      });
      status = 400;
    }
  }
  const ruleSetIds = (await listRuleSets(deps, principal)).map((r) => r.id);
  const next = new URLSearchParams([...form.values]);
  if (page?.nextCursor) next.set('cursor', page.nextCursor);
  return send(
    c,
    <Layout title={title} principal={principal}>
      <h1>{title}</h1>
      {unit ? null : <p>复核队列：勾选“尚未复核”，可再按年度筛选；可用的筛选组合有限，不支持的组合会在这里说明。</p>}
      <FormMessage form={shown} id="queue-error" />
      <QueueFilters form={shown} ruleSetIds={ruleSetIds} unit={unit} />
      {page ? (
        <>
          <h2>评价（{page.evaluations.length} 条{page.nextCursor ? '，还有下一页' : ''}）</h2>
          <EvaluationTable rows={page.evaluations} />
          {page.nextCursor ? (
            <p>
              <a href={`/evaluations?${next.toString()}`}>下一页</a>
            </p>
          ) : null}
        </>
      ) : null}
    </Layout>,
    status,
  );
}

// ---- the evaluation page

export interface EvaluationPageState {
  readonly notice?: string;
  readonly verify?: VerifyReport;
  /** the form that was posted with errors: 'review', 'dispute', 'evidence' or 'answer:<dispute id>' */
  readonly posted?: { readonly name: string; readonly form: PostedForm };
}

const NOTICES: Readonly<Record<string, string>> = {
  review: '复核分已保存。',
  dispute: '申诉已提交，等待复核人员答复。',
  answer: '申诉已答复。',
  evidence: '佐证材料已上传。',
};

const ABOUT_NAMES: Readonly<Record<Dispute['about'], string>> = { recomputed: '复算分', review: '复核分' };
const STATUS_NAMES: Readonly<Record<Dispute['status'], string>> = { open: '待答复', accepted: '已接受', rejected: '已驳回' };

const itemRows = (view: ReportView): ReportItemRow[] => view.rows.filter((r): r is ReportItemRow => r.kind === 'item');
const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));

function formOf(state: EvaluationPageState, name: string): PostedForm | undefined {
  return state.posted?.name === name ? state.posted.form : undefined;
}

function ReviewForm({ id, view, form }: { id: string; view: ReportView; form: PostedForm | undefined }) {
  const items = itemRows(view).filter((r) => r.applicable);
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">录入复核分</h2>
      <p>对需要调整的指标填写复核分，并写明理由（必填）；未填写的指标不变。同一指标以最近一次复核为准。</p>
      <FormMessage form={form} id="review-error" />
      <form method="post" action={`/evaluations/${encodeURIComponent(id)}/review`} class="stack">
        <table>
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col" class="num">分值</th>
              <th scope="col" class="num">复算分</th>
              <th scope="col" class="num">现复核分</th>
              <th scope="col">复核分</th>
              <th scope="col">理由</th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => {
              const p = `points.${row.id}`;
              const r = `reason.${row.id}`;
              return (
                <tr>
                  <th scope="row" id={`rv-name-${row.id}`}>
                    {row.name}
                  </th>
                  <td class="num">{fmt(row.max)}</td>
                  <td class="num">{fmt(row.recomputed)}</td>
                  <td class="num">{row.review ? fmt(row.review.points) : '—'}</td>
                  <td>
                    <input
                      id={`rv-points-${row.id}`}
                      name={p}
                      type="text"
                      inputmode="decimal"
                      size={6}
                      value={form?.values.get(p) ?? ''}
                      aria-labelledby={`rv-name-${row.id} rv-points-label`}
                      aria-invalid={invalid(form, p)}
                      aria-describedby={`err-rv-points-${row.id}`}
                    />
                    <FieldError id={`err-rv-points-${row.id}`} form={form} name={p} />
                  </td>
                  <td>
                    <textarea
                      id={`rv-reason-${row.id}`}
                      name={r}
                      rows={1}
                      aria-labelledby={`rv-name-${row.id} rv-reason-label`}
                      aria-invalid={invalid(form, r)}
                      aria-describedby={`err-rv-reason-${row.id}`}
                    >
                      {form?.values.get(r) ?? ''}
                    </textarea>
                    <FieldError id={`err-rv-reason-${row.id}`} form={form} name={r} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <span id="rv-points-label" hidden>
          复核分
        </span>
        <span id="rv-reason-label" hidden>
          理由
        </span>
        <label for="rv-comment">总体意见（可不填）</label>
        <textarea id="rv-comment" name="comment" aria-invalid={invalid(form, 'comment')} aria-describedby="err-rv-comment">
          {form?.values.get('comment') ?? ''}
        </textarea>
        <FieldError id="err-rv-comment" form={form} name="comment" />
        <div class="actions">
          <button type="submit">保存复核分</button>
        </div>
      </form>
    </section>
  );
}

function VerifySection({ id, report }: { id: string; report: VerifyReport | undefined }) {
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">复验</h2>
      <p>用存储的评分规则版本重新评分（以规则引擎逐条判定为准），与存储的结果逐项比对。</p>
      {report ? (
        <div role="status" id="verify-result">
          {report.identical ? (
            <p class="ok-box">
              复验一致：按 {report.ruleset.id} {report.ruleset.version} 重新评分，结果与存储的结果完全相同（共 0 处差异），提交内容的校验值相符。
            </p>
          ) : (
            <>
              <p class="error-box">
                复验不一致：发现 {report.differences.length} 处差异{report.inputSha256Matches ? '' : '；提交内容的校验值与存储时不符'}。
              </p>
              {report.differences.length > 0 ? (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">位置</th>
                      <th scope="col">存储的结果</th>
                      <th scope="col">重新评分</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.differences.map((d) => (
                      <tr>
                        <td>
                          <code>{d.path}</code>
                        </td>
                        <td>{JSON.stringify(d.stored)}</td>
                        <td>{JSON.stringify(d.recomputed)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </>
          )}
        </div>
      ) : null}
      <form method="post" action={`/evaluations/${encodeURIComponent(id)}/verify`} class="no-print">
        <button type="submit" class="secondary">
          复验
        </button>
      </form>
    </section>
  );
}

function AnswerForm({ evaluationId, dispute, form }: { evaluationId: string; dispute: Dispute; form: PostedForm | undefined }) {
  const k = `an-${dispute.id}`;
  const decision = form?.values.get('decision');
  return (
    <form method="post" action={`/evaluations/${encodeURIComponent(evaluationId)}/disputes/${encodeURIComponent(dispute.id)}/answer`} class="stack">
      <FormMessage form={form} id={`${k}-error`} />
      <fieldset aria-describedby={`err-${k}-decision`}>
        <legend>答复申诉：{dispute.itemName}</legend>
        <ul class="checklist">
          <li>
            <input id={`${k}-accepted`} type="radio" name="decision" value="accepted" checked={decision === 'accepted'} /> <label for={`${k}-accepted`}>接受（记为该指标的复核分）</label>
          </li>
          <li>
            <input id={`${k}-rejected`} type="radio" name="decision" value="rejected" checked={decision === 'rejected'} /> <label for={`${k}-rejected`}>驳回（分数维持不变）</label>
          </li>
        </ul>
        <FieldError id={`err-${k}-decision`} form={form} name="decision" />
        <label for={`${k}-points`}>接受时的复核分</label>
        <input id={`${k}-points`} name="points" type="text" inputmode="decimal" size={6} value={form?.values.get('points') ?? ''} aria-invalid={invalid(form, 'points')} aria-describedby={`err-${k}-points`} />
        <FieldError id={`err-${k}-points`} form={form} name="points" />
        <label for={`${k}-reason`}>理由（必填）</label>
        <textarea id={`${k}-reason`} name="reason" aria-invalid={invalid(form, 'reason')} aria-describedby={`err-${k}-reason`}>
          {form?.values.get('reason') ?? ''}
        </textarea>
        <FieldError id={`err-${k}-reason`} form={form} name="reason" />
        <div class="actions">
          <button type="submit">提交答复</button>
        </div>
      </fieldset>
    </form>
  );
}

function DisputeHistory({ evaluationId, disputes, canAnswer, state }: { evaluationId: string; disputes: readonly Dispute[]; canAnswer: boolean; state: EvaluationPageState }) {
  if (disputes.length === 0) return <p>没有申诉。</p>;
  return (
    <ol class="disputes">
      {disputes.map((d) => (
        <li data-dispute={d.id}>
          <h3>
            {d.itemName}：对{ABOUT_NAMES[d.about]} {fmt(d.disputedPoints)} 分申诉
            <span class={`status status-${d.status}`}>（{STATUS_NAMES[d.status]}）</span>
          </h3>
          <dl class="meta">
            <dt>申诉时间</dt>
            <dd>{d.raisedAt}</dd>
            <dt>单位认为应得</dt>
            <dd>{d.claimedPoints === null ? '未填' : `${d.claimedPoints} 分`}</dd>
            <dt>引用的评分标准</dt>
            <dd>{d.criterion}</dd>
            <dt>申诉理由</dt>
            <dd>{d.reason}</dd>
            {d.answer ? (
              <>
                <dt>答复</dt>
                <dd>
                  {d.answer.decision === 'accepted' ? `接受，复核分记为 ${fmt(d.answer.points)} 分` : '驳回，分数维持不变'}（{d.answer.answeredAt}）
                </dd>
                <dt>答复理由</dt>
                <dd>{d.answer.reason}</dd>
              </>
            ) : null}
          </dl>
          {canAnswer && d.status === 'open' ? <AnswerForm evaluationId={evaluationId} dispute={d} form={formOf(state, `answer:${d.id}`)} /> : null}
        </li>
      ))}
    </ol>
  );
}

function DisputeForm({ id, view, form }: { id: string; view: ReportView; form: PostedForm | undefined }) {
  const items = itemRows(view).filter((r) => r.applicable);
  const v = (name: string) => form?.values.get(name) ?? '';
  const about = v('about') || 'recomputed';
  return (
    <form method="post" action={`/evaluations/${encodeURIComponent(id)}/disputes`} class="stack">
      <h3>提出申诉</h3>
      <FormMessage form={form} id="dispute-error" />
      <label for="dp-item">指标</label>
      <select id="dp-item" name="itemId" aria-invalid={invalid(form, 'itemId')} aria-describedby="err-dp-itemId">
        {items.map((row) => (
          <option value={row.id} selected={v('itemId') === row.id}>
            {row.name}（复算 {fmt(row.recomputed)} 分{row.review ? `，复核 ${fmt(row.review.points)} 分` : ''}）
          </option>
        ))}
      </select>
      <FieldError id="err-dp-itemId" form={form} name="itemId" />
      <fieldset aria-describedby="err-dp-about">
        <legend>申诉的分数</legend>
        <ul class="checklist">
          <li>
            <input id="dp-about-recomputed" type="radio" name="about" value="recomputed" checked={about === 'recomputed'} /> <label for="dp-about-recomputed">复算分</label>
          </li>
          <li>
            <input id="dp-about-review" type="radio" name="about" value="review" checked={about === 'review'} /> <label for="dp-about-review">复核分</label>
          </li>
        </ul>
        <FieldError id="err-dp-about" form={form} name="about" />
      </fieldset>
      <label for="dp-claimed">单位认为应得的分数（可不填）</label>
      <input id="dp-claimed" name="claimedPoints" type="text" inputmode="decimal" size={6} value={v('claimedPoints')} aria-invalid={invalid(form, 'claimedPoints')} aria-describedby="err-dp-claimedPoints" />
      <FieldError id="err-dp-claimedPoints" form={form} name="claimedPoints" />
      <label for="dp-criterion">引用的评分标准（必填）</label>
      <textarea id="dp-criterion" name="criterion" aria-invalid={invalid(form, 'criterion')} aria-describedby="err-dp-criterion">
        {v('criterion')}
      </textarea>
      <FieldError id="err-dp-criterion" form={form} name="criterion" />
      <label for="dp-reason">申诉理由（必填）</label>
      <textarea id="dp-reason" name="reason" aria-invalid={invalid(form, 'reason')} aria-describedby="err-dp-reason">
        {v('reason')}
      </textarea>
      <FieldError id="err-dp-reason" form={form} name="reason" />
      <div class="actions">
        <button type="submit">提交申诉</button>
      </div>
    </form>
  );
}

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} 字节`);

function EvidenceSection({ id, view, entries, canAttach, form }: { id: string; view: ReportView; entries: readonly EvidenceEntry[]; canAttach: boolean; form: PostedForm | undefined }) {
  const names = new Map(itemRows(view).map((r) => [r.id, r.name]));
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">佐证材料</h2>
      {entries.length === 0 ? (
        <p>还没有上传佐证材料。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col">文件</th>
              <th scope="col" class="num">大小</th>
              <th scope="col">上传时间</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{names.get(e.itemId) ?? e.itemId}</td>
                <td>
                  <a href={`/evaluations/${encodeURIComponent(id)}/evidence/${encodeURIComponent(e.id)}`} download={e.fileName}>
                    {e.fileName}
                  </a>
                </td>
                <td class="num">{sizeText(e.size)}</td>
                <td>{e.uploadedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canAttach ? (
        <form method="post" action={`/evaluations/${encodeURIComponent(id)}/evidence`} enctype="multipart/form-data" class="stack no-print">
          <h3>上传佐证材料</h3>
          <p class="muted">只接受 PDF、PNG/JPEG 图片和 Office 文档（Word、Excel、PowerPoint）；单个文件最大 20 MB，每份评价合计最多 100 MB。</p>
          <FormMessage form={form} id="evidence-error" />
          <label for="ev-item">指标</label>
          <select id="ev-item" name="itemId">
            {itemRows(view).map((row) => (
              <option value={row.id} selected={form?.values.get('itemId') === row.id}>
                {row.name}
              </option>
            ))}
          </select>
          <label for="ev-file">文件</label>
          <input id="ev-file" name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx" aria-invalid={invalid(form, 'file')} aria-describedby="err-ev-file" />
          <FieldError id="err-ev-file" form={form} name="file" />
          <div class="actions">
            <button type="submit">上传</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** The evaluation page: the report, then verify, review (reviewers), 申诉 and 佐证材料, as the principal may use them. */
export async function evaluationPage(c: PageContext, principal: Principal, evaluationId: string, state: EvaluationPageState = {}, status = 200): Promise<Response> {
  const deps = c.get('deps');
  const evaluation = await getEvaluation(deps, principal, evaluationId);
  const [disputes, evidence] = await Promise.all([listDisputes(deps, principal, evaluation.id), listEvidence(deps, principal, evaluation.id)]);
  const view = reportView({ result: evaluation.result, input: evaluation.input, whatItWouldTake: evaluation.whatItWouldTake, evaluation });
  const id = evaluation.id;
  const canReview = decide(principal, 'reviewEvaluation', evaluation.unitId) === 'allowed';
  const canDispute = decide(principal, 'raiseDispute', evaluation.unitId) === 'allowed';
  const canAnswer = decide(principal, 'answerDispute', evaluation.unitId) === 'allowed';
  const canAttach = decide(principal, 'attachEvidence', evaluation.unitId) === 'allowed';
  // an answer to a dispute no longer open has no form to stand beside: its message goes at the top
  const posted = state.posted;
  const orphan = posted?.name.startsWith('answer:') && !disputes.some((d) => d.status === 'open' && posted.name === `answer:${d.id}`) ? posted.form : undefined;
  return send(
    c,
    <Layout title={`自评结果：${view.project.name}`} principal={principal}>
      {state.notice ? (
        <p class="ok-box" role="status">
          {state.notice}
        </p>
      ) : null}
      <FormMessage form={orphan} id="answer-error" />
      <ReportBody view={view} />
      <VerifySection id={id} report={state.verify} />
      {canReview ? <ReviewForm id={id} view={view} form={formOf(state, 'review')} /> : null}
      <section aria-labelledby="disputes-heading">
        <h2 id="disputes-heading">申诉</h2>
        <DisputeHistory evaluationId={id} disputes={disputes} canAnswer={canAnswer} state={state} />
        {canDispute ? <DisputeForm id={id} view={view} form={formOf(state, 'dispute')} /> : null}
      </section>
      <EvidenceSection id={id} view={view} entries={evidence} canAttach={canAttach} form={formOf(state, 'evidence')} />
    </Layout>,
    status,
  );
}

// ---- reading the posted forms

async function postedFields(c: PageContext): Promise<{ fields: Map<string, string>; files: Map<string, File> }> {
  const fields = new Map<string, string>();
  const files = new Map<string, File>();
  for (const [name, value] of await c.req.raw.formData()) {
    if (typeof value === 'string') fields.set(name, value);
    else files.set(name, value);
  }
  return { fields, files };
}

/** A number typed by a person: '' → undefined; not a number → null. */
function pointsOf(text: string | undefined): number | undefined | null {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

const NOT_A_NUMBER = '应填写数字，如 3 或 2.5';

/** Errors the page shows with its form (a 4xx with the page); anything else is an error page. */
const PAGE_FORM_ERRORS = new Set<ErrorCode>(['REVIEW_INVALID', 'DISPUTE_INVALID', 'DISPUTE_ALREADY_ANSWERED', 'EVIDENCE_REFUSED']);

function isPageFormError(e: unknown): e is DomainError {
  return e instanceof DomainError && PAGE_FORM_ERRORS.has(e.code);
}

/** `$.items[3].points` → `points.<the 4th item's id>`; `$.criterion` → `criterion` */
function simpleField(path: string): string | null {
  const m = /^\$\.(\w+)$/.exec(path);
  return m ? m[1]! : null;
}

export function mountReviewPages(app: Hono<AppEnv>): void {
  app.get('/evaluations', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    return queuePage(c, principal);
  });

  app.get('/evaluations/:id', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const done = c.req.query('done');
    return evaluationPage(c, principal, c.req.param('id'), done && Object.hasOwn(NOTICES, done) ? { notice: NOTICES[done] } : {});
  });

  app.post('/evaluations/:id/verify', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const report = await verifyEvaluation(c.get('deps'), principal, c.req.param('id'));
    return evaluationPage(c, principal, c.req.param('id'), { verify: report });
  });

  app.post('/evaluations/:id/review', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param('id');
    const { fields } = await postedFields(c);
    const errors = new Map<string, string>();
    const items: { itemId: string; points: number; reason: string }[] = [];
    for (const [name, text] of fields) {
      if (!name.startsWith('points.')) continue;
      const itemId = name.slice('points.'.length);
      const reasonName = `reason.${itemId}`;
      const reason = (fields.get(reasonName) ?? '').trim();
      const points = pointsOf(text);
      if (points === undefined) {
        if (reason !== '') errors.set(name, '填写了理由，请同时填写复核分');
        continue;
      }
      if (points === null) errors.set(name, NOT_A_NUMBER);
      if (reason === '') errors.set(reasonName, '请填写复核理由（必填）');
      if (points !== null && reason !== '') items.push({ itemId, points, reason });
    }
    const comment = (fields.get('comment') ?? '').trim();
    let message: string | null = errors.size > 0 ? '复核内容有误，未保存' : null;
    if (errors.size === 0 && items.length === 0) message = '请至少为一个指标填写复核分和理由';
    if (message) return evaluationPage(c, principal, id, { posted: { name: 'review', form: { values: fields, errors, message } } }, 422);
    try {
      await addReview(c.get('deps'), principal, id, { items, ...(comment ? { comment } : {}) });
    } catch (e) {
      if (!isPageFormError(e)) throw e;
      const form = formFromError(fields, e.message, e.details, (path) => {
        const m = /^\$\.items\[(\d+)\]\.(points|reason|itemId)$/.exec(path);
        if (m) return `${m[2] === 'reason' ? 'reason' : 'points'}.${items[Number(m[1])]?.itemId ?? ''}`;
        return path === '$.comment' ? 'comment' : null;
      });
      return evaluationPage(c, principal, id, { posted: { name: 'review', form } }, STATUS_OF[e.code]);
    }
    return c.redirect(`/evaluations/${encodeURIComponent(id)}?done=review#review-heading`, 303);
  });

  app.post('/evaluations/:id/disputes', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param('id');
    const { fields } = await postedFields(c);
    const errors = new Map<string, string>();
    const claimed = pointsOf(fields.get('claimedPoints'));
    if (claimed === null) errors.set('claimedPoints', NOT_A_NUMBER);
    const criterion = (fields.get('criterion') ?? '').trim();
    const reason = (fields.get('reason') ?? '').trim();
    if (criterion === '') errors.set('criterion', '请写明引用的评分标准（必填）');
    if (reason === '') errors.set('reason', '请写明申诉理由（必填）');
    if (errors.size > 0) return evaluationPage(c, principal, id, { posted: { name: 'dispute', form: { values: fields, errors, message: '申诉内容有误，未保存' } } }, 422);
    try {
      await raiseDispute(c.get('deps'), principal, id, {
        itemId: fields.get('itemId') ?? '',
        about: fields.get('about') ?? '',
        ...(claimed !== undefined && claimed !== null ? { claimedPoints: claimed } : {}),
        criterion,
        reason,
      });
    } catch (e) {
      if (!isPageFormError(e)) throw e;
      return evaluationPage(c, principal, id, { posted: { name: 'dispute', form: formFromError(fields, e.message, e.details, simpleField) } }, STATUS_OF[e.code]);
    }
    return c.redirect(`/evaluations/${encodeURIComponent(id)}?done=dispute#disputes-heading`, 303);
  });

  app.post('/evaluations/:id/disputes/:disputeId/answer', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param('id');
    const disputeId = c.req.param('disputeId');
    const { fields } = await postedFields(c);
    const name = `answer:${disputeId}`;
    const errors = new Map<string, string>();
    const decision = fields.get('decision');
    if (decision !== 'accepted' && decision !== 'rejected') errors.set('decision', '请选择接受或驳回');
    const points = pointsOf(fields.get('points'));
    if (points === null) errors.set('points', NOT_A_NUMBER);
    else if (decision === 'accepted' && points === undefined) errors.set('points', '接受申诉时请填写复核分');
    const reason = (fields.get('reason') ?? '').trim();
    if (reason === '') errors.set('reason', '请填写答复理由（必填）');
    if (errors.size > 0) return evaluationPage(c, principal, id, { posted: { name, form: { values: fields, errors, message: '答复内容有误，未保存' } } }, 422);
    try {
      await answerDispute(c.get('deps'), principal, id, disputeId, { decision, ...(points !== undefined && points !== null ? { points } : {}), reason });
    } catch (e) {
      if (!isPageFormError(e)) throw e;
      return evaluationPage(c, principal, id, { posted: { name, form: formFromError(fields, e.message, e.details, simpleField) } }, STATUS_OF[e.code]);
    }
    return c.redirect(`/evaluations/${encodeURIComponent(id)}?done=answer#disputes-heading`, 303);
  });

  app.post('/evaluations/:id/evidence', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param('id');
    const { fields, files } = await postedFields(c);
    const file = files.get('file');
    const refuse = (message: string, detail: string, status: number) =>
      evaluationPage(c, principal, id, { posted: { name: 'evidence', form: { values: fields, errors: new Map([['file', detail]]), message } } }, status);
    if (!file || (file.size === 0 && file.name === '')) return refuse('没有选择文件', '请选择要上传的文件', 422);
    try {
      await attachEvidence(c.get('deps'), principal, id, fields.get('itemId') ?? '', file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      if (!isPageFormError(e)) throw e;
      return refuse(e.message, e.details.map((d) => d.message).join('；') || e.message, STATUS_OF[e.code]);
    }
    return c.redirect(`/evaluations/${encodeURIComponent(id)}?done=evidence#evidence-heading`, 303);
  });

  app.get('/evaluations/:id/evidence/:evidenceId', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const { entry, bytes } = await downloadEvidence(c.get('deps'), principal, c.req.param('id'), c.req.param('evidenceId'));
    // always a download, never shown inline, whatever the file is (as the JSON API serves it)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': attachmentDisposition(entry.fileName),
      'X-Content-Type-Options': 'nosniff',
    });
  });
}
