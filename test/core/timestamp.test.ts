import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseTimestamp, utcDateOf } from '../../workers/core/timestamp.js';

test('every form of DESIGN §3 normalises to UTC ISO with milliseconds', () => {
  const cases: Array<[string, string]> = [
    ['2025-03-08T00:31:27', '2025-03-08T00:31:27.000Z'],
    ['2025-03-08T00:31:27Z', '2025-03-08T00:31:27.000Z'],
    ['2025-03-08T00:31:27.5Z', '2025-03-08T00:31:27.500Z'],
    ['2025-03-08T00:31:27.123456', '2025-03-08T00:31:27.123Z'],
    ['2025-03-08T01:31:27+02:00', '2025-03-07T23:31:27.000Z'],
    ['2025-03-07T23:31:27-01:30', '2025-03-08T01:01:27.000Z'],
    ['2025-03-08T00:31:27.25+00:00', '2025-03-08T00:31:27.250Z'],
    ['2024-01-16 18:54:22', '2024-01-16T18:54:22.000Z'],
    ['2024-01-16 18:54:22 UTC', '2024-01-16T18:54:22.000Z'],
    ['2024-01-16 18:54:22.123456 UTC', '2024-01-16T18:54:22.123Z'],
    ['2024-01-16 18:54:22+00:00', '2024-01-16T18:54:22.000Z'],
    ['2024-01-16 18:54:22.9+00:00', '2024-01-16T18:54:22.900Z'],
    ['2024-02-29 00:00:00', '2024-02-29T00:00:00.000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
  ];
  for (const [input, expected] of cases) assert.is(parseTimestamp(input), expected, input);
  assert.is(utcDateOf(parseTimestamp('2025-03-08T01:31:27+02:00')!), '2025-03-07');
});

test('calendar-invalid and malformed timestamps are rejected', () => {
  for (const bad of [
    '2025-02-30 00:00:00', '2023-02-29T00:00:00', '2025-13-01T00:00:00', '2025-04-31T00:00:00', '2025-01-01T24:00:00',
    '2025-01-01T00:60:00', '2025-01-01T00:00:60', '2025-01-01', '2025-01-01T00:00', '2025/01/01 00:00:00',
    '2025-01-01T00:00:00.', '2025-01-01T00:00:00 EST', '2025-01-01T00:00:00+0200', '2025-01-01T00:00:00+24:00',
    'not a date', '20250101T000000', '2025-01-01X00:00:00', '2025-01-01T00:00:00Zjunk',
  ])
    assert.is(parseTimestamp(bad), undefined, bad);
});

test('property: agrees with Date on every valid zoned ISO instant', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
      (instant, offset) => {
        const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        assert.is(parseTimestamp(`${local}${zone}`), instant.toISOString());
      },
    ),
  );
});

// The offset arithmetic against Date (the former implementation) at the edges: every year the
// output form can hold, offsets up to 23:59, month and year ends.
test('property: an offset timestamp gives what Date gives, years 0000-9999, offsets to 23:59', () => {
  const viaDate = (y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number, offset: number): string | undefined => {
    const local = new Date(0);
    local.setUTCFullYear(y, mo - 1, d);
    local.setUTCHours(h, mi, sec, ms);
    const iso = new Date(local.getTime() - offset * 60_000).toISOString();
    return iso.length === 24 ? iso : undefined;
  };
  const p2 = (v: number) => String(v).padStart(2, '0');
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 9999, 2000, 1900)),
      fc.integer({ min: 1, max: 12 }),
      fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constantFrom(29, 30, 31)),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 999 }),
      fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
      (y, mo, d, h, mi, ms, offset) => {
        const abs = Math.abs(offset);
        const text = `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:07.${String(ms).padStart(3, '0')}${offset < 0 ? '-' : '+'}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
        const valid = d <= new Date(Date.UTC(2000, mo, 0)).getUTCDate() && !(mo === 2 && d === 29 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0));
        assert.is(parseTimestamp(text), valid ? viaDate(y, mo, d, h, mi, 7, ms, offset) : undefined, text);
      },
    ),
    { numRuns: 5000 },
  );
});

test.run();
