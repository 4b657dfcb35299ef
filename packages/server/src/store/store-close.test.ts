import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const STORE = fileURLToPath(new URL('./store.ts', import.meta.url));

describe('closing a SQLite store with its threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-close-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for the checkpointer and the reader threads to stop, in a process with nothing else to do', () => {
    // Idle threads do not keep a process alive; while the store closes they must, or the process
    // exits mid-close (code 13, an unsettled top-level await) and whatever follows never runs.
    const script = join(dir, 'close.mts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(STORE)};
const store = await openStore({ dataDir: ${JSON.stringify(join(dir, 'data'))}, backgroundCheckpoints: true, sqliteReaders: 2 });
await store.organizations.ensureDefault();
await store.events.list((await store.organizations.ensureDefault()).id, {}, 10);
await store.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});
