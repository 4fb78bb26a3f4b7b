// Laws of the aggregator's pure decision: what starts, what waits, and that the batch id depends
// only on the set of files, never on how events or listings arrived.
import * as E from 'fp-ts/lib/Either.js';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  claimedKeysOfInput,
  decide,
  executionInput,
  isDataKey,
  isManifestKey,
  parseManifestBody,
  type LandingObject,
} from '../../workers/aggregator/file-set.js';
import { BatchManifest } from '../../workers/core/manifest.js';

const KIND_PREFIXES = ['orders/', 'order_items/', 'products/'] as const;

const object = fc.record({
  key: fc
    .tuple(fc.constantFrom(...KIND_PREFIXES), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,7}\.(csv|json|ndjson)(\.gz)?$/))
    .map(([p, n]) => p + n),
  etag: fc.stringMatching(/^[0-9a-f]{8}$/),
  size: fc.nat(10_000),
});

/** A landing listing: unique keys (S3 has one object per key). */
const listing = fc.uniqueArray(object, { selector: (o) => o.key, minLength: 0, maxLength: 12 });

const complete = listing.filter((l) => KIND_PREFIXES.every((p) => l.some((o) => o.key.startsWith(p))));

const started = (d: ReturnType<typeof decide>) => (d._tag === 'Start' ? d.manifest : undefined);

test('any permutation and duplication of the listing gives the same batch id', () => {
  fc.assert(
    fc.property(
      complete.chain((l) =>
        fc.tuple(
          fc.constant(l),
          // a permutation of the listing with random repeats, as merged or replayed events give
          fc.shuffledSubarray([...l, ...l], { minLength: l.length, maxLength: 2 * l.length }),
        ),
      ),
      ([l, permuted]) => {
        const shuffled = [...permuted, ...l.filter((o) => !permuted.some((p) => p.key === o.key))];
        const a = started(decide(l, new Set(), []));
        const b = started(decide(shuffled, new Set(), []));
        assert.ok(a && b);
        assert.is(a.batch_id, b.batch_id);
        assert.equal(a.files, b.files);
        assert.is(a.files.length, l.length);
      },
    ),
  );
});

test('a set missing a kind starts nothing and names what is missing', () => {
  fc.assert(
    fc.property(listing, fc.constantFrom(...KIND_PREFIXES), (l, dropped) => {
      const without = l.filter((o) => !o.key.startsWith(dropped));
      const d = decide(without, new Set(), []);
      assert.is(d._tag, 'Wait');
      if (d._tag === 'Wait' && without.length > 0) assert.ok(d.reason.includes(dropped.slice(0, -1)), d.reason);
    }),
  );
});

test('the batch id changes when any file changes (a re-upload with new content is a new batch)', () => {
  fc.assert(
    fc.property(complete, fc.nat(), fc.stringMatching(/^[0-9a-f]{8}$/), (l, i, etag) => {
      const target = l[i % l.length]!;
      fc.pre(target.etag !== etag);
      const changed = l.map((o) => (o === target ? { ...o, etag } : o));
      assert.is.not(started(decide(l, new Set(), []))!.batch_id, started(decide(changed, new Set(), []))!.batch_id);
    }),
  );
});

test('claimed keys never enter a new batch; the unclaimed rest must be complete on its own', () => {
  fc.assert(
    fc.property(complete, complete, (running, newer) => {
      const claimed = new Set(running.map((o) => o.key));
      const fresh = newer.filter((o) => !claimed.has(o.key));
      const d = decide([...running, ...newer.filter((o) => !claimed.has(o.key))], claimed, []);
      const m = started(d);
      if (m) {
        assert.ok(m.files.every((f) => !claimed.has(f.key)));
        assert.equal(m.files.map((f) => f.key), fresh.map((o) => o.key).sort());
      } else {
        assert.ok(KIND_PREFIXES.some((p) => !fresh.some((o) => o.key.startsWith(p))));
      }
    }),
  );
});

