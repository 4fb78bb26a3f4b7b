// A JSON number of a row's field is handed on as its source text, never as a double: int64 ids
// (12345678901234567890123) and money (59.9900016784668) keep exactly the digits written, and the
// money parser rounds the exact decimal text. Only an exponent is applied, by moving the decimal
// point in the text (no floating point), so `5.999e1` reads as `59.99`, as it did when numbers
// were doubles; `1.0` stays `1.0`.

/** An exponent beyond this is left as written: expanding `1e999999999` would be a memory bomb. */
const MAX_EXPONENT = 400;

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` (RFC 8259 §6), checked by character codes. */
export const isJsonNumber = (s: string): boolean => {
  const n = s.length;
  let i = 0;
  const digits = (): number => {
    const from = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    return i - from;
  };
  if (s.charCodeAt(i) === 45) i++;
  if (s.charCodeAt(i) === 48) i++;
  else if (digits() === 0) return false;
  if (s.charCodeAt(i) === 46) {
    i++;
    if (digits() === 0) return false;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (digits() === 0) return false;
  }
  return i === n;
};

/** The decimal text of a valid JSON number: as written, an exponent applied to the digits. */
export const decimalTextOfJsonNumber = (s: string): string => {
  let e = s.indexOf('e');
  if (e < 0) e = s.indexOf('E');
  if (e < 0) return s;
  const exponent = Number(s.slice(e + 1));
  if (Math.abs(exponent) > MAX_EXPONENT) return s;
  const negative = s.charCodeAt(0) === 45;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  let body =
    pointAt <= 0
      ? `0.${'0'.repeat(-pointAt)}${digits}`
      : pointAt >= digits.length
        ? `${digits}${'0'.repeat(pointAt - digits.length)}`
        : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  // leading zeros the shift left over (`0.5e1` -> `05`), never the one before a point
  let lead = 0;
  while (lead < body.length - 1 && body.charCodeAt(lead) === 48 && body.charCodeAt(lead + 1) !== 46) lead++;
  body = body.slice(lead);
  return negative ? `-${body}` : body;
};
