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

test.run();
