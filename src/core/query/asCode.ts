/**
 * "Copy Query as cURL / Python / Node": the API request for the part of a
 * query the API can express (apiPart.ts), with the key as the environment
 * variable OPENAI_ADMIN_KEY (never a value), and a comment naming the terms
 * that only the archive can apply. Every user value is quoted for its
 * language (shell single quotes, JSON string literals), and comments are one
 * line (a newline in a term cannot end the comment).
 */
import { AUDIT_LOGS_PATH } from '../api/auditLogClient';
import { encodeAuditLogQuery, type AuditLogQuery } from '../api/query';
import type { ApiPart } from './apiPart';

export type CodeLanguage = 'curl' | 'python' | 'node';
export const CODE_LANGUAGES: readonly CodeLanguage[] = ['curl', 'python', 'node'];

// eslint-disable-next-line no-control-regex -- control characters are exactly what a one-line comment must not contain
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');

function comments(prefix: string, api: ApiPart): string[] {
  if (api.localOnly.length === 0) return [];
  return [
    `${prefix} Only the archive can apply these terms (the API has no parameter for them): ${oneLine(api.localOnly.join(' '))}`,
    `${prefix} This request returns a superset; filter it by them, or search in VS Code.`,
  ];
}

/** The request as code; `baseUrl` is the organization's API base (`https://api.openai.com/v1`). */
export function queryAsCode(language: CodeLanguage, api: ApiPart, baseUrl: string, pageSize = 100): string {
  const query: AuditLogQuery = { ...api.query, limit: pageSize };
  const pairs = [...new URLSearchParams(encodeAuditLogQuery(query)).entries()];
  const url = `${baseUrl.replace(/\/+$/, '')}${AUDIT_LOGS_PATH}`;
  switch (language) {
    case 'curl':
      return curl(url, pairs, api);
    case 'python':
      return python(url, pairs, api);
    case 'node':
      return node(url, pairs, api);
  }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function curl(url: string, pairs: [string, string][], api: ApiPart): string {
  const args = pairs.map(([k, v]) => `  --data-urlencode ${shellQuote(`${k}=${v}`)} \\`);
  return [
    ...comments('#', api),
    `curl -sS -G ${shellQuote(url)} \\`,
    `  -H "Authorization: Bearer $OPENAI_ADMIN_KEY" \\`,
    ...args,
    `  -H 'Accept: application/json'`,
    '',
  ].join('\n');
}

function python(url: string, pairs: [string, string][], api: ApiPart): string {
  const params = pairs.map(([k, v]) => `    (${JSON.stringify(k)}, ${JSON.stringify(v)}),`);
  return [
    'import os',
    '',
    'import requests',
    '',
    ...comments('#', api),
    'params = [',
    ...params,
    ']',
    'response = requests.get(',
    `    ${JSON.stringify(url)},`,
    '    headers={"Authorization": f"Bearer {os.environ[\'OPENAI_ADMIN_KEY\']}"},',
    '    params=params,',
    '    timeout=60,',
    ')',
    'response.raise_for_status()',
    'for event in response.json()["data"]:',
    '    print(event["effective_at"], event["type"], event["id"])',
    '',
  ].join('\n');
}

function node(url: string, pairs: [string, string][], api: ApiPart): string {
  const params = pairs.map(([k, v]) => `  [${JSON.stringify(k)}, ${JSON.stringify(v)}],`);
  return [
    ...comments('//', api),
    `const url = new URL(${JSON.stringify(url)});`,
    'for (const [key, value] of [',
    ...params,
    ']) url.searchParams.append(key, value);',
    'const response = await fetch(url, { headers: { Authorization: `Bearer ${process.env.OPENAI_ADMIN_KEY}` } });',
    "if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);",
    'for (const event of (await response.json()).data) console.log(event.effective_at, event.type, event.id);',
    '',
  ].join('\n');
}
