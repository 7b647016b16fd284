/**
 * What the details panel is sent stays within MAX_DISPLAY_DEPTH, whatever the
 * event nests: the message serializer and the page's renderer never recurse
 * past it, and the page shows "(too deep to display)" where the rest was.
 */
import * as assert from 'node:assert/strict';
import { resourceHistory } from '../../../src/core/analysis/resourceHistory';
import { parseAuditLogPage } from '../../../src/core/model';
import { isDeeperThan, MAX_DISPLAY_DEPTH, TOO_DEEP_TEXT } from '../../../src/core/text/valueDepth';
import { HostMessageSchema } from '../../../src/webviews/eventDetails/protocol';
import { computeChanges, historyView, toEventView } from '../../../src/webviews/eventDetails/viewModel';

describe('event details view model: deep nesting', function () {
  this.timeout(60_000);
  for (const levels of [3_000, 10_000, 100_000]) {
    it(`sends an event nested ${levels.toLocaleString('en-US')} levels bounded: detail, other fields, changes and history`, () => {
      const deep = '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
      const created = `{"id":"e0","type":"project.created","effective_at":1,"project.created":{"id":"p","data":{"x":${deep},"tags":[]}}}`;
      const updated = `{"id":"e1","type":"project.updated","effective_at":2,"extra_field":${deep},"project.updated":{"id":"p","changes_requested":{"x":${deep},"tags_added":[${deep}]}}}`;
      const page = parseAuditLogPage(`{"object":"list","data":[${updated},${created}],"has_more":false}`);
      const events = page.data.map((p) => p.event);
      const view = toEventView(page.data[0]!);
      const changes = computeChanges(events[0]!, events);
      const history = historyView(resourceHistory('p', events), 'e1', false);
      for (const message of [
        { type: 'event', event: view, pinned: false, state: { eventId: 'e1', effectiveAt: 2, type: 'project.updated' } },
        { type: 'changes', eventId: 'e1', changes },
        { type: 'history', eventId: 'e1', history },
      ]) {
        assert.equal(isDeeperThan(message, MAX_DISPLAY_DEPTH + 6), false, `${message.type} is bounded`);
        const text = JSON.stringify(message);
        assert.ok(text.includes(JSON.stringify(TOO_DEEP_TEXT)), `${message.type} says where it was cut`);
        assert.ok(HostMessageSchema.safeParse(JSON.parse(text)).success, message.type);
      }
      assert.equal(changes.state, 'ready');
    });
  }
});
