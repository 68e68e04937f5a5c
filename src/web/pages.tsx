/** @jsxImportSource hono/jsx */
// The web pages, mounted on the one createApp: sign-in and sessions, home, the unit's form with live 试算, submit,
// drafts and /docs; review-pages.tsx (queue, evaluation page and its actions) and ruleset-pages.tsx (the bureau's
// pages) add the rest. Pages call the same use-cases as the JSON API (src/services).
import type { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import type { AppEnv } from '../http/env.js';
import { STATUS_OF, storageFaultOf } from '../http/errors.js';
import { reportView, type ReportView } from '../report/view.js';
import { listRuleSets } from '../services/catalogue.js';
import { randomHex } from '../services/deps.js';
import { listEvaluations } from '../services/evaluation-list.js';
import { authorize, decide, ROLE_NAMES } from '../services/policy.js';
import type { Principal } from '../services/ports.js';
import { trialScore } from '../services/scoring.js';
import { deleteDraft, getDraft, listDrafts, newDraftId, saveDraft, signIn, signOut, DEFAULT_SESSION_POLICY } from '../services/sessions.js';
import { submitEvaluation } from '../services/submit.js';
import { STYLE_CSS, TRY_JS } from './assets.js';
import { DocsPage } from './docs-page.js';
import { fieldForPath, fieldsFromFormData, formToSubmission, type FormFields } from './form.js';
import { FormBody, knownFieldNames, TryResult, type FormError, type FormPageState } from './form-page.js';
import { ErrorPage, Layout } from './layout.js';
import { principalOrNull, requireSignIn, send, type PageContext } from './page-kit.js';
import { EvaluationTable, mountReviewPages } from './review-pages.js';
import { mountRuleSetPages } from './ruleset-pages.js';
import { clearSessionCookie, PAGE_CSP, principalFromSession, sessionSecret, setSessionCookie } from './session.js';

/** The JSON API's paths (bearer tokens, JSON errors); every other path is a page (session cookie, HTML errors). */
export function isApiPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/') || path === '/healthz' || path === '/readyz';
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
/** input errors the form shows beside its fields; anything else is an error page */
const FORM_ERROR_CODES = new Set<ErrorCode>(['SUBMISSION_INVALID', 'RULESET_NOT_FOUND', 'BAD_REQUEST', 'IDEMPOTENCY_CONFLICT']);
const MAX_FORM_ERRORS = 100;

async function formFields(c: PageContext): Promise<Map<string, string>> {
  return fieldsFromFormData(await c.req.raw.formData());
}

// ---- errors as pages

export async function renderPageError(err: Error, c: PageContext, log: (line: string) => void = console.error): Promise<Response> {
  const principal = principalOrNull(c);
  const requestId = c.get('requestId');
  if (err instanceof HTTPException) {
    const message = err.status === 403 ? '跨站提交已拒绝：表单只能从本站的页面提交。请回到本站页面，刷新后重试。' : err.message || '请求有误';
    return send(c, <ErrorPage status={err.status} message={message} principal={principal} requestId={requestId} />, err.status);
  }
  const domain = err instanceof DomainError ? err : storageFaultOf(err);
  if (domain) {
    const status = STATUS_OF[domain.code];
    if (status >= 500) log(`[${requestId}] ${domain.code}: ${domain.message}`);
    return send(c, <ErrorPage status={status} message={domain.message} principal={principal} requestId={requestId} details={domain.details} />, status);
  }
  log(`[${requestId}] unexpected error: ${err.stack ?? err.message}`);
  return send(c, <ErrorPage status={500} message="服务器内部错误，请稍后重试；如持续出现请联系管理员并提供请求编号。" principal={principal} requestId={requestId} />, 500);
}

export function renderPageNotFound(c: PageContext): Promise<Response> {
  return send(c, <ErrorPage status={404} message={`没有这个页面：${c.req.path}`} principal={principalOrNull(c)} requestId={c.get('requestId')} />, 404);
}

// ---- the form's use of the services

function formErrors(e: DomainError, known: ReadonlySet<string>): FormError[] {
  const details = e.details.length > 0 ? e.details : [{ path: '', message: e.message }];
  return details.slice(0, MAX_FORM_ERRORS).map((d) => ({ field: d.path ? fieldForPath(d.path, known) : null, message: d.message }));
}

const isFormError = (e: unknown): e is DomainError => e instanceof DomainError && FORM_ERROR_CODES.has(e.code);

/** The rule-set version the form's fields name (its id, the version it was opened with, the project's year). */
async function ruleSetOfForm(c: PageContext, fields: FormFields): Promise<RuleSetDocument> {
  const id = fields.get('ruleset.id') ?? '';
  const year = Number(fields.get('project.fiscalYear'));
  if (!Number.isInteger(year)) throw new DomainError('BAD_REQUEST', '年度应为整数', [{ path: '$.project.fiscalYear', message: '年度应为整数，如 2022' }]);
  const compiled = await c.get('deps').ruleSets.resolve(id, fields.get('ruleset.version') || undefined, year);
  return compiled.document;
}

/** Scores the form's fields as a trial (nothing stored): the report view, or the errors beside their fields. */
async function tryFields(c: PageContext, principal: Principal, doc: RuleSetDocument, fields: FormFields): Promise<{ trial: ReportView | null; errors: FormError[] }> {
  try {
    const input = formToSubmission(doc, fields);
    const { whatItWouldTake, ...result } = await trialScore(c.get('deps'), principal, input);
    return { trial: reportView({ result, input, whatItWouldTake }), errors: [] };
  } catch (e) {
    if (isFormError(e)) return { trial: null, errors: formErrors(e, knownFieldNames(doc, fields)) };
    throw e;
  }
}

function formState(doc: RuleSetDocument, fields: FormFields, principal: Principal, extra: Partial<FormPageState> = {}): FormPageState {
  const draftId = fields.get('draftId') ?? '';
  const key = fields.get('idempotencyKey') ?? '';
  return {
    doc,
    fields,
    errors: [],
    trial: null,
    draftId: /^dr_[0-9a-f]{24}$/.test(draftId) ? draftId : newDraftId(),
    idempotencyKey: /^[0-9a-f]{32}$/.test(key) ? key : randomHex(16),
    unitId: principal.unitId,
    ...extra,
  };
}

function formPage(c: PageContext, principal: Principal, state: FormPageState, status = 200) {
  return send(
    c,
    <Layout title="新建自评" principal={principal} script>
      <FormBody state={state} />
    </Layout>,
    status,
  );
}

/** Keeps the draft as typed; a draft that cannot be kept (too large, too many) says so without losing the page. */
async function keepDraft(c: PageContext, principal: Principal, doc: RuleSetDocument, fields: FormFields, draftId: string): Promise<string | null> {
  try {
    await saveDraft(
      c.get('deps'),
      principal,
      draftId,
      {
        rulesetId: doc.id,
        rulesetVersion: doc.version,
        fiscalYear: Number(fields.get('project.fiscalYear')),
        title: fields.get('project.name') || doc.title,
        fields: [...fields].filter(([name]) => name !== 'idempotencyKey' && name !== 'draftId'),
      },
      c.get('deps').clock(),
    );
    return null;
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'PAYLOAD_TOO_LARGE' || e.code === 'BAD_REQUEST')) return `草稿未保存：${e.message}`;
    throw e;
  }
}

