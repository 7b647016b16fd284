/**
 * The evidence pack, for auditors: a folder holding
 *
 * - `events.jsonl`: the period's events, one per line, exactly as the API
 *   sent them (the archive keeps the wire text);
 * - `manifest.json`: the period, the organization, the count in all and per
 *   type, the earliest and latest event, the extension's version and the time
 *   of export;
 * - optionally `signing-key.pub.pem` (an Ed25519 public key) and
 *   `SHA256SUMS.sig` (the raw Ed25519 signature of SHA256SUMS);
 * - `SHA256SUMS`: the SHA-256 of every other file in `sha256sum` format, so
 *   `sha256sum -c SHA256SUMS` in the folder checks it.
 *
 * Like every export it is written under a temporary name (a folder, 0700,
 * files 0600) and renamed onto the destination only when complete; a
 * destination that exists and is not an empty folder is refused, never
 * merged into.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ParsedEvent } from '../model';
import { partialName, throwIfCancelled } from './atomicFile';
import { singleLineJson } from './wireFields';

export const EVIDENCE_FILES = { events: 'events.jsonl', manifest: 'manifest.json', sums: 'SHA256SUMS', publicKey: 'signing-key.pub.pem', signature: 'SHA256SUMS.sig' } as const;

export interface EvidenceOptions {
  readonly organization?: { readonly id: string; readonly label?: string };
  /** The period asked for, Unix seconds inclusive (absent: unbounded). */
  readonly period?: { readonly start?: number; readonly end?: number };
  readonly extensionVersion?: string;
  /** An Ed25519 private key (PKCS#8 PEM) to sign SHA256SUMS with. */
  readonly signingKeyPem?: string;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

interface EventRef {
  readonly id: string;
  readonly type: string;
  readonly effective_at: number;
  readonly time: string;
}

/** A fresh Ed25519 key pair, both as PEM (private PKCS#8, public SPKI). */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function refOf(e: ParsedEvent): EventRef {
  return { id: e.event.id, type: e.event.type, effective_at: e.event.effective_at, time: isoOrEmpty(e.event.effective_at) };
}

function isoOrEmpty(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes events.jsonl, hashing as it goes; returns the counts and the earliest and latest events. */
async function writeEvents(dir: string, batches: AsyncIterable<readonly ParsedEvent[]>, signal: AbortSignal | undefined, onProgress?: (n: number) => void) {
  const hash = createHash('sha256');
  const handle = await fs.open(path.join(dir, EVIDENCE_FILES.events), 'wx', 0o600);
  const byType = new Map<string, number>();
  let count = 0;
  let unreadable = 0;
  let earliest: ParsedEvent | undefined;
  let latest: ParsedEvent | undefined;
  try {
    for await (const batch of batches) {
      throwIfCancelled(signal);
      let chunk = '';
      for (const e of batch) {
        count++;
        if (e.unreadable !== undefined) unreadable++;
        byType.set(e.event.type, (byType.get(e.event.type) ?? 0) + 1);
        if (!earliest || e.event.effective_at <= earliest.event.effective_at) earliest = e;
        if (!latest || e.event.effective_at > latest.event.effective_at) latest = e;
        chunk += `${singleLineJson(e.raw)}\n`;
      }
      hash.update(chunk);
      await handle.write(chunk);
      onProgress?.(count);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { count, unreadable, byType, earliest, latest, digest: hash.digest('hex') };
}

function manifestOf(written: Awaited<ReturnType<typeof writeEvents>>, options: EvidenceOptions, signed: boolean): string {
  const countByType = Object.fromEntries([...written.byType.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const manifest = {
    kind: 'openai-audit-logs evidence pack',
    manifestVersion: 1,
    organization: options.organization ?? null,
    period: {
      start: options.period?.start ?? null,
      end: options.period?.end ?? null,
      startTime: isoOrEmpty(options.period?.start) || null,
      endTime: isoOrEmpty(options.period?.end) || null,
    },
    count: written.count,
    countByType,
    first: written.earliest ? refOf(written.earliest) : null,
    last: written.latest ? refOf(written.latest) : null,
    extensionVersion: options.extensionVersion ?? null,
    exportedAt: (options.now ?? (() => new Date()))().toISOString(),
    files: { events: EVIDENCE_FILES.events, checksums: EVIDENCE_FILES.sums },
    signature: signed ? { algorithm: 'Ed25519', publicKey: EVIDENCE_FILES.publicKey, signature: EVIDENCE_FILES.signature, signs: EVIDENCE_FILES.sums } : null,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function writeSmall(dir: string, name: string, data: string | Buffer): Promise<void> {
  await fs.writeFile(path.join(dir, name), data, { flag: 'wx', mode: 0o600 });
}

/** Fills `dir`: the events, the manifest, the public key, SHA256SUMS and its signature. */
async function fillPack(dir: string, batches: AsyncIterable<readonly ParsedEvent[]>, options: EvidenceOptions, signal: AbortSignal | undefined, onProgress?: (n: number) => void) {
  const written = await writeEvents(dir, batches, signal, onProgress);
  throwIfCancelled(signal);
  const key: KeyObject | undefined = options.signingKeyPem ? createPrivateKey(options.signingKeyPem) : undefined;
  const manifest = manifestOf(written, options, key !== undefined);
  await writeSmall(dir, EVIDENCE_FILES.manifest, manifest);
  const sums = [`${written.digest}  ${EVIDENCE_FILES.events}`, `${sha256(manifest)}  ${EVIDENCE_FILES.manifest}`];
  if (key) {
    const publicPem = createPublicPem(key);
    await writeSmall(dir, EVIDENCE_FILES.publicKey, publicPem);
    sums.push(`${sha256(publicPem)}  ${EVIDENCE_FILES.publicKey}`);
  }
  const sumsText = `${sums.join('\n')}\n`;
  await writeSmall(dir, EVIDENCE_FILES.sums, sumsText);
  if (key) await writeSmall(dir, EVIDENCE_FILES.signature, sign(null, Buffer.from(sumsText), key));
  return { count: written.count, unreadable: written.unreadable };
}

/** The public half of a private key (node:crypto derives it), as SPKI PEM. */
function createPublicPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

export async function writeEvidencePack(
  batches: AsyncIterable<readonly ParsedEvent[]>,
  destination: string,
  options: EvidenceOptions,
  run: { readonly signal?: AbortSignal; readonly onProgress?: (count: number) => void } = {},
): Promise<{ count: number; unreadable: number }> {
  const { signal } = run;
  throwIfCancelled(signal);
  const folder = path.resolve(destination);
  const existing = await fs.readdir(folder).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  if (existing !== undefined && existing.length > 0) throw new Error(`The evidence pack's folder ${folder} already exists and is not empty; choose a new folder.`);
  const temp = partialName(folder);
  await fs.mkdir(temp, { mode: 0o700 });
  try {
    const result = await fillPack(temp, batches, options, signal, run.onProgress);
    throwIfCancelled(signal);
    if (existing !== undefined) await fs.rmdir(folder);
    await fs.rename(temp, folder);
    return result;
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}
