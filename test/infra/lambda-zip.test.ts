import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deterministicZip } from '../../workers/local/lambda-zip.js';

const handler = new TextEncoder().encode('exports.handler = async () => ({ batchItemFailures: [] });\n');

test('the same input gives the same bytes, whenever and wherever it is built', async () => {
  const a = await deterministicZip([{ name: 'aggregator.js', data: handler }]);
  await new Promise((ok) => setTimeout(ok, 1100)); // a wall-clock second later
  const b = await deterministicZip([{ name: 'aggregator.js', data: new Uint8Array(handler) }]);
  assert.equal([...a], [...b]);
  const otherZone = execFileSync(process.execPath, ['--import', 'tsx', '-e',
    "import('./workers/local/lambda-zip.ts').then(async (m) => process.stdout.write((await m.deterministicZip([{ name: 'aggregator.js', data: new TextEncoder().encode(process.argv[1]) }])).toString('base64')))",
    new TextDecoder().decode(handler)], { env: { ...process.env, TZ: 'Pacific/Kiritimati' } }).toString();
  assert.is(otherZone, a.toString('base64'), 'another time zone gives the same bytes');
  const other = await deterministicZip([{ name: 'aggregator.js', data: new TextEncoder().encode('changed') }]);
  assert.not.equal([...a], [...other]);
});

test('a standard zip reader reads it back: one entry, 1980 timestamp, the same content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-'));
  try {
    const file = join(dir, 'a.zip');
    writeFileSync(file, await deterministicZip([{ name: 'aggregator.js', data: handler }]));
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
