import * as assert from 'node:assert/strict';
import { HostMessageSchema, panelStateOf, parsePageMessage, parsePanelState } from '../../../src/webviews/eventDetails/protocol';
import { computeChanges, toEventView } from '../../../src/webviews/eventDetails/viewModel';
import type { ParsedEvent } from '../../../src/core/model';

describe('event details protocol', () => {
  it('accepts exactly the allowlisted page messages', () => {
    for (const type of ['ready', 'copyJson', 'copyId', 'openJson', 'openDiff', 'showHistory', 'togglePin']) {
      assert.deepEqual(parsePageMessage({ type }), { type });
    }
    assert.deepEqual(parsePageMessage({ type: 'openEvent', eventId: 'audit_log-1' }), { type: 'openEvent', eventId: 'audit_log-1' });
  });

  it('refuses anything else: unknown types, extra fields, wrong shapes, oversized ids', () => {
    for (const bad of [
      undefined,
      null,
      'ready',
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'copyJson', text: 'x' },
      { type: 'openEvent' },
      { type: 'openEvent', eventId: 7 },
      { type: 'openEvent', eventId: 'a'.repeat(10_000) },
      { type: 'openEvent', eventId: '' },
    ]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });

  it('restores only well-formed stored ids', () => {
    assert.deepEqual(parsePanelState({ eventId: 'e', effectiveAt: 1, type: 'project.updated' }), { eventId: 'e', effectiveAt: 1, type: 'project.updated' });
    assert.equal(parsePanelState({ eventId: 'e' }), undefined);
    // Anything else a state might carry (an older build's pin flag, event data) is dropped.
    assert.deepEqual(parsePanelState({ eventId: 'e', effectiveAt: 1, type: 't', pinned: true, project: { name: 'x' } }), { eventId: 'e', effectiveAt: 1, type: 't' });
    assert.equal(parsePanelState(undefined), undefined);
  });

  it('stores for a restore exactly the three ids that find the event again, no event data', () => {
    const raw = '{"id":"audit_log-9","type":"project.updated","effective_at":1750000200,"actor":{"type":"session","session":{"user":{"email":"ada@example.com"}}},"project":{"id":"proj_1","name":"Atlas"},"project.updated":{"id":"proj_1","changes_requested":{"title":"Atlas Prime"}}}';
    const state = panelStateOf(JSON.parse(raw));
    assert.deepEqual(state, { eventId: 'audit_log-9', effectiveAt: 1_750_000_200, type: 'project.updated' });
    assert.deepEqual(Object.keys(state).sort(), ['effectiveAt', 'eventId', 'type']);
    assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(state))), state);
  });

  it('builds host messages that match their own schema, for a hostile, unknown-typed event', () => {
    const raw = '{"id":"e1","type":"widget.updated","effective_at":5,"project":{"id":"p","name":"<img src=x onerror=alert(1)>"},"widget.updated":{"id":"w","changes_requested":{"__proto__":{"x":1},"size":2}},"brand_new":true}';
    const parsed: ParsedEvent = { event: JSON.parse(raw), raw };
    const view = toEventView(parsed);
    assert.equal(view.project?.name, '<img src=x onerror=alert(1)>');
    assert.equal(view.knownType, false);
    assert.equal(view.hasChanges, true);
    assert.deepEqual(Object.keys(view.extra), ['brand_new']);
    assert.ok(HostMessageSchema.safeParse({ type: 'event', event: view, pinned: false, state: panelStateOf(parsed.event) }).success);
    const changes = computeChanges(parsed.event, undefined, 'offline');
    assert.ok(HostMessageSchema.safeParse({ type: 'changes', eventId: 'e1', changes }).success);
    assert.equal(changes.state, 'ready');
    if (changes.state === 'ready') {
      assert.ok(changes.rows.every((r) => r.before.kind === 'unknown'), 'without earlier events nothing is guessed');
      assert.match(changes.note ?? '', /offline/);
    }
  });
});
