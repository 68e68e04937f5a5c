import { describe, expect, it } from 'vitest';
import { allocateProportionally, denoise, roundHalfUp, sumRounded } from '../../src/domain/rounding.js';

describe('roundHalfUp', () => {
  it.each([
    [2.505, 2, 2.51],
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
    [0.125, 2, 0.13],
    [0.124999, 2, 0.12],
    [7.529411764705882, 2, 7.53],
    [9.444444444444445, 2, 9.44],
    [12.27, 2, 12.27],
    [0.5, 0, 1],
    [1.5, 0, 2],
    [2.5, 0, 3],
    [-2.505, 2, -2.51],
    [0, 2, 0],
    [100, 2, 100],
  ])('rounds %f at %i decimals to %f', (value, decimals, expected) => {
    expect(roundHalfUp(value, decimals)).toBe(expected);
  });

  it('rounds the decimal value as written, not its binary approximation (1.005 is stored as 1.00499…)', () => {
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the naive way loses the half
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp((83.5 / 100) * 3, 2)).toBe(2.51);
  });
});

describe('denoise', () => {
  it('removes float noise but keeps real digits', () => {
    expect(denoise(0.1 + 0.2)).toBe(0.3);
    expect(denoise(40.491 / 44.99)).toBe(0.9);
    expect(denoise(0.123456789)).toBe(0.123456789);
  });
});

describe('sumRounded', () => {
  it('adds rounded points exactly', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumRounded([0.1, 0.2], 2)).toBe(0.3);
    expect(sumRounded([12.27, 13.64, 0], 2)).toBe(25.91);
  });
});

describe('allocateProportionally', () => {
  it('shares add up to the amount exactly (largest remainder)', () => {
    const shares = allocateProportionally(100, [10, 50, 30], 2);
    expect(shares).toEqual([11.11, 55.56, 33.33]);
    expect(sumRounded(shares, 2)).toBe(100);
  });
  it('returns the weights unchanged when they already fill the amount', () => {
    expect(allocateProportionally(30, [8, 12, 10], 2)).toEqual([8, 12, 10]);
  });
  it('gives nothing to zero weights and breaks ties by order', () => {
    expect(allocateProportionally(1, [1, 0, 1, 1], 2)).toEqual([0.34, 0, 0.33, 0.33]);
  });
  it('returns zeros when every weight is zero', () => {
    expect(allocateProportionally(10, [0, 0], 2)).toEqual([0, 0]);
  });
});
