// Hostile inputs shared by tests and the bench: a submission with 100,000 empty indicators, and a rule set with
// 2,000 rules on one fact (about 600 KB) built on the shipped gd-meizhou-2022.
import { example, ruleSet } from './support.js';

export function hugeIndicatorSubmission(count = 100_000): Record<string, unknown> {
  const submission = example('meizhou-2022.json');
  return { ...submission, indicators: Array.from({ length: count }, () => ({})) };
}

export function manyRulesRuleSet(rules = 2_000, version = '9.0.0'): Record<string, any> {
  const doc = ruleSet('gd-meizhou-2022') as unknown as Record<string, any>;
  doc.version = version;
  const template = doc.rules.find((r: { name: string }) => r.name === 'payment.short');
  for (let i = 0; i < rules; i++) {
    doc.rules.push({
      ...template,
      name: `payment.band${i}`,
      conditions: {
        all: [
          { fact: 'paymentRate', operator: 'greaterThanInclusive', value: i / rules },
          { fact: 'paymentRate', operator: 'lessThan', value: (i + 1) / rules },
        ],
      },
    });
  }
  return doc;
}
