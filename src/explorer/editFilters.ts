import * as vscode from 'vscode';
import {
  TIME_PRESETS,
  describeTimeRange,
  parseTimeInput,
  splitValues,
  type EventFilters,
  type TimePreset,
  type TimeRange,
} from '../core/analysis/filters';
import { AUDIT_LOG_EVENT_TYPES, eventFamily, projectOf, type ParsedEvent } from '../core/model';
import { quickPickText } from '../core/text/oneLine';
import { askText, pickOne, pickSome, type PromptTracker } from './prompts';

const STEPS = 5;
const OTHER = '\u0000other';

interface ValueItem extends vscode.QuickPickItem {
  readonly value: string;
}

function title(step: number): string {
  return vscode.l10n.t('Edit Filters ({0}/{1})', step, STEPS);
}

const itemLabel = (text: string): string => quickPickText(text);

async function pickTime(current: TimeRange | undefined, track: PromptTracker | undefined): Promise<TimeRange | undefined | null> {
  type Item = vscode.QuickPickItem & { range: TimeRange | undefined | 'custom' };
  const items: Item[] = [
    { label: vscode.l10n.t('Any time'), range: undefined },
    ...(Object.keys(TIME_PRESETS) as TimePreset[]).map((preset) => ({ label: TIME_PRESETS[preset].label, range: { kind: 'preset', preset } as TimeRange })),
    { label: vscode.l10n.t('Custom range…'), description: vscode.l10n.t('start and end as dates or Unix seconds'), range: 'custom' },
  ];
  let active: Item | undefined;
  for (const item of items) {
    const same = current === undefined ? item.range === undefined : typeof item.range === 'object' && JSON.stringify(item.range) === JSON.stringify(current);
    if (same) {
      item.description = vscode.l10n.t('(current)');
      active = item;
    }
  }
  if (current?.kind === 'custom') {
    active = items[items.length - 1]!;
    active.description = vscode.l10n.t('(current: {0})', describeTimeRange(current));
  }
  const picked = await pickOne(items, { title: title(1), placeholder: vscode.l10n.t('Time range of the events'), ...(active ? { active } : {}), track });
  if (!picked) return null;
  if (picked.range !== 'custom') return picked.range;
  const ask = async (what: string, value: number | undefined, notBefore?: number): Promise<number | undefined | null> => {
    const text = await askText({
      title: `${title(1)}: ${what}`,
      prompt: vscode.l10n.t('{0} (UTC), e.g. 2025-01-31 or 2025-01-31 14:00, or Unix seconds. Leave empty for none.', what),
      value: value !== undefined ? new Date(value * 1000).toISOString().slice(0, 16).replace('T', ' ') : '',
      validate: (v) => {
        if (v.trim() === '') return undefined;
        const seconds = parseTimeInput(v);
        if (seconds === undefined) return vscode.l10n.t('Not a date, date and time, or Unix seconds.');
        if (notBefore !== undefined && seconds < notBefore) return vscode.l10n.t('The end is before the start ({0}).', describeTimeRange({ kind: 'custom', start: notBefore }));
        return undefined;
      },
      track,
    });
    if (text === undefined) return null;
    return parseTimeInput(text);
  };
  const start = await ask(vscode.l10n.t('Start'), current?.kind === 'custom' ? current.start : undefined);
  if (start === null) return null;
  const end = await ask(vscode.l10n.t('End'), current?.kind === 'custom' ? current.end : undefined, start);
  if (end === null) return null;
  if (start === undefined && end === undefined) return undefined;
  return { kind: 'custom', ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

/** A multi-select with an "add a value not listed" entry; null = cancelled. */
async function pickMany(
  step: number,
  placeholder: string,
  items: (ValueItem | vscode.QuickPickItem)[],
  selected: readonly string[],
  otherPrompt: string,
  track: PromptTracker | undefined,
): Promise<string[] | null> {
  const known = new Set(items.filter((i): i is ValueItem => 'value' in i).map((i) => i.value));
  const extra: ValueItem[] = selected.filter((v) => !known.has(v)).map((v) => ({ label: itemLabel(v), description: vscode.l10n.t('not seen'), value: v }));
  const all: (ValueItem | vscode.QuickPickItem)[] = [
    { label: `$(edit) ${otherPrompt}`, value: OTHER, alwaysShow: true } as ValueItem,
    ...extra,
    ...items,
  ];
  const ticked = all.filter((item) => 'value' in item && selected.includes(item.value));
  const picked = await pickSome(all, { title: title(step), placeholder, selected: ticked, track });
  if (!picked) return null;
  const values = picked.filter((i): i is ValueItem => 'value' in i && i.value !== OTHER).map((i) => i.value);
  if (picked.some((i) => 'value' in i && i.value === OTHER)) {
    const text = await askText({ title: title(step), prompt: vscode.l10n.t('{0} (separate several with commas)', otherPrompt), track });
    if (text === undefined) return null;
    for (const v of splitValues(text)) if (!values.includes(v)) values.push(v);
  }
  return values;
}

async function askList(step: number, prompt: string, current: readonly string[], track: PromptTracker | undefined): Promise<string[] | null> {
  const text = await askText({ title: title(step), prompt, value: current.join(', '), track });
  return text === undefined ? null : splitValues(text);
}

/**
 * The multi-step filter editor: time range, event types (all known types by
 * family, plus free text for new ones), projects (seen ones plus free text),
 * actors, resource ids. Resolves with the new filters, or undefined when the
 * user cancels at any step (nothing changes then). `track` sees each step's
 * quick input while it is open.
 */
export async function editFiltersInteractively(current: EventFilters, loaded: readonly ParsedEvent[], track?: PromptTracker): Promise<EventFilters | undefined> {
  const time = await pickTime(current.time, track);
  if (time === null) return undefined;

  const typeItems: (ValueItem | vscode.QuickPickItem)[] = [];
  const seenTypes = new Set(loaded.map((e) => String(e.event.type)));
  const allTypes = [...new Set([...AUDIT_LOG_EVENT_TYPES, ...seenTypes])].sort();
  let family: string | undefined;
  for (const type of allTypes) {
    const f = eventFamily(type);
    if (f !== family) {
      family = f;
      typeItems.push({ label: itemLabel(f), kind: vscode.QuickPickItemKind.Separator });
    }
    typeItems.push({ label: itemLabel(type), value: type, ...(seenTypes.has(type) ? { description: vscode.l10n.t('loaded') } : {}) });
  }
  const eventTypes = await pickMany(2, vscode.l10n.t('Event types (none selected = all)'), typeItems, current.eventTypes ?? [], vscode.l10n.t('Add a type not in this list…'), track);
  if (eventTypes === null) return undefined;

  const projects = new Map<string, string>();
  for (const e of loaded) {
    const p = projectOf(e.event);
    if (p?.id && !projects.has(p.id)) projects.set(p.id, p.name ?? '');
  }
  const projectItems: ValueItem[] = [...projects]
    .sort((a, b) => (a[1] || a[0]).localeCompare(b[1] || b[0]))
    .map(([id, name]) => ({ label: itemLabel(name || id), description: name ? itemLabel(id) : undefined, value: id }));
  const projectIds = await pickMany(3, vscode.l10n.t('Projects (none selected = all)'), projectItems, current.projectIds ?? [], vscode.l10n.t('Add a project id…'), track);
  if (projectIds === null) return undefined;

  const actors = await askList(
    4,
    vscode.l10n.t('Actors: user ids, service-account ids, API key ids or emails, separated by commas (empty = all)'),
    [...(current.actorIds ?? []), ...(current.actorEmails ?? [])],
    track,
  );
  if (actors === null) return undefined;

  const resourceIds = await askList(5, vscode.l10n.t('Resource ids, separated by commas (empty = all)'), current.resourceIds ?? [], track);
  if (resourceIds === null) return undefined;

  return {
    ...(time ? { time } : {}),
    eventTypes,
    projectIds,
    actorIds: actors.filter((a) => !a.includes('@')),
    actorEmails: actors.filter((a) => a.includes('@')),
    resourceIds,
  };
}
