/**
 * The API base URL decides where the Admin key is sent, so it is checked
 * before any request: HTTPS, or plain HTTP only to this machine (loopback);
 * no credentials, query or fragment in it.
 */
import { isIP } from 'node:net';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type BaseUrlValidation = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/**
 * `localhost`, 127.0.0.0/8, ::1 and IPv4-mapped loopback. Not `*.localhost`:
 * browsers keep those on this machine, but Node asks the system resolver, which
 * may ask DNS, and a DNS answer could then receive the key over plain HTTP.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(host)) return true;
    const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
    if (mapped === undefined) return false;
    if (isIP(mapped) === 4) return mapped.startsWith('127.');
    // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
    const hex = /^([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(mapped)?.[1];
    return hex !== undefined && (parseInt(hex, 16) >> 8) === 127;
  }
  return false;
}

/**
 * Checks a base URL and normalizes it (no trailing slash). The result's `url`
 * is what the client joins `/organization/audit_logs` to.
 */
export function validateBaseUrl(input: string): BaseUrlValidation {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return { ok: false, reason: 'it is empty.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'it is not a valid URL (expected something like https://api.openai.com/v1).' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'it must not contain a user name or password.' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, reason: 'it must not contain a query (?…) or fragment (#…).' };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return {
        ok: false,
        reason: `plain http:// is only allowed to this machine (localhost, 127.0.0.1, ::1); use https:// for ${url.hostname}.`,
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: `the scheme must be https:// (got ${url.protocol}//).` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}
