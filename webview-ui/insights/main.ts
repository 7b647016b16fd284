/**
 * The Insights page: the timeline (uPlot), its legend and a table of its buckets, the facets, and state as
 * of. It only shows what the host computed (buckets, top-N lists, one resource's fields), as text, and asks
 * the host to filter; it never sees events or the key. Plain DOM, no framework.
 */
import 'uplot/dist/uPlot.min.css';
import './insights.css';
import type { HostMessage, Snapshot } from '../../src/webviews/insights/protocol';
import { TimelineChart } from './chart';
import { app, button, el, fmt, formatTime, S, send } from './dom';
import { renderFacets } from './facets';
import { renderStateSection, setResources, showState } from './state';
import { onThemeChange, readTheme } from './theme';

const chart = new TimelineChart();
const header = el('header', 'summary');
const timeline = el('section', 'timeline');
const legend = el('div', 'legend');
const buckets = el('details', 'bucket-table');
let facets: HTMLElement = el('section', 'facets');
let started = false;
let current: Snapshot | undefined;

function start(): void {
  if (started) return;
  started = true;
  timeline.id = 'timeline';
  timeline.append(el('h2', undefined, S.timeline), el('p', 'muted', S.timelineHelp), chart.root, legend, buckets);
  app.replaceChildren(header, timeline, facets, renderStateSection());
}

function renderSnapshot(s: Snapshot): void {
  start();
  current = s;
  renderHeader(s);
  chart.render(s);
  renderLegend(s);
  renderBucketTable(s);
  renderFacetSection(s);
}

function renderFacetSection(s: Snapshot): void {
  const next = renderFacets(s);
  facets.replaceWith(next);
  facets = next;
}

function renderHeader(s: Snapshot): void {
  header.replaceChildren();
  const total = el('p', 'total', s.buckets.length ? fmt(S.eventsIn, s.total, unitText(s)) : S.noEvents);
  total.dataset.total = String(s.total);
  header.append(total, el('p', 'muted', fmt(S.over, s.filtersText)));
  const actions = el('div', 'actions');
  if (s.scopeText) {
    header.append(el('p', 'scope', fmt(S.scope, s.scopeText)));
    actions.append(button(S.clearScope, 'secondary', () => send({ type: 'clearScope' })));
  }
  if (s.hasTimeFilter) actions.append(button(S.clearTime, 'secondary clear-time', () => send({ type: 'clearTime' })));
  header.append(actions, el('p', 'muted elapsed', fmt(S.computedIn, s.elapsedMs)));
}

function unitText(s: Snapshot): string {
  const n = s.step / { minute: 60, hour: 3600, day: 86_400, week: 604_800 }[s.unit];
  return `${n === 1 ? '' : `${n} `}${s.unit}${n === 1 ? '' : 's'}`;
}

function renderLegend(s: Snapshot): void {
  legend.replaceChildren();
  legend.setAttribute('aria-label', S.legendHelp);
  const theme = readTheme();
  s.families.forEach((family, i) => {
    // "(other)" (src/core/insights/timeline.ts OTHER_FAMILIES) gathers the quieter families: no single filter.
    const other = family === '(other)';
    const b = other ? el('span', 'legend-item static', family) : button(family || '(none)', 'legend-item', () => send({ type: 'filterFamily', family }));
    b.dataset.family = family;
    if (!other) b.title = S.legendHelp;
    const swatch = el('span', 'swatch');
    swatch.style.backgroundColor = theme.colorOf(i);
    b.prepend(swatch);
    legend.append(b);
  });
}

function renderBucketTable(s: Snapshot): void {
  buckets.replaceChildren(el('summary', undefined, S.bucketTable));
  const table = el('table');
  const head = el('tr');
  for (const h of [S.colStart, S.colEnd, S.colCount, S.colFamilies]) head.append(el('th', undefined, h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const b of s.buckets) {
    const row = el('tr');
    const families = s.families.filter((f) => (b.byFamily[f] ?? 0) > 0).map((f) => `${f} ${(b.byFamily[f] ?? 0).toLocaleString()}`);
    row.append(el('td', undefined, formatTime(b.start, s.zone)), el('td', undefined, formatTime(b.end, s.zone)), el('td', 'num', b.count.toLocaleString()), el('td', undefined, families.join(', ')));
    table.tBodies[0]!.append(row);
  }
  buckets.append(table);
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'snapshot':
      renderSnapshot(msg.snapshot);
      break;
    case 'facet':
      // A facet counted after its snapshot (the user agents); a late one of an older count is dropped.
      if (current && current.generation === msg.generation) {
        current = { ...current, facets: { ...current.facets, [msg.facet]: msg.values }, pending: (current.pending ?? []).filter((k) => k !== msg.facet) };
        renderFacetSection(current);
      }
      break;
    case 'resources':
      start();
      setResources(msg.resources);
      break;
    case 'state':
      start();
      showState(msg);
      break;
    case 'failed':
      start();
      header.replaceChildren(el('p', 'error', msg.message));
      break;
  }
});

onThemeChange(() => {
  chart.redraw();
  const last = document.querySelectorAll<HTMLElement>('.legend-item .swatch');
  const theme = readTheme();
  last.forEach((s, i) => (s.style.backgroundColor = theme.colorOf(i)));
});

send({ type: 'ready' });
