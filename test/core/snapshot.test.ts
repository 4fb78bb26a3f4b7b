import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchIdOfSeq, coversAfter, removableKeys, seqOfLine, standingCovers, supersededNeeded, withoutSeq, withSeq, type SnapshotRecord } from '../../workers/core/snapshot.js';
import { batchSeq, isRevalidation } from '../../workers/core/batch.js';

test('withSeq appends the seq as a field: the line stays the same object plus seq, and seqOfLine reads it back', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string().filter((k) => k !== 'seq'), fc.oneof(fc.string(), fc.integer())), fc.string(), (obj, seq) => {
      const line = withSeq(JSON.stringify(obj), seq);
      assert.equal(JSON.parse(line), { ...obj, seq });
      assert.is(seqOfLine(line), seq);
      assert.is(withoutSeq(line), JSON.stringify(obj));
    }),
  );
  assert.is(batchIdOfSeq('2025-06-01T10:00:00.000Z#b-#1'), 'b-#1');
});

const record = (covers: Record<string, string>): SnapshotRecord => ({ order_date: '2025-01-01', tag: 't2', covers, orders: 0, items: 0, written_by: 'b-x' });
const commits = new Map([
  ['b-1', { committed_at: 'c1', seq: 's1' }],
  ['b-2', { committed_at: 'c2-again', seq: 's2' }],
]);

test('a cover stands only while its batch is committed at the covered commit', () => {
  assert.equal([...standingCovers(record({ 'b-1': 'c1', 'b-2': 'c2', 'b-gone': 'c0' }), commits)], ['b-1']);
  assert.equal(coversAfter(new Set(['b-1']), [{ batch_id: 'b-2', committed_at: 'c2-again' }], commits), { 'b-1': 'c1', 'b-2': 'c2-again' });
});

test('removable: covered files of settled batches at the covered commit, and snapshot data the record does not name', () => {
  const files = [
    { key: 'f1', batch: { batch_id: 'b-1', committed_at: 'c1' } }, // covered, settled
    { key: 'f2', batch: { batch_id: 'b-2', committed_at: 'c2-again' } }, // covered at another commit
    { key: 'f3', batch: { batch_id: 'b-3', committed_at: 'c3' } }, // covered, not settled
    { key: 'f4', batch: { batch_id: 'b-4', committed_at: 'c4' } }, // not covered
  ];
  const keys = removableKeys({
    record: record({ 'b-1': 'c1', 'b-2': 'c2', 'b-3': 'c3' }),
    files,
    snapshotData: [{ key: 's-old', tag: 't1' }, { key: 's-now', tag: 't2' }],
    settled: (id, at) => (id === 'b-1' && at === 'c1') || (id === 'b-2' && at === 'c2-again'),
  });
  assert.equal(keys, ['f1', 's-old']);
});

test('the superseded part is read only while a re-validation is pending or a covered batch re-committed', () => {
  const withPart = { ...record({ 'b-1': 'c1', 'b-2': 'c2' }), superseded: { tag: 't1', orders: 3, items: 5 } };
  const all = new Set(['b-1', 'b-2']);
  assert.is(supersededNeeded(withPart, all, false), false);
  assert.is(supersededNeeded(withPart, all, true), true);
  assert.is(supersededNeeded(withPart, new Set(['b-1']), false), true);
  assert.is(supersededNeeded(record({ 'b-1': 'c1' }), new Set(), true), false, 'nothing superseded: nothing to read');
});

test('removable keeps both parts the record names', () => {
  const withPart = { ...record({}), superseded: { tag: 't1', orders: 1, items: 1 } };
  const keys = removableKeys({ record: withPart, files: [], snapshotData: [{ key: 'a', tag: 't0' }, { key: 'b', tag: 't1' }, { key: 'c', tag: 't2' }], settled: () => true });
  assert.equal(keys, ['a']);
});

test('a re-validation keeps the seq of its first commit', () => {
  const first = { batch_id: 'b-1', committed_at: '2025-01-01T00:00:00.000Z', seq: batchSeq('2025-01-01T00:00:00.000Z', 'b-1') };
  assert.is(isRevalidation(first), false);
  assert.is(isRevalidation({ ...first, committed_at: '2025-02-01T00:00:00.000Z' }), true);
});

test.run();
