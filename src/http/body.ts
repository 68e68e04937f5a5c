// Reading a JSON request body: content type checked, parse errors reported in Chinese, never thrown raw.
import type { Context } from 'hono';
import { DomainError } from '../domain/errors.js';

/** The request stream broke because the client went away (Node: "aborted", ECONNRESET; fetch: AbortError). */
export function clientAbortError(): DomainError {
  return new DomainError('BAD_REQUEST', '请求体未能完整接收（客户端中断了连接）');
}

export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请求体必须是 JSON，Content-Type 应为 application/json', [
      { path: 'header.content-type', message: type ? `收到的是「${type}」` : '缺少 Content-Type' },
    ]);
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (e) {
    if (e instanceof DomainError) throw e; // e.g. the body limit
    // the client went away mid-body (or the stream broke): its problem, answered 400 and not logged as ours
    throw clientAbortError();
  }
  if (text.trim() === '') throw new DomainError('MALFORMED_JSON', '请求体为空，应为 JSON 对象');
  try {
    return JSON.parse(text);
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new DomainError('MALFORMED_JSON', '请求体不是合法的 JSON', [
      { path: '$', message: position ? `第 ${Number(position) + 1} 个字符附近有语法错误` : 'JSON 语法错误' },
    ]);
  }
}
