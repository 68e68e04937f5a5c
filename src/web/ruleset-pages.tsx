/** @jsxImportSource hono/jsx */
// The bureau's pages: the rule-set catalogue, one version as the table a unit would print (indicator tree with points,
// scoring methods and criteria in Chinese, changes from the version before), and publishing a version from a file.
import type { Hono } from 'hono';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors.js';
import type { Condition, DerivedFact, FactDeclaration, RuleSetDocument, ScoringRule } from '../domain/ruleset.js';
import { walkIndicators } from '../domain/ruleset.js';
import { SCORING_METHODS } from '../engine/methods/registry.js';
import type { AppEnv } from '../http/env.js';
import { STATUS_OF } from '../http/errors.js';
import { describeRuleSet, getRuleSetVersion, listRuleSets, type RuleSetVersionSummary } from '../services/catalogue.js';
import { authorize, decide } from '../services/policy.js';
import type { Principal } from '../services/ports.js';
import { publishRuleSet } from '../services/publish.js';
import { diffRuleSetVersions, type RuleSetDiff } from '../services/ruleset-diff.js';
import { Layout } from './layout.js';
import { requireSignIn, send, type PageContext } from './page-kit.js';

const LEVEL_NAMES = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标'];
const OPERATOR_SIGNS: ReadonlyMap<string, string> = new Map([
  ['equal', '='],
  ['notEqual', '≠'],
  ['lessThan', '<'],
  ['lessThanInclusive', '≤'],
  ['greaterThan', '>'],
  ['greaterThanInclusive', '≥'],
  ['in', '属于'],
  ['notIn', '不属于'],
]);
/** errors of publishing that are the file's content: shown on the publish page with the diagnostics */
const PUBLISH_FORM_ERRORS = new Set<ErrorCode>(['RULESET_INVALID', 'VERSION_CONFLICT', 'RULESET_NOT_FOUND', 'BAD_REQUEST']);
const MAX_SHOWN_DIAGNOSTICS = 100;

const yearsText = (y: { from: number; to?: number }) => (y.to !== undefined ? `${y.from}–${y.to} 年度` : `${y.from} 年度起`);
const versionPath = (id: string, version: string) => `/rulesets/${encodeURIComponent(id)}/${encodeURIComponent(version)}`;

function StatusText({ v }: { v: RuleSetVersionSummary }) {
  return (
    <>
      {v.status === 'bundled' ? '随系统提供' : `财政局发布${v.publishedAt ? `（${v.publishedAt}）` : ''}`}
      {v.provisional ? '；暂行分值' : ''}
    </>
  );
}

// ---- the catalogue

