/**
 * The custom range's typed times, with the clock pinned and the zone chosen:
 * local time (tests set TZ and restore it) or UTC, words, durations.
 */
import * as assert from 'node:assert/strict';
import { describeZone, formatTimeInput, parseTimeInput } from '../../../src/core/analysis/filters';

/** 2026-12-01 13:14:15 UTC, a Tuesday. */
const NOW_MS = Date.UTC(2026, 11, 1, 13, 14, 15);
const utc = (...p: [number, number, number, number?, number?, number?]) => Date.UTC(p[0], p[1] - 1, p[2], p[3] ?? 0, p[4] ?? 0, p[5] ?? 0) / 1000;

function inZone<T>(tz: string, body: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('parseTimeInput: the custom range', () => {
  const at = (text: string, zone: 'utc' | 'local' = 'utc') => parseTimeInput(text, { zone, nowMs: NOW_MS });

  it('reads Unix seconds and dates in UTC, a zone in the text winning', () => {
    assert.equal(at('1700000000'), 1_700_000_000);
    assert.equal(at('2024-01-02'), utc(2024, 1, 2));
    assert.equal(at('2024-01-02 03:04'), utc(2024, 1, 2, 3, 4));
    assert.equal(at('2024-01-02T03:04:05+0100'), utc(2024, 1, 2, 2, 4, 5));
    assert.equal(at('2024-01-02 03:04 UTC', 'local'), utc(2024, 1, 2, 3, 4));
    assert.equal(at('2024-01-02 03:04z', 'local'), utc(2024, 1, 2, 3, 4));
    assert.equal(at('2024-01-02 03:04 -08:00'), utc(2024, 1, 2, 11, 4));
    // Without options, as before: UTC, the real clock.
    assert.equal(parseTimeInput('2024-01-02'), utc(2024, 1, 2));
  });

  it('reads a date/time without a zone in local time when asked, across a DST change', () => {
    inZone('America/New_York', () => {
      assert.equal(at('2024-01-02 03:04', 'local'), utc(2024, 1, 2, 8, 4), 'EST is UTC-5');
      assert.equal(at('2024-07-02 03:04', 'local'), utc(2024, 7, 2, 7, 4), 'EDT is UTC-4');
      assert.equal(at('2024-01-02', 'local'), utc(2024, 1, 2, 5));
      assert.equal(at('2024-01-02 03:04 UTC', 'local'), utc(2024, 1, 2, 3, 4));
      assert.equal(at('2024-01-02 03:04', 'utc'), utc(2024, 1, 2, 3, 4));
    });
    inZone('Asia/Kolkata', () => assert.equal(at('2024-01-02 00:00', 'local'), utc(2024, 1, 1, 18, 30)));
  });

  it('reads today, yesterday and now: the day starts in the zone', () => {
    assert.equal(at('now'), Math.floor(NOW_MS / 1000));
    assert.equal(at('today'), utc(2026, 12, 1));
    assert.equal(at(' Yesterday '), utc(2026, 11, 30));
    inZone('Pacific/Auckland', () => {
      // 13:14 UTC on Dec 1 is 02:14 on Dec 2 in Auckland (UTC+13 in summer).
      assert.equal(at('today', 'local'), utc(2026, 12, 1, 11));
      assert.equal(at('yesterday', 'local'), utc(2026, 11, 30, 11));
    });
    inZone('America/Los_Angeles', () => assert.equal(at('today', 'local'), utc(2026, 12, 1, 8)));
  });

  it('reads durations back from now', () => {
    const now = Math.floor(NOW_MS / 1000);
    assert.equal(at('7d'), now - 7 * 86_400);
    assert.equal(at('24h'), now - 86_400);
    assert.equal(at('30m'), now - 1_800);
    assert.equal(at('2w'), now - 14 * 86_400);
    assert.equal(at('3 days ago'), now - 3 * 86_400);
    assert.equal(at('1 hour'), now - 3_600);
    assert.equal(at('90 MIN ago'), now - 5_400);
  });

  it('refuses what it cannot read, rather than guessing', () => {
    for (const bad of ['', '   ', 'tomorrowish', '2020-13-45', '2021-02-29', '2024-01-02 24:00', '2024-01-02 10:60', '2024-01-02 03:04 +25:00', '7y', '-7d', '1969-12-31', '999999999d', '2024/01/02']) {
      assert.equal(at(bad), undefined, bad);
    }
    assert.equal(at('2024-02-29'), utc(2024, 2, 29), 'a leap day is a day');
  });
});

describe('formatTimeInput and describeZone: what the box shows and says', () => {
  it('writes a time so that the same zone reads it back, seconds only when there are some', () => {
    assert.equal(formatTimeInput(utc(2025, 1, 31, 14), 'utc'), '2025-01-31 14:00 UTC');
    assert.equal(formatTimeInput(utc(2025, 1, 31, 14, 0, 9), 'utc'), '2025-01-31 14:00:09 UTC');
    inZone('Europe/Berlin', () => {
      assert.equal(formatTimeInput(utc(2025, 1, 31, 14), 'local'), '2025-01-31 15:00');
      for (const s of [utc(2025, 1, 31, 14), utc(2025, 7, 1, 0, 0, 1), 0]) {
        for (const zone of ['utc', 'local'] as const) assert.equal(parseTimeInput(formatTimeInput(s, zone), { zone }), s, `${s} ${zone}`);
      }
    });
  });

  it('names the zone: UTC, or the local zone with its offset now', () => {
    assert.equal(describeZone('utc', NOW_MS), 'UTC');
    inZone('Europe/Berlin', () => assert.equal(describeZone('local', NOW_MS), 'local time, Europe/Berlin (UTC+01:00)'));
    inZone('America/St_Johns', () => assert.equal(describeZone('local', NOW_MS), 'local time, America/St_Johns (UTC−03:30)'));
  });
});
