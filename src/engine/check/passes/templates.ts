// Pass "templates": every explanation placeholder names a value the case will have, with a known format. What a
// case has: its target's facts, the placeholders of scoring/explain.ts and its award method's values.
import { availablePlaceholders } from '../../scoring/explain.js';
import { placeholders, strayBraces, TEMPLATE_FORMATS } from '../../template.js';
import type { Pass } from '../diagnostics.js';

export const templatesPass: Pass = {
  name: 'templates',
  blocking: false,
  needsSoundStructure: true,
  run(ctx) {
    ctx.document.rules.forEach((rule, i) => {
      const params = rule.event.params;
      const target = ctx.index.targets.get(params.appliesTo);
      if (!target) return;
      const location = `$.rules[${i}].event.params.explanation`;
      const available = availablePlaceholders(target, params.award.method);
      for (const p of placeholders(params.explanation)) {
        if (!available.has(p.name)) {
          ctx.report({
            code: 'TEMPLATE_UNRESOLVED',
            severity: 'error',
            message: `规则「${rule.name}」的说明模板占位符 ${p.raw} 无法解析：「${target.name}」在此计分方法下没有名为「${p.name}」的值`,
            location,
          });
        }
        if (!(TEMPLATE_FORMATS as readonly string[]).includes(p.format)) {
          ctx.report({ code: 'TEMPLATE_FORMAT', severity: 'error', message: `占位符 ${p.raw} 的格式「${p.format}」未知（可用：${TEMPLATE_FORMATS.join('、')}）`, location });
        }
      }
      if (strayBraces(params.explanation)) {
        ctx.report({ code: 'TEMPLATE_SYNTAX', severity: 'error', message: `规则「${rule.name}」的说明模板含有不成对或不合规的花括号`, location });
      }
    });
  },
};
