// The pages' deployment settings from environment variables (Node) or wrangler vars (Workers), checked once at start.
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../services/sessions.js';

export interface WebSettings {
  readonly publicOrigin?: string;
  readonly sessionPolicy?: SessionPolicy;
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} 应为正整数，收到「${text}」`);
  return n;
}

/**
 * PUBLIC_ORIGIN (e.g. https://jixiao.example.gov.cn, for a service behind a TLS proxy), SESSION_IDLE_MINUTES (30) and
 * SESSION_ABSOLUTE_HOURS (12). Throws an Error with a one-line Chinese message for a bad value.
 */
export function webSettingsFrom(env: { readonly [name: string]: string | undefined }): WebSettings {
  const origin = env.PUBLIC_ORIGIN;
  let publicOrigin: string | undefined;
  if (origin !== undefined && origin !== '') {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(`PUBLIC_ORIGIN 应为 https://主机名[:端口] 形式、不带路径和结尾斜杠，收到「${origin}」`);
    }
    publicOrigin = origin;
  }
  const idle = positive('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES);
  const absolute = positive('SESSION_ABSOLUTE_HOURS', env.SESSION_ABSOLUTE_HOURS);
  const sessionPolicy =
    idle === undefined && absolute === undefined
      ? undefined
      : {
          idleMs: idle !== undefined ? idle * 60_000 : DEFAULT_SESSION_POLICY.idleMs,
          absoluteMs: absolute !== undefined ? absolute * 3_600_000 : DEFAULT_SESSION_POLICY.absoluteMs,
        };
  return { ...(publicOrigin ? { publicOrigin } : {}), ...(sessionPolicy ? { sessionPolicy } : {}) };
}
