// Bearer-token authentication (who is asking); what they may do is the policy's (src/services/policy.ts).
import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../services/ports.js';
import type { AppEnv } from './env.js';

export function requireToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED', '需要登录：请在 Authorization 头中提供 Bearer 令牌');
    const deps = c.get('deps');
    const principal = await deps.authenticate(match[1]!, deps.clock());
    if (!principal) throw new DomainError('UNAUTHENTICATED', '令牌无效、已过期或已被吊销');
    c.set('principal', principal);
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  return c.get('principal');
}
