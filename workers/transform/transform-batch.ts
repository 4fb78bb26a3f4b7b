// The transform of one committed batch: compute every touched date's KPIs (nothing written yet),
// replace those dates' rows in the KPI store, write the report, archive the inputs.
import { kpiChange } from '../core/kpi-change.js';
import { transformReportKey } from '../core/lake-layout.js';
import type { BlobStore } from '../io/blob-store.js';
import { compactCatalog, currentCatalog } from '../io/catalog.js';
import type { KpiStore } from '../io/kpi-store.js';
import type { Location } from '../io/location.js';
import type { Logger } from '../io/log.js';
import { archiveInputs, type ArchiveSummary } from './archive.js';
import { type CompactionSummary, computeKpis, type KpiComputation, type KpiCounts } from './compute-kpis.js';
import { analyticsPublisher, type AnalyticsSummary, type Placement } from './publish-analytics.js';

export interface TransformTarget {
  readonly lake: BlobStore;
  readonly store: KpiStore;
  /** Where the batch's sources were read from; without it nothing is archived. */
  readonly landing?: BlobStore;
  /** False for a local input directory: it is copied from, never changed. */
  readonly removeFromLanding: boolean;
  readonly log?: Logger;
  /** Which recomputed dates may be compacted into a snapshot (default all; tests vary it). */
  readonly compact?: (date: string) => boolean;
  /**
   * The location of `lake`: given, the analytics Parquet is built and written on a worker thread
   * that opens the lake there (the second vCPU); without it, on this thread.
   */
  readonly analyticsThread?: Location;
  /** With a thread, which dates it builds (default: lendWhenBehind, a share of those opened while it is behind go inline). */
  readonly analyticsPlacement?: Placement;
}

export interface TransformReport {
  readonly batch_id: string;
  readonly seq: string;
  readonly committed_at: string;
  readonly kpi_store: string;
  readonly dates_recomputed: ReadonlyArray<string>;
  readonly rows: {
    readonly order: { readonly written: number; readonly deleted: number };
    readonly category: { readonly written: number; readonly deleted: number };
  };
  readonly counts: KpiCounts;
  readonly analytics: AnalyticsSummary;
  readonly compaction: CompactionSummary;
  readonly summary: {
    readonly total_orders: number;
    readonly total_items_sold: number;
    readonly total_revenue: number;
    readonly categories: number;
  };
  readonly archive: ArchiveSummary | 'not requested' | 'pending';
  readonly started_at: string;
  readonly finished_at: string;
}

export const transformBatch = async (target: TransformTarget, batchId: string): Promise<TransformReport> => {
  const { lake, store, landing, log } = target;
  const started_at = new Date().toISOString();
  const analytics = analyticsPublisher(lake, target.analyticsThread, target.analyticsPlacement);
  let computed: KpiComputation;
  try {
    computed = await computeKpis(lake, batchId, { ...(log ? { log } : {}), ...(target.compact ? { compact: target.compact } : {}), sink: analytics.sink });
    // every date's Parquet is written before any KPI is: a failed thread fails the transform here
    await analytics.finish();
  } finally {
    await analytics.close();
  }
  // the catalog of every committed batch, read once: the analytics products table, and compacted
  // so that the next runs (validate's catalog too) read one object, not a file per batch
  const catalog = await currentCatalog(lake);
  await analytics.publishProducts(catalog);
  log?.info('analytics published', { ...analytics.summary() });
  const catalogCompacted = await compactCatalog(lake, catalog, batchId);
  log?.debug('catalog', { products: catalog.entries.size, files_read: catalog.read.length, compacted: catalogCompacted });
  log?.info('recomputed', { batch_id: batchId, ...computed.counts });

  const stored = await store.rowsOfDates(computed.dates);
  const change = kpiChange(computed.dates, stored, computed.rows);
  await store.apply(change);
  await computed.publishIndex();
  const compaction = await computed.settle();
  log?.info('KPIs written', { ...compaction, store: store.describe, put: change.put.order.length + change.put.category.length, deleted: change.deleteOrder.length + change.deleteCategory.length });

  const cents = computed.rows.order.reduce((sum, r) => sum + Math.round(r.total_revenue * 100), 0);
  const report = (archive: TransformReport['archive']): TransformReport => ({
    batch_id: batchId,
    seq: computed.batch.seq,
    committed_at: computed.batch.committed_at,
    kpi_store: store.describe,
    dates_recomputed: computed.dates,
    rows: {
      order: { written: change.put.order.length, deleted: change.deleteOrder.length },
      category: { written: change.put.category.length, deleted: change.deleteCategory.length },
    },
    counts: computed.counts,
    analytics: analytics.summary(),
    compaction,
    summary: {
      total_orders: computed.rows.order.reduce((n, r) => n + r.total_orders, 0),
      total_items_sold: computed.rows.order.reduce((n, r) => n + r.total_items_sold, 0),
      total_revenue: cents / 100,
      categories: new Set(computed.rows.category.map((r) => r.category)).size,
    },
    archive,
    started_at,
    finished_at: new Date().toISOString(),
  });
  const write = (r: TransformReport) => lake.write(transformReportKey(batchId), `${JSON.stringify(r, null, 2)}\n`, 'application/json');

  if (!landing) {
    const done = report('not requested');
    await write(done);
    return done;
  }
  // The report exists before archiving starts, so a failure there still leaves the KPIs explained.
  await write(report('pending'));
  const archived = await archiveInputs(lake, landing, computed.batch, target.removeFromLanding);
  log?.info('inputs archived', { ...archived });
  const done = report(archived);
  await write(done);
  return done;
};
