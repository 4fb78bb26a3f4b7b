// KPI store as files of a lake: `kpis/order_date=D.json` holds both tables' rows of one day. A
// day is the unit of change (the transform recomputes whole days), so each change rewrites whole
// files atomically and a second run on the same lake sees the first's KPIs.
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { applyChange, type KpiChange } from '../core/kpi-change.js';
import { CategoryKpiRow, type KpiRows, OrderKpiRow, sortRows } from '../core/kpi-rows.js';
import type { BlobStore } from './blob-store.js';
import { mapLimit } from './cleaned-lake.js';
import type { KpiStore } from './kpi-store.js';

const PREFIX = 'kpis/';
const dayKey = (date: string) => `${PREFIX}order_date=${date}.json`;
const DayFile = t.type({ order: t.readonlyArray(OrderKpiRow), category: t.readonlyArray(CategoryKpiRow) });

/** The part of a change on one day, collected as the change is grouped. */
interface DayChange {
  readonly put: { readonly order: OrderKpiRow[]; readonly category: CategoryKpiRow[] };
  readonly deleteOrder: string[];
  readonly deleteCategory: Array<KpiChange['deleteCategory'][number]>;
}

export const blobKpiStore = (lake: BlobStore): KpiStore => {
  const readDay = async (date: string): Promise<KpiRows> => {
    const body = await lake.readSmall(dayKey(date));
    if (body === undefined) return { order: [], category: [] };
    const decoded = DayFile.decode(JSON.parse(body.toString('utf8')));
    if (decoded._tag === 'Left') throw new Error(`bad KPI file ${dayKey(date)}: ${PathReporter.report(decoded).join('; ')}`);
    return decoded.right;
  };
  const rowsOfDates = async (dates: ReadonlyArray<string>): Promise<KpiRows> => {
    const days = await mapLimit(dates, 16, readDay);
    return sortRows({ order: days.flatMap((d) => d.order), category: days.flatMap((d) => d.category) });
  };
  const storedDates = async () =>
    (await lake.list(PREFIX)).flatMap((b) => /order_date=(\d{4}-\d{2}-\d{2})\.json$/.exec(b.key)?.[1] ?? []);
  return {
    describe: `files under ${lake.root.replace(/\/?$/, "/")}${PREFIX}`,
    rowsOfDates,
    allRows: async () => rowsOfDates(await storedDates()),
    rowsOfCategory: async (category, from, to) =>
      (await rowsOfDates((await storedDates()).filter((d) => (!from || d >= from) && (!to || d <= to)))).category.filter(
        (r) => r.category === category,
      ),
    apply: async (change: KpiChange) => {
      // The change grouped by day once: filtering the whole change for each of thousands of days
      // was quadratic (a second of the four-year shop's transform).
      const days = new Map<string, DayChange>();
      const dayOf = (date: string): DayChange => {
        let day = days.get(date);
        if (!day) days.set(date, (day = { put: { order: [], category: [] }, deleteOrder: [], deleteCategory: [] }));
        return day;
      };
      for (const r of change.put.order) dayOf(r.order_date).put.order.push(r);
      for (const r of change.put.category) dayOf(r.order_date).put.category.push(r);
      for (const d of change.deleteOrder) dayOf(d).deleteOrder.push(d);
      for (const k of change.deleteCategory) dayOf(k.order_date).deleteCategory.push(k);
      const dates = [...days.keys()].sort();
      await mapLimit(dates, 8, async (date) => {
        const next = sortRows(applyChange(await readDay(date), days.get(date)!));
        if (next.order.length === 0 && next.category.length === 0) await lake.delete([dayKey(date)]);
        else await lake.write(dayKey(date), `${JSON.stringify(next)}\n`, 'application/json');
      });
      return {
        put: change.put.order.length + change.put.category.length,
        deleted: change.deleteOrder.length + change.deleteCategory.length,
      };
    },
  };
};
