import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('SQLite settings', () => {
  it('default to two reader threads and FULL sync', () => {
    expect(loadConfig({})).toMatchObject({ sqliteReaders: 2, sqliteSync: 'full' });
  });

  it('read OPSTRAILS_SQLITE_READERS and OPSTRAILS_SQLITE_SYNC, in any case', () => {
    expect(loadConfig({ OPSTRAILS_SQLITE_READERS: '0', OPSTRAILS_SQLITE_SYNC: 'NORMAL' })).toMatchObject({
      sqliteReaders: 0,
      sqliteSync: 'normal',
    });
    expect(loadConfig({ OPSTRAILS_SQLITE_READERS: '8', OPSTRAILS_SQLITE_SYNC: 'full' })).toMatchObject({
      sqliteReaders: 8,
      sqliteSync: 'full',
    });
  });

  it.each([
    [
      { OPSTRAILS_SQLITE_READERS: 'two' },
      /OPSTRAILS_SQLITE_READERS="two" is not a thread count: use a whole number from 0 to 32/,
    ],
    [{ OPSTRAILS_SQLITE_READERS: '-1' }, /OPSTRAILS_SQLITE_READERS="-1"/],
    [{ OPSTRAILS_SQLITE_READERS: '33' }, /OPSTRAILS_SQLITE_READERS="33"/],
    [
      { OPSTRAILS_SQLITE_SYNC: 'off' },
      /OPSTRAILS_SQLITE_SYNC="off" is not a sync mode: use full .* or normal/,
    ],
  ])('refuse %o with the setting and the fix named', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
