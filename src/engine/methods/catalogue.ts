// The closed catalogue of scoring methods, one line per method module: adding a method is its module and a line here.
export { budgetExecution } from './budget-execution.js';
export { checklist } from './checklist.js';
export { equal } from './equal.js';
export { fixed } from './fixed.js';
export { fraction } from './fraction.js';
export { full } from './full.js';
export { interval } from './interval.js';
export { negative } from './negative.js';
export { positive } from './positive.js';
export { qualitative } from './qualitative.js';
export { thresholdRate } from './threshold-rate.js';
export { zero } from './zero.js';
