/**
 * The Edit Filters walk driven through the workbench's own quick inputs in
 * the real extension host: the test finds each step through the test API,
 * picks items or puts text in it, and presses Enter with the workbench's
 * accept command. Keystroke typing is the Playwright test's job (this host
 * has no command that types into a quick input).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import type { AuditEvent } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';

const until = untilWithin(60_000, 25);

const KEY = 'sk-admin-filter-editor-0123456789abcdef';
const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';

type Item = vscode.QuickPickItem & { value?: string };

describe('explorer filter editor', function () {
  this.timeout(120_000);
  let api: TestApi;
  let server: FakeAuditLogServer;
  let events: AuditEvent[];
  const store = () => api.services.store;
  let previous: vscode.QuickInput | undefined;

  /** The next step's quick input (a new one, whose title has `title`). */
  const step = async <Q extends vscode.QuickInput>(title: string): Promise<Q> => {
    const input = await until(`the step "${title}"`, () => {
      const p = api.explorer.filterPrompt;
      return p && p !== previous && p.title?.includes(title) ? p : undefined;
    });
    previous = input;
    return input as Q;
  };
  /**
   * Presses Enter in the workbench. The extension host sends a quick input's
   * changes to the workbench on its next tick; the echoes of the items this
   * test set (or a short pause when the workbench sends none) come first.
   */
  const accept = async (echo?: Promise<unknown>): Promise<void> => {
    await Promise.race([echo ?? new Promise((r) => setTimeout(r, 0)), new Promise((r) => setTimeout(r, 1_000))]);
    await vscode.commands.executeCommand(ACCEPT);
  };
  const echoOf = (event: vscode.Event<unknown>): Promise<void> =>
    new Promise((resolve) => {
      const sub = event(() => {
        sub.dispose();
        resolve();
      });
    });
  const choose = async (qp: vscode.QuickPick<Item>, items: Item[]): Promise<void> => {
    if (qp.canSelectMany) {
      const echo = echoOf(qp.onDidChangeSelection);
      qp.selectedItems = items;
      await accept(echo);
    } else {
      const echo = echoOf(qp.onDidChangeActive);
      qp.activeItems = items;
      await accept(echo);
    }
  };
  const enter = async (box: vscode.InputBox, value: string): Promise<void> => {
    box.value = value;
    await accept();
  };

  before(async () => {
    events = generateSampleOrganization({ seed: 23, eventCount: 120 }).events as unknown as AuditEvent[];
    server = await startFakeAuditLogServer({ events, apiKey: KEY });
    await setting('apiBaseUrl', server.url);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await freshArchive();
    if (store().isSample) await vscode.commands.executeCommand(Commands.exitSampleOrganization);
    await api.services.keyStore.set(KEY);
    await store().ready();
    await store().setFilters({});
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().events.length, 100);
  });

  after(async () => {
    await restoreArchiveSettings();
    if (api?.explorer.filterPrompt) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await store()?.setFilters({});
    await api?.services.keyStore.delete();
    await setting('apiBaseUrl', undefined);
    await server?.close();
  });

  it('walks the five steps: a custom range (bad dates refused with a message), a type, a project plus one typed in, actors, resources', async () => {
    const type = store().events[0]!.event.type;
    const projectId = store().events.map((e) => (e.event.project as { id?: string } | undefined)?.id).find(Boolean)!;
    const running = vscode.commands.executeCommand(Commands.editFilters);

    // 1/5: the time range, "Any time" focused as the current choice.
    const time = await step<vscode.QuickPick<Item>>('(1/5)');
    assert.equal(time.activeItems[0]?.label, 'Any time');
    await choose(time, [time.items.find((i) => i.label === 'Custom range…')!]);

    const start = await step<vscode.InputBox>('Start');
    await enter(start, '2020-13-45');
    await until('the bad-date message', () => typeof start.validationMessage === 'string' && start.validationMessage);
    assert.equal(start.validationMessage, 'Not a date, date and time, or Unix seconds.');
    assert.equal(api.explorer.filterPrompt, start, 'refused: still asking for the start');
    await enter(start, '2020-01-01');

    const end = await step<vscode.InputBox>('End');
    await enter(end, '2019-06-30');
    await until('the end-before-start message', () => typeof end.validationMessage === 'string' && end.validationMessage);
    assert.match(String(end.validationMessage), /^The end is before the start \(since 2020-01-01 00:00 UTC\)\.$/);
    assert.equal(api.explorer.filterPrompt, end);
    await enter(end, '2030-01-01 12:00');

    // 2/5: event types, every known type grouped by family; the loaded ones say so.
    const types = await step<vscode.QuickPick<Item>>('(2/5)');
    assert.equal(types.canSelectMany, true);
    assert.ok(types.items.filter((i) => i.value).length >= 145, 'every known type is offered');
    assert.ok(types.items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && i.label === 'api_key'));
    const typeItem = types.items.find((i) => i.value === type)!;
    assert.equal(typeItem.description, 'loaded');
    await choose(types, [typeItem]);

    // 3/5: projects seen in the loaded events, plus one typed in.
    const projects = await step<vscode.QuickPick<Item>>('(3/5)');
    const projectItem = projects.items.find((i) => i.value === projectId)!;
    const other = projects.items.find((i) => i.label.includes('Add a project id'))!;
    await choose(projects, [projectItem, other]);
    const typedProject = await step<vscode.InputBox>('(3/5)');
    await enter(typedProject, 'proj_typed_in, proj_second');

    const actors = await step<vscode.InputBox>('(4/5)');
    await enter(actors, 'user_abc, someone@example.com');
    const resources = await step<vscode.InputBox>('(5/5)');
    const before = server.requests.length;
    await enter(resources, 'key_1 key_2');
    await running;

    assert.deepEqual(store().filters, {
      time: { kind: 'custom', start: Date.UTC(2020, 0, 1) / 1000, end: Date.UTC(2030, 0, 1, 12) / 1000 },
      eventTypes: [type],
      projectIds: [projectId, 'proj_typed_in', 'proj_second'],
      actorIds: ['user_abc'],
      actorEmails: ['someone@example.com'],
      resourceIds: ['key_1', 'key_2'],
    });
    const sent = server.requests.slice(before).filter((r) => r.path.endsWith('/organization/audit_logs'));
    assert.equal(sent.length, 1, 'one request for the first page');
    const q = sent[0]!.query;
    assert.deepEqual(q['effective_at[gte]'], [String(Date.UTC(2020, 0, 1) / 1000)]);
    assert.deepEqual(q['effective_at[lte]'], [String(Date.UTC(2030, 0, 1, 12) / 1000)]);
    assert.deepEqual(q['event_types[]'], [type]);
    assert.deepEqual(q['project_ids[]'], [projectId, 'proj_typed_in', 'proj_second']);
    assert.deepEqual(q['actor_ids[]'], ['user_abc']);
    assert.deepEqual(q['actor_emails[]'], ['someone@example.com']);
    assert.deepEqual(q['resource_ids[]'], ['key_1', 'key_2']);
    // Nothing filtered client-side: what the view shows is exactly what the server returned.
    assert.ok(store().events.every((e) => e.event.type === type));
  });

  it('opens on the current filters, and Escape at any step changes nothing', async () => {
    const before = store().filters;
    const requests = server.requests.length;
    const running = vscode.commands.executeCommand(Commands.editFilters);
    const time = await step<vscode.QuickPick<Item>>('(1/5)');
    assert.match(time.activeItems[0]?.description ?? '', /^\(current: 2020-01-01 00:00 UTC – 2030-01-01 12:00 UTC\)$/);
    await choose(time, [time.items.find((i) => i.label === 'Last 7 days')!]);
    const types = await step<vscode.QuickPick<Item>>('(2/5)');
    assert.deepEqual(types.selectedItems.map((i) => i.value), before.eventTypes, 'the current types are ticked');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
    assert.deepEqual(store().filters, before);
    assert.equal(server.requests.length, requests, 'no reload');
  });
});
