// Decimal-safe rounding for points: half-up at a fixed number of decimals, applied once per leaf.

/** Scale at which binary floating-point noise is removed before rounding (12 significant digits). */
const NOISE_PRECISION = 12;

/** Removes binary noise such as 0.8999999999999999 → 0.9 so that exact decimal thresholds compare as written. */
export function denoise(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(NOISE_PRECISION));
}

/** Rounds half-up (away from zero for .5) at `decimals` places. 1.005 → 1.01, 2.675 → 2.68. */
export function roundHalfUp(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = denoise(Math.abs(value) * scale);
  const rounded = Math.floor(denoise(scaled + 0.5)) / scale;
  return value < 0 ? -rounded : rounded;
}

/** Points as integer hundredths (or 10^decimals units), so sums are exact. */
export function toUnits(points: number, decimals: number): number {
  return Math.round(points * 10 ** decimals);
}

export function fromUnits(units: number, decimals: number): number {
  return units / 10 ** decimals;
}

/** Exact sum of already-rounded values. */
export function sumRounded(values: readonly number[], decimals: number): number {
  let units = 0;
  for (const v of values) units += toUnits(v, decimals);
  return fromUnits(units, decimals);
}

/**
 * Splits `amount` over `weights` in proportion, each share rounded to `decimals` places, with the
 * shares summing exactly to `amount` (largest remainder; ties go to the earlier item).
 */
export function allocateProportionally(amount: number, weights: readonly number[], decimals: number): number[] {
  const units = toUnits(amount, decimals);
  const weightUnits = weights.map((w) => toUnits(w, decimals));
  const weightSum = weightUnits.reduce((a, b) => a + b, 0);
  if (weightSum === 0) return weights.map(() => 0);
  const exact = weightUnits.map((w) => (units * w) / weightSum);
  const floors = exact.map((x) => Math.floor(denoise(x)));
  let left = units - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - floors[i]! }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors.map((u) => fromUnits(u, decimals));
}