test('an explicit manifest starts exactly its keys once all are present, and reserves them until then', () => {
  const l: LandingObject[] = [
    { key: 'orders/a.csv', etag: 'e1', size: 1 },
    { key: 'order_items/a.csv', etag: 'e2', size: 1 },
    { key: 'products/a.csv', etag: 'e3', size: 1 },
    { key: 'products/b.csv', etag: 'e4', size: 1 },
    { key: '_manifest.json', etag: 'm', size: 1 },
  ];
  const named = { key: '_manifest.json', keys: ['orders/a.csv', 'order_items/a.csv', 'products/a.csv'] };
  const d = decide(l, new Set(), [named]);
  assert.is(d._tag, 'Start');
  assert.equal(started(d)!.files.map((f) => f.key), ['order_items/a.csv', 'orders/a.csv', 'products/a.csv']);

  const pending = { key: '_manifest.json', keys: [...named.keys, 'orders/late.csv'] };
  const w = decide(l, new Set(), [pending]);
  assert.is(w._tag, 'Wait');
  if (w._tag === 'Wait') assert.match(w.reason, /missing orders\/late\.csv/);
});

test('a held manifest reserves its keys and starts nothing', () => {
  fc.assert(
    fc.property(complete, (l) => {
      const held = { key: '_reprocess/b/_manifest.json', keys: l.map((o) => o.key), hold: true };
      const d = decide(l, new Set(), [held]);
      assert.is(d._tag, 'Wait');
    }),
  );
  const parsed = parseManifestBody('_reprocess/b/_manifest.json', '{"keys": ["orders/a.csv"], "hold": true}');
  assert.ok(E.isRight(parsed) && parsed.right.hold === true);
});

test('manifest bodies: keys or files, every key under a kind prefix', () => {
  const ok = parseManifestBody('_manifest.json', '{"files": ["orders/a.csv", {"key": "products/p.json"}]}');
  assert.equal(E.isRight(ok) && ok.right.keys, ['orders/a.csv', 'products/p.json']);
  assert.ok(E.isLeft(parseManifestBody('_manifest.json', '{"keys": ["elsewhere/a.csv"]}')));
  assert.ok(E.isLeft(parseManifestBody('_manifest.json', '{"keys": []}')));
  assert.ok(E.isLeft(parseManifestBody('_manifest.json', 'not json')));
});

test('data keys and manifest keys do not overlap', () => {
  assert.ok(isDataKey('orders/x.csv'));
  assert.not.ok(isDataKey('orders/'));
  assert.not.ok(isDataKey('other/x.csv'));
  assert.ok(isManifestKey('_manifest.json'));
  assert.ok(isManifestKey('batches/2024-01-01/_manifest.json'));
  assert.not.ok(isManifestKey('orders/_manifest.json'));
});

test('marker and hidden files never count as parts: they neither complete a set nor join a batch', () => {
  const markers = ['orders/_SUCCESS', 'order_items/.DS_Store', 'products/.keep', 'orders/_temporary/0/p.csv'];
  for (const k of markers) assert.not.ok(isDataKey(k), k);
  fc.assert(
    fc.property(complete, fc.subarray(markers), (l, extra) => {
      const withMarkers = [...l, ...extra.map((key) => ({ key, etag: 'e', size: 0 }))];
      assert.equal(started(decide(withMarkers, new Set(), [])), started(decide(l, new Set(), [])));
      // markers alone never make a set
      assert.is(decide(extra.map((key) => ({ key, etag: 'e', size: 0 })), new Set(), [])._tag, 'Wait');
    }),
  );
});

test('_manifest.json keys: normalised by the core rule, markers dropped, an escaping key refuses the manifest', () => {
  const ok = parseManifestBody('_manifest.json', '{"keys": ["./orders//a.csv", "orders/_SUCCESS", "products/x/../p.csv"]}');
  assert.equal(E.isRight(ok) && ok.right.keys, ['orders/a.csv', 'products/p.csv']);
  for (const bad of ['orders/../../etc/passwd', '/orders/a.csv', 'orders\\..\\..\\x.csv', '../landing/orders/a.csv']) {
    const parsed = parseManifestBody('_manifest.json', JSON.stringify({ keys: ['products/p.csv', bad] }));
    assert.ok(E.isLeft(parsed), bad);
  }
});

test('execution input round-trips: the claims read back are the manifest keys', () => {
  fc.assert(
    fc.property(complete, (l) => {
      const m = started(decide(l, new Set(), []))!;
      const input = JSON.parse(executionInput(m)) as { batch_id: string; manifest: string };
      assert.is(input.batch_id, m.batch_id);
      assert.ok(BatchManifest.is(JSON.parse(input.manifest)));
      const claims = claimedKeysOfInput(executionInput(m));
      assert.equal(E.isRight(claims) && [...claims.right].sort(), l.map((o) => o.key).sort());
    }),
  );
  assert.ok(E.isLeft(claimedKeysOfInput('{"batch_id":"b","manifest":"s3://lake/m.json"}')));
});

test.run();
