/**
 * A self-signed certificate for 127.0.0.1, made with the system's openssl in a temporary
 * directory, for tests of https targets on loopback (the server trusts it through
 * OPSTRAILS_OUTBOUND_CA_FILE).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackCert {
  cert: string;
  key: string;
  /** The certificate's file, for OPSTRAILS_OUTBOUND_CA_FILE. */
  certFile: string;
  remove(): void;
}

export function loopbackCert(): LoopbackCert {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
