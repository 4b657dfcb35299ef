/**
 * Secrets in configurations (channel tokens, webhook secrets, API keys) are write-only and stored
 * encrypted (extended API, "Who may call what"): AES-256-GCM, one random 96-bit nonce per value,
 * the tag checked on every read. The key is derived (HKDF-SHA-256) from OPSTRAILS_SECRET, or,
 * when that is unset, from a key file generated once in the data directory (mode 0600). Several
 * instances on one PostgreSQL need the same OPSTRAILS_SECRET: each would generate its own file.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE = 'secret.key';
const PREFIX = 'v1:';

/** How a secret is shown in answers: the last 4 characters only. */
export function maskSecret(value: string): string {
  return `••••${value.length > 8 ? value.slice(-4) : ''}`;
}

/** Whether a value sent back is the mask of a stored secret (a form resubmitted unchanged). */
export const isMask = (value: string) => value.startsWith('••••');

function keyFileMaterial(dataDir: string): Buffer {
  const file = join(dataDir, KEY_FILE);
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const material = randomBytes(32);
  try {
    // `wx`: two processes starting at once keep the first file written, and both read it.
    writeFileSync(file, `${material.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  }
  return material;
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(options: { secret?: string; dataDir: string }) {
    const material = options.secret ? Buffer.from(options.secret, 'utf8') : keyFileMaterial(options.dataDir);
    this.key = Buffer.from(hkdfSync('sha256', material, 'opstrails', 'configuration secrets', 32));
  }

  seal(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64');
  }

  /** Throws when the value was sealed with another key (OPSTRAILS_SECRET changed) or altered. */
  open(value: string): string {
    if (!value.startsWith(PREFIX)) throw new Error('not a sealed secret');
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        'a stored secret cannot be decrypted: OPSTRAILS_SECRET (or the data directory key file) differs from the one it was saved with; enter the secret again',
      );
    }
  }
}
