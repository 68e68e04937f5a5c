// Hono context variables shared by middleware and routes.
import type { Principal, ServiceDeps } from '../services/deps.js';

export interface AppDeps extends ServiceDeps {
  /** request bodies above this many bytes are refused with 413 (default 1 MiB) */
  readonly bodyLimitBytes?: number;
  /** where errors that are not the client's fault are written */
  readonly log?: (line: string) => void;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
