// Pure EMF documents (workers/core/metrics.ts): the spec's shape, and that the figures are the
// report's, summed and maxed as the verdict sees them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { emfDocument, METRICS_NAMESPACE, transformMetrics, validationMetrics, type TransformFigures } from '../../workers/core/metrics.js';
import { KINDS } from '../../workers/core/records.js';
import type { KindReport, ValidationReport } from '../../workers/core/report.js';
import { dimensionsOf, emfProblems, metricNames } from '../support/emf.js';

const kindReport = fc.tuple(fc.nat(10_000), fc.nat(10_000), fc.nat(20)).map(([cleaned, quarantined, files]): KindReport => ({
  files,
  rows_read: cleaned + quarantined,
  rows_cleaned: cleaned,
  rows_quarantined: quarantined,
  reject_rate: cleaned + quarantined === 0 ? 0 : quarantined / (cleaned + quarantined),
}));

const report = fc.record({ products: kindReport, orders: kindReport, order_items: kindReport, quarantinedFiles: fc.nat(3), accepted: fc.boolean() })
  .map(({ quarantinedFiles, accepted, ...kinds }): ValidationReport => ({
    batch_id: 'b-1',
    verdict: accepted ? 'ACCEPTED' : 'REJECTED',
    reasons: [],
    max_reject_rate: 0.05,
    kinds,
    files: Array.from({ length: quarantinedFiles }, (_, i) => ({
      key: `orders/${i}.csv`, kind: 'orders' as const, format: 'csv', rows_read: 0, rows_cleaned: 0, rows_quarantined: 0, reason_counts: {},
      file_reason: { code: 'unreadable' as never, message: 'x' },
    })),
    reason_counts: {},
    order_dates: [],
    published: accepted,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:00:01.000Z',
  }));

const RUN = { pipeline: 'shop-dev-pipeline', timestamp: 1_767_225_600_000, durationMs: 1234, bytesRead: 5678 };

test('a document has the EMF shape: _aws.Timestamp, one directive naming the dimensions and metrics, values at top level', () => {
  const doc = emfDocument(RUN.timestamp, { Pipeline: 'p', Stage: 'validate' }, [{ name: 'RowsRead', unit: 'Count', value: 3 }], { batch_id: 'b' });
  assert.equal(doc, {
    _aws: { Timestamp: RUN.timestamp, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['Pipeline', 'Stage']], Metrics: [{ Name: 'RowsRead', Unit: 'Count' }] }] },
    batch_id: 'b',
    Pipeline: 'p',
    Stage: 'validate',
    RowsRead: 3,
  });
  assert.equal(emfProblems(doc), []);
  assert.equal(emfProblems(JSON.parse(JSON.stringify(doc))), [], 'survives its JSON line');
});

test('a name used twice, a non-finite value or no metric at all is refused', () => {
  assert.throws(() => emfDocument(0, { Stage: 'x' }, [{ name: 'Stage', unit: 'Count', value: 1 }]), /twice/);
  assert.throws(() => emfDocument(0, {}, [{ name: 'A', unit: 'Count', value: 1 }, { name: 'A', unit: 'Count', value: 2 }]), /twice/);
  assert.throws(() => emfDocument(0, {}, [{ name: 'A', unit: 'None', value: Number.NaN }]), /NaN/);
  assert.throws(() => emfDocument(0, {}, []), /metrics/);
});

test('property: validation metrics are valid EMF; per-kind rows sum to the batch; the batch reject rate is the largest kind\'s', () => {
  fc.assert(fc.property(report, (r) => {
    const docs = validationMetrics(r, RUN);
    for (const d of docs) assert.equal(emfProblems(d), []);
    const perKind = docs.filter((d) => 'Kind' in d);
    const [batch] = docs.filter((d) => !('Kind' in d));
    assert.equal(perKind.map((d) => d['Kind']), [...KINDS]);
    for (const d of perKind) {
      assert.equal(dimensionsOf(d), { Pipeline: RUN.pipeline, Stage: 'validate', Kind: d['Kind'] });
      const k = r.kinds[d['Kind'] as (typeof KINDS)[number]];
      assert.equal([d['RowsRead'], d['RowsCleaned'], d['RowsQuarantined'], d['RejectRate']], [k.rows_read, k.rows_cleaned, k.rows_quarantined, k.reject_rate]);
    }
    for (const m of ['RowsRead', 'RowsCleaned', 'RowsQuarantined'])
      assert.is(batch![m], perKind.reduce((s, d) => s + (d[m] as number), 0), m);
    assert.is(batch!['RejectRate'], Math.max(...KINDS.map((k) => r.kinds[k].reject_rate)));
    assert.is(batch!['FilesQuarantined'], r.files.length);
    assert.is((batch!['BatchesAccepted'] as number) + (batch!['BatchesRejected'] as number), 1);
    assert.is(batch!['BatchesAccepted'], r.verdict === 'ACCEPTED' ? 1 : 0);
    assert.equal([batch!['Duration'], batch!['BytesRead'], batch!['batch_id']], [RUN.durationMs, RUN.bytesRead, r.batch_id]);
  }));
});

test('transform metrics: KPI rows written and deleted over both tables, revenue in integer cents, valid EMF', () => {
  const figures: TransformFigures = {
    batch_id: 'b-2',
    dates_recomputed: ['2025-03-08', '2025-03-09'],
    rows: { order: { written: 2, deleted: 1 }, category: { written: 7, deleted: 3 } },
    counts: { orders_counted: 40, items_counted: 90 },
    analytics: { bytes: 4096 },
    summary: { total_orders: 40, total_revenue: 1234.57 },
  };
  const [doc, ...rest] = transformMetrics(figures, RUN);
  assert.equal(rest, []);
  assert.equal(emfProblems(doc), []);
  assert.equal(dimensionsOf(doc!), { Pipeline: RUN.pipeline, Stage: 'transform' });
  assert.equal(metricNames(doc!).sort(), ['BatchesTransformed', 'BytesWritten', 'DatesRecomputed', 'Duration', 'ItemsCounted', 'KpiRowsDeleted', 'KpiRowsWritten', 'Orders', 'OrdersCounted', 'RevenueCents']);
  assert.equal(
    [doc!['KpiRowsWritten'], doc!['KpiRowsDeleted'], doc!['RevenueCents'], doc!['Orders'], doc!['DatesRecomputed'], doc!['BytesWritten']],
    [9, 4, 123_457, 40, 2, 4096],
  );
  assert.ok(Number.isInteger(doc!['RevenueCents']), '1234.57 * 100 is not an integer in floating point; the metric is');
});

test.run();
