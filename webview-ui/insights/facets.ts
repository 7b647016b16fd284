/** The facet lists: top values with counts; a click filters to a value, Alt+click excludes it (when the host allows). */
import type { Snapshot } from '../../src/webviews/insights/protocol';
import { button, el, S, send } from './dom';

type FacetKey = keyof Snapshot['facets'];

const TITLES: Record<FacetKey, keyof typeof S> = {
  actor: 'facetActor',
  ip: 'facetIp',
  country: 'facetCountry',
  project: 'facetProject',
  type: 'facetType',
  userAgent: 'facetUserAgent',
};

export function renderFacets(s: Snapshot): HTMLElement {
  const section = el('section', 'facets');
  section.id = 'facets';
  section.append(el('h2', undefined, S.facets), el('p', 'muted', S.facetHelp));
  if (s.filterNote) section.append(el('p', 'muted note', s.filterNote));
  const grid = el('div', 'facet-grid');
  for (const key of Object.keys(TITLES) as FacetKey[]) grid.append(renderFacet(key, s));
  section.append(grid);
  return section;
}

function renderFacet(key: FacetKey, s: Snapshot): HTMLElement {
  const box = el('div', 'facet');
  box.dataset.facet = key;
  box.append(el('h3', undefined, S[TITLES[key]]));
  const values = s.facets[key] ?? [];
  if (s.pending?.includes(key)) {
    box.append(el('p', 'muted pending', S.loading));
    return box;
  }
  if (values.length === 0) {
    box.append(el('p', 'muted', S.noValues));
    return box;
  }
  const max = Math.max(...values.map((v) => v.count), 1);
  const list = el('ol', 'facet-values');
  for (const v of values) {
    const item = el('li');
    const label = v.label !== v.value && v.value !== '' ? `${v.label} (${v.value})` : v.label;
    const meter = el('span', 'meter');
    meter.style.width = `${Math.max(2, Math.round((v.count / max) * 100))}%`;
    if (v.canFilter || v.canExclude) {
      const b = button(label, 'facet-value', (ev) => {
        const exclude = ev.altKey && v.canExclude;
        if (exclude || v.canFilter) send({ type: 'filterFacet', facet: key, value: v.value, exclude });
      });
      b.dataset.value = v.value;
      b.title = S.facetHelp;
      item.append(b);
    } else {
      const t = el('span', 'facet-value static', label);
      t.dataset.value = v.value;
      t.title = S.notFilterable;
      item.append(t);
    }
    item.append(el('span', 'count', v.count.toLocaleString()), meter);
    list.append(item);
  }
  box.append(list);
  return box;
}
