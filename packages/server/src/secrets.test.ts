import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE, maskSecret, SecretBox } from './secrets.js';

describe('SecretBox', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'opstrails-secrets-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('seals with a fresh nonce each time and opens what it sealed', () => {
    const box = new SecretBox({ secret: 'a-long-operator-secret', dataDir: dir() });
    const a = box.seal('xoxb-token');
    const b = box.seal('xoxb-token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb');
    expect(box.open(a)).toBe('xoxb-token');
  });

  it('generates a key file once, mode 0600, and reuses it', () => {
    const d = dir();
    const sealed = new SecretBox({ dataDir: d }).seal('value');
    const file = join(d, KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const material = readFileSync(file, 'utf8');
    expect(new SecretBox({ dataDir: d }).open(sealed)).toBe('value');
    expect(readFileSync(file, 'utf8')).toBe(material);
  });

  it('refuses a value sealed under another key, or altered, saying what to do', () => {
    const sealed = new SecretBox({ secret: 'first-secret-value', dataDir: dir() }).seal('value');
    const other = new SecretBox({ secret: 'second-secret-value', dataDir: dir() });
    expect(() => other.open(sealed)).toThrow(/OPSTRAILS_SECRET .* differs .* enter the secret again/);
    const box = new SecretBox({ secret: 'first-secret-value', dataDir: dir() });
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered)).toThrow(/cannot be decrypted/);
  });

  it('masks all but the last 4 characters, and short values entirely', () => {
    expect(maskSecret('glsa_abcdefgh12345678')).toBe('••••5678');
    expect(maskSecret('short')).toBe('••••');
  });
});
