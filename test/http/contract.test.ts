// The HTTP contract against the Node composition (createApp + SQLite), through app.fetch.
import { contractSuite } from './contract.js';
import { startTestService } from './harness.js';

contractSuite('Node, in process', async () => startTestService());
