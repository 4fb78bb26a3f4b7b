// A small shop rendered to in-memory CSV part files: the same model (shopEmissions) as the CLI,
// without the file system, for the scheduled generator Lambda, which uploads the parts as they are.
import { COLUMNS } from './shop/columns.js';
import { csvHeader, csvRecord } from './shop/encode.js';
import { shopEmissions, type ShopConfig } from './shop/shop-model.js';
import { KINDS, type Kind } from '../core/records.js';

export interface RenderedPart {
  /** Relative to the shop root: `<kind>/part-00000.csv`. */
  readonly key: string;
  readonly kind: Kind;
  readonly body: string;
  readonly rows: number;
}

const keyOf = (kind: Kind, part: number): string => `${kind}/part-${String(part).padStart(5, '0')}.csv`;

/** Parts in processing order (products, orders, items; parts ascending), each a whole CSV text. */
export const renderShop = (config: ShopConfig): ReadonlyArray<RenderedPart> => {
  const lines = new Map<string, { kind: Kind; part: number; records: string[] }>();
  for (const e of shopEmissions(config)) {
    const key = keyOf(e.kind, e.part);
    const entry = lines.get(key) ?? { kind: e.kind, part: e.part, records: [] };
    entry.records.push(csvRecord(COLUMNS[e.kind], e.row));
    lines.set(key, entry);
  }
  return [...lines.entries()]
    .sort(([, a], [, b]) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.part - b.part)
    .map(([key, { kind, records }]) => ({
      key,
      kind,
      body: `${[csvHeader(COLUMNS[kind]), ...records].join('\n')}\n`,
      rows: records.length,
    }));
};
