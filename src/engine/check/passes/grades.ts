// Pass "grades": band codes unique, lower bounds distinct and within the total, some band starting at 0.
import { formatNumber } from '../../../domain/methods.js';
import type { Pass } from '../diagnostics.js';

export const gradesPass: Pass = {
  name: 'grades',
  blocking: false,
  needsSoundStructure: false,
  run(ctx) {
    const codes = new Set<string>();
    const mins = new Set<number>();
    ctx.document.grades.forEach((band, i) => {
      const location = `$.grades[${i}]`;
      if (codes.has(band.code)) ctx.report({ code: 'GRADE_DUPLICATE', severity: 'error', message: `等级代码「${band.code}」重复`, location: `${location}.code` });
      if (mins.has(band.min)) ctx.report({ code: 'GRADE_DUPLICATE', severity: 'error', message: `等级下限 ${formatNumber(band.min)} 分重复`, location: `${location}.min` });
      if (band.min > ctx.document.total) {
        ctx.report({ code: 'GRADE_UNREACHABLE', severity: 'error', message: `等级「${band.label}」下限 ${formatNumber(band.min)} 分超过总分 ${formatNumber(ctx.document.total)} 分，永远达不到`, location: `${location}.min` });
      }
      codes.add(band.code);
      mins.add(band.min);
    });
    if (!mins.has(0)) {
      ctx.report({ code: 'GRADE_GAP', severity: 'error', message: '须有一个下限为 0 分的等级，否则低分无等级可评', location: '$.grades' });
    }
  },
};
