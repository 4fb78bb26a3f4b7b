import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffCeilingMs, nextStep, type RetryPolicy } from '../../workers/core/retry-policy.js';

const policyArb = fc.record({
  maxRetries: fc.integer({ min: 0, max: 12 }),
  baseMs: fc.integer({ min: 1, max: 200 }),
  capMs: fc.integer({ min: 1, max: 20_000 }),
});

test('nothing left over: done, whatever the attempt', () => {
  fc.assert(fc.property(policyArb, fc.nat(20), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, attempt, r) => {
    assert.equal(nextStep(p, attempt, 0, r), { _tag: 'Done' });
  }));
});

test('leftovers retry with full jitter under an exponential ceiling, then give up', () => {
  fc.assert(
    fc.property(policyArb, fc.nat(20), fc.integer({ min: 1, max: 25 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, attempt, left, r) => {
      const step = nextStep(p, attempt, left, r);
      if (attempt >= p.maxRetries) {
        assert.is(step._tag, 'GiveUp');
        return;
      }
      assert.is(step._tag, 'Retry');
      const ceiling = Math.min(p.capMs, p.baseMs * 2 ** attempt);
      if (step._tag === 'Retry') {
        assert.ok(step.delayMs >= 0 && step.delayMs <= ceiling);
        assert.is(step.delayMs, Math.floor(r * ceiling));
      }
    }),
  );
});

test('ceilings double until the cap', () => {
  const p: RetryPolicy = { maxRetries: 10, baseMs: 50, capMs: 1000 };
  assert.equal([0, 1, 2, 3, 4, 5, 6].map((n) => backoffCeilingMs(p, n)), [50, 100, 200, 400, 800, 1000, 1000]);
  assert.equal(nextStep(p, 3, 4, 0), { _tag: 'Retry', delayMs: 0 });
  assert.equal(nextStep(p, 3, 4, 0.5), { _tag: 'Retry', delayMs: 200 });
});

test.run();
