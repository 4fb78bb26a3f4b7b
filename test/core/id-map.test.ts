import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { IdMap, idKey } from '../../workers/core/id-map.js';

// ids that hit every branch: plain decimals, leading zeros, signs, blanks, long digit runs, text
const id = fc.oneof(
  fc.nat({ max: 2_000_000_000 }).map(String),
  fc.stringMatching(/^[0-9]{1,12}$/),
  fc.stringMatching(/^[-+ 0]?[0-9]{0,10}[ a.]?$/),
  fc.string({ maxLength: 6 }),
);

test('idKey is one-to-one: two ids share a key exactly when they are the same text', () => {
  fc.assert(fc.property(id, id, (a, b) => (idKey(a) === idKey(b)) === (a === b)), { numRuns: 5000 });
  // the near misses a random pair rarely draws: the same digits with leading zeros or a sign
  const spellings = fc.tuple(fc.nat({ max: 99_999_999 }), fc.constantFrom('0', '00', '+', '-', ' '));
  fc.assert(fc.property(spellings, ([n, prefix]) => idKey(`${prefix}${n}`) !== idKey(String(n))));
});

test('plain decimals become their number; anything else stays text', () => {
  assert.is(idKey('12345'), 12345);
  assert.is(idKey('0'), 0);
  for (const text of ['007', '', '-1', '+1', '1e3', '1.0', ' 1', '1234567890', 'A1']) assert.is(idKey(text), text, text);
});

test('IdMap answers as a Map keyed by the id text would, after any sequence of operations', () => {
  const op = fc.tuple(fc.constantFrom('set', 'delete', 'get', 'has'), id, fc.string({ maxLength: 3 }));
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const model = new Map<string, string>();
      const real = new IdMap<string>();
      for (const [kind, key, value] of ops) {
        if (kind === 'set') {
          model.set(key, value);
          real.set(key, value);
        } else if (kind === 'delete') assert.is(real.delete(key), model.delete(key));
        else if (kind === 'get') assert.is(real.get(key), model.get(key));
        else assert.is(real.has(key), model.has(key));
        assert.is(real.size, model.size);
      }
    }),
  );
});

test.run();
