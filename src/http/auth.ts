// Bearer-token authentication and role checks.
import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../services/deps.js';
import { authenticate } from '../services/tokens.js';
import type { AppEnv } from './env.js';

export function requireToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED', '需要登录：请在 Authorization 头中提供 Bearer 令牌');
    const deps = c.get('deps');
    const principal = await authenticate(deps.db, match[1]!, deps.clock());
    if (!principal) throw new DomainError('UNAUTHENTICATED', '令牌无效、已过期或已被吊销');
    c.set('principal', principal);
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  return c.get('principal');
}

export function requireRole(c: Context<AppEnv>, ...roles: Principal['role'][]): Principal {
  const p = principalOf(c);
  if (!roles.includes(p.role)) {
    const names: Record<Principal['role'], string> = { bureau: '财政局', reviewer: '复核人员', unit: '预算单位' };
    throw new DomainError('FORBIDDEN', `此操作仅限${roles.map((r) => names[r]).join('或')}`);
  }
  return p;
}
