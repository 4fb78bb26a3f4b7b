// JSON array and NDJSON readers: numbers of a row's members arrive as their exact source text
// (issue 14 item 1), every element and line is capped (item 9), repeated keys are put to the sink
// (item 6). Input is fed in chunks of a chosen size so boundaries fall inside numbers and strings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readRows, type ReadOutcome, type RowSink } from '../../workers/io/readers/index.js';
import { decimalTextOfJsonNumber, isJsonNumber } from '../../workers/io/readers/json-number.js';
import { MAX_RECORD_CHARS } from '../../workers/io/readers/limits.js';

type Got = { outcome: ReadOutcome; rows: Array<[number, unknown]>; repeated: Array<ReadonlyArray<string>> };

const readFrom = async (key: string, source: () => Iterable<Buffer> | AsyncIterable<Buffer>, sink: Partial<RowSink> = {}): Promise<Got> => {
  const got: Got = { outcome: undefined as never, rows: [], repeated: [] };
  got.outcome = await readRows(key, async () => Readable.from(source()), {
    row: (v, p) => void got.rows.push([p, v]),
    ready: () => undefined,
    repeatedKeys: (names) => void got.repeated.push(names),
    ...sink,
  });
  return got;
};

const chunked = (data: string | Buffer, chunk: number) =>
  function* () {
    const bytes = Buffer.from(data);
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };

const read = (key: string, data: string | Buffer, chunk = 7, sink: Partial<RowSink> = {}) => readFrom(key, chunked(data, chunk), sink);

const asArray = (elements: string[]) => `[\n${elements.join(',\n')}\n]`;
const asLines = (elements: string[]) => `${elements.join('\n')}\n`;

const OBJECT =
  '{"order_id": 12345678901234567890123, "user_id":9007199254740993, "sale_price": 59.9900016784668, "e": 5.999e1, "tiny": 1E-7,' +
  ' "neg": -0.5, "one": 1.0, "big": 1e999999, "s": "a \\"quoted\\" 1, \\\\", "t": true, "n": null, "nested": {"x": 12345678901234567890123}, "list": [1, 2.50]}';
const EXPECTED = {
  order_id: '12345678901234567890123',
  user_id: '9007199254740993',
  sale_price: '59.9900016784668',
  e: '59.99',
  tiny: '0.0000001',
  neg: '-0.5',
  one: '1.0',
  big: '1e999999',
  s: 'a "quoted" 1, \\',
  t: true,
  n: null,
  nested: { x: 12345678901234567890123 },
  list: [1, 2.5],
};

test('JSON array and NDJSON: members that are numbers keep their source text, whatever the chunking', async () => {
  for (const chunk of [1, 2, 3, 5, 7, 64, 4096]) {
    const array = await read('x.json', asArray([OBJECT, '{"id": 7}', '42']), chunk);
    assert.equal(array.rows, [[0, EXPECTED], [1, { id: '7' }], [2, 42]], `json, chunk ${chunk}`);
    assert.is(array.outcome.fileReason, undefined);
    const lines = await read('x.ndjson', asLines([OBJECT, '{"id": 7}', '42']), chunk);
    assert.equal(lines.rows, [[1, EXPECTED], [2, { id: '7' }], [3, 42]], `ndjson, chunk ${chunk}`);
    assert.is(lines.outcome.fileReason, undefined);
  }
});

test('two int64 order ids that one double cannot tell apart stay two ids', async () => {
  const g = await read('orders/o.json', '[{"order_id": 9007199254740992}, {"order_id": 9007199254740993}]');
  assert.equal(g.rows.map(([, v]) => (v as { order_id: string }).order_id), ['9007199254740992', '9007199254740993']);
});

