// Grade bands: inclusive lower bounds, taken from the rounded total.

export interface GradeBand {
  readonly code: string;
  readonly name: string;
  readonly label: string;
  readonly min: number;
}

export interface GradeOutcome {
  readonly code: string;
  readonly name: string;
  readonly label: string;
  readonly min: number;
}

export interface NextGrade {
  readonly code: string;
  readonly name: string;
  readonly label: string;
  readonly min: number;
  /** points still needed to reach the band */
  readonly pointsNeeded: number;
}

/** Bands sorted from the highest lower bound down. */
export function sortBands(bands: readonly GradeBand[]): GradeBand[] {
  return [...bands].sort((a, b) => b.min - a.min);
}

/** A rule set's bands never change: sorted once each way (descending as sortBands gives, ascending its reverse). */
const sortedBands = new WeakMap<readonly GradeBand[], { readonly descending: readonly GradeBand[]; readonly ascending: readonly GradeBand[] }>();

function sortedOnce(bands: readonly GradeBand[]) {
  let sorted = sortedBands.get(bands);
  if (!sorted) {
    const descending = sortBands(bands);
    sorted = { descending, ascending: [...descending].reverse() };
    sortedBands.set(bands, sorted);
  }
  return sorted;
}

export function gradeFor(total: number, bands: readonly GradeBand[]): GradeOutcome {
  const sorted = sortedOnce(bands).descending;
  const band = sorted.find((b) => total >= b.min) ?? sorted[sorted.length - 1]!;
  return { code: band.code, name: band.name, label: band.label, min: band.min };
}

export function nextGradeFor(total: number, bands: readonly GradeBand[], decimals: number): NextGrade | null {
  const next = sortedOnce(bands).ascending.find((b) => b.min > total);
  if (!next) return null;
  const scale = 10 ** decimals;
  const pointsNeeded = (Math.round(next.min * scale) - Math.round(total * scale)) / scale;
  return { code: next.code, name: next.name, label: next.label, min: next.min, pointsNeeded };
}
