/**
 * Findings (issue 13) in the real extension host against the loopback API: a planted scenario (the sample
 * organization with its incident) synced from the fake server gives exactly the findings the rules say,
 * with their event ids; the view groups them by severity, opens their events, marks them reviewed and
 * filters the Events view to one; auto refresh that brings a new high finding notifies and badges.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import { NO_FILTERS } from '../../src/core/analysis/filters';
import type { AuditArchive } from '../../src/core/archive';
import { effectiveRules, FindingsEngine, listFindings, type Finding } from '../../src/core/findings';
import { parseAuditLogPage, type AuditEvent } from '../../src/core/model';
import { ATTACKER_IP, INCIDENT_INVITE_EMAIL } from '../../src/core/sample/incidents';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { invisibleCharacters } from '../../src/core/text/invisibleCharacters';
import type { TestApi } from '../../src/extension';
import type { FindingsNode } from '../../src/findings/findingNodes';
import type { ListedFinding } from '../../src/findings/registerFindings';
import { untilWithin } from '../harness/until';
import { restoreArchiveSettings, startCleanWithKey } from './freshArchive';
import { setting } from './settings';

const KEY = 'sk-admin-findings-integration-0123456789abcdef';
const HOSTILE_EMAIL = 'evil\u202Etxt.exe\n](command:workbench.action.quit) <img src=x onerror=alert(1)>@x.example';
const until = untilWithin(60_000);
type Plain = AuditEvent & { actor?: { session?: { ip_address?: string } } };

const listFindingsCommand = () => Promise.resolve(vscode.commands.executeCommand<ListedFinding[]>(Commands.listFindings));

/**
 * What the rules find over `events`, computed by the core engine on its own over a memory archive (the
 * expectation). The archive class comes from the extension's own instance: importing it here would bundle
 * a second copy of the SQLite engine, whose WebAssembly file the test bundle does not carry.
 */
async function expectedFindings(events: readonly object[], Archive: typeof AuditArchive): Promise<Finding[]> {
  const archive = await Archive.open(':memory:');
  try {
    archive.commitWindow(parseAuditLogPage(JSON.stringify({ object: 'list', data: events, first_id: null, last_id: null, has_more: false })).data);
    new FindingsEngine(effectiveRules({}, []).rules).evaluate(archive);
    return archive.readSql((sql) => listFindings(sql));
  } finally {
    archive.close();
  }
}

