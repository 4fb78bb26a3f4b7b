// Readers: every format and every way a file can fail, with positions as in the file. Input is
// fed in chunks of a chosen size, so chunk boundaries fall inside quotes, CRLFs and UTF-8 bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readRows, type ReadOutcome } from '../../workers/io/readers/index.js';

type Got = { outcome: ReadOutcome; columns?: ReadonlyArray<string>; rows: Array<[number, unknown]> };

const read = async (key: string, data: string | Buffer, chunk = 7): Promise<Got> => {
  const bytes = Buffer.from(data);
  const got: Got = { outcome: undefined as never, rows: [] };
  got.outcome = await readRows(
    key,
    async () => Readable.from((function* () { for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk); })()),
    { columns: (c) => void (got.columns = c), row: (v, p) => void got.rows.push([p, v]), ready: () => undefined },
  );
  return got;
};

test('CSV: BOM, CRLF, quoted comma and newline, escaped quote, blank line; lines as in the file', async () => {
  const csv = '\ufeffid,name,price\r\n1,"a, b",2.5\r\n2,"multi\r\nline ""quoted""",3\r\n\r\n3,plain,4';
  for (const chunk of [1, 2, 3, 7, 1000]) {
    const g = await read('x.csv', csv, chunk);
    assert.equal(g.columns, ['id', 'name', 'price']);
    assert.equal(g.rows, [
      [2, { id: '1', name: 'a, b', price: '2.5' }],
      [3, { id: '2', name: 'multi\r\nline "quoted"', price: '3' }],
      [6, { id: '3', name: 'plain', price: '4' }],
    ], `chunk ${chunk}`);
    assert.is(g.outcome.fileReason, undefined);
    assert.is(g.outcome.positionKind, 'line');
  }
});

test('CSV: a header-only file with a BOM and no newline', async () => {
  const g = await read('x.csv', '\ufeffid,name', 2);
  assert.equal(g.columns, ['id', 'name']);
  assert.is(g.outcome.rows, 0);
});

