// Turns ajv errors into {path, message} details: JSON paths people can read ($.a.b[0]) and messages in Chinese.
import { childPath, type ErrorDetail } from '../domain/errors.js';
import type { ValidationError } from './generated/validators.js';

const TYPE_NAMES: Record<string, string> = {
  object: '对象',
  array: '数组',
  string: '字符串',
  number: '数值',
  integer: '整数',
  boolean: '布尔值（true/false）',
  null: 'null',
};

export function jsonPathFromPointer(pointer: string): string {
  if (pointer === '') return '$';
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, seg) => childPath(path, /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : seg), '$');
}

function typeName(t: unknown): string {
  if (Array.isArray(t)) return t.map(typeName).join('或');
  return TYPE_NAMES[String(t)] ?? String(t);
}

function describe(e: ValidationError): { path: string; message: string } {
  const path = jsonPathFromPointer(e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return { path: childPath(path, String(p.missingProperty)), message: `缺少必填项「${String(p.missingProperty)}」` };
    case 'additionalProperties':
      return { path: childPath(path, String(p.additionalProperty)), message: `不允许的属性「${String(p.additionalProperty)}」` };
    case 'type':
      return { path, message: `类型错误：应为${typeName(p.type)}` };
    case 'minimum':
      return { path, message: `数值不能小于 ${String(p.limit)}` };
    case 'maximum':
      return { path, message: `数值不能大于 ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { path, message: `数值必须大于 ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { path, message: `数值必须小于 ${String(p.limit)}` };
    case 'minLength':
      return { path, message: Number(p.limit) === 1 ? '不能为空字符串' : `长度不能少于 ${String(p.limit)} 个字符` };
    case 'maxLength':
      return { path, message: `长度不能超过 ${String(p.limit)} 个字符` };
    case 'minItems':
      return { path, message: `至少应有 ${String(p.limit)} 项` };
    case 'maxItems':
      return { path, message: `最多只能有 ${String(p.limit)} 项` };
    case 'minProperties':
      return { path, message: `至少应有 ${String(p.limit)} 个属性` };
    case 'maxProperties':
      return { path, message: `最多只能有 ${String(p.limit)} 个属性` };
    case 'uniqueItems':
      return { path, message: `不能有重复项（第 ${String(p.j)} 项与第 ${String(p.i)} 项相同）` };
    case 'enum':
      return { path, message: `取值无效，只能是：${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join('、')}` };
    case 'const':
      return { path, message: `取值无效，只能是 ${JSON.stringify(p.allowedValue)}` };
    case 'pattern':
      return { path, message: `格式不正确（应匹配 ${String(p.pattern)}）` };
    case 'propertyNames':
      return { path: childPath(path, String(p.propertyName)), message: `属性名「${String(p.propertyName)}」不合规：只能由字母、数字和下划线组成且以字母开头` };
    case 'anyOf':
    case 'oneOf': {
      const types = [...new Set(((p.types as unknown[] | undefined) ?? []).flatMap((t) => (Array.isArray(t) ? t : [t])))];
      return { path, message: types.length > 0 ? `类型错误：应为${types.map(typeName).join('、')}之一` : '取值不符合任何一种允许的形式' };
    }
    case 'if':
      return { path, message: '不满足条件约束' };
    case 'discriminator':
      return p.error === 'mapping'
        ? { path: childPath(path, String(p.tag)), message: `取值无效：没有这种「${String(p.tag)}」` }
        : { path: childPath(path, String(p.tag)), message: `缺少必填项「${String(p.tag)}」` };
    default:
      return { path, message: `不符合约束（${e.keyword}）` };
  }
}

/** The most details one error carries; past it the last says how many more there were. */
export const MAX_DETAILS = 100;

/**
 * At most MAX_DETAILS details: when more were found (`found`, when only some were kept, else details.length), the
 * first MAX_DETAILS − 1 and then `{"path":"$","message":"另有 N 处错误未列出"}` with N the number left out.
 */
export function capDetails(details: readonly ErrorDetail[], found = details.length): ErrorDetail[] {
  if (found <= MAX_DETAILS) return [...details];
  const kept = details.slice(0, MAX_DETAILS - 1);
  return [...kept, { path: '$', message: `另有 ${found - kept.length} 处错误未列出` }];
}

/** "/a/b/0" → ["/a/b/0", "/a/b", "/a", ""]: the pointer and each of its ancestors. */
function pointerAndAncestors(pointer: string): string[] {
  const out = [pointer];
  for (let i = pointer.lastIndexOf('/'); i >= 0; i = i === 0 ? -1 : pointer.lastIndexOf('/', i - 1)) out.push(pointer.slice(0, i));
  return out;
}

/**
 * Readable details, one per path and message, at most MAX_DETAILS (see capDetails). For anyOf/oneOf the branch
 * whose type fits the value is taken to be the one meant: the other branches' type mismatches are dropped, and the
 * summary is kept only when nothing more specific remains (then it names the types allowed). Linear in the number
 * of errors (times the nesting depth, which the bounds pre-pass limits): errors are grouped by path in Maps.
 */
export function toErrorDetails(errors: readonly ValidationError[] | null | undefined): ErrorDetail[] {
  if (!errors) return [];
  const isComposite = (e: ValidationError) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const compositePaths = new Set<string>();
  const propertyNamesPaths = new Set<string>();
  for (const e of errors) {
    if (isComposite(e)) compositePaths.add(e.instancePath);
    else if (e.keyword === 'propertyNames') propertyNamesPaths.add(e.instancePath);
  }
  // A type mismatch where an anyOf/oneOf stands is one branch not taken: it is dropped, and kept for the summary.
  const typeMismatches = new Map<string, unknown[]>();
  // Paths at or above some remaining specific error: a composite there is explained by that error.
  const explained = new Set<string>();
  for (const e of errors) {
    if (isComposite(e)) continue;
    if (e.keyword === 'type' && compositePaths.has(e.instancePath)) {
      let types = typeMismatches.get(e.instancePath);
      if (!types) typeMismatches.set(e.instancePath, (types = []));
      types.push(e.params.type);
      continue;
    }
    if (explained.has(e.instancePath)) continue;
    for (const p of pointerAndAncestors(e.instancePath)) {
      if (explained.has(p)) break;
      explained.add(p);
    }
  }
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  let found = 0;
  for (let e of errors) {
    if (e.keyword === 'type' && compositePaths.has(e.instancePath)) continue;
    if (isComposite(e)) {
      if (explained.has(e.instancePath)) continue;
      const types = typeMismatches.get(e.instancePath);
      if (types) e = { ...e, params: { ...e.params, types } };
    }
    // "if" only says that its then/else branch failed; the branch's own errors say how.
    if (e.keyword === 'if') continue;
    // propertyNames reports the failing name twice (its own error and the inner pattern): keep the clearer one.
    if (e.keyword === 'pattern' && propertyNamesPaths.has(e.instancePath)) continue;
    const detail = describe(e);
    const key = `${detail.path}\u0000${detail.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      if (++found <= MAX_DETAILS) out.push(detail);
    }
  }
  return capDetails(out, found);
}
