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

export function gradeFor(total: number, bands: readonly GradeBand[]): GradeOutcome {
  const sorted = sortBands(bands);
  const band = sorted.find((b) => total >= b.min) ?? sorted[sorted.length - 1]!;
  return { code: band.code, name: band.name, label: band.label, min: band.min };
}

export function nextGradeFor(total: number, bands: readonly GradeBand[], decimals: number): NextGrade | null {
  const ascending = sortBands(bands).reverse();
  const next = ascending.find((b) => b.min > total);
  if (!next) return null;
  const scale = 10 ** decimals;
  const pointsNeeded = (Math.round(next.min * scale) - Math.round(total * scale)) / scale;
  return { code: next.code, name: next.name, label: next.label, min: next.min, pointsNeeded };
}
