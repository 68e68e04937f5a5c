// /v1/rulesets: list and describe rule-set versions, compare two (change notice), preview a candidate's impact,
// publish one (the policy says who may).
import { describeRuleSet, getRuleSetVersion, listRuleSets } from '../../services/catalogue.js';
import { DomainError } from '../../domain/errors.js';
import { publishRuleSet } from '../../services/publish.js';
import { previewImpactOfDocument } from '../../services/rescore.js';
import { diffRuleSetVersions } from '../../services/ruleset-diff.js';
import { principalOf } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { Handlers } from './handler.js';

export const ruleSetHandlers: Handlers<'listRuleSets' | 'publishRuleSet' | 'getRuleSet' | 'getRuleSetVersion' | 'diffRuleSetVersions' | 'previewRuleSetImpact'> = {
  listRuleSets: async (c) => c.json({ rulesets: await listRuleSets(c.get('deps'), principalOf(c)) }),
  publishRuleSet: async (c) => {
    const { created, summary } = await publishRuleSet(c.get('deps'), principalOf(c), await readJsonBody(c));
    return c.json(summary, created ? 201 : 200);
  },
  getRuleSet: async (c) => c.json(await describeRuleSet(c.get('deps'), principalOf(c), c.req.param('id')!)),
  diffRuleSetVersions: async (c) => {
    const from = c.req.query('from');
    const to = c.req.query('to');
    const missing = [...(from ? [] : [{ path: 'query.from', message: '缺少旧版本号 from' }]), ...(to ? [] : [{ path: 'query.to', message: '缺少新版本号 to' }])];
    if (!from || !to) throw new DomainError('BAD_REQUEST', '比较两个版本须给出 from 与 to', missing);
    return c.json(await diffRuleSetVersions(c.get('deps'), principalOf(c), c.req.param('id')!, from, to));
  },
  previewRuleSetImpact: async (c) => c.json(await previewImpactOfDocument(c.get('deps'), principalOf(c), await readJsonBody(c))),
  getRuleSetVersion: async (c) => c.json(await getRuleSetVersion(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('version')!)),
};
