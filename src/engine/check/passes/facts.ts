// Pass "facts": derived facts use declared facts of their own scope, with the right arity and types, and no cycles;
// rule groups declare only fields a unit-written indicator has.
import { findDerivedCycle } from '../../facts.js';
import { INDICATOR_FACTS, own } from '../../model.js';
import type { Pass } from '../diagnostics.js';

const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  ratio: [2, 2],
  difference: [2, 2],
  sum: [2, 10],
  checklistUnmet: [1, 1],
  checklistDeduction: [1, 1],
};

export const factsPass: Pass = {
  name: 'facts',
  blocking: true,
  needsSoundStructure: false,
  run(ctx) {
    for (const target of ctx.index.targets.values()) {
      const { facts, derived } = target.scope;
      const base = target.kind === 'leaf' ? target.location : `$.ruleGroups.${target.id}`;
      for (const name of Object.keys(derived)) {
        if (Object.hasOwn(facts, name)) {
          ctx.report({ code: 'DUPLICATE_FACT', severity: 'error', message: `派生数据项「${name}」与申报数据项同名`, location: `${base}.derived.${name}` });
        }
      }
      for (const [name, d] of Object.entries(derived)) {
        const location = `${base}.derived.${name}`;
        const [lo, hi] = own(ARITY, d.op) ?? [1, 10];
        if (d.of.length < lo || d.of.length > hi) {
          ctx.report({ code: 'DERIVED_ARITY', severity: 'error', message: `派生数据项「${d.label}」的运算 ${d.op} 需要 ${lo === hi ? lo : `${lo}–${hi}`} 个输入，实际 ${d.of.length} 个`, location: `${location}.of` });
        }
        d.of.forEach((input, i) => {
          const decl = own(facts, input);
          if (!decl && !Object.hasOwn(derived, input)) {
            ctx.report({ code: 'UNKNOWN_FACT', severity: 'error', message: `派生数据项「${d.label}」引用了未声明的数据项「${input}」`, location: `${location}.of[${i}]` });
            return;
          }
          const isChecklistOp = d.op === 'checklistUnmet' || d.op === 'checklistDeduction';
          const isChecklist = decl?.type === 'checklist';
          if (isChecklistOp !== isChecklist) {
            ctx.report({
              code: 'FACT_TYPE',
              severity: 'error',
              message: isChecklistOp ? `运算 ${d.op} 的输入须为清单类型数据项` : `运算 ${d.op} 的输入须为数值，「${input}」不是`,
              location: `${location}.of[${i}]`,
            });
          } else if (!isChecklistOp && decl && decl.type !== 'number' && decl.type !== 'integer') {
            ctx.report({ code: 'FACT_TYPE', severity: 'error', message: `运算 ${d.op} 的输入须为数值，「${input}」是 ${decl.type}`, location: `${location}.of[${i}]` });
          }
        });
      }
      const cycle = findDerivedCycle(derived);
      if (cycle) {
        ctx.report({ code: 'DERIVED_CYCLE', severity: 'error', message: `派生数据项循环引用：${cycle.join(' → ')}`, location: `${base}.derived` });
      }
      if (target.kind === 'ruleGroup') {
        for (const [name, decl] of Object.entries(facts)) {
          const allowed = own(INDICATOR_FACTS, name);
          if (!allowed) {
            ctx.report({ code: 'UNKNOWN_FACT', severity: 'error', message: `规则组的数据项只能取自单位自设指标的字段（${Object.keys(INDICATOR_FACTS).join('、')}），没有「${name}」`, location: `${base}.facts.${name}` });
          } else if (!allowed.includes(decl.type)) {
            ctx.report({ code: 'FACT_TYPE', severity: 'error', message: `单位自设指标的「${name}」类型应为 ${allowed.join('/')}`, location: `${base}.facts.${name}.type` });
          }
        }
      }
    }
  },
};
