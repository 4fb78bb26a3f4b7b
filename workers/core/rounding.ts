// KPI rounding (DESIGN §5): sums stay exact integers (cents, counts) until the very end, where a
// quotient is rounded once, half away from zero: money to 2 decimals, rates to 4. BigInt keeps
// the division exact for any integer a float could hold; it runs once per KPI value, not per row.

/** `num / den` rounded to an integer, half away from zero. `den` must not be 0. */
export const divRoundHalfAwayFromZero = (num: bigint, den: bigint): bigint => {
  if (den === 0n) throw new RangeError('division by zero');
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = n / d;
  const rounded = (n % d) * 2n >= d ? q + 1n : q;
  return negative ? -rounded : rounded;
};

/** Integer cents as a decimal amount with 2 decimals (exact: the nearest double prints as the decimal). */
export const moneyOfCents = (cents: number): number => cents / 100;

/** `cents / count` rounded to whole cents, as an amount; 0 when there is nothing to average over. */
export const averageMoney = (cents: number, count: number): number =>
  count === 0 ? 0 : Number(divRoundHalfAwayFromZero(BigInt(cents), BigInt(count))) / 100;

/** `part / whole` rounded to 4 decimals; a rate over zero is 0. */
export const rate = (part: number, whole: number): number =>
  whole === 0 ? 0 : Number(divRoundHalfAwayFromZero(BigInt(part) * 10_000n, BigInt(whole))) / 10_000;
