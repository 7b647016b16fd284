import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Directory, DirectoryFlag, DirectoryFlagKind } from '../core/directory';
import { clip, endsLtr } from '../core/text/oneLine';
import { formatUtc } from '../views/format';
import type { DirectoryService } from './directoryService';

/** A row of the Directory view: plain data, every API string shown as text (labels and plain tooltips). */
export class DirectoryNode {
  constructor(
    readonly id: string,
    readonly label: string,
    readonly options: { description?: string; tooltip?: string; icon?: string; color?: string; children?: () => DirectoryNode[]; expanded?: boolean } = {},
  ) {}

  toTreeItem(): vscode.TreeItem {
    const o = this.options;
    const state = o.children ? (o.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(endsLtr(clip(this.label, 120)), state);
    item.id = this.id;
    if (o.description !== undefined) item.description = endsLtr(clip(o.description, 160));
    if (o.tooltip !== undefined) item.tooltip = clip(o.tooltip, 1000);
    if (o.icon) item.iconPath = new vscode.ThemeIcon(o.icon, o.color ? new vscode.ThemeColor(o.color) : undefined);
    item.contextValue = 'directory';
    return item;
  }
}

const FLAG_TITLES: Record<DirectoryFlagKind, () => string> = {
  keyNeverSeen: () => vscode.l10n.t('Keys never seen in the archive'),
  serviceAccountNeverSeen: () => vscode.l10n.t('Service accounts never seen in the archive'),
  keyOwnerGone: () => vscode.l10n.t('Keys whose owner is no longer a member'),
  keyUnused: () => vscode.l10n.t('Keys unused for long'),
  ownerOrAdmin: () => vscode.l10n.t('Owners and admins'),
  staleInvite: () => vscode.l10n.t('Invites pending over 7 days'),
};

function row(prefix: string, id: string, name: string, detail?: string, icon?: string): DirectoryNode {
  const description = [detail, id].filter((s) => s !== undefined && s !== '' && s !== name).join(' · ');
  return new DirectoryNode(`${prefix}|${id}`, name || id, { description, tooltip: [name, detail, id].filter(Boolean).join('\n'), ...(icon ? { icon } : {}) });
}

function section(id: string, title: string, icon: string, rows: DirectoryNode[]): DirectoryNode {
  return new DirectoryNode(id, title, { description: rows.length.toLocaleString(), icon, children: () => rows });
}

function flagSection(flags: readonly DirectoryFlag[]): DirectoryNode {
  const kinds = Object.keys(FLAG_TITLES) as DirectoryFlagKind[];
  const groups = kinds
    .map((kind) => ({ kind, rows: flags.filter((f) => f.kind === kind) }))
    .filter((g) => g.rows.length > 0)
    .map((g) => section(`flags|${g.kind}`, FLAG_TITLES[g.kind](), g.kind === 'ownerOrAdmin' ? 'shield' : 'warning', g.rows.map((f) => row(`flag|${g.kind}`, f.id, f.name, f.detail))));
  return new DirectoryNode('flags', vscode.l10n.t('Flags'), { description: flags.length.toLocaleString(), icon: 'flag', expanded: true, children: () => groups });
}

function listSections(d: Directory): DirectoryNode[] {
  const projectName = (id: string | undefined) => (id === undefined ? undefined : (d.projects.find((p) => p.id === id)?.name ?? id));
  return [
    section('users', vscode.l10n.t('Users'), 'person', d.users.map((u) => row('user', u.id, u.name, [u.email, u.role].filter(Boolean).join(' · ')))),
    section('invites', vscode.l10n.t('Invites'), 'mail', d.invites.map((i) => row('invite', i.id, i.email, [i.status, i.role].filter(Boolean).join(' · ')))),
    section('groups', vscode.l10n.t('Groups'), 'organization', d.groups.map((g) => row('group', g.id, g.name, vscode.l10n.t('{0} members', g.memberIds.length)))),
    section('roles', vscode.l10n.t('Roles'), 'law', d.roles.map((r) => row('role', r.id, r.name, projectName(r.projectId) ?? vscode.l10n.t('organization')))),
    section('projects', vscode.l10n.t('Projects'), 'project', d.projects.map((p) => row('project', p.id, p.name, p.status))),
    section('serviceAccounts', vscode.l10n.t('Service accounts'), 'robot', d.serviceAccounts.map((s) => row(`sa|${s.projectId}`, s.id, s.name, projectName(s.projectId)))),
    section('apiKeys', vscode.l10n.t('API keys'), 'key', d.apiKeys.map((k) => row(`key|${k.projectId ?? ''}`, k.id, k.name, [k.redactedValue, projectName(k.projectId)].filter(Boolean).join(' · ')))),
    section('adminApiKeys', vscode.l10n.t('Admin API keys'), 'key', d.adminApiKeys.map((k) => row('adminKey', k.id, k.name, [k.redactedValue, k.owner.name ?? k.owner.email].filter(Boolean).join(' · ')))),
  ];
}

/** The Directory view: when it was read, what could not be read, the flags, then every list. */
export class DirectoryTreeProvider extends Disposable implements vscode.TreeDataProvider<DirectoryNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<DirectoryNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly service: DirectoryService) {
    super();
    this._register(service.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
  }

  getTreeItem(node: DirectoryNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: DirectoryNode): DirectoryNode[] {
    if (node) return node.options.children?.() ?? [];
    const d = this.service.directory;
    if (!d) return [];
    const read = new DirectoryNode('read', this.service.refreshing ? vscode.l10n.t('Reading the directory…') : vscode.l10n.t('Read {0}', formatUtc(d.readAt)), {
      icon: this.service.refreshing ? 'sync~spin' : 'book',
      description: vscode.l10n.t('{0} users · {1} projects · {2} keys', d.users.length, d.projects.length, d.apiKeys.length + d.adminApiKeys.length),
      tooltip: vscode.l10n.t('Names in the Events view and the details panel marked "now" are from this read: they may differ from the names at the event\'s time.'),
    });
    const notes = d.unavailable.map((note, i) => new DirectoryNode(`unavailable|${i}`, note, { icon: 'circle-slash', color: 'list.warningForeground', tooltip: note }));
    return [read, ...notes, flagSection(this.service.flags()), ...listSections(d)];
  }
}
