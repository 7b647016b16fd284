/**
 * The timeline chart: uPlot (canvas) bars stacked by family. uPlot does not stack, so each family's series
 * holds the running sum up to it and the series are drawn tallest first, each one over the one before.
 * Dragging across it (uPlot's selection) or the keyboard (arrows, Shift to extend, Enter) picks whole
 * buckets and asks the host to narrow the Events view's time filter to them.
 */
import uPlot from 'uplot';
import type { Snapshot } from '../../src/webviews/insights/protocol';
import { el, fmt, formatTime, S, safe, send } from './dom';
import { readTheme } from './theme';

type Bucket = Snapshot['buckets'][number];

export class TimelineChart {
  private plot: uPlot | undefined;
  private snapshot: Snapshot | undefined;
  private anchor: number | undefined;
  private focusIndex = 0;
  readonly root = el('div', 'chart');
  private readonly canvasHost = el('div', 'chart-canvas');
  private readonly readout = el('p', 'readout');

  constructor() {
    this.canvasHost.tabIndex = 0;
    this.canvasHost.setAttribute('role', 'group');
    this.canvasHost.setAttribute('aria-label', `${S.timeline}. ${S.timelineHelp}`);
    this.readout.setAttribute('aria-live', 'polite');
    this.canvasHost.addEventListener('keydown', (e) => this.onKey(e));
    this.root.append(this.canvasHost, this.readout);
    new ResizeObserver(() => this.resize()).observe(this.root);
  }

  render(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.plot?.destroy();
    this.plot = undefined;
    this.anchor = undefined;
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, snapshot.buckets.length - 1));
    this.readout.textContent = '';
    if (snapshot.buckets.length === 0) return;
    this.plot = new uPlot(this.options(snapshot), this.data(snapshot), this.canvasHost);
  }

  /** Draws again with the current theme's colours. */
  redraw(): void {
    if (this.snapshot) this.render(this.snapshot);
  }

  private data(s: Snapshot): uPlot.AlignedData {
    const xs = s.buckets.map((b) => b.start);
    // Bottom family first in the stack: series k (drawn k-th) holds the sum of families 0..(n-1-k).
    const order = [...s.families];
    const running = s.buckets.map(() => 0);
    const sums: number[][] = order.map((f) => s.buckets.map((b, i) => (running[i]! += b.byFamily[f] ?? 0)));
    return [xs, ...sums.reverse()];
  }

  private options(s: Snapshot): uPlot.Options {
    const theme = readTheme();
    const last = s.buckets[s.buckets.length - 1]!;
    const axis = { stroke: theme.foreground, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    return {
      width: this.width(),
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: true, range: () => [s.buckets[0]!.start, last.end] } },
      axes: [axis, { ...axis, size: 56 }],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), s.zone),
      series: [
        {},
        ...s.families
          .map((family, i) => ({
            label: family,
            fill: theme.colorOf(i),
            stroke: theme.border || theme.colorOf(i),
            width: theme.border ? 1 : 0,
            points: { show: false },
            paths: uPlot.paths.bars!({ size: [0.92, Infinity], align: 1 }),
          }))
          .reverse(),
      ],
      hooks: {
        setCursor: [(u) => this.onHover(u.cursor.idx ?? undefined)],
        setSelect: [(u) => this.onSelect(u)],
      },
    };
  }

  private width(): number {
    return Math.max(320, Math.floor(this.root.clientWidth || 640));
  }

  private resize(): void {
    this.plot?.setSize({ width: this.width(), height: 220 });
  }

  private describe(b: Bucket): string {
    const s = this.snapshot!;
    const parts = s.families.filter((f) => (b.byFamily[f] ?? 0) > 0).map((f) => `${safe(f)} ${(b.byFamily[f] ?? 0).toLocaleString()}`);
    return `${formatTime(b.start, s.zone)} – ${formatTime(b.end, s.zone)}: ${fmt(S.events, b.count)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  private onHover(idx: number | undefined): void {
    const b = idx === undefined ? undefined : this.snapshot?.buckets[idx];
    if (b) this.readout.textContent = this.describe(b);
  }

  private onSelect(u: uPlot): void {
    const s = this.snapshot;
    if (!s || u.select.width < 2) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    const first = s.buckets.findIndex((b) => b.end > from);
    const lastIndex = findLast(s.buckets, (b) => b.start < to);
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (first < 0 || lastIndex < first) return;
    send({ type: 'brush', start: s.buckets[first]!.start, end: s.buckets[lastIndex]!.end });
  }

  private onKey(e: KeyboardEvent): void {
    const s = this.snapshot;
    if (!s || s.buckets.length === 0) return;
    const lastIndex = s.buckets.length - 1;
    const move = (to: number): void => {
      if (e.shiftKey && this.anchor === undefined) this.anchor = this.focusIndex;
      if (!e.shiftKey) this.anchor = undefined;
      this.focusIndex = Math.max(0, Math.min(lastIndex, to));
      this.showKeyboardSelection();
    };
    switch (e.key) {
      case 'ArrowLeft':
        move(this.focusIndex - 1);
        break;
      case 'ArrowRight':
        move(this.focusIndex + 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(lastIndex);
        break;
      case 'Enter': {
        const [a, b] = this.keyboardRange();
        send({ type: 'brush', start: s.buckets[a]!.start, end: s.buckets[b]!.end });
        break;
      }
      case 'Escape':
        this.anchor = undefined;
        this.plot?.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        this.readout.textContent = '';
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private keyboardRange(): [number, number] {
    const a = this.anchor ?? this.focusIndex;
    return [Math.min(a, this.focusIndex), Math.max(a, this.focusIndex)];
  }

  private showKeyboardSelection(): void {
    const s = this.snapshot!;
    const [a, b] = this.keyboardRange();
    const u = this.plot;
    if (u) {
      const left = u.valToPos(s.buckets[a]!.start, 'x');
      const right = u.valToPos(s.buckets[b]!.end, 'x');
      u.setSelect({ left, top: 0, width: Math.max(1, right - left), height: u.over.clientHeight }, false);
    }
    const range = fmt(S.selection, formatTime(s.buckets[a]!.start, s.zone), formatTime(s.buckets[b]!.end, s.zone));
    this.readout.textContent = a === b ? `${this.describe(s.buckets[a]!)}. ${range}` : range;
  }
}

function findLast<T>(list: readonly T[], test: (t: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}