test('a number where JSON allows none, or one JSON does not allow, is still a syntax error', async () => {
  for (const bad of ['{"a": 01}', '{"a": 1.}', '{"a": -}', '{"a": +1}', '{"a": .5}', '{"a": 1e}', '{1: 2}', '{"a": 1, 2: 3}', '{"a" 1}', '{"a": 1 2}', '{"a": 0x1F}', '{"a": 1}x']) {
    assert.is((await read('x.json', `[${bad}]`)).outcome.fileReason?.code, 'FILE_MALFORMED', `json ${bad}`);
    assert.is((await read('x.ndjson', `${bad}\n`)).outcome.fileReason?.code, 'FILE_MALFORMED', `ndjson ${bad}`);
  }
});

test('array structure: trailing comma, missing comma, truncation, content after the array', async () => {
  for (const bad of ['[{"a":1},]', '[{"a":1} {"a":2}]', '[{"a":1},', '[{"a":', '[{"a":1}', '[1 2]', '[{"a":1}] {}', '[,]']) {
    assert.is((await read('x.json', bad, 3)).outcome.fileReason?.code, 'FILE_MALFORMED', bad);
  }
  const g = await read('x.json', '[{"a":1},{"a":2},{"a" 3}]', 4);
  assert.is(g.outcome.rows, 2, 'elements before the error were read');
});

// A reference for the law below: the row is what JSON.parse gives, except that a top-level member
// written as a number is the string of exactly its source text (exponent applied).
const member = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((b) => ({ source: b.toString(), value: b.toString() as unknown })),
  fc.tuple(fc.nat(), fc.nat({ max: 99999999 })).map(([i, f]) => ({ source: `${i}.${String(f).padStart(8, '0')}`, value: `${i}.${String(f).padStart(8, '0')}` })),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '1', ',', ':', '{', '}', '[', 'é', '\n', ' ') }).map((s) => ({ source: JSON.stringify(s), value: s as unknown })),
  fc.constantFrom(true, false, null).map((v) => ({ source: JSON.stringify(v), value: v as unknown })),
  fc.array(fc.integer(), { maxLength: 3 }).map((a) => ({ source: JSON.stringify(a), value: a as unknown })),
);
const objectOf = fc.uniqueArray(fc.tuple(fc.string({ unit: fc.constantFrom('k', 'e', 'y', '"', '1') }), member), { selector: ([k]) => k, maxLength: 6 });

test('property: every row is JSON.parse of its text with top-level numbers as their source text', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(objectOf, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 40 }), async (objects, chunk) => {
      const texts = objects.map((members) => `{${members.map(([k, m]) => `${JSON.stringify(k)} : ${m.source}`).join(' ,')}}`);
      const expected = objects.map((members) => Object.fromEntries(members.map(([k, m]) => [k, m.value])));
      const array = await read('x.json', asArray(texts), chunk);
      assert.equal(array.rows, expected.map((e, i) => [i, e]));
      const lines = await read('x.ndjson', asLines(texts), chunk);
      assert.equal(lines.rows, expected.map((e, i) => [i + 1, e]));
    }),
    { numRuns: 150 },
  );
});

test('property: any JSON object, flat or not, reads as JSON.parse does but for its members\' numbers', async () => {
  const reference = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? decimalTextOfJsonNumber(JSON.stringify(v)) : v]));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 50 }), async (objects, chunk) => {
      const texts = objects.map((o) => JSON.stringify(o));
      const parsed = texts.map((t) => JSON.parse(t) as Record<string, unknown>);
      const array = await read('x.json', asArray(texts), chunk);
      assert.is(array.outcome.fileReason, undefined);
      assert.equal(array.rows, parsed.map((o, i) => [i, reference(o)]));
      const lines = await read('x.ndjson', asLines(texts), chunk);
      assert.equal(lines.rows, parsed.map((o, i) => [i + 1, reference(o)]));
    }),
    { numRuns: 200 },
  );
});

test('isJsonNumber is RFC 8259 number grammar', () => {
  const grammar = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '+', '.', 'e', 'E') }), (s) => isJsonNumber(s) === grammar.test(s)));
});

