/**
 * One decision for "does this event have changes?": the tree's context menu
 * (Show Changes), the panel's diff section and its Open in Diff Editor button
 * all come from core `hasChanges`, so they cannot disagree.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasChanges } from '../../../src/core/analysis/changes';
import { hasChangesRequested, parseAuditLogPage, type AuditEvent } from '../../../src/core/model';
import { eventContextValue, eventFacets } from '../../../src/views/contextValues';
import { toEventView } from '../../../src/webviews/eventDetails/viewModel';
import { allTypesEvents, pageText } from '../model/fixtures';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
};

/** Whether the Events tree's context menu shows Show Changes for a node with this context value. */
function menuShowsChanges(contextValue: string): boolean {
  const entry = manifest.contributes.menus['view/item/context']!.find((m) => m.command === 'openaiAuditLogs.showChanges');
  assert.ok(entry?.when, 'Show Changes is in the item context menu');
  const m = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(entry.when);
  assert.ok(m, entry.when);
  return new RegExp(m[1]!).test(contextValue);
}

const ipAllowlistUpdated: AuditEvent = {
  id: 'audit_log-ip1',
  type: 'ip_allowlist.updated',
  effective_at: 1_720_000_000,
  actor: { type: 'session', session: { user: { id: 'user-1', email: 'admin@example.com' } } },
  'ip_allowlist.updated': { id: 'ipal_1', allowed_ips: ['203.0.113.0/24'] },
};

describe('hasChanges: one decision for the tree and the panel', () => {
  it('an ip_allowlist.updated (fields at the top of its detail, no changes_requested) has changes in the tree and the panel', () => {
    assert.equal(hasChangesRequested(ipAllowlistUpdated), false, 'the old tree test said no');
    assert.equal(hasChanges(ipAllowlistUpdated), true);
    const contextValue = eventContextValue(eventFacets(ipAllowlistUpdated));
    assert.match(contextValue, /^oal:event:changes\b/);
    assert.equal(menuShowsChanges(contextValue), true);
    assert.equal(toEventView({ event: ipAllowlistUpdated, raw: JSON.stringify(ipAllowlistUpdated) }).hasChanges, true);
  });

  it('agrees for one event of every one of the 145 types, and for updates without a payload', () => {
    const events = [
      ...allTypesEvents(),
      { id: 'a', type: 'project.updated', effective_at: 1, 'project.updated': { id: 'p', changes_requested: {} } },
      { id: 'b', type: 'project.updated', effective_at: 1, 'project.updated': { id: 'p', changes_requested: null } },
      { id: 'c', type: 'ip_allowlist.updated', effective_at: 1, 'ip_allowlist.updated': { id: 'x' } },
      { id: 'd', type: 'project.deleted', effective_at: 1, 'project.deleted': { id: 'p', changes_requested: { x: 1 } } },
    ];
    let withChanges = 0;
    for (const parsed of parseAuditLogPage(pageText(events)).data) {
      const panel = toEventView(parsed).hasChanges;
      const tree = menuShowsChanges(eventContextValue(eventFacets(parsed.event)));
      assert.equal(tree, panel, parsed.event.type);
      assert.equal(panel, hasChanges(parsed.event), parsed.event.type);
      if (panel) withChanges++;
    }
    assert.ok(withChanges >= 10, `${withChanges} of the types have changes`);
  });
});
