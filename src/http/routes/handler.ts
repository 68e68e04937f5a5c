// A route handler, registered by createApp under the path its contract declares (contract.ts).
import type { Context } from 'hono';
import type { OperationId } from '../contract.js';
import type { AppEnv } from '../env.js';

export type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

export type Handlers<K extends OperationId> = Readonly<Record<K, Handler>>;
