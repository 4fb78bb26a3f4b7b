// The KPI store port: the two KPI tables of DESIGN §6, read by key and changed date by date.
// Adapters: DynamoDB (dynamo-kpi-store.ts) and files in a lake (blob-kpi-store.ts, for run-local).
import type { KpiChange } from '../core/kpi-change.js';
import type { CategoryKpiRow, KpiRows } from '../core/kpi-rows.js';

export interface KpiChangeResult {
  readonly put: number;
  readonly deleted: number;
}

export interface KpiStore {
  /** For logs and reports. */
  readonly describe: string;
  /** Every stored row of these dates, both tables (category rows through the `by_date` index). */
  rowsOfDates(dates: ReadonlyArray<string>): Promise<KpiRows>;
  /** One category's rows, optionally between two dates (inclusive), sorted by date. */
  rowsOfCategory(category: string, from?: string, to?: string): Promise<ReadonlyArray<CategoryKpiRow>>;
  /** The whole state, sorted by key. */
  allRows(): Promise<KpiRows>;
  /** Writes every row of `change.put` and deletes its stale keys. */
  apply(change: KpiChange): Promise<KpiChangeResult>;
}
