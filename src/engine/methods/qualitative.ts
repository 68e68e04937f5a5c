// 定性 qualitative: the evaluator picks a tier (达成 / 部分达成 / 未达成) and a score within the tier's share of the
// declared points (80–100% / 60–80% / 0–60% unless the rule sets other cut points); the score is awarded as chosen,
// scaled when points were redistributed.
import { DomainError } from '../../domain/errors.js';
import { clampPoints, formatNumber, type MethodOutcome } from '../../domain/methods.js';
import { denoise } from '../../domain/rounding.js';
import { TIER_LABELS, ownValue } from '../../domain/submission.js';
import { AwardInputRejected, exactly, numberFact, type AwardProblem, type Inversion, type ScoringMethod } from './method.js';

const TIERS = ['achieved', 'partial', 'notAchieved'] as const;
export type QualitativeTier = (typeof TIERS)[number];

export interface QualitativeCutPoints {
  /** lower bound of 达成 as a fraction of w (default 0.8) */
  readonly achieved: number;
  /** lower bound of 部分达成 as a fraction of w (default 0.6) */
  readonly partial: number;
}

export const DEFAULT_CUT_POINTS: QualitativeCutPoints = { achieved: 0.8, partial: 0.6 };

type QualitativeAward = {
  readonly method: 'qualitative';
  readonly tier: string;
  readonly score: string;
  readonly cutPoints?: QualitativeCutPoints;
};

export interface TierRange {
  readonly lower: number;
  readonly upper: number;
  readonly upperInclusive: boolean;
}

/** Tier range in points: 达成 [a·w, w], 部分达成 [p·w, a·w), 未达成 [0, p·w). */
export function qualitativeTierRange(tier: QualitativeTier, w: number, cut: QualitativeCutPoints = DEFAULT_CUT_POINTS): TierRange {
  switch (tier) {
    case 'achieved':
      return { lower: denoise(cut.achieved * w), upper: w, upperInclusive: true };
    case 'partial':
      return { lower: denoise(cut.partial * w), upper: denoise(cut.achieved * w), upperInclusive: false };
    case 'notAchieved':
      return { lower: 0, upper: denoise(cut.partial * w), upperInclusive: false };
  }
}

function isTier(value: unknown): value is QualitativeTier {
  return (TIERS as readonly unknown[]).includes(value);
}

function inTier(score: number, range: TierRange): boolean {
  return score >= range.lower && (range.upperInclusive ? score <= range.upper : score < range.upper);
}

/** The chosen score must lie in its tier (on the declared points w); it is awarded as chosen. */
export function qualitativePoints(tier: QualitativeTier, chosenScore: number, w: number, cut: QualitativeCutPoints = DEFAULT_CUT_POINTS): MethodOutcome {
  const range = qualitativeTierRange(tier, w, cut);
  // A zero-point leaf has empty lower tiers; only 0 makes sense there.
  if (!inTier(chosenScore, range) && !(w === 0 && chosenScore === 0)) {
    const shown = `[${formatNumber(range.lower)}, ${formatNumber(range.upper)}${range.upperInclusive ? ']' : ')'}`;
    throw new AwardInputRejected(
      'score',
      `所选得分 ${formatNumber(chosenScore)} 不在「${ownValue(TIER_LABELS, tier) ?? tier}」档的分值区间 ${shown} 内`,
    );
  }
  return { points: clampPoints(chosenScore, w), values: { tierLower: range.lower, tierUpper: range.upper } };
}

function invertQualitative(award: QualitativeAward, w: number, declaredMax: number, points: number): Inversion {
  if (declaredMax === 0 || w === 0) return { kind: 'constant', points: 0 };
  const score = (points * declaredMax) / w;
  const tier = TIERS.find((t) => inTier(score, qualitativeTierRange(t, declaredMax, award.cutPoints)));
  if (tier === undefined) return { kind: 'input', field: 'score', values: [] };
  return { kind: 'input', field: 'score', values: [exactly(score)], with: { tier } };
}

export const qualitative: ScoringMethod<QualitativeAward> = {
  name: 'qualitative',
  label: '定性',
  fields: {
    tier: { kind: 'fact', accepts: 'string', required: true, label: '评价档次' },
    score: { kind: 'fact', accepts: 'number', required: true, label: '所选得分' },
    cutPoints: { kind: 'object', required: false, label: '档次分界' },
  },
  placeholders: ['tierLower', 'tierUpper'],
  example: { award: { method: 'qualitative', tier: 'tier', score: 'chosenScore' }, facts: { tier: 'partial', chosenScore: 7 } },
  check(award, scope) {
    const problems: AwardProblem[] = [];
    // scoring looks the tier up among the three tiers; any other value has no point range
    const tier = ownValue(scope.facts, award.tier);
    if (tier?.type === 'string' && !(tier.enum && tier.enum.every(isTier))) {
      problems.push({
        code: 'FACT_TYPE',
        field: 'tier',
        message: `计分方法 ${award.method} 的参数 tier 须为只取 ${TIERS.join('、')} 的文字数据项（enum），「${award.tier}」不是`,
      });
    }
    if (award.cutPoints && award.cutPoints.partial >= award.cutPoints.achieved) {
      problems.push({ code: 'CUT_POINTS', field: 'cutPoints', message: '定性档次分界：部分达成的下限须低于达成的下限' });
    }
    return problems;
  },
  award(award, { facts, w, declaredMax }) {
    const tier = Object.hasOwn(facts, award.tier) ? facts[award.tier] : undefined;
    if (!isTier(tier)) throw new DomainError('SCORING_INVARIANT_BROKEN', `计分所需的评价档次「${award.tier}」缺失或无效`);
    // the score is chosen on the declared points, then scaled to the effective ones
    const chosen = qualitativePoints(tier, numberFact(facts, award.score), declaredMax, award.cutPoints);
    return { points: declaredMax === 0 ? 0 : (chosen.points * w) / declaredMax, values: chosen.values };
  },
  invert: (award, { w, declaredMax }, points) => invertQualitative(award, w, declaredMax, points),
  defaultExplanation: (award) =>
    `评价档次 {${award.tier}}，所选得分 {${award.score}}（该档 {tierLower}–{tierUpper} 分），得 {points} 分（满分 {max} 分）`,
};
