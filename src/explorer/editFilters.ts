import * as vscode from 'vscode';
import {
  TIME_PRESETS,
  describeTimeRange,
  describeZone,
  formatTimeInput,
  parseTimeInput,
  splitValues,
  type EventFilters,
  type InputZone,
  type TimePreset,
  type TimeRange,
} from '../core/analysis/filters';
import { askText, pickOne, type PromptTracker } from '../common/prompts';
import { pickMany, type PickManyStep } from './pickMany';
import { actorSuggestions, projectSuggestions, typeSuggestions, type SuggestionSource } from './filterSuggestions';

const STEPS = 5;

export interface FilterEditorOptions {
  /**
   * Where the types, projects and actors offered come from: the archive, everything this window
   * holds (not the current filtered result, so a filter that matched nothing can still be changed).
   */
  readonly archive?: SuggestionSource | undefined;
  /** Where a typed date/time without its own zone is read (the prompt says which). Default local. */
  readonly zone?: InputZone;
  /** Sees each step's quick input while it is open. */
  readonly track?: PromptTracker | undefined;
}

function title(step: number): string {
  return vscode.l10n.t('Edit Filters ({0}/{1})', step, STEPS);
}

async function pickTime(current: TimeRange | undefined, zone: InputZone, track: PromptTracker | undefined): Promise<TimeRange | undefined | null> {
  type Item = vscode.QuickPickItem & { range: TimeRange | undefined | 'custom' };
  const items: Item[] = [
    { label: vscode.l10n.t('Any time'), range: undefined },
    ...(Object.keys(TIME_PRESETS) as TimePreset[]).map((preset) => ({ label: TIME_PRESETS[preset].label, range: { kind: 'preset', preset } as TimeRange })),
    { label: vscode.l10n.t('Custom range…'), description: vscode.l10n.t('dates, times, today, yesterday, 7d, or Unix seconds'), range: 'custom' },
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
  const start = await askTime(vscode.l10n.t('Start'), current?.kind === 'custom' ? current.start : undefined, zone, undefined, track);
  if (start === null) return null;
  const end = await askTime(vscode.l10n.t('End'), current?.kind === 'custom' ? current.end : undefined, zone, start, track);
  if (end === null) return null;
  if (start === undefined && end === undefined) return undefined;
  return { kind: 'custom', ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

/** One end of a custom range; undefined = none, null = cancelled. The clock is read once, so what the box explains is what is kept. */
async function askTime(what: string, value: number | undefined, zone: InputZone, notBefore: number | undefined, track: PromptTracker | undefined): Promise<number | undefined | null> {
  const nowMs = Date.now();
  const read = (v: string) => parseTimeInput(v, { zone, nowMs });
  const prompt =
    zone === 'utc'
      ? vscode.l10n.t('{0}, in UTC: 2025-01-31, 2025-01-31 14:00, today, yesterday, 7d, 24h, now, or Unix seconds. Leave empty for none.', what)
      : vscode.l10n.t('{0}, in {1} (end it with UTC for UTC): 2025-01-31, 2025-01-31 14:00, today, yesterday, 7d, 24h, now, or Unix seconds. Leave empty for none.', what, describeZone(zone, nowMs));
  const text = await askText({
    title: `${title(1)}: ${what}`,
    prompt,
    value: value !== undefined ? formatTimeInput(value, zone) : '',
    validate: (v) => {
      if (v.trim() === '') return undefined;
      const seconds = read(v);
      if (seconds === undefined) return vscode.l10n.t('Not a date, date and time, word (today, yesterday, now), duration (7d, 24h) or Unix seconds.');
      if (notBefore !== undefined && seconds < notBefore) return vscode.l10n.t('The end is before the start ({0}).', describeTimeRange({ kind: 'custom', start: notBefore }));
      return undefined;
    },
    explain: (v) => {
      const seconds = v.trim() === '' ? undefined : read(v);
      if (seconds === undefined) return undefined;
      const local = zone === 'local' ? ` = ${formatTimeInput(seconds, 'local')} ${vscode.l10n.t('local')}` : '';
      return vscode.l10n.t('Reads as {0}{1}', formatTimeInput(seconds, 'utc'), local);
    },
    track,
  });
  if (text === undefined) return null;
  return read(text);
}

function step(n: number, placeholder: string, otherPrompt: string, track: PromptTracker | undefined): PickManyStep {
  return { title: title(n), placeholder, otherPrompt, track };
}

async function askList(n: number, prompt: string, current: readonly string[], track: PromptTracker | undefined): Promise<string[] | null> {
  const text = await askText({ title: title(n), prompt, value: current.join(', '), track });
  return text === undefined ? null : splitValues(text);
}

/**
 * The multi-step filter editor: time range (presets, or a custom range in local time or UTC, words
 * and durations), event types (every known type by family, a family at one click, plus free text),
 * projects and actors (the ones the archive holds, by name, plus free text), resource ids.
 * Resolves with the new filters, or undefined when the user cancels at any step (nothing changes then).
 */
export async function editFiltersInteractively(current: EventFilters, options: FilterEditorOptions = {}): Promise<EventFilters | undefined> {
  const { archive, track } = options;
  const time = await pickTime(current.time, options.zone ?? 'local', track);
  if (time === null) return undefined;

  const eventTypes = await pickMany(
    step(2, vscode.l10n.t('Event types (none selected = all); a family.* item selects its whole family'), vscode.l10n.t('Add a type not in this list…'), track),
    typeSuggestions(archive),
    current.eventTypes ?? [],
  );
  if (eventTypes === null) return undefined;

  const projectIds = await pickMany(
    step(3, vscode.l10n.t('Projects (none selected = all); or type a project id and press Enter'), vscode.l10n.t('Add a project id…'), track),
    projectSuggestions(archive),
    current.projectIds ?? [],
  );
  if (projectIds === null) return undefined;

  const actors = await pickMany(
    step(4, vscode.l10n.t('Actors (none selected = all); or type ids or emails and press Enter'), vscode.l10n.t('Add an actor not listed (user, service account or API key id, or email)…'), track),
    actorSuggestions(archive),
    [...(current.actorIds ?? []), ...(current.actorEmails ?? [])],
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
    // The search is one of the filters: editing the others keeps it (Search… edits it).
    ...(current.query ? { query: current.query } : {}),
  };
}