describe('findings', function () {
  this.timeout(180_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: Plain[];
  const store = () => api.services.store;
  const hooks = () => api.findings;
  const ids = (pick: (e: Plain) => boolean) => events.filter(pick).map((e) => e.id).sort();
  const ipOf = (e: Plain) => e.actor?.session?.ip_address ?? '';

  before(async () => {
    const sample = generateSampleOrganization({ seed: 23, eventCount: 400 }).events as unknown as Plain[];
    // A finding whose title is filled from a hostile value: bidi override, a line break, link and markup syntax.
    const hostile = { type: 'session', session: { user: { id: 'user_hostile', email: HOSTILE_EMAIL }, ip_address: '192.0.2.66' } };
    events = [...sample, { id: 'audit_log-findings-hostile', type: 'scim.disabled', effective_at: sample[10]!.effective_at, actor: hostile, 'scim.disabled': { id: 'org' } } as Plain];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    await setting('maxRetries', 0);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await store().exitSample();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const k of ['autoRefreshSeconds', 'apiBaseUrl', 'maxRetries', 'findings.notify']) await setting(k, undefined);
    await store().setFilters(NO_FILTERS);
    await restoreArchiveSettings();
    await vscode.commands.executeCommand(Commands.deleteArchive, { confirm: true });
    await api?.services.keyStore.delete();
    await server?.close();
  });

  beforeEach(async () => {
    server.setEvents(events);
    await setting('autoRefreshSeconds', undefined);
    await startCleanWithKey(api, KEY, { sync: true });
  });

  it('a synced planted scenario gives exactly the rules\' findings, with the incident\'s event ids, in the contract\'s shape', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    const listed = await listFindingsCommand();
    const expected = await expectedFindings(events, store().archive!.constructor as typeof AuditArchive);
    assert.deepEqual(listed, expected.map((f) => ({ id: f.id, rule: f.rule, severity: f.severity, title: f.title, eventIds: f.eventIds, firstSeen: f.firstSeen, lastSeen: f.lastSeen, reviewed: false })));
    for (const f of listed) assert.deepEqual(Object.keys(f).sort(), ['eventIds', 'firstSeen', 'id', 'lastSeen', 'reviewed', 'rule', 'severity', 'title']);

    const one = (rule: string) => {
      const found = listed.filter((f) => f.rule === rule);
      return found;
    };
    const failures = ids((e) => e.type === 'login.failed' && /^2001:db8:0:bad::4[1-6]$/.test(ipOf(e)));
    const login = ids((e) => e.type === 'login.succeeded' && ipOf(e) === ATTACKER_IP);
    const deletions = ids((e) => e.type === 'api_key.deleted' && String((e['api_key.deleted'] as { id: string }).id).startsWith('key_incident'));
    const invite = ids((e) => e.type === 'invite.sent' && (e['invite.sent'] as { data?: { email?: string } }).data?.email === INCIDENT_INVITE_EMAIL);
    assert.deepEqual([failures.length, login.length, deletions.length, invite.length], [6, 1, 12, 1], 'the planted incident is on the server');
    assert.deepEqual(one('credential-stuffing').map((f) => [f.severity, [...f.eventIds].sort()]), [['medium', failures]]);
    assert.deepEqual(one('brute-force-success').map((f) => [f.severity, [...f.eventIds].sort()]), [['high', [...failures, ...login].sort()]]);
    assert.deepEqual(one('mass-deletion').map((f) => [f.severity, [...f.eventIds].sort()]), [['high', deletions]]);
    assert.ok(one('new-country-for-actor').some((f) => f.eventIds.join() === login.join()), 'the login from a new country');
    const owner = listed.find((f) => f.eventIds.join() === invite.join());
    assert.deepEqual([owner?.rule, owner?.severity], ['admin-role-granted', 'critical']);
    assert.match(owner!.title, new RegExp(`granted to ${INCIDENT_INVITE_EMAIL.replace(/\./g, '\\.')}`));
  });

  it('the view: severity groups, a finding\'s events open the details panel, Mark as Reviewed folds it away (kept with who and when), Filter Events to This Finding', async () => {
    await vscode.commands.executeCommand(Commands.syncArchive);
    await listFindingsCommand();
    const provider = hooks().provider;
    const roots = provider.getChildren();
    assert.deepEqual(roots.map((n) => (n.kind === 'severity' ? n.severity : n.kind)), ['critical', 'high', 'medium', 'low']);
    const labels = roots.map((n) => provider.getTreeItem(n)).map((i) => [i.label, i.description]);
    assert.equal(labels[0]![0], 'Critical');

    const mass = roots.flatMap((n) => provider.getChildren(n)).find((n) => n.kind === 'finding' && n.finding.rule === 'mass-deletion') as Extract<FindingsNode, { kind: 'finding' }>;
    assert.ok(mass, 'the mass deletion under High');
    const rows = provider.getChildren(mass);
    assert.equal(rows.length, 12);
    const row = provider.getTreeItem(rows[0]!);
    assert.equal(row.label, 'api_key.deleted');
    assert.equal(row.command?.command, Commands.openEvent);
    await vscode.commands.executeCommand(row.command!.command, ...(row.command!.arguments ?? []));
    const firstId = (rows[0] as Extract<FindingsNode, { kind: 'event' }>).eventId;
    await until('the details panel on the finding\'s event', () => api.eventDetails.activePanel?.eventId === firstId);

    assert.equal(provider.getTreeItem(mass).contextValue, 'oal:finding:open');
    await vscode.commands.executeCommand(Commands.markFindingReviewed, mass);
    const listed = await listFindingsCommand();
    assert.equal(listed.find((f) => f.id === mass.finding.id)?.reviewed, true);
    const stored = hooks().controller.list().find((f) => f.id === mass.finding.id)!;
    assert.match(stored.reviewedBy ?? '', /\(OS user\)$/);
    assert.ok(Math.abs((stored.reviewedAt ?? 0) - Date.now() / 1000) < 120);
    const after = provider.getChildren();
    const reviewedGroup = after.find((n) => n.kind === 'reviewed');
    assert.ok(reviewedGroup && provider.getChildren(reviewedGroup).some((n) => n.kind === 'finding' && n.finding.id === mass.finding.id), 'folded into Reviewed');
    assert.equal(provider.getTreeItem(reviewedGroup).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok(!after.filter((n) => n.kind === 'severity').flatMap((n) => provider.getChildren(n)).some((n) => n.kind === 'finding' && n.finding.id === mass.finding.id));

    // Every row is one line of plain text: no direction controls, no line breaks, no link syntax.
    const everyRow = provider.getChildren().flatMap((g) => provider.getChildren(g).flatMap((f) => [f, ...provider.getChildren(f)]));
    const hostileRow = everyRow.find((n) => n.kind === 'finding' && n.finding.eventIds.includes('audit_log-findings-hostile'));
    assert.ok(hostileRow, 'the hostile finding is shown');
    for (const n of everyRow) {
      const item = provider.getTreeItem(n);
      for (const text of [item.label, item.description, item.tooltip].map((t) => String(t ?? ''))) {
        assert.doesNotMatch(text, invisibleCharacters(''), text);
        if (text !== String(item.tooltip ?? '')) assert.doesNotMatch(text, /[\r\n]/u, text);
        assert.doesNotMatch(text, /\]\(/u, text);
      }
    }
    assert.match(String(provider.getTreeItem(hostileRow).label), /<img src=x/, 'markup stays visible as text');

    await vscode.commands.executeCommand(Commands.filterToFinding, mass);
    await until('the filters', () => store().filters.eventTypes?.join() === 'api_key.deleted');
    assert.deepEqual(store().filters.time, { kind: 'custom', start: mass.finding.firstSeen, end: mass.finding.lastSeen });
    await until('the filtered events', () => store().status !== 'loading' && store().events.length === 12 && store().events);
    assert.deepEqual(store().events.map((e) => e.event.id).sort(), [...mass.finding.eventIds].sort());
  });

  it('auto refresh that brings a new high finding notifies (with Show) and badges the view; findings.notify off stays quiet', async () => {
    const first = (await vscode.commands.executeCommand(Commands.syncArchive)) as { newest: number };
    await listFindingsCommand();
    const badgeBefore = hooks().view.badge?.value ?? 0;
    const notified: string[][] = [];
    const sub = hooks().controller.onDidNotify((found) => notified.push(found.map((f) => f.rule)));
    const actor = { type: 'session', session: { user: { id: 'user_it', email: 'it@acme.example' }, ip_address: '192.0.2.1' } };
    const quiet = { id: 'audit_log-findings-quiet', type: 'scim.disabled', effective_at: first.newest + 5, actor, 'scim.disabled': { id: 'org' } };
    const loud = { id: 'audit_log-findings-loud', type: 'scim.disabled', effective_at: first.newest + 10, actor, 'scim.disabled': { id: 'org' } };
    try {
      await setting('findings.notify', 'off');
      server.setEvents([...events, quiet]);
      await setting('autoRefreshSeconds', 10);
      await until('the quiet event', () => store().getEvent(quiet.id));
      await until('its finding', async () => (await listFindingsCommand()).some((f) => f.eventIds.includes(quiet.id)));
      assert.deepEqual(notified, [], 'off: no notification');

      await setting('findings.notify', 'high');
      server.setEvents([...events, quiet, loud]);
      await until('the notification', () => notified.length > 0, 90_000);
      assert.deepEqual(notified, [['scim-disabled']]);
      const badge = await until('the badge', () => (hooks().view.badge?.value ?? 0) >= badgeBefore + 2 && hooks().view.badge);
      assert.equal(badge.value, badgeBefore + 2, 'both new high findings count, notified or not');
    } finally {
      sub.dispose();
      await setting('autoRefreshSeconds', undefined);
      await setting('findings.notify', undefined);
      store().clearNewEvents();
    }
  });
});
