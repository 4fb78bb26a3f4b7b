import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { copyPlan, GIB, MIB, S3_PART_MAX, S3_PART_MIN } from '../../workers/core/copy-plan.js';

test('up to 5 GiB one CopyObject; above it, ranges that tile the object within S3 part rules', () => {
  assert.equal(copyPlan(5 * GIB), { _tag: 'Single' });
  assert.is(copyPlan(5 * GIB + 1)._tag, 'Multipart');
  fc.assert(
    fc.property(fc.integer({ min: 5 * GIB + 1, max: 5 * 1024 * GIB }), (size) => {
      const plan = copyPlan(size);
      if (plan._tag !== 'Multipart') return false;
      const { ranges } = plan;
      assert.ok(ranges.length <= 10_000, `${ranges.length} parts`);
      assert.is(ranges[0]!.first, 0);
      assert.is(ranges[ranges.length - 1]!.last, size - 1);
      ranges.forEach((r, i) => {
        const length = r.last - r.first + 1;
        assert.ok(length <= S3_PART_MAX);
        if (i < ranges.length - 1) {
          assert.ok(length >= S3_PART_MIN);
          assert.is(ranges[i + 1]!.first, r.last + 1);
        }
      });
      return true;
    }),
  );
  assert.ok(MIB * 1024 === GIB);
});

test.run();
