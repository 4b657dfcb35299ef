/**
 * Probes `/healthz` from its own process, so the latencies are the server's and not the load
 * generator's: a benchmark client busy parsing streams would otherwise delay its own probes.
 */
import { spawn } from 'node:child_process';

const PROBE = `
const [url, everyMs] = process.argv.slice(1);
const latencies = [];
let running = true;
process.on('message', () => { running = false; });
(async () => {
  while (running) {
    const t = performance.now();
    const res = await fetch(url + '/healthz');
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error('/healthz answered ' + res.status);
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, Number(everyMs)));
  }
  process.send(latencies, () => process.exit(0));
})();
`;

/** Starts probing every `everyMs`; `stop()` resolves with the latencies in ms, sorted. */
export function probeHealth(url: string, everyMs: number): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', PROBE, url, String(everyMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise<number[]>((resolve, reject) => {
    child.once('message', (latencies) => resolve((latencies as number[]).sort((a, b) => a - b)));
    child.once('exit', (code) => reject(new Error(`the /healthz probe exited with ${code}`)));
  });
  return {
    stop() {
      child.send('stop');
      return result;
    },
  };
}
