// GoRules ZEN (the Rust rules engine, @gorules/zen-engine) scoring the national table the way cn-mof-2020 does, for the
// side-by-side bench (issue #14, item 5). The decision model is a JDM graph of one expression node: budget execution
// (rate capped at 100 %), each unit-written indicator by its direction (正向 a ÷ t, 反向 linear, 等于 with t = 0,
// 定性 the chosen score), points rounded half-up to 2 decimals per item, the total and the grade. No explanations,
// no validation, no not-applicable redistribution: the national-12 case needs none, and the bench asserts the same total.

/** Points of one unit-written indicator `#`, before rounding. */
const INDICATOR_POINTS = [
  "#.direction == 'qualitative' ? #.chosenScore",
  ": #.direction == 'gte' ? (#.actual >= #.target ? #.points : max([0, #.actual]) / #.target * #.points)",
  ": #.direction == 'lte' ? (#.actual <= #.target ? #.points : max([0, 1 - (#.actual - #.target) / #.target]) * #.points)",
  ": #.target == 0 ? (#.actual <= 0 ? #.points : 0)",
  ": (#.actual == #.target ? #.points : min([#.points, max([0, #.actual]) / #.target * #.points]))",
].join(' ');

/** Half-up to 2 decimals (points are non-negative), with a nudge against binary representation (x.xx5 stored low). */
const round2 = (expr: string) => `floor((${expr}) * 100 + 0.5 + 1e-9) / 100`;

const BUDGET_POINTS = round2('min([1, facts.budgetExecution.executed / facts.budgetExecution.budget]) * 10');
const TOTAL = `${BUDGET_POINTS} + sum(map(indicators, ${round2(INDICATOR_POINTS)}))`;
const GRADE = (total: string) => `${total} >= 90 ? 'excellent' : ${total} >= 80 ? 'good' : ${total} >= 60 ? 'fair' : 'poor'`;

/** The JDM graph: request → expression node (items, total, grade) → response. */
export function nationalDecisionModel(): Record<string, unknown> {
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
      {
        id: 'score',
        type: 'expressionNode',
        name: 'score',
        position: { x: 200, y: 0 },
        content: {
          expressions: [
            { id: 'budget', key: 'budgetExecution', value: BUDGET_POINTS },
            { id: 'items', key: 'items', value: `map(indicators, ${round2(INDICATOR_POINTS)})` },
            { id: 'total', key: 'total', value: `round((${TOTAL}) * 100) / 100` },
            { id: 'grade', key: 'grade', value: GRADE(`(${TOTAL})`) },
          ],
        },
      },
      { id: 'response', type: 'outputNode', name: 'Response', position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'score', type: 'edge' },
      { id: 'e2', sourceId: 'score', targetId: 'response', type: 'edge' },
    ],
  };
}

export interface ZenScorer {
  evaluate(submission: unknown): Promise<{ total: number; grade: string }>;
  dispose(): void;
}

/** A ZEN decision for the national table, or why it could not be loaded (the bench reports that instead of failing). */
export async function loadZen(): Promise<ZenScorer | { unavailable: string }> {
  try {
    const { ZenEngine } = await import('@gorules/zen-engine');
    const engine = new ZenEngine();
    const decision = engine.createDecision(Buffer.from(JSON.stringify(nationalDecisionModel())));
    return {
      async evaluate(submission) {
        const { result } = await decision.evaluate(submission as Record<string, unknown>);
        return result as { total: number; grade: string };
      },
      dispose: () => engine.dispose(),
    };
  } catch (e) {
    return { unavailable: `@gorules/zen-engine 无法加载：${e instanceof Error ? e.message : String(e)}` };
  }
}
