// /v1/rulesets: list and describe rule-set versions; publish one (the policy says who may).
import { describeRuleSet, getRuleSetVersion, listRuleSets } from '../../services/catalogue.js';
import { publishRuleSet } from '../../services/publish.js';
import { principalOf } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { Handlers } from './handler.js';

export const ruleSetHandlers: Handlers<'listRuleSets' | 'publishRuleSet' | 'getRuleSet' | 'getRuleSetVersion'> = {
  listRuleSets: async (c) => c.json({ rulesets: await listRuleSets(c.get('deps'), principalOf(c)) }),
  publishRuleSet: async (c) => {
    const { created, summary } = await publishRuleSet(c.get('deps'), principalOf(c), await readJsonBody(c));
    return c.json(summary, created ? 201 : 200);
  },
  getRuleSet: async (c) => c.json(await describeRuleSet(c.get('deps'), principalOf(c), c.req.param('id')!)),
  getRuleSetVersion: async (c) => c.json(await getRuleSetVersion(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('version')!)),
};
