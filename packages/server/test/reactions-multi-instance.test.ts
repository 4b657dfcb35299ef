/**
 * Two server processes on one PostgreSQL schema, a consumer counting events on both: events sent
 * through both are each handled exactly once, also when one instance is killed with SIGKILL
 * mid-load and started again. (PostgreSQL only: several instances need a shared database.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchema,
  dropSchema,
  PG_URL,
  storeEnv,
  uniqueSchema,
} from '../../../test-support/test-server.js';
import { openStore } from '../src/store/store.js';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const BUNDLE = root(`test-artifacts/server/counting-server-${process.pid}.mjs`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bundles the counting server from the current sources (dependencies from node_modules). */
const bundle = () =>
  build({
    entryPoints: [root('packages/server/test/counting-server.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: Object.fromEntries(
      ['core', 'server'].map((pkg) => [`@opstrails/${pkg}`, root(`packages/${pkg}/src/index.ts`)]),
    ),
    logLevel: 'warning',
  });

function startInstance(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE], {
      env: { ...process.env, OPSTRAILS_LOG_LEVEL: 'warn', OPSTRAILS_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on('data', (c) => {
      err += c;
    });
    child.on('exit', (code) => reject(new Error(`counting server exited with ${code}: ${err}`)));
  });
}

describe.runIf(PG_URL)('reactions on two instances sharing PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-multi-'));
  const schema = uniqueSchema();
  const env = storeEnv(dataDir, schema);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  const children: ChildProcess[] = [];
  let key = '';

  beforeAll(async () => {
    await createSchema(schema);
    const store = await openStore({ dataDir, databaseUrl: PG_URL, pgSchema: schema });
    key = (await store.apiKeys.create((await store.organizations.ensureDefault()).id, 'multi', 'READ_WRITE'))
      .key;
    await store.close();
    await db.connect();
    await db.query(
      'create table test_handled (n bigserial primary key, seq bigint, txid bigint, event_id text, pid int)',
    );
    await bundle();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await db.end();
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('handles every event exactly once and in log order, across both instances and a SIGKILL of one', async () => {
    const launch = async () => {
      const instance = await startInstance(env);
      children.push(instance.child);
      return instance;
    };
    const acknowledged = new Set<string>();
    let stop = false;
    /** Sends events one by one until stopped or until the instance is gone. */
    const lane = async (url: string, name: string) => {
      for (let i = 0; !stop; i++) {
        const id = `${name}-${i}`;
        try {
          const res = await fetch(`${url}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              specversion: '1.0',
              type: 'deployment',
              source: 'MULTI',
              time: 'NOW',
              id,
            }),
          });
          if (res.status === 201) acknowledged.add(id);
        } catch {
          return;
        }
      }
    };
    const waitFor = async (n: number) => {
      while (acknowledged.size < n) await sleep(10);
    };

    const [a, b] = await Promise.all([launch(), launch()]);
    const lanes = [lane(a.url, 'a1'), lane(a.url, 'a2'), lane(b.url, 'b1'), lane(b.url, 'b2')];
    await waitFor(300);
    a.child.kill('SIGKILL');
    await waitFor(450);
    const again = await launch();
    lanes.push(lane(again.url, 'c1'), lane(again.url, 'c2'));
    await waitFor(700);
    stop = true;
    await Promise.all(lanes);

    const count = async (q: string) => Number((await db.query(q)).rows[0].n);
    const stored = await count(`select count(*) as n from events where source = 'MULTI'`);
    const deadline = Date.now() + 20_000;
    while ((await count('select count(*) as n from test_handled')) < stored && Date.now() < deadline)
      await sleep(100);

    const handled = (await db.query('select seq, txid, event_id, pid from test_handled order by n')).rows as {
      seq: string;
      txid: string;
      event_id: string;
      pid: number;
    }[];
    // Exactly once: as many handled rows as stored events, no event twice, every acknowledged one there.
    expect(handled).toHaveLength(stored);
    const ids = handled.map((h) => h.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of acknowledged) expect(ids).toContain(id);
    // In log order, whichever instance handled each batch.
    for (let i = 1; i < handled.length; i++) {
      const [p, c] = [handled[i - 1], handled[i]] as [(typeof handled)[0], (typeof handled)[0]];
      const before = BigInt(p.txid) < BigInt(c.txid) || (p.txid === c.txid && BigInt(p.seq) < BigInt(c.seq));
      expect(before).toBe(true);
    }
  }, 90_000);
});
