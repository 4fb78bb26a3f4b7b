// The settle window's laws, pure, and its re-check played through moto's EventBridge Scheduler.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { atExpression, atInstant, recheckBody, recheckScheduleName, settleState } from '../../workers/aggregator/settle.js';
import { parseRecord } from '../../workers/aggregator/events.js';
import type { LandingObject } from '../../workers/aggregator/file-set.js';

const part = fc.record({
  key: fc.constantFrom('orders/a.csv', 'orders/b.csv', 'order_items/c.csv', 'products/d.csv'),
  etag: fc.string({ minLength: 4, maxLength: 8 }),
  size: fc.nat(),
  lastModified: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
});

test('a set settles exactly when its newest part is settle_seconds old; 0 s settles at once', () => {
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: -5000_000, max: 5000_000 }), (parts, s, offset) => {
      const newest = Math.max(...parts.map((p) => p.lastModified));
      const now = newest + s * 1000 + offset;
      const state = settleState(parts, s, now);
      assert.is(state._tag, offset >= 0 ? 'Settled' : 'Settling');
      if (state._tag === 'Settling') assert.is(state.dueAt, newest + s * 1000);
      assert.is(settleState(parts, 0, now)._tag, 'Settled');
    }),
  );
});

test('an older part joining changes nothing; a newer one moves the due time to it', () => {
  const base: LandingObject[] = [{ key: 'orders/a.csv', etag: 'e', size: 1, lastModified: 10_000 }];
  const due = (parts: LandingObject[]) => {
    const s = settleState(parts, 60, 0);
    return s._tag === 'Settling' ? s.dueAt : undefined;
  };
  assert.is(due([...base, { key: 'products/p.csv', etag: 'f', size: 1, lastModified: 5_000 }]), 70_000);
  assert.is(due([...base, { key: 'products/p.csv', etag: 'f', size: 1, lastModified: 20_000 }]), 80_000);
});

test('the at() expression never fires before the due time, and reads back', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), (due) => {
      const at = atInstant(atExpression(due))!;
      assert.ok(at >= due && at < due + 1000, `${atExpression(due)} for ${new Date(due).toISOString()}`);
    }),
  );
  assert.is(atExpression(Date.parse('2026-12-01T23:10:05.200Z')), 'at(2026-12-01T23:10:06)');
  assert.is(recheckScheduleName('b-0123456789abcdef0123456789abcdef'), 'recheck-b-0123456789abcdef0123456789abcdef');
});

test('the re-check message is a landing signal of its bucket (no key) for the handler', () => {
  const body = recheckBody({ bucket: 'landing', batchId: 'b-1', dueAt: 1_800_000_000_000 });
  const parsed = parseRecord({ messageId: 'm', receiptHandle: 'r', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'q', awsRegion: 'us-east-1' });
  assert.equal(parsed, E.right({ bucket: 'landing' }));
});

test.run();
