// One input row as the readers hand it over (DESIGN §3): column name to raw value, a CSV string or
// any JSON value; extra columns are ignored.
export type RawValues = Readonly<Record<string, unknown>>;

export const isRawValues = (v: unknown): v is RawValues => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Drops optional fields left empty, so a cleaned record never holds `undefined`. Copies instead
 * of `delete`, which would turn the object into a slow dictionary for JSON.stringify.
 */
export const compact = <A extends Record<string, unknown>>(record: A): A => {
  const out: Record<string, unknown> = {};
  for (const k in record) if (record[k] !== undefined) out[k] = record[k];
  return out as A;
};
