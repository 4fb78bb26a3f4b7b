import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deterministicZip } from '../../scripts/lambda-zip.js';

const handler = new TextEncoder().encode('exports.handler = async () => ({ batchItemFailures: [] });\n');

test('crc32 matches the standard check value', () => {
  assert.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('the same input gives the same bytes, whenever it is built', () => {
  const a = deterministicZip([{ name: 'aggregator.js', data: handler }]);
  const b = deterministicZip([{ name: 'aggregator.js', data: new Uint8Array(handler) }]);
  assert.equal([...a], [...b]);
  const other = deterministicZip([{ name: 'aggregator.js', data: new TextEncoder().encode('changed') }]);
  assert.not.equal([...a], [...other]);
});

test('a standard zip reader reads it back: one entry, 1980 timestamp, the same content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-'));
  try {
    const file = join(dir, 'a.zip');
    writeFileSync(file, deterministicZip([{ name: 'aggregator.js', data: handler }]));
    const listing = execFileSync('python3', ['-c', [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(repr([(i.filename, i.date_time, oct(i.external_attr >> 16), z.read(i).decode()) for i in z.infolist()]))',
    ].join('\n'), file]).toString().trim();
    assert.is(listing, `[('aggregator.js', (1980, 1, 1, 0, 0, 0), '0o100644', ${JSON.stringify(new TextDecoder().decode(handler)).replace(/"/g, "'").replace(/\\n/g, '\\n')})]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
