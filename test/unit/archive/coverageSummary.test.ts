import * as assert from 'node:assert/strict';
import { queryBounds, summarizeCoverage } from '../../../src/core/archive/coverageSummary';
import type { CoveredRange } from '../../../src/core/archive';

/** One first sync that reached back to the start of the API's history (0) and up to second 999. */
const SYNCED: readonly CoveredRange[] = [{ gte: 0, lt: 1000 }];

describe('queryBounds', () => {
  it('is unbounded on both sides without a time range', () => {
    assert.deepEqual(queryBounds({}), { low: -Infinity, high: Infinity });
    assert.deepEqual(queryBounds({ eventTypes: ['x'] }), { low: -Infinity, high: Infinity });
  });

  it('turns gte/lt into whole-second bounds [low, high) as they are', () => {
    assert.deepEqual(queryBounds({ effectiveAt: { gte: 200, lt: 300 } }), { low: 200, high: 300 });
  });

  it('makes gt and lte half-open: gt=199 starts at 200, lte=299 ends before 300, fractions included', () => {
    assert.deepEqual(queryBounds({ effectiveAt: { gt: 199, lte: 299 } }), { low: 200, high: 300 });
    assert.deepEqual(queryBounds({ effectiveAt: { gt: 199.5, lte: 299.5 } }), { low: 200, high: 300 });
  });

  it('takes the narrower side when both forms are given', () => {
    assert.deepEqual(queryBounds({ effectiveAt: { gte: 100, gt: 150, lt: 400, lte: 299 } }), { low: 151, high: 300 });
    assert.deepEqual(queryBounds({ effectiveAt: { gte: 180, gt: 150, lt: 250, lte: 299 } }), { low: 180, high: 250 });
  });

  it('leaves an open side open', () => {
    assert.deepEqual(queryBounds({ effectiveAt: { gte: 5 } }), { low: 5, high: Infinity });
    assert.deepEqual(queryBounds({ effectiveAt: { lte: 5 } }), { low: -Infinity, high: 6 });
  });
});

describe('summarizeCoverage', () => {
  describe('empty coverage (nothing synced)', () => {
    it('is never complete and names no "through"; "since" is the range start, else the oldest archived second', () => {
      assert.deepEqual(summarizeCoverage([], {}, 42), { complete: false, since: 42, through: null });
      assert.deepEqual(summarizeCoverage([], {}, null), { complete: false, since: null, through: null });
      assert.deepEqual(summarizeCoverage([], { effectiveAt: { gte: 200, lt: 300 } }, 42), { complete: false, since: 200, through: null });
    });
  });

  describe('an open range (no time filter)', () => {
    it('is complete when the coverage reaches back to 0 and up to the last sync', () => {
      assert.deepEqual(summarizeCoverage(SYNCED, {}, 17), { complete: true, since: 17, through: 1000 });
    });

    it('is not complete when the sync stopped at a `since` (the history before it is unknown)', () => {
      assert.deepEqual(summarizeCoverage([{ gte: 500, lt: 1000 }], {}, 500), { complete: false, since: 500, through: 1000 });
    });

    it('an open start with a closed end needs coverage from 0 to that end', () => {
      assert.equal(summarizeCoverage(SYNCED, { effectiveAt: { lt: 600 } }, 17).complete, true);
      assert.equal(summarizeCoverage([{ gte: 500, lt: 1000 }], { effectiveAt: { lt: 600 } }, 500).complete, false);
    });
  });

  describe('a closed range', () => {
    it('inside one covered interval is complete through its end', () => {
      assert.deepEqual(summarizeCoverage(SYNCED, { effectiveAt: { gte: 200, lt: 300 } }, 17), { complete: true, since: 200, through: 300 });
      assert.deepEqual(summarizeCoverage(SYNCED, { effectiveAt: { gte: 200, lte: 299 } }, 17), { complete: true, since: 200, through: 300 });
    });

    it('starting before a covered interval that began later is not complete', () => {
      assert.deepEqual(summarizeCoverage([{ gte: 500, lt: 1000 }], { effectiveAt: { gte: 400, lt: 600 } }, 500), {
        complete: false,
        since: 400,
        through: 1000,
      });
    });

    it('that is empty (end before start) is trivially complete', () => {
      assert.equal(summarizeCoverage(SYNCED, { effectiveAt: { gte: 300, lt: 200 } }, 17).complete, true);
    });
  });

  describe('a range reaching past the last sync', () => {
    it('is complete up to the last sync, and says so with "through"', () => {
      assert.deepEqual(summarizeCoverage(SYNCED, { effectiveAt: { gte: 900 } }, 17), { complete: true, since: 900, through: 1000 });
      assert.deepEqual(summarizeCoverage(SYNCED, { effectiveAt: { gte: 900, lt: 5000 } }, 17), { complete: true, since: 900, through: 1000 });
    });

    it('a range wholly after the last sync is not complete: nothing of it was ever synced', () => {
      // Export serves a complete range from the archive without a request: this one would be served empty.
      const after = summarizeCoverage(SYNCED, { effectiveAt: { gte: 1500 } }, 17);
      assert.equal(after.complete, false);
      assert.equal(after.since, 1500);
      assert.equal(summarizeCoverage(SYNCED, { effectiveAt: { gte: 1000, lt: 2000 } }, 17).complete, false);
    });
  });

  describe('coverage with gaps', () => {
    // A cancelled first sync: the newest part committed, a resumed one reaching 0 for an older part.
    const GAPPED: readonly CoveredRange[] = [
      { gte: 0, lt: 100 },
      { gte: 200, lt: 1000 },
    ];

    it('an open range over the gap is not complete; "through" is still the newest covered end', () => {
      assert.deepEqual(summarizeCoverage(GAPPED, {}, 3), { complete: false, since: 3, through: 1000 });
    });

    it('a range inside either interval is complete; one that touches the gap is not', () => {
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 10, lt: 90 } }, 3).complete, true);
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 250, lt: 300 } }, 3).complete, true);
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 50, lt: 150 } }, 3).complete, false);
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 150, lt: 250 } }, 3).complete, false);
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 0, lt: 101 } }, 3).complete, false);
    });

    it('a range ending exactly where the gap begins is complete (the bounds are half-open)', () => {
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 0, lt: 100 } }, 3).complete, true);
      assert.equal(summarizeCoverage(GAPPED, { effectiveAt: { gte: 200, lte: 999 } }, 3).complete, true);
    });
  });
});
