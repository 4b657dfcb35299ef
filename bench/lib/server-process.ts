/** Runs the real `opstrails serve` in its own process for benchmarks, so the load generator does not share its event loop. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../packages/cli/bin/opstrails.js', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resident set size and its peak, in MiB, read from /proc. */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

export function createKey(dataDir: string, scope: 'READ_WRITE' | 'READ_ONLY' = 'READ_WRITE'): string {
  return execFileSync(
    process.execPath,
    [BIN, 'keys', 'create', '--scope', scope, '--name', 'bench', '--data-dir', dataDir],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ).trim();
}

export function startServerProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
      {
        env: { ...process.env, DATABASE_URL: '', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (!url) return;
      resolve({
        url,
        child,
        memory() {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
          return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
        },
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`opstrails serve exited early with ${code}`)));
  });
}
