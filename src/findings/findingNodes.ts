/**
 * The Findings view's rows: severity groups, findings, and each finding's events. Every API string (titles
 * and explanations are filled from event values) goes through `clip`, as plain text: tree labels and
 * tooltips are never markup here.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { currentDirectoryNames, joinEvent } from '../core/directory';
import type { Finding, Severity } from '../core/findings';
import { describeActor, type ParsedEvent } from '../core/model';
import { clip } from '../core/text/oneLine';
import { formatLocal, formatRelative, formatUtc } from '../views/format';

/** contextValues of the view, matched in package.json menus with `viewItem =~ /^oal:finding:open\b/` etc. */
export const FindingContext = {
  severity: 'oal:severity',
  reviewedGroup: 'oal:reviewedFindings',
  open: 'oal:finding:open',
  reviewed: 'oal:finding:reviewed',
  event: 'oal:findingEvent',
} as const;

export type FindingsNode =
  | { readonly kind: 'severity'; readonly severity: Severity; readonly findings: readonly Finding[] }
  | { readonly kind: 'reviewed'; readonly findings: readonly Finding[] }
  | { readonly kind: 'finding'; readonly finding: Finding; readonly parentId: string }
  | { readonly kind: 'event'; readonly eventId: string; readonly finding: Finding };

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  high: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  medium: new vscode.ThemeIcon('info'),
  low: new vscode.ThemeIcon('circle-outline'),
};

export function severityLabel(s: Severity): string {
  return vscode.l10n.t(SEVERITY_LABEL[s]);
}

export function nodeId(n: FindingsNode): string {
  switch (n.kind) {
    case 'severity':
      return `severity:${n.severity}`;
    case 'reviewed':
      return 'reviewed';
    case 'finding':
      return `${n.parentId}/finding:${n.finding.id}`;
    case 'event':
      return `${n.finding.reviewed ? 'reviewed' : `severity:${n.finding.severity}`}/finding:${n.finding.id}/event:${n.eventId}`;
  }
}

export function groupItem(n: Extract<FindingsNode, { kind: 'severity' | 'reviewed' }>): vscode.TreeItem {
  const label = n.kind === 'severity' ? severityLabel(n.severity) : vscode.l10n.t('Reviewed');
  const open = n.kind === 'severity' && (n.severity === 'critical' || n.severity === 'high');
  const item = new vscode.TreeItem(label, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(n);
  item.description = String(n.findings.length);
  item.contextValue = n.kind === 'severity' ? FindingContext.severity : FindingContext.reviewedGroup;
  item.iconPath = n.kind === 'severity' ? SEVERITY_ICON[n.severity] : new vscode.ThemeIcon('check-all');
  return item;
}

export function findingItem(n: Extract<FindingsNode, { kind: 'finding' }>): vscode.TreeItem {
  const f = n.finding;
  const item = new vscode.TreeItem(clip(f.title, 120), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(n);
  const events = f.eventIds.length === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', f.eventIds.length);
  item.description = `${formatRelative(f.lastSeen)} · ${events}`;
  item.contextValue = f.reviewed ? FindingContext.reviewed : FindingContext.open;
  item.iconPath = f.reviewed ? new vscode.ThemeIcon('check') : SEVERITY_ICON[f.severity];
  const lines = [
    clip(f.title, 300),
    clip(f.explanation, 600),
    vscode.l10n.t('Severity: {0} · rule {1}', severityLabel(f.severity), clip(f.rule, 64)),
    f.firstSeen === f.lastSeen ? formatUtc(f.firstSeen) : vscode.l10n.t('{0} to {1}', formatUtc(f.firstSeen), formatUtc(f.lastSeen)),
  ];
  if (f.reviewed && f.reviewedBy !== undefined) lines.push(vscode.l10n.t('Reviewed by {0}, {1}', clip(f.reviewedBy, 80), formatUtc(f.reviewedAt ?? 0)));
  item.tooltip = lines.join('\n');
  item.accessibilityInformation = { label: `${severityLabel(f.severity)}: ${clip(f.title, 120)}, ${events}` };
  return item;
}

export function eventItem(n: Extract<FindingsNode, { kind: 'event' }>, event: ParsedEvent | undefined): vscode.TreeItem {
  if (!event) {
    const gone = new vscode.TreeItem(clip(n.eventId, 80), vscode.TreeItemCollapsibleState.None);
    gone.id = nodeId(n);
    gone.description = vscode.l10n.t('no longer in the archive');
    gone.contextValue = FindingContext.event;
    return gone;
  }
  const e = event.event;
  const actor = describeActor(e);
  const item = new vscode.TreeItem(clip(e.type, 80), vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(n);
  // The directory's names (issue 15): the resource by name in the row, every joined name in the tooltip.
  const names = joinEvent(e, currentDirectoryNames());
  const resource = names.find((x) => x.role === 'resource');
  const resourceText = resource ? (resource.now ? vscode.l10n.t('{0} (now)', resource.name) : resource.name) : undefined;
  item.description = [formatLocal(e.effective_at), clip(actor.label, 40), resourceText ? clip(resourceText, 40) : undefined].filter(Boolean).join(' · ');
  item.tooltip = [
    `${clip(e.type, 80)}\n${formatUtc(e.effective_at)}\n${clip(actor.label, 120)}${actor.ipAddress ? ` · ${clip(actor.ipAddress, 60)}` : ''}\n${clip(e.id, 80)}`,
    ...names.map((x) => vscode.l10n.t('Name: {0} ({1})', clip(x.now ? vscode.l10n.t('{0} (now)', x.name) : x.name, 120), clip(x.id, 80))),
  ].join('\n');
  item.contextValue = FindingContext.event;
  item.iconPath = new vscode.ThemeIcon('symbol-event');
  item.command = { command: Commands.openEvent, title: vscode.l10n.t('Open Event'), arguments: [{ eventId: e.id }] };
  return item;
}
