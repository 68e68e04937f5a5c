// /docs: a self-contained interactive page over /v1/openapi.json (no CDN: bureaus often run offline).
export const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>绩效自评评分服务 API 文档</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; }
  header { background: #8b1a1a; color: #fff; padding: 16px 24px; }
  header h1 { margin: 0; font-size: 20px; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
  .token { margin: 12px 0; display: flex; gap: 8px; align-items: center; }
  .token input { flex: 1; padding: 6px; font-family: monospace; }
  details.op { border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
  details.op > summary { padding: 8px 12px; cursor: pointer; }
  .method { display: inline-block; width: 56px; font-weight: bold; font-family: monospace; }
  .get { color: #0969da; } .post { color: #1a7f37; }
  .path { font-family: monospace; }
  .body { padding: 8px 12px 12px; border-top: 1px solid #d0d7de; }
  textarea { width: 100%; min-height: 140px; font-family: monospace; font-size: 12px; }
  pre { background: #f6f8fa; padding: 8px; overflow: auto; max-height: 420px; font-size: 12px; }
  label { display: block; margin: 4px 0; font-size: 13px; }
  input.param { font-family: monospace; }
  button { padding: 4px 14px; }
</style>
</head>
<body>
<header><h1>项目支出绩效自评评分服务 API</h1><div id="desc"></div></header>
<main>
  <div class="token"><label for="token">Bearer 令牌</label><input id="token" placeholder="jxzp_…（npm run cli -- token create …）"></div>
  <div id="ops">正在加载 /v1/openapi.json …</div>
</main>
<script>
const $ = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) k === 'class' ? (el.className = v) : el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
};
async function main() {
  const spec = await (await fetch('/v1/openapi.json')).json();
  document.getElementById('desc').textContent = spec.info.description;
  const ops = document.getElementById('ops');
  ops.textContent = '';
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters || []);
      const inputs = params.map((p) => {
        const input = $('input', { class: 'param', 'data-in': p.in, 'data-name': p.name, placeholder: p.in + (p.required ? '（必填）' : '') });
        return $('label', {}, p.name + ' ', input);
      });
      const body = op.requestBody ? $('textarea', { placeholder: 'JSON 请求体（' + (op.requestBody.content['application/json'].schema.$ref || '').split('/').pop() + '）' }) : null;
      const out = $('pre');
      const send = $('button', {}, '发送');
      send.onclick = async () => {
        let url = path;
        const query = new URLSearchParams();
        const headers = {};
        for (const label of inputs) {
          const i = label.querySelector('input');
          if (!i.value) continue;
          if (i.dataset.in === 'path') url = url.replace('{' + i.dataset.name + '}', encodeURIComponent(i.value));
          else if (i.dataset.in === 'query') query.set(i.dataset.name, i.value);
          else if (i.dataset.in === 'header') headers[i.dataset.name] = i.value;
        }
        const token = document.getElementById('token').value.trim();
        if (token) headers.Authorization = 'Bearer ' + token;
        if (body) headers['Content-Type'] = 'application/json';
        const q = query.toString();
        const res = await fetch(url + (q ? '?' + q : ''), { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
        const text = await res.text();
        let shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
        out.textContent = res.status + ' ' + res.statusText + '\\n' + shown;
      };
      const responses = Object.entries(op.responses).map(([code, r]) => code + ' ' + r.description).join('\\n');
      const summary = $('summary', {}, $('span', { class: 'method ' + method }, method.toUpperCase()), $('span', { class: 'path' }, path), ' — ' + op.summary);
      const panel = $('div', { class: 'body' }, $('p', {}, op.description || ''), ...inputs, ...(body ? [body] : []), send, $('pre', {}, responses), out);
      ops.append($('details', { class: 'op', id: op.operationId }, summary, panel));
    }
  }
}
main().catch((e) => { document.getElementById('ops').textContent = '加载失败：' + e.message; });
</script>
</body>
</html>`;
