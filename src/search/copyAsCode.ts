/**
 * `openaiAuditLogs.copyQueryAsCode` `{ language, query? }`: copies the API
 * request of a search (the given one, else the current filters and search)
 * as cURL, Python or Node, and resolves the text copied. The key appears only
 * as `$OPENAI_ADMIN_KEY`.
 */
import * as vscode from 'vscode';
import { filtersToQuery } from '../core/analysis/filters';
import { CODE_LANGUAGES, compileQuery, queryAsCode, type ApiPart, type CodeLanguage } from '../core/query';
import type { ExtensionServices } from '../services';

function apiPart(services: ExtensionServices, query: string | undefined): ApiPart {
  const now = Date.now() / 1000;
  const { store } = services;
  const text = query ?? store.filters.query ?? '';
  const compiled = compileQuery(text, { nowSeconds: now });
  if (!compiled.ok) throw new Error(compiled.error.message);
  if (query !== undefined) return compiled.query.api;
  // The current view: the other filters' own parameters, then what the search adds where they leave room.
  const { query: _q, ...others } = store.filters;
  const own = filtersToQuery(others, now);
  const merged = { ...compiled.query.api.query, ...own };
  return { query: merged, localOnly: compiled.query.api.localOnly };
}

export async function copyQueryAsCode(services: ExtensionServices, arg: unknown): Promise<string | undefined> {
  const v = (typeof arg === 'object' && arg !== null ? arg : {}) as { language?: unknown; query?: unknown };
  if (v.query !== undefined && typeof v.query !== 'string') throw new Error('copyQueryAsCode: query must be a string.');
  let language = v.language as CodeLanguage | undefined;
  if (language !== undefined && !CODE_LANGUAGES.includes(language)) throw new Error(`copyQueryAsCode: language must be one of ${CODE_LANGUAGES.join(', ')}.`);
  const part = apiPart(services, v.query as string | undefined);
  if (language === undefined) {
    const labels: Record<CodeLanguage, string> = { curl: 'cURL', python: 'Python (requests)', node: 'Node (fetch)' };
    const picked = await vscode.window.showQuickPick(
      CODE_LANGUAGES.map((l) => ({ label: labels[l], language: l })),
      { title: vscode.l10n.t('Copy Query as Code') },
    );
    if (!picked) return undefined;
    language = picked.language;
  }
  const text = queryAsCode(language, part, services.store.apiBaseUrl);
  await vscode.env.clipboard.writeText(text);
  const note = part.localOnly.length ? vscode.l10n.t(' ({0} terms stay local-only: see the comment)', part.localOnly.length) : '';
  vscode.window.setStatusBarMessage(vscode.l10n.t('Query copied as {0}{1}', language, note), 4000);
  return text;
}
