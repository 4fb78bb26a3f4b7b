// What one scheduled run writes, decided from the schedule's time alone (pure): a retried
// invocation of the same slot renders the same bytes under the same keys, so S3 gets the same
// ETags and the aggregator the same batch id; a later slot gets new order and item ids.
import { renderShop, type RenderedPart } from '../generate/render-shop.js';
import type { ShopConfig } from '../generate/shop/shop-model.js';
import { MANIFEST_NAME } from '../core/landing-key.js';

/** Item rows per run at most: also the id stride between two runs a second apart. */
export const MAX_ITEMS = 10_000;

/**
 * One catalogue for every run (the generator's `--products-from` idea): the same product rows
 * under the same ids, so items of any run refer to products the lake knows.
 */
export const CATALOGUE = { seed: 'scheduled-catalogue', products: 50, defectRate: 0 } as const;

const DAY_MS = 86_400_000;

export interface RunSettings {
  readonly items: number;
  readonly defectRate: number;
}

export interface ScheduledBatch {
  /** `20241202T002500Z`: names the run's parts and its manifest's folder. */
  readonly stamp: string;
  readonly idOffset: number;
  readonly manifestKey: string;
  /** The `_manifest.json` body: the run's part keys, so they start as one batch once landed. */
  readonly manifestBody: string;
  readonly parts: ReadonlyArray<RenderedPart>;
}

const stampOf = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/**
 * Ids are offset by the run's second since the epoch times MAX_ITEMS (orders and items of a run
 * each number at most MAX_ITEMS), so two runs never share an order or item id; at 10^4 per
 * second the ids stay safe integers for millennia.
 */
export const idOffsetOf = (ms: number): number => Math.floor(ms / 1000) * MAX_ITEMS;

export const shopConfigOf = (ms: number, settings: RunSettings): ShopConfig => ({
  seed: stampOf(ms),
  items: settings.items,
  parts: 1,
  defectRate: settings.defectRate,
  // Orders placed over the day before the run, as a live shop's latest export would hold.
  startMicros: (Math.floor(ms / 1000) * 1000 - DAY_MS) * 1000,
  days: 1,
  idOffset: idOffsetOf(ms),
  catalogFrom: CATALOGUE,
});

export const scheduledBatch = (ms: number, settings: RunSettings): ScheduledBatch => {
  const stamp = stampOf(ms);
  // Flat keys under the kind prefixes, the run's stamp in the file name: `orders/gen-<stamp>-part-00000.csv`.
  const parts = renderShop(shopConfigOf(ms, settings)).map((p) => ({ ...p, key: p.key.replace('/', `/gen-${stamp}-`) }));
  return {
    stamp,
    idOffset: idOffsetOf(ms),
    manifestKey: `generated/${stamp}/${MANIFEST_NAME}`,
    manifestBody: `${JSON.stringify({ keys: parts.map((p) => p.key) })}\n`,
    parts,
  };
};
