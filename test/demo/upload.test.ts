import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planUploads } from '../../workers/demo/upload.js';

const file = fc.record({
  kind: fc.constantFrom('orders', 'order_items', 'products', 'other'),
  name: fc.stringMatching(/^[a-z0-9-]{1,8}\.(csv|json|ndjson|txt)(\.gz)?$/),
});

test('every data file once, products then orders then items, plain and gzipped parts mixed', () => {
  fc.assert(
    fc.property(fc.uniqueArray(file, { selector: (f) => `${f.kind}/${f.name}`, maxLength: 20 }), (files) => {
      const plan = planUploads(files, '/shop');
      const data = files.filter((f) => f.kind !== 'other' && !f.name.endsWith('.txt') && !f.name.endsWith('.txt.gz'));
      assert.is(plan.length, data.length);
      const rank = { products: 0, orders: 1, order_items: 2 } as Record<string, number>;
      const kinds = plan.map((p) => rank[p.key.slice(0, p.key.indexOf('/'))]!);
      assert.equal(kinds, [...kinds].sort());
      for (const p of plan) {
        assert.is(p.key, `${p.path.slice('/shop/'.length)}${p.gzip ? '.gz' : ''}`);
        assert.ok(!p.gzip || !p.path.endsWith('.gz'));
      }
      if (plan.filter((p) => !p.path.endsWith('.gz')).length >= 2) assert.ok(plan.some((p) => p.gzip));
    }),
  );
});

test.run();