// ---- pages

function SignInBody({ error }: { error?: string }) {
  return (
    <>
      <h1>登录</h1>
      <p>请输入财政局或系统管理员发给您的访问令牌（以 jxzp_ 开头）。登录后 30 分钟无操作或 12 小时后需重新登录。</p>
      {error ? (
        <p class="error-box" role="alert" id="signin-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/signin" class="stack">
        <label for="token">访问令牌</label>
        <input id="token" name="token" type="password" autocomplete="off" required size={70} aria-describedby={error ? 'signin-error' : undefined} />
        <div class="actions">
          <button type="submit">登录</button>
        </div>
      </form>
    </>
  );
}

export function docsPage(c: PageContext): Promise<Response> {
  return send(c, <DocsPage principal={principalOrNull(c)} />);
}

/** Mounts the pages (and their session, CSP and cross-site checks) on the app; /v1 is left to the JSON API. */
export function mountPages(app: Hono<AppEnv>): void {
  app.use('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    c.set('sessionPrincipal', null);
    const asset = c.req.path.startsWith('/assets/');
    if (!asset) c.set('sessionPrincipal', await principalFromSession(c));
    await next();
    c.header('Content-Security-Policy', PAGE_CSP);
    if (!asset) c.header('Cache-Control', 'no-store');
  });
  // form posts only, and only from our own origin (the public one when configured, e.g. behind a TLS proxy)
  app.use('*', async (c, next) => {
    if (isApiPath(c.req.path) || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) {
      return send(c, <ErrorPage status={415} message="页面只接受表单提交（application/x-www-form-urlencoded 或 multipart/form-data）。" principal={principalOrNull(c)} />, 415);
    }
    const publicOrigin = c.get('deps').publicOrigin;
    return csrf({ origin: (origin, ctx) => origin === (publicOrigin ?? new URL(ctx.req.url).origin) })(c, next);
  });

  app.get('/assets/style.css', (c) => c.body(STYLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/assets/try.js', (c) => c.body(TRY_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  app.get('/signin', (c) => {
    if (principalOrNull(c)) return c.redirect('/', 303);
    return send(
      c,
      <Layout title="登录" principal={null}>
        <SignInBody />
      </Layout>,
    );
  });
  app.post('/signin', async (c) => {
    const fields = await formFields(c);
    const deps = c.get('deps');
    try {
      const { secret } = await signIn(deps, fields.get('token') ?? '', deps.clock(), deps.sessionPolicy ?? DEFAULT_SESSION_POLICY);
      setSessionCookie(c, secret);
      return c.redirect('/', 303);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'UNAUTHENTICATED')) throw e;
      return send(
        c,
        <Layout title="登录" principal={null}>
          <SignInBody error={e.message} />
        </Layout>,
        401,
      );
    }
  });
  app.post('/signout', async (c) => {
    const secret = sessionSecret(c);
    if (secret) await signOut(c.get('deps'), secret);
    clearSessionCookie(c);
    return c.redirect('/signin', 303);
  });

  app.get('/', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const recent = await listEvaluations(c.get('deps'), principal, { limit: 5 });
    const unit = principal.role === 'unit';
    return send(
      c,
      <Layout title="首页" principal={principal}>
        <h1>
          {ROLE_NAMES[principal.role]}
          {principal.unitId ? `（${principal.unitId}）` : ''}，您好
        </h1>
        <ul>
          {unit ? (
            <>
              <li>
                <a href="/evaluations/new">新建自评</a>：选择评分规则与年度，填写自评表，边填边试算。
              </li>
              <li>
                <a href="/drafts">草稿</a>：未提交的自评表，随时接着填。
              </li>
              <li>
                <a href="/evaluations">我的自评</a>：已提交的自评与复算结果。
              </li>
            </>
          ) : (
            <li>
              <a href="/evaluations">全部评价</a>：各单位提交的自评与复算结果。
            </li>
          )}
        </ul>
        <h2>{unit ? '最近提交的自评' : '最近提交的评价'}</h2>
        <EvaluationTable rows={recent.evaluations} />
      </Layout>,
    );
  });

  app.get('/evaluations/new', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const deps = c.get('deps');
    authorize(principal, 'submitEvaluation');
    const draftId = c.req.query('draft');
    if (draftId !== undefined) {
      const draft = await getDraft(deps, principal, draftId);
      const doc = (await deps.ruleSets.resolve(draft.rulesetId, draft.rulesetVersion, draft.fiscalYear)).document;
      const fields = new Map(draft.fields);
      const tried = await tryFields(c, principal, doc, fields);
      const notice = c.req.query('saved') !== undefined ? `草稿已保存（${draft.updatedAt}）。` : `已打开草稿（最后保存于 ${draft.updatedAt}）。`;
      return formPage(c, principal, formState(doc, fields, principal, { ...tried, draftId: draft.id, notice }));
    }
    const rulesetId = c.req.query('ruleset');
    const yearText = c.req.query('year');
    if (rulesetId !== undefined && yearText !== undefined) {
      const year = Number(yearText);
      if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new DomainError('BAD_REQUEST', `年度应为 1990–2100 之间的整数，不能是「${yearText}」`);
      const doc = (await deps.ruleSets.resolve(rulesetId, undefined, year)).document;
      const fields = new Map<string, string>([
        ['ruleset.id', doc.id],
        ['ruleset.version', doc.version],
        ['project.fiscalYear', String(year)],
        ['project.unitId', principal.unitId ?? ''],
      ]);
      return formPage(c, principal, formState(doc, fields, principal));
    }
    const ruleSets = await listRuleSets(deps, principal);
    const thisYear = deps.clock().getUTCFullYear();
    return send(
      c,
      <Layout title="新建自评" principal={principal}>
        <h1>新建自评</h1>
        <p>选择评分规则与项目年度；表单按该年度适用的评分规则版本生成。</p>
        <form method="get" action="/evaluations/new" class="stack">
          <label for="ruleset">评分规则</label>
          <select id="ruleset" name="ruleset">
            {ruleSets.map((r) => (
              <option value={r.id}>
                {r.title}（{r.id}，适用年度{' '}
                {r.versions.map((v) => `${v.fiscalYears.from}${v.fiscalYears.to !== undefined ? `–${v.fiscalYears.to}` : ' 起'}`).join('、')}）
              </option>
            ))}
          </select>
          <label for="year">项目年度</label>
          <input id="year" name="year" type="text" inputmode="numeric" value={String(thisYear - 1)} size={6} />
          <div class="actions">
            <button type="submit">打开自评表</button>
          </div>
        </form>
      </Layout>,
    );
  });

  app.post('/evaluations/try', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const fields = await formFields(c);
    const fragment = c.req.header('x-try') === 'fragment';
    let doc: RuleSetDocument;
    try {
      doc = await ruleSetOfForm(c, fields);
    } catch (e) {
      if (!fragment || !isFormError(e)) throw e;
      return send(c, <TryResult trial={null} errors={formErrors(e, new Set())} />);
    }
    const tried = await tryFields(c, principal, doc, fields);
    const state = formState(doc, fields, principal, tried);
    // the draft follows the typing, so a closed tab loses nothing (units only: the ones who submit)
    const draftProblem = decide(principal, 'submitEvaluation') === 'allowed' ? await keepDraft(c, principal, doc, fields, state.draftId) : null;
    const errors = draftProblem ? [...tried.errors, { field: null, message: draftProblem }] : tried.errors;
    if (fragment) return send(c, <TryResult trial={tried.trial} errors={errors} />);
    return formPage(c, principal, { ...state, errors }, errors.length > 0 ? 422 : 200);
  });

  app.post('/evaluations', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const deps = c.get('deps');
    authorize(principal, 'submitEvaluation');
    const fields = await formFields(c);
    const doc = await ruleSetOfForm(c, fields);
    const state = formState(doc, fields, principal);
    try {
      const input = formToSubmission(doc, fields);
      const { evaluation } = await submitEvaluation(deps, principal, input, state.idempotencyKey);
      await deleteDraft(deps, principal, state.draftId);
      return c.redirect(`/evaluations/${encodeURIComponent(evaluation.id)}`, 303);
    } catch (e) {
      if (!isFormError(e)) throw e;
      return formPage(c, principal, { ...state, errors: formErrors(e, knownFieldNames(doc, fields)) }, STATUS_OF[e.code]);
    }
  });

  app.post('/drafts', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    authorize(principal, 'submitEvaluation');
    const fields = await formFields(c);
    const doc = await ruleSetOfForm(c, fields);
    const state = formState(doc, fields, principal);
    const problem = await keepDraft(c, principal, doc, fields, state.draftId);
    if (problem) return formPage(c, principal, { ...state, errors: [{ field: null, message: problem }] }, 422);
    return c.redirect(`/evaluations/new?draft=${state.draftId}&saved=1`, 303);
  });

  app.get('/drafts', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const drafts = await listDrafts(c.get('deps'), principal);
    return send(
      c,
      <Layout title="草稿" principal={principal}>
        <h1>草稿</h1>
        <p>填写自评表时，每次试算都会自动保存草稿；关闭页面后可从这里接着填写。</p>
        {drafts.length === 0 ? (
          <p>没有草稿。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">项目</th>
                <th scope="col">评分规则</th>
                <th scope="col">年度</th>
                <th scope="col">最后保存</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => (
                <tr>
                  <td>
                    <a href={`/evaluations/new?draft=${d.id}`}>{d.title}</a>
                  </td>
                  <td>
                    {d.ruleset_id} {d.ruleset_version}
                  </td>
                  <td>{d.fiscal_year}</td>
                  <td>{d.updated_at}</td>
                  <td>
                    <form method="post" action={`/drafts/${d.id}/delete`}>
                      <button type="submit" class="secondary" aria-label={`删除草稿：${d.title}`}>
                        删除
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.post('/drafts/:id/delete', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    await deleteDraft(c.get('deps'), principal, c.req.param('id'));
    return c.redirect('/drafts', 303);
  });

  // the queue, the evaluation page and its actions; the rule-set catalogue and publishing
  mountReviewPages(app);
  mountRuleSetPages(app);
}
