import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { openStore, SQLITE_FILE } from './store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const events = (n: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `cp-${i}`,
    type: 'deployment',
    source: 'BE',
    time: Date.now(),
    subject: 'PRODUCTION',
    severity: null,
    version: null,
    datacontenttype: 'application/json',
    dataschema: null,
    data: { description: 'x'.repeat(200) },
    size: 300,
  }));

describe('background WAL checkpoints', () => {
  it('copies committed pages into the database file without the writer doing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opstrails-ckpt-'));
    const store = await openStore({ dataDir: dir, backgroundCheckpoints: true });
    try {
      const org = await store.organizations.ensureDefault();
      await sleep(700);
      const before = statSync(join(dir, SQLITE_FILE)).size;
      // ~2 MB of pages: below the writer's own safety-net threshold, so only the worker moves them.
      await store.events.insert(org.id, events(1_000), Date.now());
      await store.events.insert(org.id, events(2_000).slice(1_000), Date.now());
      let after = before;
      for (let i = 0; i < 30 && after <= before; i++) {
        await sleep(100);
        after = statSync(join(dir, SQLITE_FILE)).size;
      }
      expect(after).toBeGreaterThan(before + 500_000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
