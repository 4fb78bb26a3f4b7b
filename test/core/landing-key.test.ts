// The one containment rule for keys and the one marker-file predicate (core/landing-key.ts), and the
// batch-file plan built on them: laws over arbitrary keys, then the cases real uploads carry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { posix } from 'node:path';
import { ignoredReason, normaliseKey } from '../../workers/core/landing-key.js';
import { planBatchFiles } from '../../workers/core/batch-file-plan.js';

// keys made of the characters that matter: separators, dots, backslashes, underscores
const hostileKey = fc.array(fc.constantFrom('/', '.', '..', '\\', 'a', 'b', '_', 'orders/', 'C:', '\u0000'), { maxLength: 12 }).map((parts) => parts.join(''));

test('a normalised key stays under any root: joined to it, it resolves below the root', () => {
  fc.assert(
    fc.property(hostileKey, (key) => {
      const n = normaliseKey(key);
      if (E.isLeft(n)) return true;
      const root = '/srv/landing';
      const resolved = posix.resolve(root, n.right);
      return resolved.startsWith(`${root}/`) && !n.right.split('/').some((s) => s === '' || s === '.' || s === '..') && !n.right.includes('\\');
    }),
    { numRuns: 2000 },
  );
});

test('normalising is idempotent, and a canonical key is its own normal form', () => {
  // found by the property: a detour that lands on a drive name is refused, not normalised to one
  assert.ok(E.isLeft(normaliseKey('./C:')));
  assert.ok(E.isLeft(normaliseKey('orders/../C:x')));
  fc.assert(
    fc.property(hostileKey, (key) => {
      const n = normaliseKey(key);
      return E.isLeft(n) || E.getOrElse(() => '')(normaliseKey(n.right)) === n.right;
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9=_-][A-Za-z0-9=._-]{0,8}$/), { minLength: 1, maxLength: 4 }), (segments) => {
      const key = segments.join('/');
      return E.getOrElse(() => '')(normaliseKey(key)) === key;
    }),
  );
});

test('the hostile keys of the issue are refused, each with its rule; harmless detours are normalised', () => {
  const left = (k: string) => {
    const n = normaliseKey(k);
    return E.isLeft(n) ? n.left : undefined;
  };
  assert.is(left('../secret/orders.csv'), 'climbs above the root');
  assert.is(left('orders/../../x.csv'), 'climbs above the root');
  assert.is(left('/etc/passwd'), 'is an absolute path');
  assert.is(left('orders\\..\\..\\x.csv'), 'contains a backslash');
  assert.is(left('C:/x.csv'), 'names a drive');
  assert.is(left('orders/a\u0000.csv'), 'contains a control character');
  assert.is(left('./'), 'names the root itself');
  assert.equal(normaliseKey('./orders//a.csv'), E.right('orders/a.csv'));
  assert.equal(normaliseKey('orders/x/../a.csv'), E.right('orders/a.csv'));
});

test('marker and hidden files are ignored, _manifest.json and ordinary names are not', () => {
  for (const key of ['orders/_SUCCESS', 'orders/.DS_Store', 'products/.keep', 'order_items/_temporary/0/part-1.csv', 'orders/.git/x.csv', 'orders/.part.csv.swp'])
    assert.ok(ignoredReason(key), key);
  assert.is(ignoredReason('orders/'), 'folder placeholder');
  for (const key of ['orders/part_1.csv', 'order_items/2024/p.csv', 'orders/_manifest.json', '_manifest.json', 'orders/a._b.csv'])
    assert.is(ignoredReason(key), undefined, key);
});

test('the plan accounts for every candidate exactly once: read, refused or ignored', () => {
  fc.assert(
    fc.property(fc.array(hostileKey.map((k) => `${k}`), { maxLength: 20 }), (keys) => {
      const plan = planBatchFiles(keys.map((key) => ({ key })));
      const seen = new Set([...plan.read.map((f) => f.key), ...plan.refused.map((f) => f.key)]);
      // each candidate: ignored under its own key, or read/refused under its normal form (or raw, if it has none)
      return keys.every((k) => {
        if (plan.ignored.some((i) => i.key === k)) return true;
        const n = normaliseKey(k);
        return seen.has(E.isRight(n) ? n.right : k);
      }) && plan.read.every((f) => E.isRight(normaliseKey(f.key)) && ignoredReason(f.key) === undefined);
    }),
  );
});

test('the plan: escaping keys are refused unread, outside-prefix keys refused but inside, markers ignored', () => {
  const plan = planBatchFiles(
    ['orders/o.csv', './orders/o.csv', '../x/orders/o.csv', 'misc/a.csv', 'orders/_SUCCESS', 'products/p.csv'].map((key) => ({ key })),
  );
  assert.equal(plan.read.map((f) => f.key), ['products/p.csv', 'orders/o.csv']);
  assert.equal(plan.refused.map((f) => [f.key, f.file_reason?.code]), [['../x/orders/o.csv', 'FILE_UNREADABLE'], ['misc/a.csv', 'FILE_UNSUPPORTED']]);
  assert.equal([...plan.insideRoot].sort(), ['misc/a.csv', 'orders/o.csv', 'products/p.csv']);
  assert.equal(plan.ignored, [{ key: 'orders/_SUCCESS', reason: 'marker file _SUCCESS' }]);
});

test.run();
