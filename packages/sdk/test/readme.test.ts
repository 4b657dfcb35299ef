/**
 * Runs the TypeScript examples of the SDK README, in order, as one script against a real
 * server (only the URL and the output file are swapped in), so the README cannot rot. The live
 * feed example runs until Ctrl-C, so it is left to tail.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('SDK README examples', () => {
  let server: TestServer;
  const out = mkdtempSync(join(tmpdir(), 'opstrails-readme-'));

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    vi.stubEnv('OPSTRAILS_API_KEY', await server.key('READ_WRITE'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('run as written', async () => {
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const script = blocks
      .filter((b) => !b.includes('tailEvents'))
      .join('\n')
      .replace("'http://127.0.0.1:8080'", JSON.stringify(server.url))
      .replace("'events.ndjson'", JSON.stringify(join(out, 'events.ndjson')));
    // Beside this test, so '@opstrails/sdk' resolves exactly as it does here.
    const file = fileURLToPath(new URL(`./readme-${process.pid}.tmp.ts`, import.meta.url));
    writeFileSync(file, script);
    const logged: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args) => void logged.push(args));
    const errors = vi
      .spyOn(console, 'error')
      .mockImplementation((...args) => void logged.push(['error', ...args]));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
      errors.mockRestore();
      rmSync(file, { force: true });
    }
    expect(logged.some((args) => args[0] === 'error' && /timezone is missing/.test(String(args[1])))).toBe(
      true,
    );
    const exported = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n');
    expect(exported.length).toBeGreaterThanOrEqual(3);
    expect(
      await (await server.api('/api/v1/events/build-1841-fe', { key: process.env.OPSTRAILS_API_KEY })).json(),
    ).toMatchObject({
      data: { source: 'FE' },
    });
  });
});
