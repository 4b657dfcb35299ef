import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test never sees a stale build.
    alias: {
      '@opstrails/core': src('core'),
      '@opstrails/server': src('server'),
      '@opstrails/sdk': src('sdk'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // At least three test files at once. Vitest's default is cores - 1: one worker on a 2-core
    // machine, where most slow files wait on something other than the CPU (a server, a child
    // process, Chromium, PostgreSQL). Measured on the 2-core development machine with other work
    // beside it: one worker 1,278 s of vitest (median load average 5), three workers 1,000 s and
    // 769 s (median load 9 and 10: the CPU, not the waiting, was then the limit).
    // Files may run side by side because each is isolated: a free port, its own temporary
    // directory, its own PostgreSQL schema (test-support/test-server.ts). docs/architecture.md, "Tests".
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