async function cataloguePage(c: PageContext, principal: Principal): Promise<Response> {
  const ruleSets = await listRuleSets(c.get('deps'), principal);
  return send(
    c,
    <Layout title="评分规则" principal={principal}>
      <h1>评分规则</h1>
      <p>各评分规则集及其版本；打开版本可查看完整评分表（指标、分值、计分方法与评分标准），可直接打印。</p>
      {decide(principal, 'publishRuleSet') === 'allowed' ? (
        <p>
          <a href="/rulesets/publish">发布新版本</a>：上传规则集文件，检查通过后发布。
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">规则集</th>
            <th scope="col">版本</th>
            <th scope="col">适用年度</th>
            <th scope="col">来源</th>
            <th scope="col">依据文件</th>
          </tr>
        </thead>
        <tbody>
          {ruleSets.flatMap((r) =>
            r.versions.map((v, i) => (
              <tr>
                {i === 0 ? (
                  <th scope="rowgroup" rowspan={r.versions.length}>
                    {r.title}
                    <div class="muted">
                      <code>{r.id}</code>
                    </div>
                  </th>
                ) : null}
                <td>
                  <a href={versionPath(v.id, v.version)}>{v.version}</a>
                </td>
                <td>{yearsText(v.fiscalYears)}</td>
                <td>
                  <StatusText v={v} />
                </td>
                <td>{v.document}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </Layout>,
  );
}

// ---- one version

type Labels = ReadonlyMap<string, string>;

function labelsOf(...sources: (Readonly<Record<string, FactDeclaration | DerivedFact>> | undefined)[]): Labels {
  const out = new Map<string, string>();
  // own keys only: fact names come from the document
  for (const s of sources) for (const name of Object.keys(s ?? {})) out.set(name, s![name]!.label);
  return out;
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join('、');
  if (typeof value === 'string') return `「${value}」`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** A rule's conditions in words: 未满足的要求数 = 0 且 … */
function conditionText(c: Condition, labels: Labels): string {
  if ('all' in c) return c.all.length === 0 ? '（无条件）' : c.all.map((x) => conditionText(x, labels)).join(' 且 ');
  if ('any' in c) return `（${c.any.map((x) => conditionText(x, labels)).join(' 或 ')}）`;
  if ('not' in c) return `并非（${conditionText(c.not, labels)}）`;
  return `${labels.get(c.fact) ?? c.fact} ${OPERATOR_SIGNS.get(c.operator) ?? c.operator} ${valueText(c.value)}`;
}

function RuleList({ rules, labels }: { rules: readonly ScoringRule[]; labels: Labels }) {
  if (rules.length === 0) return null;
  return (
    <ul class="rules">
      {rules.map((r) => {
        const p = r.event.params;
        return (
          <li>
            <strong>{p.case}</strong>：{conditionText(r.conditions, labels)}。计分方法：{SCORING_METHODS.get(p.award.method)?.label ?? p.award.method}。
            <div class="muted">说明：{p.explanation}</div>
          </li>
        );
      })}
    </ul>
  );
}

function IndicatorTable({ doc }: { doc: RuleSetDocument }) {
  const byTarget = new Map<string, ScoringRule[]>();
  for (const r of doc.rules) byTarget.set(r.event.params.appliesTo, [...(byTarget.get(r.event.params.appliesTo) ?? []), r]);
  const groups = doc.ruleGroups ?? {};
  return (
    <table class="report ruleset-table">
      <caption class="muted">评分表（分值单位：分；总分 {doc.total} 分）</caption>
      <thead>
        <tr>
          <th scope="col">指标</th>
          <th scope="col" class="num">分值</th>
          <th scope="col">评分标准与计分方法</th>
        </tr>
      </thead>
      <tbody>
        {walkIndicators(doc.indicators).map(({ node, level }) => {
          const group = node.unitIndicators ? (Object.hasOwn(groups, node.unitIndicators.ruleGroup) ? groups[node.unitIndicators.ruleGroup] : undefined) : undefined;
          return (
            <tr class={`level-${level}`} data-indicator={node.id}>
              <th scope="row">
                <span class="muted">{LEVEL_NAMES[level - 1] ?? `${level}级指标`}</span> {node.name}
              </th>
              <td class="num">{node.points ?? '—'}</td>
              <td>
                {node.description ? <div>{node.description}</div> : null}
                {node.checklist && node.checklist.length > 0 ? (
                  <ul class="checklist-items">
                    {node.checklist.map((req) => (
                      <li>
                        {req.requirement}（未满足扣 {req.deduction} 分）
                      </li>
                    ))}
                  </ul>
                ) : null}
                {node.unitIndicators ? <div>单位自设指标，按「{group?.name ?? node.unitIndicators.ruleGroup}」的规则评分（见下表）。</div> : null}
                {node.children ? null : <RuleList rules={byTarget.get(node.id) ?? []} labels={labelsOf(node.facts, node.derived)} />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RuleGroups({ doc }: { doc: RuleSetDocument }) {
  const groups = Object.entries(doc.ruleGroups ?? {});
  if (groups.length === 0) return null;
  return (
    <>
      {groups.map(([id, g]) => (
        <section aria-label={g.name}>
          <h2>单位自设指标的评分规则：{g.name}</h2>
          <RuleList rules={doc.rules.filter((r) => r.event.params.appliesTo === id)} labels={labelsOf(g.facts, g.derived)} />
        </section>
      ))}
    </>
  );
}

function Grades({ doc }: { doc: RuleSetDocument }) {
  return (
    <table class="grades">
      <caption class="muted">等级</caption>
      <thead>
        <tr>
          <th scope="col">等级</th>
          <th scope="col">说明</th>
          <th scope="col" class="num">总分下限（含）</th>
        </tr>
      </thead>
      <tbody>
        {[...doc.grades]
          .sort((a, b) => b.min - a.min)
          .map((g) => (
            <tr>
              <th scope="row">{g.name}</th>
              <td>{g.label}</td>
              <td class="num">{g.min}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

function ChangeNotice({ diff }: { diff: RuleSetDiff | null }) {
  if (!diff) return <p>这是该规则集的第一个版本。</p>;
  return (
    <>
      <p>{diff.header}</p>
      <ul>
        {diff.notice.map((line) => (
          <li>{line}</li>
        ))}
      </ul>
    </>
  );
}

async function versionPage(c: PageContext, principal: Principal, id: string, version: string): Promise<Response> {
  const deps = c.get('deps');
  const v = await getRuleSetVersion(deps, principal, id, version);
  const doc = v.ruleset;
  const versions = (await describeRuleSet(deps, principal, id)).versions;
  // the version just before this one (the list is newest first)
  const older = versions[versions.findIndex((x) => x.version === v.version) + 1];
  const diff = older ? await diffRuleSetVersions(deps, principal, id, older.version, v.version) : null;
  const notice = c.req.query('published');
  return send(
    c,
    <Layout title={`${doc.title} ${doc.version}`} principal={principal}>
      {notice === 'created' ? (
        <p class="ok-box" role="status">
          已发布：{doc.id} {doc.version}。
        </p>
      ) : notice === 'same' ? (
        <p class="ok-box" role="status">
          该版本已经发布过且内容相同，没有重复发布。
        </p>
      ) : null}
      <h1>
        {doc.title}（{doc.version}）
      </h1>
      <dl class="meta">
        <dt>规则集编号</dt>
        <dd>
          <code>{doc.id}</code>
        </dd>
        <dt>依据文件</dt>
        <dd>{doc.document}</dd>
        {doc.issuer ? (
          <>
            <dt>发布机关</dt>
            <dd>{doc.issuer}</dd>
          </>
        ) : null}
        <dt>适用年度</dt>
        <dd>{yearsText(doc.fiscalYears)}</dd>
        <dt>总分</dt>
        <dd>{doc.total} 分</dd>
        <dt>来源</dt>
        <dd>
          <StatusText v={v} />
        </dd>
        <dt>内容校验值</dt>
        <dd>
          <code>{v.sha256}</code>
        </dd>
      </dl>
      {doc.provisional ? <p class="notice">暂行分值：{doc.provisionalNote ?? '分值待正式发布后可能调整。'}</p> : null}
      <h2>评分表</h2>
      <IndicatorTable doc={doc} />
      <RuleGroups doc={doc} />
      <h2>等级划分</h2>
      <Grades doc={doc} />
      <h2>版本说明</h2>
      <p>{doc.changelog}</p>
      <h2 class="no-print">与上一版本相比</h2>
      <div class="no-print">
        <ChangeNotice diff={diff} />
      </div>
      <p class="no-print muted">打印本页（浏览器“打印”，A4 纸）即得评分表。</p>
    </Layout>,
  );
}

// ---- publishing

interface PublishState {
  readonly message?: string;
  readonly details?: readonly ErrorDetail[];
  readonly fileName?: string;
}

function PublishBody({ state }: { state: PublishState }) {
  const details = state.details ?? [];
  return (
    <>
      <h1>发布评分规则新版本</h1>
      <p>
        上传规则集文件（JSON，UTF-8）：可以是规则集文档本身，也可以是 <code>{'{"ruleset": …, "cases": […]}'}</code>{' '}
        形式的发布请求（附带测试用例）。发布前会逐项检查（结构、分值合计、引用、档次覆盖、说明模板）并运行全部测试用例，全部通过才发布；已发布的版本不可修改。
      </p>
      {state.message ? (
        <div class="error-box" role="alert" id="publish-error">
          <p>
            {state.fileName ? `「${state.fileName}」未发布：` : ''}
            {state.message}
          </p>
          {details.length > 0 ? (
            <>
              <p>检查发现 {details.length} 个问题：</p>
              <ol class="diagnostics">
                {details.slice(0, MAX_SHOWN_DIAGNOSTICS).map((d) => (
                  <li>
                    {d.path ? (
                      <>
                        <code>{d.path}</code>：
                      </>
                    ) : null}
                    {d.message}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </div>
      ) : null}
      <form method="post" action="/rulesets/publish" enctype="multipart/form-data" class="stack">
        <label for="rs-file">规则集文件</label>
        <input id="rs-file" name="file" type="file" accept=".json,application/json" required aria-describedby={state.message ? 'publish-error' : undefined} aria-invalid={state.message ? 'true' : undefined} />
        <div class="actions">
          <button type="submit">检查并发布</button>
        </div>
      </form>
    </>
  );
}

function publishPage(c: PageContext, principal: Principal, state: PublishState, status = 200): Promise<Response> {
  return send(
    c,
    <Layout title="发布评分规则" principal={principal}>
      <PublishBody state={state} />
    </Layout>,
    status,
  );
}

/** The file's JSON as a publish request: a document alone is wrapped; a request ({ruleset, cases}) is taken as it is. */
function publishRequestOf(text: string): { body: unknown } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { problem: `文件不是有效的 JSON：${(e as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: '文件内容应为一个 JSON 对象（规则集文档或发布请求）' };
  return { body: Object.hasOwn(parsed, 'ruleset') ? parsed : { ruleset: parsed } };
}

export function mountRuleSetPages(app: Hono<AppEnv>): void {
  app.get('/rulesets', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    return cataloguePage(c, principal);
  });

  app.get('/rulesets/publish', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    authorize(principal, 'publishRuleSet');
    return publishPage(c, principal, {});
  });

  app.post('/rulesets/publish', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    authorize(principal, 'publishRuleSet');
    const file = (await c.req.raw.formData()).get('file');
    if (file === null || typeof file === 'string' || (file.size === 0 && file.name === '')) return publishPage(c, principal, { message: '请选择要上传的规则集文件' }, 422);
    const fileName = file.name;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return publishPage(c, principal, { fileName, message: '文件不是 UTF-8 编码的文本' }, 422);
    }
    const request = publishRequestOf(text);
    if ('problem' in request) return publishPage(c, principal, { fileName, message: request.problem }, 422);
    try {
      const { created, summary } = await publishRuleSet(c.get('deps'), principal, request.body);
      return c.redirect(`${versionPath(summary.id, summary.version)}?published=${created ? 'created' : 'same'}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError && PUBLISH_FORM_ERRORS.has(e.code))) throw e;
      return publishPage(c, principal, { fileName, message: e.message, details: e.details }, STATUS_OF[e.code]);
    }
  });

  app.get('/rulesets/:id', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    const listing = await describeRuleSet(c.get('deps'), principal, c.req.param('id'));
    return c.redirect(versionPath(listing.id, listing.versions[0]!.version), 303);
  });

  app.get('/rulesets/:id/:version', async (c) => {
    const principal = requireSignIn(c);
    if (principal instanceof Response) return principal;
    return versionPage(c, principal, c.req.param('id'), c.req.param('version'));
  });
}
