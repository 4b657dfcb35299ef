/**
 * A real Prometheus (Debian's package) on a free loopback port with its own temporary storage,
 * loaded with history through `promtool tsdb create-blocks-from openmetrics`, so a test knows
 * exactly which samples, at which step, the server holds.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample {
  /** Labels including none of `__name__`. */
  labels: Record<string, string>;
  /** Epoch milliseconds (whole seconds). */
  time: number;
  value: number;
}

export interface PrometheusFixture {
  url: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** OpenMetrics text of one gauge: samples grouped by label set, in time order within each. */
export function openMetrics(name: string, samples: Sample[]): string {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${v.replace(/["\\]/g, (c) => `\\${c}`)}"`)
      .join(',');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const lines = [`# TYPE ${name} gauge`];
  for (const [key, group] of groups) {
    for (const s of [...group].sort((a, b) => a.time - b.time))
      lines.push(`${name}{${key}} ${s.value} ${s.time / 1000}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

export async function startPrometheus(history: string): Promise<PrometheusFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-prom-'));
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'history.om'), history);
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), data], {
    stdio: 'pipe',
  });
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=30d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk) => {
    log = (log + String(chunk)).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prometheus was not ready within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
