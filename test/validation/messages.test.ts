import { describe, expect, it } from 'vitest';
import { jsonPathFromPointer } from '../../src/validation/messages.js';
import { ruleSetShapeErrors, submissionShapeErrors } from '../../src/validation/index.js';
import { example, ruleSet } from '../support.js';

describe('JSON paths', () => {
  it('turns JSON pointers into readable paths', () => {
    expect(jsonPathFromPointer('')).toBe('$');
    expect(jsonPathFromPointer('/indicators/3/chosenScore')).toBe('$.indicators[3].chosenScore');
    expect(jsonPathFromPointer('/facts/a~1b')).toBe('$.facts["a/b"]');
  });
});

describe('schema messages', () => {
  it('pick the branch of an anyOf that fits the value instead of listing every branch', () => {
    const s = example('meizhou-2022.json');
    s.facts.safeguards.requirements.measuresEffective = 'yes';
    expect(submissionShapeErrors(s)).toEqual([
      { path: '$.facts.safeguards.requirements.measuresEffective', message: '类型错误：应为布尔值（true/false）' },
    ]);
  });

  it('name the allowed types when no branch fits', () => {
    const s = example('meizhou-2022.json');
    s.facts.payment.spent = null;
    expect(submissionShapeErrors(s)).toEqual([
      { path: '$.facts.payment.spent', message: '类型错误：应为数值、字符串、布尔值（true/false）、对象之一' },
    ]);
  });

  it('report an award by its method only (discriminator), not every method it is not', () => {
    const doc = ruleSet('gd-meizhou-2022') as any;
    doc.rules[1].event.params.award = { method: 'positive' };
    expect(ruleSetShapeErrors(doc)).toEqual([
      { path: '$.rules[1].event.params.award.actual', message: '缺少必填项「actual」' },
      { path: '$.rules[1].event.params.award.target', message: '缺少必填项「target」' },
    ]);
  });

  it('report a bad property name once', () => {
    const s = example('meizhou-2022.json');
    s.facts['bad-name'] = {};
    expect(submissionShapeErrors(s)).toEqual([
      { path: '$.facts["bad-name"]', message: '属性名「bad-name」不合规：只能由字母、数字和下划线组成且以字母开头' },
    ]);
  });
});
