// The work budget of one rule-set check. A check does work in proportion to probes × rules (band coverage) and
// golden cases × rules; past a limit it reports CHECK_BUDGET_EXCEEDED (an error: the version is refused, its author
// is told which limit) instead of stalling the process. Costs are counted before the work is done, never timed.

/**
 * Most probe points (combinations of condition-fact values) band coverage visits for one scoring target.
 * A target needing more is refused with BAND_PROBE_LIMIT.
 */
export const MAX_PROBES_PER_TARGET = 20_000;

/**
 * Most rule evaluations band coverage does for a whole rule set: Σ over targets of probes × the target's rules.
 * json-rules-engine takes roughly 5–10 µs per rule evaluation, so this bounds band coverage to about a second.
 * The shipped rule sets need under 1,000; a 2,000-rule band table on one fact would need about 8,000,000.
 */
export const MAX_BAND_RULE_EVALUATIONS = 100_000;

/**
 * Most rule evaluations the golden cases may cost: Σ over cases meant for the version of the rule set's rule count
 * (each case is scored twice, fast path and json-rules-engine, and every rule of a scored leaf's target is run).
 */
export const MAX_CASE_RULE_EVALUATIONS = 100_000;
