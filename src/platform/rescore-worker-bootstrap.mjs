// Under tsx (npm run cli, tests) a worker thread has no TypeScript loader: register tsx's, then load the worker body.
// The compiled build (dist/) starts rescore-worker.js directly and never reads this file.
import { register } from 'tsx/esm/api';

register();
await import('./rescore-worker.ts');
