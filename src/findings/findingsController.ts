/**
 * The findings of the current archive, kept up to date: the engine runs (incrementally) shortly after each
 * change of the store's events, after a change of archive (another organization, the sample) and after a
 * change of rules. A new critical or high finding brought by auto refresh raises a notification with Show.
 * Findings, reviews and the engine's progress live in the archive (src/core/findings); nothing is cached
 * here but the rules' problems.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { FindingsEngine, listFindings, setReviewed, unreviewedCounts, type Finding, type RuleProblem, type Severity } from '../core/findings';
import { clip } from '../core/text/oneLine';
import type { EventStore } from '../store/eventStore';
import { affectsFindings, notifies, readNotify, readRules } from './findingsConfig';

/** How long after the store's last change a long findings run waits before its next slice. */
const QUIET_MS = 300;
const DEBOUNCE_MS = 200;

export class FindingsController extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidNotify = this._register(new vscode.EventEmitter<readonly Finding[]>());
  /** Fires with the findings a notification was raised for (the integration tests listen). */
  readonly onDidNotify = this._onDidNotify.event;

  private engine: FindingsEngine;
  private _problems: RuleProblem[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set when auto refresh added events: the next evaluation's new findings may notify. */
  private fromAutoRefresh = false;
  private reportedProblems = '';
  private running: Promise<void> = Promise.resolve();
  /** When the store last said something changed (a filter, a load): a long run steps aside for a moment after it. */
  private lastStoreChange = 0;

  constructor(
    private readonly store: EventStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    ({ engine: this.engine, problems: this._problems } = this.build());
    this._register(store.onDidChange((change) => {
      this.lastStoreChange = Date.now();
      if (change === 'newEvents' && store.newEvents > 0) this.fromAutoRefresh = true;
      if (change === 'events' || change === 'archive' || change === 'newEvents') this.schedule();
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsFindings(e)) return;
      ({ engine: this.engine, problems: this._problems } = this.build());
      this.schedule();
    }));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.schedule();
  }

  /** The rules that did not validate (they do not run; the others do). */
  get problems(): readonly RuleProblem[] {
    return this._problems;
  }

  /** The current archive's findings, most severe first (at most `limitPerSeverity` of each severity). */
  list(limitPerSeverity?: number): Finding[] {
    const archive = this.store.archive;
    if (!archive) return [];
    return archive.readSql((sql) => listFindings(sql, limitPerSeverity === undefined ? {} : { limitPerSeverity }));
  }

  unreviewed(): Record<Severity, number> {
    const archive = this.store.archive;
    return archive ? archive.readSql((sql) => unreviewedCounts(sql)) : { critical: 0, high: 0, medium: 0, low: 0 };
  }

  /** Evaluates now whatever is new (what `listFindings` and the view's first show wait for). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.evaluate();
  }

  /**
   * Marks findings reviewed (or not). Who: this computer's user name, as the OS reports it. The Admin key
   * does not say which person of the organization holds it, so naming an organization member would be a
   * guess; the OS user is what this window knows for sure.
   */
  markReviewed(ids: readonly string[], reviewed: boolean): void {
    const archive = this.store.archive;
    if (!archive || ids.length === 0) return;
    const who = reviewed ? reviewerName() : undefined;
    archive.writeSql((sql) => setReviewed(sql, ids, who, Math.floor(Date.now() / 1000)));
    this._onDidChange.fire();
  }

  private build(): { engine: FindingsEngine; problems: RuleProblem[] } {
    const { rules, problems } = readRules();
    return { engine: new FindingsEngine(rules), problems };
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.evaluate();
    }, DEBOUNCE_MS);
  }

  /** One evaluation at a time: a change during a run schedules the next one after it. */
  private evaluate(): Promise<void> {
    this.running = this.running.then(() => this.evaluateOnce());
    return this.running;
  }

  private async evaluateOnce(): Promise<void> {
    this.reportProblems();
    const archive = this.store.archive;
    const auto = this.fromAutoRefresh;
    this.fromAutoRefresh = false;
    if (!archive || this.isDisposed) return;
    try {
      const started = Date.now();
      // Between slices the run waits for the store's loads and for a quiet moment after the store's last change:
      // a first run over a large archive takes seconds, and a filter change or a page load must not wait behind it.
      const result = await this.engine.evaluateAsync(archive, () => this.stepAside());
      if (result.evaluated > 0) this.log.debug(`Findings: ${result.evaluated} event(s) evaluated in ${Date.now() - started} ms, ${result.created.length} new finding(s).`);
      if (result.created.length > 0 || result.recomputed) this._onDidChange.fire();
      const level = readNotify();
      const loud = result.created.filter((c) => notifies(level, c.severity));
      if (auto && loud.length > 0) this.notify(archive.readSql((sql) => listFindings(sql, { ids: loud.map((c) => c.id) })));
    } catch (e) {
      // A closed archive (another organization was opened meanwhile) is evaluated when its successor's change arrives.
      this.log.warn(`Findings could not be evaluated: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Resolves once the store's queued loads have ended and it has been quiet for {@link QUIET_MS}. */
  private async stepAside(): Promise<void> {
    await this.store.idle();
    for (let quiet = Date.now() - this.lastStoreChange; quiet < QUIET_MS; quiet = Date.now() - this.lastStoreChange) {
      await new Promise<void>((resolve) => setTimeout(resolve, QUIET_MS - quiet));
      await this.store.idle();
    }
  }

  private notify(found: Finding[]): void {
    if (found.length === 0) return;
    this._onDidNotify.fire(found);
    const first = found[0]!;
    const more = found.length > 1 ? vscode.l10n.t(' (and {0} more)', found.length - 1) : '';
    const show = vscode.l10n.t('Show');
    const text = vscode.l10n.t('New {0} finding: {1}{2}', first.severity, clip(first.title, 120), more);
    const shown = first.severity === 'critical' ? vscode.window.showWarningMessage(text, show) : vscode.window.showInformationMessage(text, show);
    void shown.then((pick) => pick === show && vscode.commands.executeCommand('openaiAuditLogs.findings.focus'));
  }

  /** A bad rule is reported once (by name and problem) until the rules change. */
  private reportProblems(): void {
    const text = this._problems.map((p) => `${p.rule}: ${p.problem}`).join('\n');
    if (text === this.reportedProblems) return;
    this.reportedProblems = text;
    if (!text) return;
    for (const p of this._problems) this.log.warn(`Findings rule ${p.rule} does not run: ${p.problem}`);
    const first = this._problems[0]!;
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Findings rule "{0}" does not run: {1}{2}', clip(first.rule, 64), clip(first.problem, 200), this._problems.length > 1 ? vscode.l10n.t(' (and {0} more, see the output)', this._problems.length - 1) : ''),
    );
  }
}

function reviewerName(): string {
  try {
    return `${os.userInfo().username} (OS user)`;
  } catch {
    return 'this computer (OS user unknown)';
  }
}
