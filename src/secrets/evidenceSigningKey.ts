/**
 * The Ed25519 key that signs evidence packs: made on this machine on first
 * use (node:crypto) and kept only in VS Code's SecretStorage under one typed
 * name, like the Admin key; only its public half ever leaves (written beside
 * each signed pack). One key per VS Code profile, so packs signed over time
 * verify with the same public key. With the Admin key store, the only code
 * that touches SecretStorage (src/secrets/).
 */
import type * as vscode from 'vscode';
import { generateSigningKey } from '../core/export';

/** The SecretStorage name of the evidence signing key (PKCS#8 PEM). */
export const EVIDENCE_SIGNING_SECRET = 'openaiAuditLogs.evidenceSigningKey';

export class EvidenceSigningKey {
  private pending: Promise<string> | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The private key, generated and stored the first time. */
  get(): Promise<string> {
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<string> {
    const stored = await this.secrets.get(EVIDENCE_SIGNING_SECRET);
    if (stored && stored.includes('PRIVATE KEY')) return stored;
    const { privateKeyPem } = generateSigningKey();
    await this.secrets.store(EVIDENCE_SIGNING_SECRET, privateKeyPem);
    return privateKeyPem;
  }
}