test('CSV: multi-byte UTF-8 split across chunks is fine; invalid UTF-8 is FILE_UNREADABLE', async () => {
  const ok = await read('x.csv', 'id,name\n1,Žluťoučký kůň 🐎\n', 1);
  assert.equal(ok.rows, [[2, { id: '1', name: 'Žluťoučký kůň 🐎' }]]);
  const bad = await read('x.csv', Buffer.concat([Buffer.from('id,name\n1,a\n2,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
  assert.is(bad.outcome.fileReason?.code, 'FILE_UNREADABLE');
  assert.is(bad.outcome.rows, 1, 'rows before the bad byte were read');
  const oneChunk = await read('x.csv', Buffer.concat([Buffer.from('id,name\n1,a\n2,b\n3,'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]), 1000);
  assert.equal([oneChunk.outcome.fileReason?.code, oneChunk.outcome.rows], ['FILE_UNREADABLE', 2]);
  const truncatedChar = await read('x.csv', Buffer.concat([Buffer.from('id\n1'), Buffer.from([0xe2, 0x82])]));
  assert.is(truncatedChar.outcome.fileReason?.code, 'FILE_UNREADABLE');
});

test('CSV: unterminated quote is FILE_MALFORMED, even at the very end', async () => {
  assert.is((await read('x.csv', 'id,name\n1,ok\n2,"never closed\n3,x\n')).outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is((await read('x.csv', 'id,name\n1,ok\n2,"at eof')).outcome.fileReason?.code, 'FILE_MALFORMED');
});

test('CSV: zero bytes and a blank header are FILE_EMPTY; header only is zero rows', async () => {
  assert.is((await read('x.csv', '')).outcome.fileReason?.code, 'FILE_EMPTY');
  assert.is((await read('x.csv', '\n\n')).outcome.fileReason?.code, 'FILE_EMPTY');
  const headerOnly = await read('x.csv', 'id,name\n');
  assert.is(headerOnly.outcome.fileReason, undefined);
  assert.is(headerOnly.outcome.rows, 0);
});

test('gzip: each format decompressed; a truncated gzip is FILE_UNREADABLE', async () => {
  const g = await read('x.csv.gz', gzipSync('id\n1\n2\n'));
  assert.equal(g.rows.map(([p]) => p), [2, 3]);
  assert.equal((await read('x.ndjson.gz', gzipSync('{"a":1}\n'))).rows, [[1, { a: '1' }]]);
  assert.equal((await read('x.json.gz', gzipSync('[{"a":1}]'))).rows, [[0, { a: '1' }]]);
  const whole = gzipSync('id\n'.concat('1\n'.repeat(5000)));
  const cut = await read('x.csv.gz', whole.subarray(0, whole.length - 12), 512);
  assert.is(cut.outcome.fileReason?.code, 'FILE_UNREADABLE');
  assert.is((await read('x.csv.gz', Buffer.from('not gzip at all'))).outcome.fileReason?.code, 'FILE_UNREADABLE');
});

test('JSON array: elements with their index, BOM accepted, non-objects handed on as rows', async () => {
  const g = await read('x.json', '\ufeff[ {"id": "1", "n": 2.5}, {"id": "2"}, 7 ]', 3);
  assert.equal(g.rows, [[0, { id: '1', n: '2.5' }], [1, { id: '2' }], [2, 7]]);
  assert.is(g.outcome.positionKind, 'index');
  assert.is((await read('x.json', '[]')).outcome.rows, 0);
});

test('JSON: syntax error mid-file, truncation, not an array, trailing content, empty', async () => {
  const mid = await read('x.json', '[{"id":"1"},{"id":"2"},{"id" "3"},{"id":"4"}]');
  assert.is(mid.outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is(mid.outcome.rows, 2, 'rows parsed before the failure');
  assert.is((await read('x.json', '[{"id":"1"},')).outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is((await read('x.json', '{"id":"1"}')).outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is((await read('x.json', '[{"id":"1"}] [')).outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is((await read('x.json', '')).outcome.fileReason?.code, 'FILE_EMPTY');
  assert.is((await read('x.json', ' \n ')).outcome.fileReason?.code, 'FILE_EMPTY');
  assert.is((await read('x.json', Buffer.from([0x5b, 0xff, 0x5d]))).outcome.fileReason?.code, 'FILE_UNREADABLE');
});

test('NDJSON: physical lines, blank lines skipped, CRLF, syntax error mid-file', async () => {
  const g = await read('x.jsonl', '{"a":1}\r\n\n{"a":2}\n[1]\n', 2);
  assert.equal(g.rows, [[1, { a: '1' }], [3, { a: '2' }], [4, [1]]]);
  const bad = await read('x.ndjson', '{"a":1}\n{"a":\n{"a":3}\n');
  assert.is(bad.outcome.fileReason?.code, 'FILE_MALFORMED');
  assert.is(bad.outcome.rows, 1);
  assert.is((await read('x.ndjson', '\n\n')).outcome.fileReason?.code, 'FILE_EMPTY');
});

test('unsupported extension', async () => {
  assert.is((await read('x.parquet', 'x')).outcome.fileReason?.code, 'FILE_UNSUPPORTED');
  assert.is((await read('orders.csv.bak', 'x')).outcome.fileReason?.code, 'FILE_UNSUPPORTED');
});

test('property: chunking never changes the rows or their lines', async () => {
  const cell = fc.stringMatching(/^[a-z ,"\n\r€]{0,6}$/);
  const quote = (s: string) => (/[,"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), async (rows, chunk, crlf) => {
      const nl = crlf ? '\r\n' : '\n';
      const text = `a,b${nl}${rows.map(([a, b]) => `${quote(`x${a}`)},${quote(b)}`).join(nl)}${nl}`;
      const whole = await read('x.csv', text, text.length + 1);
      const pieces = await read('x.csv', text, chunk);
      assert.equal(pieces.rows, whole.rows);
      assert.is(whole.rows.length, rows.length);
      // each record starts one line after the previous one plus the newlines inside it
      let line = 2;
      rows.forEach(([a, b], i) => {
        assert.is(whole.rows[i]![0], line);
        line += 1 + (`${a}${b}`.match(/\n/g)?.length ?? 0);
      });
    }),
    { numRuns: 150 },
  );
});

test.run();
