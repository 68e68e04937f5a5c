/** @jsxImportSource hono/jsx */
// The evaluation page: the shared report view (src/report/view.ts) as HTML — grade and total first, the 自评表 with
// self-reported / recomputed / review points side by side, evidence, points lost ranked. No figure is computed here.
import type { ReportItemRow, ReportRow, ReportView } from '../report/view.js';

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : String(n));

export function ReportSummary({ view }: { view: ReportView }) {
  const s = view.summary;
  return (
    <section class="summary" aria-label="评价结果">
      <div>
        <div class="muted">等级</div>
        <div class="grade" data-testid="grade">{s.final.grade.name}</div>
        <div>{s.final.grade.label}</div>
      </div>
      <div>
        <div class="muted">总分</div>
        <div class="total">
          <span data-testid="total">{fmt(s.final.total)}</span> <span class="muted">/ {fmt(s.maxTotal)}</span>
        </div>
        {s.review ? <div class="muted">复算 {fmt(s.total)} 分，复核后 {fmt(s.review.total)} 分</div> : null}
      </div>
      <div>
        <div class="muted">单位自评</div>
        <div>{s.selfReported?.total !== null && s.selfReported?.total !== undefined ? `${s.selfReported.total} 分` : '未填'}{s.selfReported?.grade ? `（${s.selfReported.grade}）` : ''}</div>
        <div class={s.discrepancies > 0 ? 'discrepancy' : ''}>{s.discrepancies > 0 ? `${s.discrepancies} 项自评分与复算分不一致` : '自评分与复算分一致'}</div>
      </div>
      <div>
        <div class="muted">距下一等级</div>
        <div data-testid="next-grade">{s.nextGrade ?? '已是最高等级'}</div>
      </div>
    </section>
  );
}

function Evidence({ row }: { row: ReportItemRow }) {
  if (row.evidence.length === 0) return null;
  return (
    <ul class="evidence">
      {row.evidence.map((e) => (
        <li class={e.passed ? 'passed' : 'failed'}>
          {e.label}：实际 {e.actual}，条件 {e.operator} {e.threshold}（{e.passed ? '成立' : '不成立'}）
        </li>
      ))}
    </ul>
  );
}

function ItemCells({ row }: { row: ReportItemRow }) {
  return (
    <>
      <td class="num">{row.selfReported === null ? '—' : fmt(row.selfReported)}</td>
      <td class="num">{row.applicable ? fmt(row.recomputed) : '不适用'}</td>
      <td class="num">{row.review ? fmt(row.review.points) : '—'}</td>
      <td>
        {row.discrepancy ? <strong class="discrepancy">不一致：复算 − 自评 = {fmt(row.difference)}</strong> : null}
        {row.unitIndicator ? (
          <div>
            {row.unitIndicator.direction}；指标值 {row.unitIndicator.target}
            {row.unitIndicator.unitOfMeasure ?? ''}，实际 {row.unitIndicator.actual}
            {row.unitIndicator.unitOfMeasure ?? ''}
          </div>
        ) : null}
        <div>{row.applicable ? row.explanation : `不适用：${row.notApplicableReason ?? ''}`}</div>
        <Evidence row={row} />
        {row.review ? <div>复核（{row.review.reviewer}）：{row.review.reason}</div> : null}
        {row.remark ? <div class="muted">单位说明：{row.remark}</div> : null}
      </td>
    </>
  );
}

function Row({ row }: { row: ReportRow }) {
  if (row.kind === 'group') {
    return (
      <tr class={`level-${row.level}`}>
        <th scope="row">
          <span class="muted">{row.levelName}</span> {row.name}
        </th>
        <td class="num">{fmt(row.max)}</td>
        <td class="num">—</td>
        <td class="num">{row.applicable ? fmt(row.recomputed) : '不适用'}</td>
        <td class="num">{fmt(row.review)}</td>
        <td></td>
      </tr>
    );
  }
  return (
    <tr class={`level-${row.level} item${row.discrepancy ? ' has-discrepancy' : ''}`} data-item={row.id}>
      <th scope="row">
        <span class="muted">{row.levelName}</span> {row.name}
      </th>
      <td class="num">{fmt(row.max)}</td>
      <ItemCells row={row} />
    </tr>
  );
}

/** The 自评表: one row per indicator, 一级 to 三级, as the view orders them. */
export function ReportTable({ view }: { view: ReportView }) {
  return (
    <table class="report">
      <caption class="muted">自评表（得分单位：分）</caption>
      <colgroup>
        <col class="c-name" />
        <col class="c-num" />
        <col class="c-num" />
        <col class="c-num" />
        <col class="c-num" />
        <col class="c-text" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">指标</th>
          <th scope="col" class="num">分值</th>
          <th scope="col" class="num">自评分</th>
          <th scope="col" class="num">复算分</th>
          <th scope="col" class="num">复核分</th>
          <th scope="col">说明与依据</th>
        </tr>
      </thead>
      <tbody>
        {view.rows.map((r) => (
          <Row row={r} />
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">合计</th>
          <td class="num">{fmt(view.summary.maxTotal)}</td>
          <td class="num">{fmt(view.summary.selfReported?.total)}</td>
          <td class="num">{fmt(view.summary.total)}</td>
          <td class="num">{fmt(view.summary.review?.total)}</td>
          <td>等级：{view.summary.final.grade.label}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function PointsLost({ view }: { view: ReportView }) {
  if (view.pointsLost.length === 0) return <p>没有失分项。</p>;
  return (
    <ol class="points-lost">
      {view.pointsLost.map((p) => (
        <li>
          <strong>{p.name}</strong>（{p.path.join(' / ')}）失 {fmt(p.lost)} 分：{p.reason}
          {p.recovery ? <div class="muted">挽回：{p.recovery}</div> : null}
        </li>
      ))}
    </ol>
  );
}

export function ReportBody({ view }: { view: ReportView }) {
  return (
    <>
      <h1>{view.project.name}</h1>
      <dl class="meta">
        <dt>预算单位</dt>
        <dd>
          {view.project.unitName}（{view.project.unitId}）
        </dd>
        <dt>年度</dt>
        <dd>{view.project.fiscalYear}</dd>
        {view.project.budgetTotal !== null ? (
          <>
            <dt>预算总额</dt>
            <dd>{view.project.budgetTotal} 万元</dd>
          </>
        ) : null}
        <dt>评分规则</dt>
        <dd>
          {view.ruleset.title}（{view.ruleset.id} {view.ruleset.version}）
        </dd>
        {view.evaluation ? (
          <>
            <dt>评价编号</dt>
            <dd>
              <code>{view.evaluation.id}</code>，提交于 {view.evaluation.createdAt}
            </dd>
          </>
        ) : null}
      </dl>
      {view.ruleset.provisional ? <p class="notice">该评分表为暂行版本，分值待财政局正式发布后可能调整。</p> : null}
      <ReportSummary view={view} />
      {view.warnings.length > 0 ? (
        <ul class="notice">
          {view.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
      <h2>自评表</h2>
      <ReportTable view={view} />
      <h2>失分项（按失分多少排序）</h2>
      <PointsLost view={view} />
      {view.reviews.length > 0 ? (
        <>
          <h2>复核记录</h2>
          <ul>
            {view.reviews.map((r) => (
              <li>
                {r.createdAt} {r.reviewer}
                {r.comment ? `：${r.comment}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="no-print muted">打印本页（浏览器“打印”，A4 纸）即得自评表。</p>
    </>
  );
}
