/**
 * Links to a search or an event: `vscode://auditlens.openai-audit-logs/search?q=…`
 * and `…/event?id=…&t=…&type=…` (with `org=` when there are several
 * organizations). A link only opens a view or an event: the handler reads
 * exactly these parameters, validates them, and otherwise does nothing; it
 * never runs a command named by the link and never writes a setting. A link
 * for another organization asks before switching to it.
 */
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../constants';
import { MAX_QUERY_LENGTH } from '../core/query';
import type { ParsedEvent } from '../core/model';
import type { ExtensionServices } from '../services';
import { applySearch } from './applySearch';

const MAX_ID_LENGTH = 256;

function base(services: ExtensionServices, path: '/search' | '/event', params: Record<string, string>): string {
  const org = services.organizations;
  const all = org.all.length > 1 ? { ...params, org: org.current.id } : params;
  const query = Object.entries(all).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${vscode.env.uriScheme}://${EXTENSION_ID}${path}?${query}`;
}

export function linkToQuery(services: ExtensionServices, query: string): string {
  return base(services, '/search', { q: query });
}

export function linkToEvent(services: ExtensionServices, e: ParsedEvent): string {
  return base(services, '/event', { id: String(e.event.id), t: String(e.event.effective_at), type: String(e.event.type) });
}

/** What a link asks for, validated; or why it is refused. Pure, so the tests can feed it hostile links. */
export type LinkRequest =
  | { readonly kind: 'search'; readonly query: string; readonly org?: string }
  | { readonly kind: 'event'; readonly id: string; readonly effectiveAt: number; readonly type: string; readonly org?: string }
  | { readonly kind: 'refused'; readonly reason: string };

export function parseLink(uri: vscode.Uri): LinkRequest {
  const params = new URLSearchParams(uri.query);
  const one = (key: string): string | undefined => {
    const values = params.getAll(key);
    return values.length === 1 ? values[0] : undefined;
  };
  const org = one('org');
  const orgPart = org !== undefined && org.length <= MAX_ID_LENGTH ? { org } : {};
  switch (uri.path) {
    case '/search': {
      const q = one('q');
      if (q === undefined || q.length > MAX_QUERY_LENGTH) return { kind: 'refused', reason: 'a search link needs one q parameter of at most 2,000 characters' };
      return { kind: 'search', query: q, ...orgPart };
    }
    case '/event': {
      const id = one('id');
      const t = Number(one('t'));
      const type = one('type');
      if (!id || id.length > MAX_ID_LENGTH || !type || type.length > MAX_ID_LENGTH || !Number.isInteger(t) || t < 0 || t > 1e11) {
        return { kind: 'refused', reason: 'an event link needs id, t (Unix seconds) and type' };
      }
      return { kind: 'event', id, effectiveAt: t, type, ...orgPart };
    }
    default:
      return { kind: 'refused', reason: `this extension opens only /search and /event links, not ${JSON.stringify(uri.path.slice(0, 60))}` };
  }
}

/** Resolves true when the link may go on in the current organization (switching after the user agrees). */
async function inOrganization(services: ExtensionServices, org: string | undefined): Promise<boolean> {
  const orgs = services.organizations;
  if (org === undefined || org === orgs.current.id) return true;
  const target = orgs.get(org);
  if (!target) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This link is for an organization this window does not know.'));
    return false;
  }
  const switchLabel = vscode.l10n.t('Switch to {0}', target.label);
  const picked = await vscode.window.showInformationMessage(
    vscode.l10n.t('This link is for the organization {0}; this window shows {1}.', target.label, orgs.current.label),
    { modal: true },
    switchLabel,
  );
  if (picked !== switchLabel) return false;
  await vscode.commands.executeCommand(Commands.switchOrganization, { id: target.id });
  return true;
}

/** Handles one link; resolves what it did (the tests read it). */
export async function handleLink(services: ExtensionServices, uri: vscode.Uri): Promise<LinkRequest> {
  const request = parseLink(uri);
  try {
    if (request.kind === 'refused') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Link not opened: {0}.', request.reason));
    } else if (await inOrganization(services, request.org)) {
      if (request.kind === 'search') await applySearch(services, request.query);
      else await vscode.commands.executeCommand(Commands.openEvent, { eventId: request.id, effectiveAt: request.effectiveAt, type: request.type });
    }
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Link not opened: {0}', e instanceof Error ? e.message : String(e)));
  }
  return request;
}
