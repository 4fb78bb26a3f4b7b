import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { latestVersions, survives, touchedDates, type OrderVersion } from '../../workers/core/versions.js';

const versionArb: fc.Arbitrary<OrderVersion> = fc
  .record({ order: fc.integer({ min: 1, max: 5 }), batch: fc.integer({ min: 1, max: 6 }), day: fc.integer({ min: 1, max: 4 }) })
  .map(({ order, batch, day }) => ({ order_id: `o${order}`, order_date: `2025-01-0${day}`, batch_id: `b-${batch}`, seq: `2025-06-0${batch}#b-${batch}` }));

test('the latest version of each order is the one from the greatest seq, in any input order', () => {
  fc.assert(
    fc.property(fc.array(versionArb, { maxLength: 30 }), (vs) => {
      const latest = latestVersions(vs);
      const reversed = latestVersions([...vs].reverse());
      for (const v of vs) {
        const best = vs.filter((w) => w.order_id === v.order_id).reduce((a, b) => (b.seq > a.seq ? b : a));
        assert.is(latest.get(v.order_id)!.seq, best.seq);
        assert.is(reversed.get(v.order_id)!.seq, best.seq);
        assert.is(survives(latest, v.order_id, v.batch_id), v.seq === best.seq);
      }
    }),
  );
});

test('an order moved to another day: the old day is touched and the old version no longer survives', () => {
  const old: OrderVersion = { order_id: 'o1', order_date: '2025-01-01', batch_id: 'b-1', seq: '1#b-1' };
  const moved: OrderVersion = { order_id: 'o1', order_date: '2025-01-03', batch_id: 'b-2', seq: '2#b-2' };
  const latest = latestVersions([old, moved]);
  assert.not.ok(survives(latest, 'o1', 'b-1'));
  assert.ok(survives(latest, 'o1', 'b-2'));
  assert.equal(touchedDates(['2025-01-03'], new Set(['o1']), [old]), ['2025-01-01', '2025-01-03']);
  assert.equal(touchedDates(['2025-01-03'], new Set(['o2']), [old]), ['2025-01-03']);
});

test.run();
