// /v1/openapi.json is a valid OpenAPI 3.1 document, built from schemas/, describing every route the app serves.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/http/openapi.js';
import { createApp } from '../../src/http/app.js';
import { startTestService } from './harness.js';

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1 with every $ref resolving', async () => {
    const validator = new Validator();
    const res = await validator.validate(buildOpenApi());
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    await expect(validator.validateBundle([buildOpenApi()])).resolves.toMatchObject({ valid: true });
  });

  it('describes every route the app serves, and nothing else', async () => {
    const svc = await startTestService();
    const app = createApp({ db: svc.database.db, catalog: undefined as never, clock: () => new Date() });
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`),
    );
    served.delete('get /v1/openapi.json');
    served.delete('get /docs');
    const spec = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    expect([...documented].sort()).toEqual([...served].sort());
    await svc.close();
  });

  it('takes its component schemas from schemas/ (no second copy)', () => {
    const spec = buildOpenApi() as any;
    expect(spec.components.schemas.Submission.properties.project.required).toEqual(['name', 'unitId', 'unitName', 'fiscalYear']);
    expect(spec.components.schemas.RuleSet_node).toBeDefined();
    expect(JSON.stringify(spec)).not.toContain('$defs');
    expect(JSON.stringify(spec)).not.toContain('jxzp.example');
  });
});
