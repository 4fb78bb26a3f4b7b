// The validate worker as a function: read a batch's files from the landing store, validate every
// row (workers/core), route rows to the cleaned zone or quarantine, decide the verdict, publish or
// quarantine, and write reports/<batch>/validation.json. Importable without side effects:
// main.ts wraps it as a CLI, run-local calls it in-process.
//
// Memory: products and orders keep their keys in Maps (they grow with products and orders);
// items keep only a 63-bit fingerprint per id (FingerprintSet); cleaned and quarantined rows go
// through bounded gzip spill files, so nothing grows with items but that fingerprint table.
import * as E from 'fp-ts/lib/Either.js';
import { batchIdOf, type BatchManifest } from '../core/manifest.js';
import { claimKey, validateItem } from '../core/batch-checks.js';
import { FingerprintSet } from '../core/fingerprint-set.js';
import { IdMap } from '../core/id-map.js';
import { cleanItemLine } from '../core/item-fast.js';
import { cleanOrderLine } from '../core/order-fast.js';
import { jsonString } from '../core/json-text.js';
import { quarantineFileKey, quarantineFileReasonKey, quarantineRowsKey, validationReportKey } from '../core/lake-layout.js';
import type { RowReason } from '../core/reasons.js';
import { KINDS, type Kind } from '../core/records.js';
import { summariseKinds, totalReasonCounts, verdictOf, type FileReport, type ValidationReport } from '../core/report.js';
import { decodeOrder, decodeProduct, type RawValues } from '../core/row-codecs.js';
import { headerReason, repeatedKeysReason } from '../core/header.js';
import type { Reasons } from '../core/validation.js';
import type { BlobStore } from '../io/blob-store.js';
import { loadCatalog, readBatchRecord } from '../io/catalog.js';
import type { Logger } from '../io/log.js';
import { publishBatch, type CleanedPartition } from '../io/publish.js';
import { quarantinedFileReason, quarantinedRowLine } from '../io/quarantine.js';
import { positionKindOf, readRows, showFormat, type PositionKind, type RowSink } from '../io/readers/index.js';
import { SpillWriters } from '../io/spill.js';

export interface Progress {
  readonly file: string;
  readonly rows: number;
  /** Input bytes read so far (after decompression). */
  readonly bytes: number;
}

export interface ValidateBatchOptions {
  /** The landing store: keys `orders/…`, `order_items/…`, `products/…`. */
  readonly source: BlobStore;
  /** The lake store: cleaned/, quarantine/, reports/. */
  readonly lake: BlobStore;
  /** The exact files of the batch; without it, everything under the three prefixes. */
  readonly manifest?: BatchManifest;
  /** Overrides the manifest's id; default batchIdOf(files). */
  readonly batchId?: string;
  readonly maxRejectRate: number;
  readonly now?: () => Date;
  /** Called between input chunks (never per row). */
  readonly onProgress?: (progress: Progress) => void;
  readonly log?: Logger;
  /**
   * Delete a rejected batch's inputs from `source` once they are in quarantine and the report is
   * written, so the next upload does not join them. For a landing bucket; a local input
   * directory is never modified.
   */
  readonly moveRejectedInputs?: boolean;
}

interface InputFile {
  readonly key: string;
  readonly kind: Kind | null;
}

const kindOfKey = (key: string): Kind | null => KINDS.find((k) => key.startsWith(`${k}/`)) ?? null;

const byKindThenKey = (a: InputFile, b: InputFile): number => {
  const ka = a.kind === null ? KINDS.length : KINDS.indexOf(a.kind);
  const kb = b.kind === null ? KINDS.length : KINDS.indexOf(b.kind);
  return ka !== kb ? ka - kb : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
};

const isRecord = (v: unknown): v is RawValues => typeof v === 'object' && v !== null && !Array.isArray(v);
const NOT_AN_OBJECT: Reasons = [{ code: 'INVALID_TYPE', field: '$row', message: 'the row is not a JSON object' }];

