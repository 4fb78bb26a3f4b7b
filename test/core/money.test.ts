import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decimalTextOfNumber, isNegativeCents, parseDecimalCents } from '../../workers/core/money.js';

/** Reference: the exact rational |x|·100 rounded half away from zero, in BigInt arithmetic. */
const referenceCents = (text: string): bigint => {
  const negative = text.startsWith('-');
  const [int, frac = ''] = text.replace('-', '').split('.');
  const numerator = BigInt(`${int}${frac}`) * 100n;
  const denominator = 10n ** BigInt(frac.length);
  const rounded = (2n * numerator + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
};

const decimal = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }))
  .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);

test('property: cents equal the exact BigInt rounding, half away from zero', () => {
  fc.assert(
    fc.property(decimal, (text) => {
      const cents = parseDecimalCents(text);
      const expected = referenceCents(text);
      assert.is(BigInt(cents), expected, text);
      // sign survives rounding to zero: below zero iff a minus and a non-zero digit
      assert.is(isNegativeCents(cents), text.startsWith('-') && /[1-9]/.test(text), text);
    }),
    { numRuns: 2000 },
  );
});

test('values of DESIGN §3 and docs/validation-semantics.md', () => {
  assert.is(parseDecimalCents('59.9900016784668'), 5999);
  assert.is(parseDecimalCents('0.005'), 1);
  assert.is(parseDecimalCents('0.0199999995529651'), 2);
  assert.is(parseDecimalCents('0.004999'), 0);
  assert.is(parseDecimalCents('12'), 1200);
  assert.is(parseDecimalCents('-1.005'), -101);
  assert.ok(Object.is(parseDecimalCents('-0.001'), -0));
  assert.ok(Object.is(parseDecimalCents('-0.00'), 0));
});

test('anything but a plain decimal is NaN', () => {
  for (const bad of ['', '-', '.5', '5.', '1e3', '1,5', ' 1', '1 ', '+1', 'abc', '1.2.3', '--1', '0x10', '99999999999999999'])
    assert.ok(Number.isNaN(parseDecimalCents(bad)), bad);
});

test('property: JSON numbers are read through their shortest round-trip text', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 }), (x) => {
      const text = decimalTextOfNumber(x);
      assert.ok(/^-?\d+(\.\d+)?$/.test(text), text);
      assert.is(Number(text), x === 0 ? 0 : x);
    }),
  );
  assert.is(decimalTextOfNumber(1e-7), '0.0000001');
  assert.is(decimalTextOfNumber(1.5e21), '1500000000000000000000');
});

test.run();
