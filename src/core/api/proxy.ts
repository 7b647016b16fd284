/**
 * Proxy policy. VS Code patches Node's global `fetch`/`https` for its proxy
 * support, but this layer uses its own undici dispatcher, so it decides here:
 *
 * 1. VS Code's `http.proxy` setting (passed in as `proxyUrl`) wins;
 * 2. else `https_proxy`/`HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`, then
 *    `http_proxy`/`HTTP_PROXY` (for https targets; http targets skip the
 *    https variables);
 * 3. `NO_PROXY`/`no_proxy` (and VS Code's `http.noProxy`) bypass the proxy
 *    for matching hosts: `*`, `host`, `.suffix` / `*.suffix`, `host:port`,
 *    IPv4 CIDR; a bare `host` also covers its subdomains, as in curl;
 * 4. loopback targets (the fake server, a local gateway) never go through a
 *    proxy, because a proxy cannot reach this machine's loopback.
 *
 * One client talks to one origin, so the route is decided once, for the API
 * base URL, and the result is a plain undici `Agent` or a `ProxyAgent`.
 * System proxies and PAC files (VS Code's `http.proxySupport`) are not read.
 */
import { isIP } from 'node:net';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { isLoopbackHost } from './baseUrl';
import { ProxyConfigError } from './errors';

export interface ClientTimeouts {
  /** TCP + TLS handshake. */
  readonly connectMs: number;
  /** From sending the request to the response headers. */
  readonly headersMs: number;
  /** Longest pause while the body arrives. */
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** Maps the `openaiAuditLogs.requestTimeoutSeconds` setting onto the three phases. */
export function timeoutsFromSeconds(seconds: number): ClientTimeouts {
  const ms = Math.max(1, Math.round(seconds * 1000));
  return { connectMs: Math.min(ms, DEFAULT_TIMEOUTS.connectMs), headersMs: ms, bodyMs: ms };
}

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxyOptions {
  /** VS Code's `http.proxy`; empty or undefined = not set. */
  readonly proxyUrl?: string;
  /** VS Code's `http.noProxy` entries. */
  readonly noProxy?: readonly string[];
  /** Usually `process.env`; read only for the proxy variables. */
  readonly env?: ProxyEnv;
  /** VS Code's `http.proxyStrictSSL` (default true): verify the proxy's certificate. */
  readonly proxyStrictSsl?: boolean;
}

export interface CreateDispatcherOptions extends ProxyOptions {
  /** The API base URL the dispatcher will serve (decides NO_PROXY and loopback). */
  readonly targetUrl: string;
  readonly timeouts?: Partial<ClientTimeouts>;
}

export type ProxyRoute =
  | { readonly kind: 'direct'; readonly why: 'no proxy configured' | 'loopback' | 'no_proxy' }
  | { readonly kind: 'proxy'; readonly proxyUrl: string; readonly source: 'setting' | 'env'; readonly variable?: string };

function envValue(env: ProxyEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

function splitHostPort(target: URL): { host: string; port: number } {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

/** Whether one NO_PROXY entry covers host:port. */
function noProxyEntryMatches(entry: string, host: string, port: number): boolean {
  let pattern = entry.trim().toLowerCase();
  if (pattern === '') return false;
  if (pattern === '*') return true;
  // CIDR
  const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(pattern);
  if (cidr) {
    if (isIP(host) !== 4) return false;
    const bits = Number(cidr[2]);
    if (bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (ipv4ToInt(host) & mask) === (ipv4ToInt(cidr[1]!) & mask);
  }
  // host:port, [v6]:port
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(pattern);
  if (withPort) {
    if (Number(withPort[2]) !== port) return false;
    pattern = withPort[1]!;
  }
  pattern = pattern.replace(/^\[|\]$/g, '');
  if (pattern.startsWith('*.')) pattern = pattern.slice(1);
  if (pattern.startsWith('.')) return host.endsWith(pattern) || host === pattern.slice(1);
  return host === pattern || host.endsWith(`.${pattern}`);
}

/** Whether NO_PROXY-style entries (comma- or space-separated strings) cover the target URL. */
export function matchesNoProxy(targetUrl: string, entries: readonly string[]): boolean {
  const { host, port } = splitHostPort(new URL(targetUrl));
  return entries
    .flatMap((e) => e.split(/[\s,]+/))
    .some((entry) => noProxyEntryMatches(entry, host, port));
}

function normalizeProxyUrl(value: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    // Never echo the value: it may carry the proxy's password.
    throw new ProxyConfigError('the proxy is not a valid URL (expected http://host:port).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`only http:// and https:// proxies are supported (got ${url.protocol}//).`);
  }
  return url;
}

/** Secrets inside a proxy URL (its password and user name), for redaction. */
export function proxySecrets(proxyUrl: string | undefined): string[] {
  if (!proxyUrl) return [];
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxyUrl) ? proxyUrl : `http://${proxyUrl}`);
    return [url.password, decodeURIComponent(url.password), url.username, decodeURIComponent(url.username)].filter(
      (s) => s.length > 0,
    );
  } catch {
    return [];
  }
}

/** A proxy URL for display: no user name or password. */
export function displayProxyUrl(proxyUrl: string): string {
  try {
    const url = normalizeProxyUrl(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(invalid proxy URL)';
  }
}

/** Decides how requests to `targetUrl` travel. Pure: reads only its arguments. */
export function resolveProxyRoute(targetUrl: string, options: ProxyOptions = {}): ProxyRoute {
  const target = new URL(targetUrl);
  if (isLoopbackHost(target.hostname)) return { kind: 'direct', why: 'loopback' };
  const env = options.env ?? {};
  const setting = options.proxyUrl?.trim();
  const chosen = setting
    ? { source: 'setting' as const, value: setting, name: undefined }
    : (() => {
        const names = target.protocol === 'https:'
          ? ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'http_proxy', 'HTTP_PROXY']
          : ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
        const found = envValue(env, names);
        return found ? { source: 'env' as const, value: found.value, name: found.name } : undefined;
      })();
  if (chosen === undefined) return { kind: 'direct', why: 'no proxy configured' };
  const noProxy = [...(options.noProxy ?? []), env.no_proxy ?? env.NO_PROXY ?? ''];
  if (matchesNoProxy(targetUrl, noProxy)) return { kind: 'direct', why: 'no_proxy' };
  normalizeProxyUrl(chosen.value); // throws ProxyConfigError early
  return chosen.name === undefined
    ? { kind: 'proxy', proxyUrl: chosen.value, source: chosen.source }
    : { kind: 'proxy', proxyUrl: chosen.value, source: chosen.source, variable: chosen.name };
}

/**
 * The dispatcher for one client: keep-alive connections to the API origin,
 * the connect timeout, and the proxy route. The caller closes it.
 */
export function createDispatcher(options: CreateDispatcherOptions): Dispatcher {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const agentOptions = {
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  };
  const route = resolveProxyRoute(options.targetUrl, options);
  if (route.kind === 'direct') return new Agent(agentOptions);
  const proxy = normalizeProxyUrl(route.proxyUrl);
  return new ProxyAgent({
    ...agentOptions,
    uri: proxy.href,
    requestTls: { timeout: timeouts.connectMs },
    proxyTls: { timeout: timeouts.connectMs, rejectUnauthorized: options.proxyStrictSsl ?? true },
  });
}
