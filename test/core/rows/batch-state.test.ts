// BatchState with several files open at once (check threads): a key found among the committed or
// an earlier open file's keys is a duplicate at once; a key an earlier file only shows later is
// found at that file's commit, which names the later files to judge again. Against a reference
// (plain Sets, files in order), the files commit names are exactly those whose verdicts differ.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BatchState, type FileKeys } from '../../../workers/core/rows/batch-state.js';

const codes = (out: true | ReadonlyArray<{ code: string }>): string => (out === true ? 'ok' : out.map((r) => r.code).join(','));

test('an order an earlier file shows later: the later file is named at commit', () => {
  const state = new BatchState(new Map());
  const f0 = state.begin(0, 'orders');
  const f1 = state.begin(1, 'orders');
  assert.is(codes(state.order(f1, '7', '2025-01-01')), 'ok'); // speculative: file 0 has not shown 7 yet
  assert.is(codes(state.order(f0, '8', '2025-01-02')), 'ok');
  assert.is(codes(state.order(f1, '8', '2025-01-02')), 'DUPLICATE_KEY'); // earlier open file: sure
  assert.is(codes(state.order(f0, '7', '2025-01-01')), 'ok');
  assert.equal(state.commit(f0, false), [1]);
  // judged again, alone: 7 is now a duplicate
  const again = state.begin(1, 'orders');
  assert.is(codes(state.order(again, '7', '2025-01-01')), 'DUPLICATE_KEY');
  assert.equal(state.commit(again, false), []);
});

test('a failed file takes back its keys: later open files of its kind are named', () => {
  const state = new BatchState(new Map());
  const f0 = state.begin(0, 'products');
  const f1 = state.begin(1, 'products');
  assert.is(codes(state.product(f0, 'p', 'Jeans')), 'ok');
  assert.is(codes(state.product(f1, 'p', 'Jeans')), 'DUPLICATE_KEY');
  assert.equal(state.commit(f0, true), [1]);
  const again = state.begin(1, 'products');
  assert.is(codes(state.product(again, 'p', 'Jeans')), 'ok');
});

test('property: judged in any interleaving, the verdicts that stand (files named by commit judged again) are those of file order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 64 }),
      (files, schedule) => {
        // the reference: file order, first occurrence wins
        const seen = new Set<number>();
        const want = files.map((ids) => ids.map((id) => (seen.has(id) ? 'DUPLICATE_KEY' : (seen.add(id), 'ok'))));
        // judged in the schedule's interleaving, committed in file order as files end
        const state = new BatchState(new Map());
        const keys: FileKeys[] = files.map((_, f) => state.begin(f, 'order_items'));
        const got: string[][] = files.map(() => []);
        const next = files.map(() => 0);
        const wrong = new Set<number>();
        let head = 0;
        const commitReady = () => {
          while (head < files.length && next[head] === files[head]!.length) {
            if (wrong.has(head)) {
              // judged again alone, as accept-files does
              keys[head] = state.begin(head, 'order_items');
              got[head] = files[head]!.map((id) => codes(state.item(keys[head]!, String(id), 'o', 'p')));
            }
            for (const w of state.commit(keys[head]!, false)) wrong.add(w);
            head++;
          }
        };
        // every item's order and product exist
        const refs = state.begin(-1, 'orders');
        state.order(refs, 'o', '2025-01-01');
        state.product(refs, 'p', 'Jeans');
        state.commit(refs, false);
        const pending = () => files.map((ids, f) => (next[f]! < ids.length ? f : -1)).filter((f) => f >= 0);
        for (let s = 0; pending().length > 0; s++) {
          const open = pending();
          const f = open[(schedule[s] ?? 0) % open.length]!;
          got[f]!.push(codes(state.item(keys[f]!, String(files[f]![next[f]!]), 'o', 'p')));
          next[f]!++;
          commitReady();
        }
        commitReady();
        assert.equal(got, want);
      },
    ),
    { numRuns: 500 },
  );
});

test.run();