test('decimalTextOfJsonNumber: exponent-free text unchanged; an exponent moves the point, value kept', () => {
  fc.assert(fc.property(fc.bigInt(), fc.nat({ max: 20 }), (b, f) => {
    const s = f === 0 ? b.toString() : `${b.toString()}.${'7'.repeat(f)}`;
    return decimalTextOfJsonNumber(s) === s;
  }));
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const text = decimalTextOfJsonNumber(JSON.stringify(x));
    return !/e/i.test(text) && Number(text) === x;
  }));
  assert.is(decimalTextOfJsonNumber('12.5e-3'), '0.0125');
  assert.is(decimalTextOfJsonNumber('-12.5E+3'), '-12500');
  assert.is(decimalTextOfJsonNumber('0.5e1'), '5');
  assert.is(decimalTextOfJsonNumber('1e-401'), '1e-401');
});

// Sources that never end: without a cap the reader would buffer until the heap is gone.
const endless = (head: string, unit: string) =>
  async function* () {
    yield Buffer.from(head);
    const block = Buffer.from(unit.repeat(1 << 16));
    for (;;) yield block;
  };

test('an element or a line that never ends stops the file at the record cap (FILE_MALFORMED), in bounded memory', async () => {
  const array = await readFrom('x.json', endless('[{"id":"1"},{"id":"', 'x'));
  assert.is(array.outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.match(array.outcome.fileReason!.message, /record too large: element 1/);
  assert.is(array.outcome.rows, 1);
  assert.ok(array.outcome.bytes < 3 * MAX_RECORD_CHARS, 'stopped soon after the cap');
  const nested = await readFrom('x.json', endless('[', '{"a":['));
  assert.is(nested.outcome.fileReason?.code, 'FILE_MALFORMED');
  const lines = await readFrom('x.ndjson', endless('{"id":"1"}\n{"id":"', 'x'));
  assert.match(lines.outcome.fileReason!.message, /record too large: line 2/);
  assert.is(lines.outcome.rows, 1);
});

test('a small .json.gz that expands to one huge string is the same file reason, not an out-of-memory kill', async () => {
  const bomb = gzipSync(Buffer.concat([Buffer.from('[{"name":"'), Buffer.alloc(MAX_RECORD_CHARS + 1024, 'x'), Buffer.from('"}]')]));
  assert.ok(bomb.length < 64 * 1024);
  const g = await read('x.json.gz', bomb, 4096);
  assert.is(g.outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.match(g.outcome.fileReason!.message, /record too large/);
});

test('an element just under the cap is read', async () => {
  const name = 'y'.repeat(MAX_RECORD_CHARS - 64);
  const g = await read('x.json', `[{"name":"${name}"}]`, 1 << 16);
  assert.is(g.outcome.fileReason, undefined);
  assert.is((g.rows[0]![1] as { name: string }).name.length, name.length);
});

test('repeated keys: the sink is asked about the names given twice; its reason stops the file', async () => {
  const text = [`{"id":"1","note":"a","note":"b"}`, `{"id":"2","id":"3"}`];
  const asked = await read('x.json', asArray(text));
  assert.equal(asked.repeated, [['note'], ['id']]);
  assert.equal(asked.rows.map(([, v]) => v), [{ id: '1', note: 'b' }, { id: '3' }], 'no reason: JSON.parse keeps the last');
  const refuse: Partial<RowSink> = { repeatedKeys: (names) => (names.includes('id') ? { code: 'FILE_MALFORMED', message: 'ambiguous' } : undefined) };
  for (const [key, data] of [['x.json', asArray(text)], ['x.ndjson', asLines(text)]] as const) {
    const g = await read(key, data, 5, refuse);
    assert.equal(g.outcome.fileReason, { code: 'FILE_MALFORMED', message: 'ambiguous' }, key);
    assert.is(g.outcome.rows, 1, `${key}: the row before was read`);
  }
  const nestedOnly = await read('x.json', '[{"a":{"x":1,"x":2},"b":[{"y":1,"y":2}]}]');
  assert.equal(nestedOnly.repeated, [], 'only the row\'s own members count');
});

test.run();
