/** The outbound settings as loadConfig reads them: the allow list and the extra CA file, refused with the fix named. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const dir = mkdtempSync(join(tmpdir(), 'opstrails-outbound-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outbound settings', () => {
  it('allows nothing private by default, and reads the allow list', () => {
    expect(loadConfig({}).outbound.allowPrivateTargets).toEqual([]);
    const allow = loadConfig({ OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1,prometheus.internal' }).outbound
      .allowPrivateTargets;
    expect(allow).toHaveLength(2);
    expect(() => loadConfig({ OPSTRAILS_ALLOW_PRIVATE_TARGETS: '10.0.0.0/99' })).toThrow(ConfigError);
  });

  it('reads a PEM CA file, and names the setting when the file is missing or not PEM', () => {
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(loadConfig({ OPSTRAILS_OUTBOUND_CA_FILE: pem }).outbound.extraCa).toContain('BEGIN CERTIFICATE');
    expect(() => loadConfig({ OPSTRAILS_OUTBOUND_CA_FILE: join(dir, 'missing.pem') })).toThrow(
      /OPSTRAILS_OUTBOUND_CA_FILE=".*missing\.pem" cannot be read \(ENOENT\)/,
    );
    const text = join(dir, 'text.pem');
    writeFileSync(text, 'hello');
    expect(() => loadConfig({ OPSTRAILS_OUTBOUND_CA_FILE: text })).toThrow(/holds no PEM certificate/);
  });

  it('reads OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS as a switch', () => {
    expect(loadConfig({}).oauth.allowHttpClientIds).toBe(false);
    expect(loadConfig({ OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS: '1' }).oauth.allowHttpClientIds).toBe(true);
    expect(() => loadConfig({ OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS: 'yes' })).toThrow(
      /OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS="yes" is not a switch/,
    );
  });
});
