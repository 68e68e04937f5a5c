// The session cookie of the pages (HttpOnly, SameSite=Strict; __Host- and Secure over HTTPS) and who it stands for.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../http/env.js';
import { DEFAULT_SESSION_POLICY, sessionPrincipal } from '../services/sessions.js';

/** The pages' Content-Security-Policy: our own origin only, no inline script or style. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** Served over HTTPS, directly or behind a TLS proxy whose public origin is configured. */
export function isSecure(c: Context<AppEnv>, deps: AppDeps): boolean {
  return new URL(c.req.url).protocol === 'https:' || (deps.publicOrigin?.startsWith('https://') ?? false);
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-jxzp_session' : 'jxzp_session';
}

export function setSessionCookie(c: Context<AppEnv>, secret: string): void {
  const deps = c.get('deps');
  const secure = isSecure(c, deps);
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  setCookie(c, sessionCookieName(secure), secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: Math.floor(policy.absoluteMs / 1000),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = isSecure(c, c.get('deps'));
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
}

/** The session secret the request carries (only the cookie of this scheme: an http cookie never counts over https). */
export function sessionSecret(c: Context<AppEnv>): string | undefined {
  return getCookie(c, sessionCookieName(isSecure(c, c.get('deps'))));
}

/** Who the request's session stands for, or null; an ended session's cookie is cleared. */
export async function principalFromSession(c: Context<AppEnv>) {
  const secret = sessionSecret(c);
  if (!secret) return null;
  const deps = c.get('deps');
  const principal = await sessionPrincipal(deps, secret, deps.clock(), deps.sessionPolicy ?? DEFAULT_SESSION_POLICY);
  if (!principal) clearSessionCookie(c);
  return principal;
}
