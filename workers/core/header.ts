// Which column names a file must give, and must give once. A CSV header naming a column the
// worker reads twice is ambiguous (which value is meant? csv-parser silently kept the last), so
// the file is refused as FILE_MALFORMED; a repeated column the worker ignores is harmless. A JSON
// object naming one of those members twice is refused the same way (JSON.parse, like most
// parsers, keeps the last; RFC 8259 leaves it undefined).
import type { FileReason } from './reasons.js';
import type { Kind } from './records.js';
import { ITEM, ITEM_COLUMNS } from './rows/item.js';
import { ORDER, ORDER_COLUMNS } from './rows/order.js';
import { PRODUCT, PRODUCT_COLUMNS } from './rows/product.js';

const REQUIRED_COLUMNS: Readonly<Record<Kind, ReadonlyArray<string>>> = { products: PRODUCT_COLUMNS, orders: ORDER_COLUMNS, order_items: ITEM_COLUMNS };
const namesOf = (fields: Readonly<Record<string, { readonly name: string }>>): ReadonlyArray<string> => Object.values(fields).map((f) => f.name);

/** Every column the row rules read (DESIGN §3: required and optional), from the kinds' field tables. */
export const READ_COLUMNS: Readonly<Record<Kind, ReadonlyArray<string>>> = { products: namesOf(PRODUCT), orders: namesOf(ORDER), order_items: namesOf(ITEM) };

/** Names the rules read that `names` gives more than once, in first-repeat order. */
export const repeatedReadColumns = (kind: Kind, names: ReadonlyArray<string>): string[] => {
  const read = READ_COLUMNS[kind];
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const name of names) {
    if (!read.includes(name)) continue;
    if (seen.has(name) && !repeated.includes(name)) repeated.push(name);
    seen.add(name);
  }
  return repeated;
};

const quoted = (names: ReadonlyArray<string>): string => names.map((n) => JSON.stringify(n)).join(', ');

/** A CSV header: a required column missing (FILE_MISSING_COLUMN), else one named twice (FILE_MALFORMED). */
export const headerReason = (kind: Kind, names: ReadonlyArray<string>): FileReason | undefined => {
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !names.includes(c));
  if (missing.length > 0) return { code: 'FILE_MISSING_COLUMN', message: `header lacks required column(s): ${missing.join(', ')}` };
  const repeated = repeatedReadColumns(kind, names);
  if (repeated.length > 0) return { code: 'FILE_MALFORMED', message: `ambiguous header: column(s) ${quoted(repeated)} named more than once` };
  return undefined;
};

/** A JSON object that repeats member names; `where` says which row ("element 3", "line 7"). */
export const repeatedKeysReason = (kind: Kind, names: ReadonlyArray<string>, where: string): FileReason | undefined => {
  const repeated = names.filter((n) => READ_COLUMNS[kind].includes(n));
  return repeated.length === 0 ? undefined : { code: 'FILE_MALFORMED', message: `ambiguous object at ${where}: member(s) ${quoted(repeated)} given more than once` };
};

/**
 * The two name checks a reader's sink makes for a file of `kind` (a RowSink's `columns` and
 * `repeatedKeys`); `positionKind` names the row in a repeated-key message.
 */
export const nameChecks = (kind: Kind, positionKind: 'line' | 'index') => ({
  columns: (names: ReadonlyArray<string>): FileReason | undefined => headerReason(kind, names),
  repeatedKeys: (names: ReadonlyArray<string>, position: number): FileReason | undefined =>
    repeatedKeysReason(kind, names, `${positionKind === 'index' ? 'element' : 'line'} ${position}`),
});
