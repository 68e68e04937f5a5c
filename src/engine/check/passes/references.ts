// Pass "references": every rule applies to a known leaf or rule group; every leaf and used rule group has rules;
// conditions and awards name facts of their target's scope, of a type the method can use.
import type { Award, Condition } from '../../../domain/ruleset.js';
import type { FactScope } from '../../facts.js';
import { own } from '../../model.js';
import type { Pass, PassContext } from '../diagnostics.js';

const QUALITATIVE_TIERS = ['achieved', 'partial', 'notAchieved'] as const;

/** fact-valued award parameters and the kinds of fact each accepts */
const AWARD_FACT_PARAMS: Record<string, Record<string, 'number' | 'string' | 'checklist'>> = {
  positive: { actual: 'number', target: 'number' },
  negative: { actual: 'number', target: 'number' },
  equal: { actual: 'number', target: 'number' },
  qualitative: { tier: 'string', score: 'number' },
  checklist: { checklist: 'checklist' },
  budgetExecution: { executed: 'number', budget: 'number' },
  thresholdRate: { rate: 'number' },
};

export function factKind(scope: FactScope, name: string): 'number' | 'string' | 'boolean' | 'checklist' | null {
  const decl = own(scope.facts, name);
  if (decl) return decl.type === 'integer' ? 'number' : decl.type;
  return Object.hasOwn(scope.derived, name) ? 'number' : null;
}

export function conditionFacts(c: Condition, path: string, out: { fact: string; location: string }[] = []) {
  if ('fact' in c) out.push({ fact: c.fact, location: path });
  else if ('all' in c) c.all.forEach((x, i) => conditionFacts(x, `${path}.all[${i}]`, out));
  else if ('any' in c) c.any.forEach((x, i) => conditionFacts(x, `${path}.any[${i}]`, out));
  else if ('not' in c) conditionFacts(c.not, `${path}.not`, out);
  return out;
}

export const referencesPass: Pass = {
  name: 'references',
  blocking: true,
  needsSoundStructure: false,
  run(ctx: PassContext) {
    const usedGroups = new Set([...ctx.index.slots.values()].map((s) => s.node.unitIndicators!.ruleGroup));
    ctx.document.rules.forEach((rule, i) => {
      const base = `$.rules[${i}]`;
      const target = ctx.index.targets.get(rule.event.params.appliesTo);
      if (!target) {
        ctx.report({ code: 'UNKNOWN_TARGET', severity: 'error', message: `规则「${rule.name}」适用的「${rule.event.params.appliesTo}」既不是末级指标也不是规则组`, location: `${base}.event.params.appliesTo` });
        return;
      }
      for (const { fact, location } of conditionFacts(rule.conditions, `${base}.conditions`)) {
        if (!factKind(target.scope, fact)) {
          ctx.report({ code: 'UNKNOWN_FACT', severity: 'error', message: `规则「${rule.name}」的条件引用了「${target.name}」未声明的数据项「${fact}」`, location: `${location}.fact` });
        }
      }
      checkAward(ctx, rule.event.params.award, target.scope, target.name, `${base}.event.params.award`);
    });
    for (const target of ctx.index.targets.values()) {
      if (target.kind === 'ruleGroup' && !usedGroups.has(target.id)) {
        ctx.report({ code: 'UNUSED_RULE_GROUP', severity: 'warning', message: `规则组「${target.name}」没有被任何单位自设指标位使用`, location: target.location });
        continue;
      }
      if (target.rules.length === 0) {
        ctx.report({ code: 'LEAF_WITHOUT_RULES', severity: 'error', message: `「${target.name}」没有任何计分规则`, location: target.location });
      }
    }
  },
};

function checkAward(ctx: PassContext, award: Award, scope: FactScope, targetName: string, location: string) {
  const params = own(AWARD_FACT_PARAMS, award.method) ?? {};
  for (const [param, wanted] of Object.entries(params)) {
    const fact = (award as unknown as Record<string, string>)[param]!;
    const kind = factKind(scope, fact);
    if (!kind) {
      ctx.report({ code: 'UNKNOWN_FACT', severity: 'error', message: `计分方法 ${award.method} 的参数 ${param} 引用了「${targetName}」未声明的数据项「${fact}」`, location: `${location}.${param}` });
    } else if (kind !== wanted) {
      ctx.report({ code: 'FACT_TYPE', severity: 'error', message: `计分方法 ${award.method} 的参数 ${param} 须为${wanted === 'number' ? '数值' : wanted === 'string' ? '文字' : '清单'}数据项，「${fact}」不是`, location: `${location}.${param}` });
    }
  }
  if (award.method === 'qualitative') {
    // scoring looks the tier up among the three tiers; any other value has no point range
    const tier = own(scope.facts, award.tier);
    if (tier?.type === 'string' && !(tier.enum && tier.enum.every((v) => (QUALITATIVE_TIERS as readonly string[]).includes(v)))) {
      ctx.report({ code: 'FACT_TYPE', severity: 'error', message: `计分方法 qualitative 的参数 tier 须为只取 ${QUALITATIVE_TIERS.join('、')} 的文字数据项（enum），「${award.tier}」不是`, location: `${location}.tier` });
    }
  }
  if (award.method === 'qualitative' && award.cutPoints && award.cutPoints.partial >= award.cutPoints.achieved) {
    ctx.report({ code: 'CUT_POINTS', severity: 'error', message: '定性档次分界：部分达成的下限须低于达成的下限', location: `${location}.cutPoints` });
  }
}
