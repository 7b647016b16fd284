/**
 * The Findings feature (issue 13): the view in the OpenAI Audit Logs container, its commands, its badge,
 * and `openaiAuditLogs.listFindings` for automation. Registered from activate with one line.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { Commands, ViewIds } from '../constants';
import type { EventFilters } from '../core/analysis/filters';
import type { Finding } from '../core/findings';
import { describeActor } from '../core/model';
import type { ExtensionServices } from '../services';
import { FindingsController } from './findingsController';
import { FindingsTreeProvider } from './findingsTreeProvider';
import type { FindingsNode } from './findingNodes';

/** What `openaiAuditLogs.listFindings` resolves: exactly these fields (the automation contract). */
export interface ListedFinding {
  readonly id: string;
  readonly rule: string;
  readonly severity: Finding['severity'];
  readonly title: string;
  readonly eventIds: string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly reviewed: boolean;
}

/** The feature's handles for the integration tests (returned by activate only under ExtensionMode.Test). */
export interface FindingsTestHooks {
  readonly controller: FindingsController;
  readonly provider: FindingsTreeProvider;
  readonly view: vscode.TreeView<FindingsNode>;
}

class FindingsFeature extends Disposable {
  readonly controller: FindingsController;
  readonly provider: FindingsTreeProvider;
  readonly view: vscode.TreeView<FindingsNode>;

  constructor(private readonly services: ExtensionServices) {
    super();
    this.controller = this._register(new FindingsController(services.store, services.log));
    this.provider = this._register(new FindingsTreeProvider(this.controller, services.store));
    this.view = this._register(vscode.window.createTreeView(ViewIds.findings, { treeDataProvider: this.provider, canSelectMany: true, showCollapseAll: true }));
    this._register(this.controller.onDidChange(() => this.updateChrome()));
    this._register(this.view.onDidChangeVisibility((e) => e.visible && void this.controller.flush()));
    const commands: Record<string, (...args: never[]) => unknown> = {
      [Commands.listFindings]: () => this.listFindings(),
      [Commands.markFindingReviewed]: (node?: FindingsNode, nodes?: FindingsNode[]) => this.markReviewed(node, nodes, true),
      [Commands.markFindingUnreviewed]: (node?: FindingsNode, nodes?: FindingsNode[]) => this.markReviewed(node, nodes, false),
      [Commands.filterToFinding]: (node?: FindingsNode) => this.filterToFinding(node),
    };
    for (const [id, run] of Object.entries(commands)) this._register(vscode.commands.registerCommand(id, run));
    this.updateChrome();
  }

  /** Every finding of the current organization's archive, after any sync in progress. */
  private async listFindings(): Promise<ListedFinding[]> {
    const store = this.services.store;
    await store.ready();
    while (store.status === 'loading') await new Promise<void>((resolve) => {
      const sub = store.onDidChange((c) => {
        if (c !== 'status' || store.status === 'loading') return;
        sub.dispose();
        resolve();
      });
    });
    await this.controller.flush();
    return this.controller.list().map((f) => ({ id: f.id, rule: f.rule, severity: f.severity, title: f.title, eventIds: f.eventIds, firstSeen: f.firstSeen, lastSeen: f.lastSeen, reviewed: f.reviewed }));
  }

  private markReviewed(node: FindingsNode | undefined, nodes: FindingsNode[] | undefined, reviewed: boolean): void {
    const picked = nodes?.length ? nodes : node ? [node] : [...this.view.selection];
    const ids = picked.flatMap((n) => (n.kind === 'finding' ? [n.finding.id] : n.kind === 'severity' || n.kind === 'reviewed' ? n.findings.map((f) => f.id) : []));
    this.controller.markReviewed(ids, reviewed);
  }

  /** The Events view filtered to the finding: its time span, its events' types, and its actor when it has one. */
  private async filterToFinding(node: FindingsNode | undefined): Promise<void> {
    const n = node ?? this.view.selection[0];
    if (!n || (n.kind !== 'finding' && n.kind !== 'event')) return;
    const f = n.finding;
    const events = f.eventIds.map((id) => this.services.store.getEvent(id)).filter((e) => e !== undefined);
    const types = [...new Set(events.map((e) => e.event.type))];
    const emails = [...new Set(events.map((e) => describeActor(e.event).email))];
    const filters: EventFilters = {
      time: { kind: 'custom', start: f.firstSeen, end: f.lastSeen },
      ...(types.length ? { eventTypes: types } : {}),
      ...(emails.length === 1 && emails[0] !== undefined ? { actorEmails: [emails[0]] } : {}),
    };
    await vscode.commands.executeCommand('openaiAuditLogs.events.focus');
    await this.services.store.setFilters(filters);
  }

  private updateChrome(): void {
    const counts = this.controller.unreviewed();
    const urgent = counts.critical + counts.high;
    this.view.badge = urgent > 0 ? { value: urgent, tooltip: vscode.l10n.t('{0} critical or high findings not reviewed', urgent) } : undefined;
    const problems = this.controller.problems;
    const total = counts.critical + counts.high + counts.medium + counts.low;
    this.view.message = problems.length
      ? vscode.l10n.t('{0} findings rule(s) do not run (see the output): {1}', problems.length, problems.map((p) => p.rule).join(', ').slice(0, 200))
      : total === 0
        ? vscode.l10n.t('No findings to review in the archive.')
        : undefined;
  }
}

export function registerFindings(context: vscode.ExtensionContext, services: ExtensionServices): FindingsTestHooks {
  const feature = new FindingsFeature(services);
  context.subscriptions.push(feature);
  return feature;
}
