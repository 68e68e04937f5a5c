// The pages' one stylesheet and one small script, served from /assets/ (kept as strings so Workers bundle them too).

export const STYLE_CSS = `/* 绩效自评工作台：系统字体，无外部资源 */
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #8b1a1a; --ok: #1a7f37; --bad: #b42318; --bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: var(--ink); line-height: 1.6; }
body { margin: 0; }
a { color: #0b57d0; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: 8px; z-index: 10; }
.skip:focus { left: 8px; }
header.site { background: var(--accent); color: #fff; padding: 10px 24px; display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; }
header.site a { color: #fff; }
header.site .brand { font-weight: bold; font-size: 1.1rem; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 0; }
header.site .who { margin-left: auto; display: flex; gap: 12px; align-items: center; }
header.site form { margin: 0; }
header.site button { background: transparent; color: #fff; border: 1px solid #fff; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.5rem; margin: 8px 0 16px; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; }
h3 { font-size: 1.05rem; margin: 16px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); }
col.c-name { width: 20%; }
col.c-num { width: 7%; }
ul.notice { padding-left: 28px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.level-1 > th, tr.level-1 > td { background: #f3eaea; font-weight: bold; }
tr.level-2 > th, tr.level-2 > td { background: #faf6f6; }
.discrepancy { color: var(--bad); font-weight: bold; }
.passed { color: var(--ok); }
.failed { color: var(--bad); }
.summary { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: baseline; border: 2px solid var(--accent); border-radius: 6px; padding: 12px 16px; margin: 8px 0 16px; }
.summary .grade { font-size: 2rem; font-weight: bold; color: var(--accent); }
.summary .total { font-size: 1.6rem; font-weight: bold; }
.muted { color: var(--muted); }
.notice { border-left: 4px solid #bf8700; background: #fff8c5; padding: 8px 12px; margin: 8px 0; }
.error-box { border-left: 4px solid var(--bad); background: #ffebe9; padding: 8px 12px; margin: 8px 0; }
.ok-box { border-left: 4px solid var(--ok); background: #dafbe1; padding: 8px 12px; margin: 8px 0; }
form.stack label, .field label { display: block; font-weight: 600; margin: 8px 0 2px; }
input[type=text], input[type=password], input[type=number], input:not([type]), select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #8c959f; border-radius: 4px; max-width: 100%; }
input[aria-invalid=true], select[aria-invalid=true], textarea[aria-invalid=true] { border: 2px solid var(--bad); }
textarea { width: 100%; min-height: 2.6em; }
button, .button { font: inherit; padding: 6px 16px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.field-error { color: var(--bad); font-size: 0.9rem; display: block; min-height: 0; }
.field-error:empty { display: none; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 8px 16px 12px; }
legend { font-weight: bold; padding: 0 4px; }
fieldset.leaf { background: #fff; }
fieldset.group { background: var(--bg-soft); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; }
.facts .field { min-width: 14rem; }
.checklist { list-style: none; padding: 0; margin: 4px 0; }
form.stack .checklist label { font-weight: normal; display: inline; margin: 0; }
.checklist li { margin: 4px 0; }
.field .checklist label { font-weight: normal; display: inline; margin: 0; }
.field > .label { display: block; font-weight: 600; margin: 8px 0 2px; }
ol.disputes > li { margin-bottom: 16px; }
ol.diagnostics li { margin: 2px 0; }
.form-layout { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; gap: 24px; align-items: start; }
.form-layout aside { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fff; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.indicator-row { border-top: 1px dashed var(--line); padding-top: 8px; margin-top: 8px; }
.indicator-row .facts .field { min-width: 10rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; }
pre { background: var(--bg-soft); padding: 8px; overflow: auto; font-size: 0.85rem; }
.method { display: inline-block; min-width: 4.5em; font-weight: bold; font-family: ui-monospace, Consolas, monospace; }
@media (max-width: 900px) { .form-layout { grid-template-columns: 1fr; } .form-layout aside { position: static; max-height: none; } }
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  html { font-size: 9pt; }
  header.site, .skip, .no-print, form, nav { display: none !important; }
  main { max-width: none; padding: 0; }
  table { width: 100%; table-layout: fixed; font-size: 8pt; page-break-inside: auto; }
  th, td { padding: 2px 4px; word-break: break-word; overflow-wrap: anywhere; }
  td.num, th.num { white-space: normal; }
  tr { page-break-inside: avoid; }
  .summary { border-width: 1px; }
  a { color: inherit; text-decoration: none; }
  .print-only { display: block !important; }
}
.print-only { display: none; }
`;

/**
 * Live 试算 (progressive enhancement): as the person types, the form's fields go to the form's data-try page route
 * (debounced); the answer's result region replaces ours, and its errors are put beside the fields they belong to.
 */
export const TRY_JS = `(function () {
  'use strict';
  var form = document.querySelector('form[data-try]');
  var region = document.getElementById('try-result');
  if (!form || !region) return;
  var url = form.getAttribute('data-try');
  var timer = null;
  var seq = 0;
  function placeErrors(doc) {
    var slots = form.querySelectorAll('.field-error');
    for (var i = 0; i < slots.length; i++) slots[i].textContent = '';
    var invalid = form.querySelectorAll('[aria-invalid="true"]');
    for (var j = 0; j < invalid.length; j++) invalid[j].removeAttribute('aria-invalid');
    var items = doc.querySelectorAll('[data-error-for]');
    for (var k = 0; k < items.length; k++) {
      var name = items[k].getAttribute('data-error-for');
      var slot = document.getElementById('err-' + name);
      if (!slot) continue;
      slot.textContent = (slot.textContent ? slot.textContent + '；' : '') + items[k].getAttribute('data-message');
      var input = form.querySelector('[aria-describedby~="err-' + name.replace(/"/g, '') + '"]');
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }
  function run() {
    var mine = ++seq;
    var body = new URLSearchParams(new FormData(form));
    region.setAttribute('aria-busy', 'true');
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-Try': 'fragment' } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== seq) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('try-result');
        if (fresh) {
          var nodes = [];
          for (var i = 0; i < fresh.childNodes.length; i++) nodes.push(document.importNode(fresh.childNodes[i], true));
          region.replaceChildren.apply(region, nodes);
        }
        placeErrors(doc);
      })
      .catch(function () {})
      .then(function () { if (mine === seq) region.removeAttribute('aria-busy'); });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 350);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.addEventListener('submit', function (e) {
    var by = e.submitter;
    if (by && by.getAttribute('formaction') === url) {
      e.preventDefault();
      clearTimeout(timer);
      run();
    }
  });
})();
`;
