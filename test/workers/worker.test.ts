// The same HTTP contract against the Worker in workerd with a local D1 (`wrangler dev --local`), plus: results
// are identical to Node's, and the bundle scores with no code generation at run time (workerd forbids it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiled, example, shippedRegistry } from '../support.js';
import { scoreAndShow, scoreSubmission } from '../../src/services/scoring.js';
import { contractSuite } from '../http/contract.js';
import { startWorker, type WorkerService } from '../../scripts/wrangler-dev.js';
import { clientFor, type Send } from '../http/harness.js';
import { checkedSend, contractChecker } from '../http/openapi-contract.js';

let worker: WorkerService & { send: Send };
/** the worker, with a plain client (the contract suite checks every reply it gets itself) */
const ready = (async () => {
  const started = await startWorker();
  const send = clientFor((req) => fetch(req), started.base);
  worker = { ...started, send }; // assigned at once, so afterAll stops it whatever happens next
  // this file's own requests are checked against the served OpenAPI document too
  worker.send = checkedSend(send, contractChecker((await send('GET', '/v1/openapi.json')).body));
  return { ...started, send };
})();

beforeAll(async () => {
  await ready;
}, 180_000);
afterAll(async () => {
  await worker?.stop();
});

contractSuite('Cloudflare Worker, workerd + local D1', async () => ready);

describe('Worker and Node agree', () => {
  it('a stored evaluation is identical (result document and hashes) on the Worker and on Node', async () => {
    for (const file of ['meizhou-2022.json', 'national-road-maintenance-2023.json', 'national-training-2023.json']) {
      const submission = example(file);
      const onNode = await scoreSubmission(shippedRegistry(), submission);
      const r = await worker.send('POST', '/v1/score', { token: worker.tokens.reviewer, json: submission });
      expect(r.status, r.text).toBe(200);
      // the score response is the result plus "what it would take", shown but never stored
      const { whatItWouldTake, ...result } = r.body;
      expect(result).toEqual(JSON.parse(JSON.stringify(onNode)));
      expect(whatItWouldTake).toEqual(JSON.parse(JSON.stringify(await scoreAndShow(shippedRegistry(), submission))).whatItWouldTake);
    }
    const stored = await worker.send('POST', '/v1/evaluations', { token: worker.tokens.unit, json: example('meizhou-2022.json') });
    expect(stored.status).toBe(201);
    expect(stored.body.ruleset.sha256).toBe(compiled('gd-meizhou-2022').sha256);
    const onNode = await scoreSubmission(shippedRegistry(), example('meizhou-2022.json'));
    expect(stored.body.result).toEqual(JSON.parse(JSON.stringify(onNode)));
    const verify = await worker.send('POST', `/v1/evaluations/${stored.body.id}/verify`, { token: worker.tokens.reviewer });
    expect(verify.body.identical).toBe(true);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const big = example('meizhou-2022.json');
    const r = await worker.send('POST', '/v1/score', { token: worker.tokens.unit, raw: JSON.stringify(big) + ' '.repeat(1024 * 1024 + 10), headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('logged no uncaught errors', () => {
    expect(worker.output()).not.toMatch(/Uncaught|EvalError|Code generation from strings disallowed/);
  });
});

describe('pages on workerd (sessions in D1)', () => {
  it('GET / leads to sign-in, /signin answers the HTML page, and a unit signs in with a session stored in D1', async () => {
    const home = await fetch(`${worker.base}/`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([303, '/signin']);
    const signin = await fetch(`${worker.base}/signin`);
    expect(signin.status).toBe(200);
    expect(signin.headers.get('content-type')).toContain('text/html');
    expect(await signin.text()).toContain('<h1>登录</h1>');
    const posted = await fetch(`${worker.base}/signin`, {
      method: 'POST',
      body: new URLSearchParams({ token: worker.tokens.unit }),
      headers: { Origin: worker.base },
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const cookie = posted.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(cookie).toMatch(/^jxzp_session=[0-9a-f]{64}$/);
    const signedIn = await fetch(`${worker.base}/`, { headers: { Cookie: cookie } });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.text()).toMatch(/<h1>预算单位（[^）]+），您好<\/h1>/);
  });
});
