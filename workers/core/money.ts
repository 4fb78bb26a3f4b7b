// Money on ingest: a plain decimal string rounded to whole cents, half away from zero, on its exact
// decimal digits. Never via float multiplication: 0.0199999995529651 * 100 is not 2 in binary,
// and a float sum drifts. One character loop, no regular expression, no allocation.

/** Cents beyond this are not exact in a double: such a value is treated as not a number. */
const MAX_CENTS = Number.MAX_SAFE_INTEGER;

/**
 * Parses `-?\d+(\.\d+)?` into integer cents, half away from zero. Returns NaN when the text is
 * not such a decimal (or its cents would not be exact). A negative value returns negative cents,
 * and a negative value that rounds to zero (`-0.001`) returns `-0`, so `isNegativeCents` can
 * still tell it is below zero.
 */
export const parseDecimalCents = (text: string): number => {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45 /* - */) {
    negative = true;
    i = 1;
  }
  const intStart = i;
  let units = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    units = units * 10 + c;
  }
  if (i === intStart) return NaN;
  let cents = units * 100;
  let nonZero = units !== 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46 /* . */ || i === n - 1) return NaN;
    i++;
    let place = 0;
    let roundUp = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (c !== 0) nonZero = true;
      if (place === 0) cents += c * 10;
      else if (place === 1) cents += c;
      else if (place === 2) roundUp = c >= 5;
      place++;
    }
    if (roundUp) cents += 1;
  }
  if (!(cents <= MAX_CENTS)) return NaN;
  if (!negative) return cents;
  return nonZero ? -cents : 0;
};

/** Below zero, including values that round to zero cents from below. */
export const isNegativeCents = (cents: number): boolean => cents < 0 || Object.is(cents, -0);

/**
 * The decimal text of a JSON number: its shortest round-trip form, with exponents expanded, so a
 * JSON `59.9900016784668` is read exactly like the CSV text `59.9900016784668`.
 */
export const decimalTextOfNumber = (value: number): string => {
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  const body =
    pointAt <= 0
      ? `0.${'0'.repeat(-pointAt)}${digits}`
      : pointAt >= digits.length
        ? `${digits}${'0'.repeat(pointAt - digits.length)}`
        : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${body}` : body;
};
