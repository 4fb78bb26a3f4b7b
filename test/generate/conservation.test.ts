// Generator against the real validate worker. Laws, over random generated batches with random
// defects: for every input file rows read = cleaned + quarantined, and the quarantined rows (line
// or index, codes) are exactly the ones the generator's manifest says it injected; the report's
// counts and verdict are the manifest's. Plus the same through the two CLIs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quarantineRowsKey } from '../../workers/core/lake-layout.js';
import { FILE_REASON_CODES } from '../../workers/core/reasons.js';
import { KINDS } from '../../workers/core/records.js';
import type { ValidationReport } from '../../workers/core/report.js';
import type { GeneratorManifest } from '../../workers/generate/shop/manifest.js';
import { localStore } from '../../workers/io/local-store.js';
import { readNdjsonGz } from '../../workers/io/ndjson-gz.js';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { writeShop } from '../../workers/generate/write-shop.js';

const test = suite('generator manifest = validate report');
let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'conservation-'));
});
test.after(async () => rm(root, { recursive: true, force: true }));

interface Quarantined {
  readonly source_key: string;
  readonly line?: number;
  readonly index?: number;
  readonly reasons: ReadonlyArray<{ readonly code: string }>;
}

const BATCH = 'b-conservation';

/** Quarantined rows per source key, as `position:codes` strings, from the lake. */
const quarantinedRows = async (lake: string): Promise<Map<string, string[]>> => {
  const store = localStore(lake);
  const out = new Map<string, string[]>();
  for (const kind of KINDS) {
    if ((await store.readSmall(quarantineRowsKey(BATCH, kind))) === undefined) continue;
    for await (const r of readNdjsonGz(await store.read(quarantineRowsKey(BATCH, kind)))) {
      const q = r as Quarantined;
      const codes = [...new Set(q.reasons.map((x) => x.code))].sort();
      out.set(q.source_key, [...(out.get(q.source_key) ?? []), `${q.line ?? q.index}:${codes.join('+')}`]);
    }
  }
  return out;
};

const expectSame = (report: ValidationReport, manifest: GeneratorManifest): void => {
  assert.is(report.verdict, manifest.verdict);
  assert.equal(report.kinds, manifest.kinds);
  assert.equal(report.reason_counts, manifest.reason_counts);
  assert.equal(
    report.files.map((f) => f.key),
    manifest.files.map((f) => f.key),
  );
  for (const [i, f] of report.files.entries()) {
    const m = manifest.files[i]!;
    assert.is(f.rows_read, f.rows_cleaned + f.rows_quarantined, `${f.key}: conservation`);
    assert.is(f.rows_read, m.rows, `${f.key}: rows read`);
    assert.is(f.rows_quarantined, m.file_reason === undefined ? m.quarantined.length : m.rows, `${f.key}: rows quarantined`);
    assert.is(f.file_reason?.code, m.file_reason, `${f.key}: file reason`);
    assert.equal(f.reason_counts, m.reason_counts, `${f.key}: reason counts`);
  }
};

let n = 0;
test('law: every file conserves its rows, and quarantined rows are exactly the injected ones', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.string({ minLength: 1, maxLength: 8 }),
        items: fc.integer({ min: 1, max: 400 }),
        parts: fc.integer({ min: 1, max: 4 }),
        format: fc.constantFrom('csv', 'json', 'ndjson', 'mixed' as const),
        gz: fc.boolean(),
        defectRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
        fileDefect: fc.option(fc.constantFrom(...FILE_REASON_CODES), { freq: 4 }),
      }),
      async (a) => {
        const dir = join(root, `shop-${n}`);
        const lake = join(root, `lake-${n++}`);
        const { fileDefect, ...shop } = a;
        const manifest = await writeShop({
          ...shop,
          ...(fileDefect === null ? {} : { fileDefect }),
          startMicros: Date.UTC(2024, 0, 1) * 1000,
          days: 365,
          out: dir,
          maxRejectRate: 0.05,
          args: {},
        });
        const report = await validateBatch({ source: localStore(dir), lake: localStore(lake), batchId: BATCH, maxRejectRate: 0.05 });
        expectSame(report, manifest);
        const seen = await quarantinedRows(lake);
        for (const f of manifest.files) {
          const expected = f.quarantined.map((q) => `${q.line ?? q.index}:${q.codes.join('+')}`);
          assert.equal(seen.get(f.key) ?? [], expected, `${f.key}: quarantined rows`);
        }
        await rm(dir, { recursive: true, force: true });
        await rm(lake, { recursive: true, force: true });
      },
    ),
    { numRuns: Number(process.env.CONSERVATION_RUNS ?? 40) },
  );
});

const run = promisify(execFile);
test('CLIs: the report of a generated batch with defects has the manifest\'s counts', async () => {
  for (const [defectRate, verdict, exit] of [['0.01', 'ACCEPTED', 0], ['0.08', 'REJECTED', 2]] as const) {
    const dir = join(root, `cli-${defectRate}`);
    const lake = join(root, `cli-lake-${defectRate}`);
    await run('node', ['dist/generate.js', '--items', '3000', '--out', dir, '--parts', '3', '--format', 'mixed', '--gz', '--defect-rate', defectRate]);
    const code = await run('node', ['dist/validate.js', '--input', dir, '--out', lake, '--batch-id', BATCH]).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    const manifest = JSON.parse(await readFile(join(dir, 'generator-manifest.json'), 'utf8')) as GeneratorManifest;
    const report = JSON.parse(await readFile(join(lake, 'reports', BATCH, 'validation.json'), 'utf8')) as ValidationReport;
    assert.is(manifest.verdict, verdict);
    assert.ok(Object.keys(manifest.reason_counts).length >= 6);
    assert.is(code, exit);
    expectSame(report, manifest);
  }
});

test.run();
