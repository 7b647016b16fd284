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
import { EVENT_TYPE_FAMILIES } from '../../src/core/analysis/filters';
import { eventFamily } from '../../src/core/model';
import { generateSampleOrganization } from '../../src/core/sample/sampleOrganization';
import { startFakeAuditLogServer, type FakeAuditLogServer } from '../../src/core/sample/loopbackServer';
import { setting } from './settings';
import { freshArchive, restoreArchiveSettings } from './freshArchive';
import { untilWithin } from '../harness/until';
import { actorSuggestions } from '../../src/explorer/filterSuggestions';
import { DirectoryNames } from '../../src/core/directory';

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
    await setting('timeDisplay', undefined);
    if (api?.explorer.filterPrompt) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await store()?.setFilters({});
    await api?.services.keyStore.delete();
    await setting('apiBaseUrl', undefined);
    await server?.close();
  });

  it('walks the five steps: a custom range in UTC (bad dates refused with a message), a family at one click and a type, a project plus one typed in, a listed actor plus typed ones, resources', async () => {
    await setting('timeDisplay', 'utc');
    const type = store().events[0]!.event.type;
    const family = eventFamily(type) === 'role' ? 'api_key' : 'role';
    const familyTypes = EVENT_TYPE_FAMILIES.get(family)!;
    const projectId = store().events.map((e) => (e.event.project as { id?: string } | undefined)?.id).find(Boolean)!;
    const running = vscode.commands.executeCommand(Commands.editFilters);

    // 1/5: the time range, "Any time" focused as the current choice.
    const time = await step<vscode.QuickPick<Item>>('(1/5)');
    assert.equal(time.activeItems[0]?.label, 'Any time');
    await choose(time, [time.items.find((i) => i.label === 'Custom range…')!]);

    const start = await step<vscode.InputBox>('Start');
    assert.match(start.prompt ?? '', /^Start, in UTC: .*today, yesterday, 7d/);
    await enter(start, '2020-13-45');
    await until('the bad-date message', () => typeof start.validationMessage === 'string' && start.validationMessage);
    assert.equal(start.validationMessage, 'Not a date, date and time, word (today, yesterday, now), duration (7d, 24h) or Unix seconds.');
    assert.equal(api.explorer.filterPrompt, start, 'refused: still asking for the start');
    await enter(start, '2020-01-01');

    const end = await step<vscode.InputBox>('End');
    await enter(end, '2019-06-30');
    await until('the end-before-start message', () => typeof end.validationMessage === 'string' && end.validationMessage);
    assert.match(String(end.validationMessage), /^The end is before the start \(since 2020-01-01 00:00 UTC\)\.$/);
    assert.equal(api.explorer.filterPrompt, end);
    await enter(end, '2030-01-01 12:00');

    // 2/5: event types, every known type grouped by family, each family of several opening with
    // its family.* item; the archived ones say how many events they have.
    const types = await step<vscode.QuickPick<Item>>('(2/5)');
    assert.equal(types.canSelectMany, true);
    assert.ok(types.items.filter((i) => i.value && !i.label.endsWith('.*')).length >= 145, 'every known type is offered');
    assert.ok(types.items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && i.label === 'api_key'));
    const typeItem = types.items.find((i) => i.value === type)!;
    const archived = store().archive!.groups({}, 'typeProject').find((g) => g.key === type)!.count;
    assert.equal(typeItem.description, archived === 1 ? '1 event' : `${archived} events`);
    const familyItem = types.items.find((i) => i.label === `${family}.*`)!;
    assert.equal(familyItem.description, `all ${familyTypes.length} types of the family`);
    // One click on the family ticks its members in the open picker.
    const ticked = echoOf(types.onDidChangeSelection);
    types.selectedItems = [familyItem];
    await ticked;
    await until('the family ticked whole', () => familyTypes.every((t) => types.selectedItems.some((i) => i.value === t)));
    await choose(types, [...types.selectedItems, typeItem]);

    // 3/5: projects seen in the loaded events, plus one typed in.
    const projects = await step<vscode.QuickPick<Item>>('(3/5)');
    const projectItem = projects.items.find((i) => i.value === projectId)!;
    const other = projects.items.find((i) => i.label.includes('Add a project id'))!;
    await choose(projects, [projectItem, other]);
    const typedProject = await step<vscode.InputBox>('(3/5)');
    await enter(typedProject, 'proj_typed_in, proj_second');

    // 4/5: the archive's actors, busiest first, plus typed ones.
    const actors = await step<vscode.QuickPick<Item>>('(4/5)');
    assert.equal(actors.canSelectMany, true);
    const actorItem = actors.items.find((i) => i.value?.includes('@'))!;
    assert.match(actorItem.description ?? '', /^\d+ events?/);
    await choose(actors, [actorItem, actors.items.find((i) => i.label.includes('Add an actor not listed'))!]);
    const typedActors = await step<vscode.InputBox>('(4/5)');
    await enter(typedActors, 'user_abc, someone@example.com');
    const resources = await step<vscode.InputBox>('(5/5)');
    const before = server.requests.length;
    await enter(resources, 'key_1 key_2');
    await running;

    const { eventTypes, ...rest } = store().filters;
    assert.deepEqual(new Set(eventTypes), new Set([...familyTypes, type]));
    assert.equal(eventTypes!.length, familyTypes.length + 1);
    assert.deepEqual(rest, {
      time: { kind: 'custom', start: Date.UTC(2020, 0, 1) / 1000, end: Date.UTC(2030, 0, 1, 12) / 1000 },
      projectIds: [projectId, 'proj_typed_in', 'proj_second'],
      actorIds: ['user_abc'],
      actorEmails: [actorItem.value, 'someone@example.com'],
      resourceIds: ['key_1', 'key_2'],
    });
    const sent = server.requests.slice(before).filter((r) => r.path.endsWith('/organization/audit_logs'));
    assert.equal(sent.length, 1, 'one request for the first page');
    const q = sent[0]!.query;
    assert.deepEqual(q['effective_at[gte]'], [String(Date.UTC(2020, 0, 1) / 1000)]);
    assert.deepEqual(q['effective_at[lte]'], [String(Date.UTC(2030, 0, 1, 12) / 1000)]);
    assert.deepEqual(q['event_types[]'], eventTypes);
    assert.deepEqual(q['project_ids[]'], [projectId, 'proj_typed_in', 'proj_second']);
    assert.deepEqual(q['actor_ids[]'], ['user_abc']);
    assert.deepEqual(q['actor_emails[]'], [actorItem.value, 'someone@example.com']);
    assert.deepEqual(q['resource_ids[]'], ['key_1', 'key_2']);
    // Nothing filtered client-side: what the view shows is exactly what the server returned.
    assert.ok(store().events.every((e) => eventTypes!.includes(e.event.type)));
    // The Filtered row reads the family as family.*.
    const filtersRow = (api.explorer.provider.getChildren() as unknown as { id: string }[]).find((n) => n.id === 'filters')!;
    const esc = (t: string) => t.replace(/[.*]/g, '\\$&');
    assert.match(String(api.explorer.provider.getTreeItem(filtersRow as never).description), new RegExp(`types (${esc(`${family}.*`)}, ${esc(type)}|${esc(type)}, ${esc(`${family}.*`)})`));
  });

  it('opens on the current filters, and Escape at any step changes nothing', async () => {
    const before = store().filters;
    const requests = server.requests.length;
    const running = vscode.commands.executeCommand(Commands.editFilters);
    const time = await step<vscode.QuickPick<Item>>('(1/5)');
    assert.match(time.activeItems[0]?.description ?? '', /^\(current: 2020-01-01 00:00 UTC – 2030-01-01 12:00 UTC\)$/);
    await choose(time, [time.items.find((i) => i.label === 'Last 7 days')!]);
    const types = await step<vscode.QuickPick<Item>>('(2/5)');
    const tickedTypes = types.selectedItems.map((i) => i.value!);
    assert.deepEqual(new Set(tickedTypes.filter((v) => !v.startsWith('\u0000'))), new Set(before.eventTypes), 'the current types are ticked');
    assert.equal(tickedTypes.filter((v) => v.startsWith('\u0000family:')).length, 1, 'and the family whose every type is');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
    assert.deepEqual(store().filters, before);
    assert.equal(server.requests.length, requests, 'no reload');
  });

  it('after a filter that matched nothing: projects and actors still come from the archive, by name; typed values and Enter; a range in local time from words; summaries with names', async () => {
    await setting('timeDisplay', undefined);
    await store().setFilters({ projectIds: ['proj_matches_nothing'] });
    await vscode.commands.executeCommand(Commands.refresh);
    assert.equal(store().events.length, 0, 'nothing matches');
    const project = store().archive!.groups({}, 'projectType').find((g) => g.projectId && g.label !== g.projectId)!;
    const running = vscode.commands.executeCommand(Commands.editFilters);

    const time = await step<vscode.QuickPick<Item>>('(1/5)');
    await choose(time, [time.items.find((i) => i.label === 'Custom range…')!]);
    const start = await step<vscode.InputBox>('Start');
    assert.match(start.prompt ?? '', /^Start, in local time, .+ \(UTC[+−]\d\d:\d\d\) \(end it with UTC for UTC\)/);
    await enter(start, 'yesterday');
    const end = await step<vscode.InputBox>('End');
    await enter(end, 'today');
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000;
    const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1).getTime() / 1000;

    const types = await step<vscode.QuickPick<Item>>('(2/5)');
    await choose(types, []);

    // The projects the archive holds, by name, though the current filter returned nothing.
    const projects = await step<vscode.QuickPick<Item>>('(3/5)');
    const projectItem = projects.items.find((i) => i.value === project.projectId)!;
    assert.ok(projectItem, 'the archived project is offered');
    assert.equal(projectItem.label, project.label);
    assert.equal(projectItem.description, project.projectId);
    assert.ok(projects.items.some((i) => i.value === 'proj_matches_nothing' && i.description === 'not seen'), 'the current value is kept, marked');
    await choose(projects, [projectItem]);

    // Actors nobody listed: typed in the filter box, Enter without ticking anything.
    const actors = await step<vscode.QuickPick<Item>>('(4/5)');
    assert.ok(actors.items.filter((i) => i.value && !i.label.includes('Add an actor')).length > 1, 'the archived actors are offered');
    actors.value = 'someone@example.com, user_typed';
    await accept();

    const resources = await step<vscode.InputBox>('(5/5)');
    await enter(resources, '');
    await running;

    assert.deepEqual(store().filters, {
      time: { kind: 'custom', start: yesterday, end: today },
      projectIds: [project.projectId],
      actorIds: ['user_typed'],
      actorEmails: ['someone@example.com'],
    });
    // The Filtered row and the view description name the project; the typed ids stay ids.
    const filtersRow = (api.explorer.provider.getChildren() as unknown as { id: string }[]).find((n) => n.id === 'filters')!;
    const description = String(api.explorer.provider.getTreeItem(filtersRow as never).description);
    assert.ok(description.includes(`project ${project.label}`), description);
    assert.ok(!description.includes(project.projectId!), description);
    assert.ok((api.explorer.view.description ?? '').includes(`project ${project.label}`), api.explorer.view.description);
    await store().setFilters({});
  });

  it('the actor step labels an actor known only by its id with its directory name, the id beside it, the value still the id', () => {
    const source = {
      groups: () => [
        { id: 'actor:svc_1', kind: 'actor' as const, key: 'svc_1', label: 'svc_1', actorId: 'svc_1', count: 3 },
        { id: 'actor:ada', kind: 'actor' as const, key: 'user_ada', label: 'ada@example.com', actorId: 'user_ada', actorEmail: 'ada@example.com', count: 2 },
      ],
    };
    const empty = { users: [], invites: [], groups: [], roles: [], projects: [], projectUsers: [], apiKeys: [], adminApiKeys: [], unavailable: [] };
    const names = new DirectoryNames({ ...empty, readAt: 1, serviceAccounts: [{ id: 'svc_1', name: 'Deploy bot', projectId: 'proj_1', role: 'member' }] });
    const [svc, ada] = actorSuggestions(source, names);
    assert.equal(svc!.label, 'Deploy bot');
    assert.equal(svc!.value, 'svc_1');
    assert.match(svc!.description ?? '', /^3 events · svc_1$/);
    // A user is filtered by email and reads as it: the directory does not rename it.
    assert.equal(ada!.label, 'ada@example.com');
    assert.equal(ada!.value, 'ada@example.com');
    // Without a directory the id is the label, as before.
    assert.equal(actorSuggestions(source, DirectoryNames.EMPTY)[0]!.label, 'svc_1');
  });
});