/** Files of the batch: the manifest's, or a listing of the three prefixes, in processing order. */
const batchFiles = async (source: BlobStore, manifest: BatchManifest | undefined) => {
  const listed = manifest
    ? manifest.files
    : (await Promise.all(KINDS.map((k) => source.list(`${k}/`)))).flat().map((b) => ({ key: b.key, etag: b.etag }));
  const keys = [...new Set(listed.map((f) => f.key))];
  return { listed, files: keys.map((key) => ({ key, kind: kindOfKey(key) })).sort(byKindThenKey) };
};

const PARTITION = { products: 'products', q: (k: Kind) => `q|${k}` } as const;

export const validateBatch = async (options: ValidateBatchOptions): Promise<ValidationReport> => {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { source, lake, log } = options;
  const { listed, files } = await batchFiles(source, options.manifest);
  if (files.length === 0) throw new Error(`no input files under ${source.root} (orders/, order_items/, products/)`);
  const batchId = options.batchId ?? options.manifest?.batch_id ?? batchIdOf(listed);
  log?.info('validating batch', { batch_id: batchId, files: files.length, source: source.root, lake: lake.root });

  const [catalog, previous] = await Promise.all([loadCatalog(lake, batchId), readBatchRecord(lake, batchId)]);
  const spill = await SpillWriters.create();
  try {
    const products = new Map<string, string>();
    const orders = new IdMap<string>();
    // one string per order date, not one per order (1.3 M orders at 4 M items)
    const dates = new Map<string, string>();
    const sharedDate = (d: string): string => {
      const known = dates.get(d);
      if (known !== undefined) return known;
      dates.set(d, d);
      return d;
    };
    const itemIds = new FingerprintSet(1 << 18);
    const datePartitions = { orders: new Map<string, string>(), order_items: new Map<string, string>() };
    let lastPartition = { kind: '', date: '', id: '' };
    const partitionOf = (kind: 'orders' | 'order_items', date: string): string => {
      if (date === lastPartition.date && kind === lastPartition.kind) return lastPartition.id;
      let id = datePartitions[kind].get(date);
      if (id === undefined) datePartitions[kind].set(date, (id = `${kind}|${date}`));
      lastPartition = { kind, date, id };
      return id;
    };
    let categoriesJson: IdMap<string> | undefined;
    let totalRows = 0;
    let totalBytesBefore = 0;
    const reports: FileReport[] = [];

    for (const file of files) {
      const { key, kind } = file;
      let cleaned = 0;
      let quarantined = 0;
      // known before the first row: quarantined rows of a JSON array carry `index` (DESIGN §4)
      const positionKind: PositionKind = positionKindOf(key);
      const reasonCounts: Record<string, number> = {};
      const added: string[] = [];
      const quarantine = (values: unknown, position: number, reasons: ReadonlyArray<RowReason>) => {
        quarantined++;
        const seen = new Set<string>();
        for (const r of reasons) {
          if (seen.has(r.code)) continue;
          seen.add(r.code);
          reasonCounts[r.code] = (reasonCounts[r.code] ?? 0) + 1;
        }
        spill.append(PARTITION.q(kind!), quarantinedRowLine(batchId, key, positionKind, position, reasons, values));
      };

      const rowOf = (k: Kind): RowSink['row'] => {
        if (k === 'products')
          return (values, position) => {
            if (!isRecord(values)) return quarantine(values, position, NOT_AN_OBJECT);
            const checked = claimKey(decodeProduct(values), (p) => p.id, (id) => !products.has(id));
            if (E.isLeft(checked)) return quarantine(values, position, checked.left);
            products.set(checked.right.id, checked.right.category);
            added.push(checked.right.id);
            spill.append(PARTITION.products, JSON.stringify(checked.right));
            cleaned++;
          };
        if (k === 'orders') {
          const fresh = (id: string) => !orders.has(id);
          const out = { date: '' };
          return (values, position) => {
            if (!isRecord(values)) return quarantine(values, position, NOT_AN_OBJECT);
            const line = cleanOrderLine(values, fresh, out);
            if (line !== undefined) {
              // the fast path parsed the id exactly as decodeOrder does (trimmed text)
              const id = (values.order_id as string).trim();
              orders.set(id, sharedDate(out.date));
              added.push(id);
              spill.append(partitionOf('orders', out.date), line);
              cleaned++;
              return;
            }
            const checked = claimKey(decodeOrder(values), (o) => o.order_id, fresh);
            if (E.isLeft(checked)) return quarantine(values, position, checked.left);
            const order = checked.right;
            orders.set(order.order_id, sharedDate(order.order_date));
            added.push(order.order_id);
            spill.append(partitionOf('orders', order.order_date), JSON.stringify(order));
            cleaned++;
          };
        }
        // Items: the batch's products and the catalog are complete by now; quote categories once.
        if (categoriesJson === undefined) {
          categoriesJson = new IdMap();
          for (const [id, c] of catalog) categoriesJson.set(id, jsonString(c));
          for (const [id, c] of products) categoriesJson.set(id, jsonString(c));
        }
        const quoted = categoriesJson;
        // cleanItemLine looks the order up exactly once per accepted row; keep what it found.
        // Items of one order usually sit together: a one-entry cache skips most Map lookups.
        let lastDate: string | undefined;
        let lastOrder = '';
        let lastOrderDate: string | undefined;
        const fast = {
          orderDate: (id: string) => {
            if (id !== lastOrder) {
              lastOrder = id;
              lastOrderDate = orders.get(id);
            }
            return (lastDate = lastOrderDate);
          },
          categoryJson: (id: string) => quoted.get(id),
          claim: (id: string) => itemIds.add(id),
        };
        const lookups = { orderDate: (id: string) => orders.get(id), category: (id: string) => products.get(id) ?? catalog.get(id) };
        return (values, position) => {
          if (!isRecord(values)) return quarantine(values, position, NOT_AN_OBJECT);
          const line = cleanItemLine(values, fast);
          if (line !== undefined) {
            spill.append(partitionOf('order_items', lastDate!), line);
            cleaned++;
            return;
          }
          const checked = claimKey(validateItem(values, lookups), (i) => i.id, fast.claim);
          if (E.isLeft(checked)) return quarantine(values, position, checked.left);
          // valid, but not in the shape the fast path takes (e.g. JSON numbers as ids)
          spill.append(partitionOf('order_items', checked.right.order_date), JSON.stringify(checked.right));
          cleaned++;
        };
      };

      if (kind === null) {
        reports.push({
          key, kind, format: 'unknown', rows_read: 0, rows_cleaned: 0, rows_quarantined: 0, reason_counts: {},
          file_reason: { code: 'FILE_UNSUPPORTED', message: 'not under products/, orders/ or order_items/' },
        });
        continue;
      }
      const row = rowOf(kind);
      let rowsSeen = 0;
      const fileStarted = Date.now();
      const outcome = await readRows(key, () => source.read(key), {
        columns: (names) => headerReason(kind, names),
        repeatedKeys: (names, position) => repeatedKeysReason(kind, names, `${positionKind === 'index' ? 'element' : 'line'} ${position}`),
        row: (values, position) => {
          rowsSeen++;
          row(values, position);
        },
        ready: (bytesRead) => {
          options.onProgress?.({ file: key, rows: totalRows + rowsSeen, bytes: totalBytesBefore + bytesRead });
          return spill.ready();
        },
      });
      log?.debug('file read', { key, rows: outcome.rows, bytes: outcome.bytes, ms: Date.now() - fileStarted });
      totalRows += outcome.rows;
      totalBytesBefore += outcome.bytes;
      const failed = outcome.fileReason !== undefined;
      if (failed) {
        // The whole file is quarantined: its rows must not stand as valid orders or products.
        const map = kind === 'products' ? products : kind === 'orders' ? orders : undefined;
        for (const id of added) map?.delete(id);
        log?.warn('file quarantined', { key, ...outcome.fileReason });
      }
      reports.push({
        key,
        kind,
        format: outcome.format ? showFormat(outcome.format) : 'unknown',
        rows_read: outcome.rows,
        rows_cleaned: failed ? 0 : cleaned,
        rows_quarantined: failed ? outcome.rows : quarantined,
        ...(outcome.fileReason ? { file_reason: outcome.fileReason } : {}),
        reason_counts: Object.fromEntries(Object.entries(reasonCounts).sort(([a], [b]) => (a < b ? -1 : 1))),
      });
    }

    const mem = process.memoryUsage();
    log?.debug('rows read', { rss: mem.rss, heap_used: mem.heapUsed, external: mem.external, array_buffers: mem.arrayBuffers });
    const finishing = Date.now();
    const spilled = await spill.finish();
    log?.debug('spill finished', { partitions: spilled.length, ms: Date.now() - finishing });
    const kinds = summariseKinds(reports);
    const { verdict, reasons } = verdictOf(reports, kinds, options.maxRejectRate);

    for (const kind of KINDS) {
      const part = spilled.find((p) => p.id === PARTITION.q(kind));
      if (part) await lake.writeStream(quarantineRowsKey(batchId, kind), part.open(), 'application/gzip');
      else await lake.delete([quarantineRowsKey(batchId, kind)]);
    }

    // Whole files quarantined by an earlier run of this batch that this run does not quarantine
    // (e.g. rejected before, accepted now) would only mislead: remove them.
    const quarantinedNow = new Set(
      verdict === 'ACCEPTED' ? [] : reports.flatMap((f) => [quarantineFileKey(batchId, f.key), quarantineFileReasonKey(batchId, f.key)]),
    );
    const staleQuarantine = (await lake.list(quarantineFileKey(batchId, ''))).map((b) => b.key).filter((k) => !quarantinedNow.has(k));
    if (staleQuarantine.length > 0) await lake.delete(staleQuarantine);

    let orderDates: ReadonlyArray<string> = [];
    if (verdict === 'ACCEPTED') {
      const partitions: CleanedPartition[] = spilled.flatMap((data): CleanedPartition[] => {
        if (data.id === PARTITION.products) return [{ kind: 'products', data }];
        const [kind, date] = data.id.split('|') as [string, string];
        return kind === 'orders' || kind === 'order_items' ? [{ kind, orderDate: date, data }] : [];
      });
      const record = await publishBatch({ lake, batchId, partitions, previous, sources: files.map((f) => f.key), now: now() });
      orderDates = record.order_dates;
      log?.debug('published', { partitions: partitions.length, ms: Date.now() - finishing });
    } else {
      for (const f of reports) {
        await lake.copyFrom(source, f.key, quarantineFileKey(batchId, f.key)).catch((error: Error) =>
          log?.warn('could not copy file to quarantine', { key: f.key, error: error.message }),
        );
        await lake.write(quarantineFileReasonKey(batchId, f.key), quarantinedFileReason(batchId, f.key, f.file_reason, reasons), 'application/json');
      }
    }

    const report: ValidationReport = {
      batch_id: batchId,
      verdict,
      reasons,
      max_reject_rate: options.maxRejectRate,
      kinds,
      files: reports,
      reason_counts: totalReasonCounts(reports),
      order_dates: orderDates,
      published: verdict === 'ACCEPTED',
      started_at: startedAt,
      finished_at: now().toISOString(),
    };
    await lake.write(validationReportKey(batchId), `${JSON.stringify(report, null, 2)}\n`, 'application/json');
    if (verdict === 'REJECTED' && options.moveRejectedInputs) await source.delete(reports.map((f) => f.key));
    log?.info('validated batch', { batch_id: batchId, verdict, item_ids: itemIds.size, fingerprint_bytes: itemIds.bytes });
    return report;
  } finally {
    await spill.dispose();
  }
};
