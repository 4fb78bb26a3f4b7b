// Where a date's recompute hands over what it has settled: the latest version of every order of
// the date, their items, and the date's KPI rows. The compacted snapshot (snapshot-sink.ts) is one
// such sink; anything else that must see exactly the latest versions of a date (the analytics
// Parquet of DESIGN §13) is another, opened at the same place in compute-kpis.ts.
import type { KpiRows } from '../core/kpi-rows.js';

export interface DateSink {
  /**
   * The latest versions of the date's orders, once, before any item: cleaned order lines as byte
   * strings (latin1-decoded UTF-8, see core/kpi-input.ts), each with its version's `seq` as last field.
   */
  orders(lines: ReadonlyArray<string>): Promise<void>;
  /** The items of those versions, a chunk at a time, in the same form. */
  items(lines: ReadonlyArray<string>): Promise<void>;
  /** The date's KPI rows (both empty when no order is left on the date); the sink finishes its writes. */
  close(rows: KpiRows): Promise<void>;
  abort(error: Error): Promise<void>;
}

/** Several sinks fed as one; each call waits for all of them (backpressure). */
export const allSinks = (sinks: ReadonlyArray<DateSink>): DateSink => ({
  orders: async (lines) => {
    await Promise.all(sinks.map((s) => s.orders(lines)));
  },
  items: async (lines) => {
    await Promise.all(sinks.map((s) => s.items(lines)));
  },
  close: async (rows) => {
    await Promise.all(sinks.map((s) => s.close(rows)));
  },
  abort: async (error) => {
    await Promise.all(sinks.map((s) => s.abort(error)));
  },
});
