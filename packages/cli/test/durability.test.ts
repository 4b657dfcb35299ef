/**
 * An event that got a 201 survives a crash: the server is killed with SIGKILL while a client
 * sends, restarted on the same store, and must hold every acknowledged event; resending the
 * unacknowledged ones creates no duplicate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCliServer } from '../../../test-support/cli.js';
import {
  createSchema,
  dropSchema,
  ENGINES,
  storeEnv,
  uniqueSchema,
} from '../../../test-support/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('durability on %s', (engine) => {
  it('keeps every acknowledged event across SIGKILL, and a resend adds no duplicate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-crash-'));
    const schema = engine === 'postgres' ? uniqueSchema() : undefined;
    const env = storeEnv(dataDir, schema);
    try {
      if (schema) await createSchema(schema);
      const first = await startCliServer(env);
      const key = (await runCli(['keys', 'create', '--scope', 'READ_WRITE'], env)).stdout.trim();
      expect(key).toMatch(/^ot_/);

      const acknowledged = new Set<string>();
      const attempted: string[] = [];
      let stop = false;
      const sender = async (lane: number) => {
        for (let i = 0; !stop; i++) {
          const id = `crash-${lane}-${i}`;
          attempted.push(id);
          try {
            const res = await fetch(`${first.url}/api/v1/events`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                specversion: '1.0',
                type: 'deployment',
                source: 'CRASH',
                time: 'NOW',
                id,
              }),
            });
            if (res.status === 201) acknowledged.add(id);
          } catch {
            return; // the server is gone
          }
        }
      };
      const lanes = [0, 1, 2, 3].map(sender);
      while (acknowledged.size < 200) await sleep(10);
      first.child.kill('SIGKILL');
      stop = true;
      await Promise.all(lanes);

      const second = await startCliServer(env);
      try {
        const stored = new Set<string>();
        let cursor: string | null = null;
        do {
          const res = await fetch(
            `${second.url}/api/v1/events?source=CRASH&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
            {
              headers: { authorization: `Bearer ${key}` },
            },
          );
          const page = (
            (await res.json()) as { data: { events: { id: string }[]; nextCursor: string | null } }
          ).data;
          for (const e of page.events) stored.add(e.id);
          cursor = page.nextCursor;
        } while (cursor);
        for (const id of acknowledged) expect(stored.has(id)).toBe(true);

        // The client resends everything it attempted: stored ones answer 200, the rest 201, nothing twice.
        const statuses = new Map<string, number>();
        for (let i = 0; i < attempted.length; i += 500) {
          const batch = attempted
            .slice(i, i + 500)
            .map((id) => ({ specversion: '1.0', type: 'deployment', source: 'CRASH', time: 'NOW', id }));
          const res = await fetch(`${second.url}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(batch),
          });
          expect(res.status).toBe(200);
        }
        for (const id of acknowledged) {
          const res = await fetch(`${second.url}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              specversion: '1.0',
              type: 'deployment',
              source: 'CRASH',
              time: 'NOW',
              id,
            }),
          });
          statuses.set(id, res.status);
        }
        expect([...statuses.values()].every((s) => s === 200)).toBe(true);
        const exported = (await (
          await fetch(`${second.url}/api/v1/events/export?source=CRASH`, {
            headers: { authorization: `Bearer ${key}` },
          })
        ).json()) as { id: string }[];
        expect(exported).toHaveLength(new Set(attempted).size);
        expect(new Set(exported.map((e) => e.id)).size).toBe(exported.length);
      } finally {
        second.child.kill('SIGTERM');
      }
    } finally {
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
