// /v1/rulesets: list, describe and (bureau only) publish rule-set versions.
import { Hono } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { requireRole } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { AppEnv } from '../env.js';

export const ruleSetRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ rulesets: await c.get('deps').catalog.list() }))
  .post('/', async (c) => {
    const principal = requireRole(c, 'bureau');
    const body = await readJsonBody(c);
    const deps = c.get('deps');
    const { created, summary } = await deps.catalog.publish(body, principal, deps.clock());
    return c.json(summary, created ? 201 : 200);
  })
  .get('/:id', async (c) => {
    const id = c.req.param('id');
    const versions = await c.get('deps').catalog.describe(id);
    if (versions.length === 0) throw new DomainError('NOT_FOUND', `没有编号为「${id}」的评分规则集`);
    return c.json({ id, title: versions[0]!.title, versions });
  })
  .get('/:id/:version', async (c) => {
    const { id, version } = c.req.param();
    const catalog = c.get('deps').catalog;
    const compiled = await catalog.get(id, version);
    if (!compiled) throw new DomainError('NOT_FOUND', `评分规则集「${id}」没有版本 ${version}`);
    const summary = (await catalog.describe(id)).find((v) => v.version === version)!;
    return c.json({ ...summary, ruleset: compiled.document });
  });
