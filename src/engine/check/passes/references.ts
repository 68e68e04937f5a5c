// Pass "references": every rule applies to a known leaf or rule group; every leaf and used rule group has rules;
// conditions and awards name facts of their target's scope, of a type the method can use (the fields and checks of
// each method come from the method registry).
import type { Award, Condition } from '../../../domain/ruleset.js';
import { factConditions } from '../../conditions.js';
import { factKind, type FactScope } from '../../facts.js';
import { awardFactReferences, methodOf } from '../../methods/registry.js';
import type { Pass, PassContext } from '../diagnostics.js';

export { factKind } from '../../facts.js';

const KIND_WORDS = { number: '数值', string: '文字', checklist: '清单' } as const;

export const referencesPass: Pass = {
  name: 'references',
  blocking: true,
  needsSoundStructure: false,
  run(ctx: PassContext) {
    const usedGroups = new Set([...ctx.index.slots.values()].flatMap((s) => (s.node.unitIndicators ? [s.node.unitIndicators.ruleGroup] : [])));
    ctx.document.rules.forEach((rule, i) => {
      const base = `$.rules[${i}]`;
      const target = ctx.index.targets.get(rule.event.params.appliesTo);
      if (!target) {
        ctx.report({ code: 'UNKNOWN_TARGET', severity: 'error', message: `规则「${rule.name}」适用的「${rule.event.params.appliesTo}」既不是末级指标也不是规则组`, location: `${base}.event.params.appliesTo` });
        return;
      }
      for (const { condition: { fact }, location } of factConditions(rule.conditions, `${base}.conditions`)) {
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

/** The award's fact fields name facts of the kind the method accepts; then the method's own checks. */
function checkAward(ctx: PassContext, award: Award, scope: FactScope, targetName: string, location: string) {
  for (const { field, fact, accepts } of awardFactReferences(award)) {
    const kind = factKind(scope, fact);
    if (!kind) {
      ctx.report({ code: 'UNKNOWN_FACT', severity: 'error', message: `计分方法 ${award.method} 的参数 ${field} 引用了「${targetName}」未声明的数据项「${fact}」`, location: `${location}.${field}` });
    } else if (kind !== accepts) {
      ctx.report({ code: 'FACT_TYPE', severity: 'error', message: `计分方法 ${award.method} 的参数 ${field} 须为${KIND_WORDS[accepts]}数据项，「${fact}」不是`, location: `${location}.${field}` });
    }
  }
  for (const problem of methodOf(award).check?.(award, scope) ?? []) {
    ctx.report({ code: problem.code, severity: 'error', message: problem.message, location: `${location}.${problem.field}` });
  }
}
