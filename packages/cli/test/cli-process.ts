/**
 * Runs the real `opstrails` command as a child process, as a user's shell would. The command is
 * bundled from the current sources once per test process (the workspace packages from their
 * src, dependencies left to node_modules), so a test never runs a stale build and each start
 * costs a fraction of a second.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
/** The bundled command: `node CLI_BUNDLE <args>` is `opstrails <args>`. */
export const CLI_BUNDLE = root(`test-artifacts/cli/opstrails-${process.pid}.mjs`);

let bundled: Promise<unknown> | undefined;

/** Bundles the CLI; call in beforeAll before spawning. */
export function buildCli(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [root('packages/cli/src/bin.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: Object.fromEntries(
      ['core', 'server', 'sdk'].map((pkg) => [`@opstrails/${pkg}`, root(`packages/${pkg}/src/index.ts`)]),
    ),
    logLevel: 'warning',
  });
  return bundled;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a clean shell: none of the caller's OpsTrails settings leak in. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OPSTRAILS_')),
  );
  return { ...base, NO_COLOR: '1', ...env };
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI_BUNDLE, ...args], {
    env: cleanEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A running child: its output so far, a wait for some output, and its end. */
export interface Watched {
  output: { stdout: string; stderr: string };
  /** Resolves once everything the stream printed so far matches; rejects if the child ends first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void>;
  result: Promise<CliResult>;
}

export function watch(child: ChildProcess): Watched {
  const output = { stdout: '', stderr: '' };
  const waiters: {
    stream: 'stdout' | 'stderr';
    pattern: RegExp;
    resolve: () => void;
    reject: (error: Error) => void;
  }[] = [];
  let ended: number | null | undefined;
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(output[w.stream])) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const unmatched = (stream: string, pattern: RegExp) =>
    new Error(
      `exited (${ended}) before ${stream} matched ${pattern}\nstdout: ${output.stdout}\nstderr: ${output.stderr}`,
    );
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (chunk) => {
      output[stream] += chunk;
      check();
    });
  }
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      ended = code;
      check();
      // A wait the output can no longer satisfy fails at once, with what the child printed.
      for (const w of waiters.splice(0)) w.reject(unmatched(w.stream, w.pattern));
      resolve({ code, ...output });
    });
  });
  return {
    output,
    result,
    waitFor: (stream, pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ stream, pattern, resolve, reject });
        check();
        if (ended !== undefined && waiters.length > 0) {
          waiters.splice(0);
          reject(unmatched(stream, pattern));
        }
      }),
  };
}

export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const child = spawnCli(args, env);
  const { result } = watch(child);
  child.stdin?.end(input);
  return result;
}
