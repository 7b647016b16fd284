/** The Findings view's data: the controller's findings as severity groups, reviewed ones folded away. */
import * as vscode from 'vscode';
import { onDidChangeDirectoryNames } from '../core/directory';
import { Disposable } from '../common/lifecycle';
import { SEVERITIES, type Finding } from '../core/findings';
import type { EventStore } from '../store/eventStore';
import type { FindingsController } from './findingsController';
import { eventItem, findingItem, groupItem, type FindingsNode } from './findingNodes';

/** Rows a severity group shows at most (the newest); the automation command lists every finding. */
const PER_SEVERITY = 500;

export class FindingsTreeProvider extends Disposable implements vscode.TreeDataProvider<FindingsNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<FindingsNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(
    private readonly controller: FindingsController,
    private readonly store: EventStore,
  ) {
    super();
    this._register(controller.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    this._register(store.onDidChange((c) => c === 'archive' && this._onDidChangeTreeData.fire(undefined)));
    // The events' rows name their ids from the directory (issue 15): a refresh of it renames them.
    this._register(onDidChangeDirectoryNames(() => this._onDidChangeTreeData.fire(undefined)));
  }

  getTreeItem(n: FindingsNode): vscode.TreeItem {
    if (n.kind === 'severity' || n.kind === 'reviewed') return groupItem(n);
    if (n.kind === 'finding') return findingItem(n);
    return eventItem(n, this.store.getEvent(n.eventId));
  }

  getChildren(n?: FindingsNode): FindingsNode[] {
    if (!n) return this.roots();
    if (n.kind === 'severity' || n.kind === 'reviewed') {
      const parentId = n.kind === 'severity' ? `severity:${n.severity}` : 'reviewed';
      return n.findings.map((finding) => ({ kind: 'finding', finding, parentId }));
    }
    if (n.kind === 'finding') return n.finding.eventIds.map((eventId) => ({ kind: 'event', eventId, finding: n.finding }));
    return [];
  }

  private roots(): FindingsNode[] {
    const all: Finding[] = this.controller.list(PER_SEVERITY);
    const out: FindingsNode[] = [];
    for (const severity of SEVERITIES) {
      const findings = all.filter((f) => f.severity === severity && !f.reviewed);
      if (findings.length) out.push({ kind: 'severity', severity, findings });
    }
    const reviewed = all.filter((f) => f.reviewed);
    if (reviewed.length) out.push({ kind: 'reviewed', findings: reviewed });
    return out;
  }
}
