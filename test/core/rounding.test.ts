import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { averageMoney, divRoundHalfAwayFromZero, moneyOfCents, rate } from '../../workers/core/rounding.js';

test('halves round away from zero, both signs', () => {
  assert.is(divRoundHalfAwayFromZero(5n, 2n), 3n);
  assert.is(divRoundHalfAwayFromZero(-5n, 2n), -3n);
  assert.is(divRoundHalfAwayFromZero(5n, -2n), -3n);
  assert.is(divRoundHalfAwayFromZero(7n, 2n), 4n);
  assert.is(divRoundHalfAwayFromZero(4n, 3n), 1n);
  assert.is(divRoundHalfAwayFromZero(5n, 3n), 2n);
  assert.is(divRoundHalfAwayFromZero(0n, 7n), 0n);
});

test('money to 2 decimals: averages of cents', () => {
  assert.is(averageMoney(5, 2), 0.03); // 2.5 cents
  assert.is(averageMoney(1, 2), 0.01); // 0.5 cents
  assert.is(averageMoney(1, 3), 0); // 0.33 cents
  assert.is(averageMoney(2, 3), 0.01); // 0.67 cents
  assert.is(averageMoney(1000, 3), 3.33);
  assert.is(averageMoney(2000, 3), 6.67);
  assert.is(averageMoney(12345, 0), 0);
  assert.is(moneyOfCents(123456), 1234.56);
  assert.is(moneyOfCents(5), 0.05);
});

test('rates to 4 decimals; a rate over zero orders is 0', () => {
  assert.is(rate(1, 3), 0.3333);
  assert.is(rate(2, 3), 0.6667);
  assert.is(rate(1, 20_000), 0.0001); // 0.00005 exactly: half, away from zero
  assert.is(rate(1, 20_001), 0); // just under half
  assert.is(rate(1, 8), 0.125);
  assert.is(rate(3, 3), 1);
  assert.is(rate(0, 0), 0);
  assert.is(rate(5, 0), 0);
});

test('rounding is within half a unit and never toward zero on exact halves', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e6 }), (n, d) => {
      const q = divRoundHalfAwayFromZero(BigInt(n), BigInt(d));
      const err = BigInt(n) * 2n - q * 2n * BigInt(d); // 2·(n − q·d)
      assert.ok(err <= BigInt(d) && err >= -BigInt(d));
      if (err === BigInt(d) || err === -BigInt(d)) assert.ok(n >= 0 ? err < 0n : err > 0n);
    }),
  );
});

test.run();
