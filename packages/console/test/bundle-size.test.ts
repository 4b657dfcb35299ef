/**
 * The console's main bundle stays under 150 KB gzipped (issue 16): the JavaScript index.html loads
 * before the first page draws (its entry script and the chunks it preloads), built fresh from the
 * sources into a temporary folder, gzipped as a server would send it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const CONSOLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_BYTES = 150 * 1024;

describe('console: main bundle size', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'opstrails-console-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('loads under 150 KB of gzipped JavaScript before the first page draws', async () => {
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root: CONSOLE_DIR,
        configFile: join(CONSOLE_DIR, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    // The entry script and every chunk it preloads: what the browser fetches up front.
    const scripts = [
      ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g),
    ].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.map((src) => gzipSync(readFileSync(join(outDir, src))).length);
    const total = gzipped.reduce((a, b) => a + b, 0);
    console.log(`console main bundle: ${(total / 1024).toFixed(1)} KB gzipped (${scripts.join(', ')})`);
    expect(total).toBeLessThan(BUDGET_BYTES);
  }, 120_000);
});
