// How the shop writes values: prices with the float noise of a FLOAT32 column exported through
// FLOAT64 (TheLook: `5.9499998092651367`), and every timestamp form DESIGN §3 accepts.

/** `%.17g` as C and BigQuery print a double: 17 significant digits, trailing zeros dropped. */
export const g17 = (x: number): string => {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const text = x.toPrecision(17);
  return text.includes('e') || !text.includes('.') ? text : text.replace(/0+$/, '').replace(/\.$/, '');
};

/** A whole-cent price as a FLOAT32 column stores it (so its text carries float noise). */
export const float32Price = (cents: number): number => Math.fround(cents / 100);

export type TimestampForm =
  | 'bq' //           2024-01-16 18:54:22 UTC
  | 'bq_micros' //    2024-01-16 18:54:22.861251 UTC
  | 'py' //           2024-01-16 18:54:22+00:00
  | 'plain' //        2024-01-16 18:54:22            (no zone: UTC)
  | 'iso' //          2024-01-16T18:54:22            (no zone: UTC)
  | 'iso_z' //        2024-01-16T18:54:22Z
  | 'iso_millis_z' // 2024-01-16T18:54:22.861Z
  | 'iso_offset'; //  2024-01-16T20:54:22+02:00     (same instant, local time of another zone)

export const TIMESTAMP_FORMS: ReadonlyArray<TimestampForm> = [
  'bq',
  'bq_micros',
  'py',
  'plain',
  'iso',
  'iso_z',
  'iso_millis_z',
  'iso_offset',
];

/** Offsets used by `iso_offset`, in minutes east of UTC. */
const OFFSETS: ReadonlyArray<number> = [120, -300, 330, -480, 60];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Formats an instant given in microseconds since the epoch. Forms without fractional seconds
 * truncate to the second: the shop keeps its timestamps at least minutes apart, so truncation
 * never reorders two of them.
 */
export const formatTimestamp = (micros: number, form: TimestampForm): string => {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  switch (form) {
    case 'bq':
      return `${date} ${time} UTC`;
    case 'bq_micros':
      return `${date} ${time}.${pad(((micros % 1_000_000) + 1_000_000) % 1_000_000, 6)} UTC`;
    case 'py':
      return `${date} ${time}+00:00`;
    case 'plain':
      return `${date} ${time}`;
    case 'iso':
      return `${date}T${time}`;
    case 'iso_z':
      return `${date}T${time}Z`;
    case 'iso_millis_z':
      return iso;
    case 'iso_offset': {
      const offset = OFFSETS[Math.floor(millis / 1000) % OFFSETS.length] ?? 0;
      const local = new Date(millis + offset * 60_000).toISOString();
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      return `${local.slice(0, 19)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
    }
  }
};
