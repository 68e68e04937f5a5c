// Decimal-safe rounding for points: half-up at a fixed number of decimals, applied once per leaf.

/** Scale at which binary floating-point noise is removed before rounding (12 significant digits). */
const NOISE_PRECISION = 12;

const TEN_DECIMALS = 1e10;

/**
 * Removes binary noise such as 0.8999999999999999 → 0.9 so that exact decimal thresholds compare as written:
 * 10 decimal places for ordinary magnitudes (points, rates, amounts in 万元), 12 significant digits beyond.
 */
export function denoise(value: number): number {
  if (value > -1e5 && value < 1e5) return Math.round(value * TEN_DECIMALS) / TEN_DECIMALS;
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(NOISE_PRECISION));
}

/** Rounds half-up (away from zero for .5) at `decimals` places. 1.005 → 1.01, 2.675 → 2.68. */
export function roundHalfUp(value: number, decimals: number): number {
  const scale = scaleOf(decimals);
  const scaled = Math.abs(value) * scale;
  // a half that binary arithmetic put just below (1.005 × 100 = 100.49999999999999) still rounds up
  const rounded = Math.floor(scaled + 0.5 + Math.max(1, scaled) * 1e-11) / scale;
  return value < 0 ? -rounded : rounded;
}

/** 10 ** d for the decimals rule sets use (0–4 and a little beyond), looked up instead of computed on the hot path. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 16 }, (_, d) => 10 ** d);

function scaleOf(decimals: number): number {
  return POWERS_OF_TEN[decimals] ?? 10 ** decimals;
}

/** Points as integer hundredths (or 10^decimals units), so sums are exact. */
export function toUnits(points: number, decimals: number): number {
  return Math.round(points * scaleOf(decimals));
}

export function fromUnits(units: number, decimals: number): number {
  return units / scaleOf(decimals);
}

/** Exact sum of already-rounded values. */
export function sumRounded(values: readonly number[], decimals: number): number {
  let units = 0;
  for (const v of values) units += toUnits(v, decimals);
  return fromUnits(units, decimals);
}

/** sumRounded([a, b], decimals) without the array. */
export function addRounded(a: number, b: number, decimals: number): number {
  return fromUnits(toUnits(a, decimals) + toUnits(b, decimals), decimals);
}

/** sumRounded(items.map(field), decimals) without the array. */
export function sumRoundedOf<T>(items: readonly T[], field: (item: T) => number, decimals: number): number {
  let units = 0;
  for (let i = 0; i < items.length; i++) units += toUnits(field(items[i]!), decimals);
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
  const shares = weightUnits.map((w, i) => {
    const exact = (units * w) / weightSum;
    const floor = Math.floor(denoise(exact));
    return { i, units: floor, remainder: exact - floor };
  });
  let left = units - shares.reduce((a, s) => a + s.units, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder || a.i - b.i)) {
    if (left <= 0) break;
    share.units += 1;
    left -= 1;
  }
  return shares.map((s) => fromUnits(s.units, decimals));
}
