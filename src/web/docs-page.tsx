/** @jsxImportSource hono/jsx */
// /docs: the OpenAPI document (src/http/openapi.ts) rendered as plain HTML — every operation, its parameters, body
// and answers — with no script and nothing from other hosts.
import { buildOpenApi } from '../http/openapi.js';
import type { Principal } from '../services/ports.js';
import { Layout } from './layout.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const refName = (v: unknown): string => str(obj(v).$ref).replace('#/components/schemas/', '');

function Operation({ method, path, op }: { method: string; path: string; op: Json }) {
  const params = Array.isArray(op.parameters) ? (op.parameters as Json[]) : [];
  const body = obj(obj(obj(op.requestBody).content)['application/json']).schema;
  const responses = Object.entries(obj(op.responses));
  return (
    <section class="operation" id={str(op.operationId)}>
      <h3>
        <span class="method">{method.toUpperCase()}</span> <code>{path}</code> {str(op.summary)}
      </h3>
      {op.description ? <p>{str(op.description)}</p> : null}
      <p class="muted">{op.security ? '需要 Bearer 令牌。' : '无需令牌。'}</p>
      {params.length > 0 ? (
        <table>
          <caption class="muted">参数</caption>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">位置</th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p) => (
              <tr>
                <td>
                  <code>{str(p.name)}</code>
                </td>
                <td>{str(p.in)}</td>
                <td>{str(p.description)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body ? (
        <p>
          请求体（application/json）：<a href={`#schema-${refName(body)}`}>{refName(body)}</a>
        </p>
      ) : null}
      <table>
        <caption class="muted">应答</caption>
        <thead>
          <tr>
            <th scope="col">状态</th>
            <th scope="col">说明</th>
          </tr>
        </thead>
        <tbody>
          {responses.map(([status, r]) => (
            <tr>
              <td>{status === 'default' ? '其他' : status}</td>
              <td>{str(obj(r).description)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

let openApi: Json | null = null;

export function DocsBody() {
  const doc = (openApi ??= buildOpenApi() as Json);
  const info = obj(doc.info);
  const paths = Object.entries(obj(doc.paths));
  const schemas = Object.entries(obj(obj(doc.components).schemas));
  return (
    <>
      <h1>{str(info.title)}</h1>
      <p>{str(info.description)}</p>
      <p>
        版本 {str(info.version)}；机器可读的 OpenAPI 3.1 文档：<a href="/v1/openapi.json">/v1/openapi.json</a>。调用接口时在请求头中带上
        <code>Authorization: Bearer 令牌</code>（令牌由 <code>npm run cli -- token create</code> 生成）。
      </p>
      <nav aria-label="接口目录">
        <ul>
          {paths.flatMap(([path, methods]) =>
            Object.entries(obj(methods)).map(([method, op]) => (
              <li>
                <a href={`#${str(obj(op).operationId)}`}>
                  {method.toUpperCase()} {path}
                </a>{' '}
                {str(obj(op).summary)}
              </li>
            )),
          )}
        </ul>
      </nav>
      <h2>接口</h2>
      {paths.flatMap(([path, methods]) => Object.entries(obj(methods)).map(([method, op]) => <Operation method={method} path={path} op={obj(op)} />))}
      <h2>数据结构</h2>
      {schemas.map(([name, schema]) => (
        <details id={`schema-${name}`}>
          <summary>{name}</summary>
          <pre>{JSON.stringify(schema, null, 2)}</pre>
        </details>
      ))}
    </>
  );
}

export function DocsPage({ principal }: { principal: Principal | null }) {
  return (
    <Layout title="接口文档" principal={principal}>
      <DocsBody />
    </Layout>
  );
}
