/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the openssl
 * CLI at test time (nothing committed). Undefined when openssl is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cached: { key: string; cert: string } | null | undefined;

export function selfSignedCertificate(): { key: string; cert: string } | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-logs-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    cached = { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } catch {
    cached = null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return cached ?? undefined;
}
