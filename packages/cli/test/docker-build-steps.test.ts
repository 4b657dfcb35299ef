/**
 * The deployment files without a Docker engine: the Dockerfile's install and start steps
 * (scripts/docker-build-steps.sh) run here, and the compose file's and Dockerfile's wiring
 * (setting names, ports, volumes, the database URL) is checked against what config.ts reads.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '@opstrails/server';
import { afterAll, describe, expect, it } from 'vitest';
import { watch } from './cli-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'opstrails-docker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Service {
  environment: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}
const compose = JSON.parse(readFileSync(join(root, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** Every environment variable the server's sources read (`env.NAME`). */
function settingsRead(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/env\.((?:OPSTRAILS_|DATABASE_)\w+)/g))
          names.add(m[1] as string);
      }
    }
  };
  walk(join(root, 'packages/server/src'));
  return names;
}

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` with the given .env values. */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_all, name: string, op?: string, rest?: string) => {
      const set = dotenv[name];
      if (set !== undefined && set !== '') return set;
      if (op === '?') throw new Error(`${name} is required: ${rest}`);
      return op === '-' ? (rest ?? '') : '';
    },
  );
}

describe('compose.yaml and Dockerfile', () => {
  const server = compose.services.opstrails as Service;
  const db = compose.services.db as Service;
  const dotenv = { POSTGRES_PASSWORD: 'pw-from-env', OPSTRAILS_SECRET: 'a-secret-of-at-least-16-chars' };

  it('the server service sets only settings the server reads, and they load into a valid config', () => {
    const known = settingsRead();
    for (const name of Object.keys(server.environment))
      expect(known, `${name} is not read by the server`).toContain(name);
    const env = Object.fromEntries(
      Object.entries(server.environment).map(([k, v]) => [k, interpolate(v, dotenv)]),
    );
    const config = loadConfig(env);

    const containerPort = Number(server.ports?.[0]?.split(':').at(-1));
    expect(config.port).toBe(containerPort);
    expect(config.host).toBe('0.0.0.0');
    const [volume, mount] = (server.volumes?.[0] ?? '').split(':');
    expect(config.dataDir).toBe(mount);
    expect(Object.keys(compose.volumes)).toContain(volume);

    const url = new URL(config.databaseUrl as string);
    expect(Object.keys(compose.services)).toContain(url.hostname);
    expect(url.username).toBe(interpolate(db.environment.POSTGRES_USER as string, dotenv));
    expect(url.password).toBe(dotenv.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(db.environment.POSTGRES_DB);
    expect(config.channels).toBeDefined();
  });

  it('refuses to start without the secrets it needs, naming them', () => {
    expect(() => interpolate(server.environment.OPSTRAILS_SECRET as string, {})).toThrow(
      /OPSTRAILS_SECRET is required/,
    );
    expect(() => interpolate(db.environment.POSTGRES_PASSWORD as string, {})).toThrow(
      /POSTGRES_PASSWORD is required/,
    );
  });

  it('the Dockerfile listens, keeps data and checks health where its settings say', () => {
    const env = Object.fromEntries(
      [...dockerfile.matchAll(/(OPSTRAILS_\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    const config = loadConfig(env);
    expect(dockerfile).toContain(`EXPOSE ${config.port}`);
    expect(dockerfile).toContain(`VOLUME ${config.dataDir}`);
    expect(dockerfile).toContain(`http://127.0.0.1:${config.port}/healthz`);
    expect(dockerfile).toMatch(/^USER opstrails$/m);
    expect(dockerfile).toContain('scripts/docker-build-steps.sh install /opt/opstrails');
    expect(dockerfile).toContain('ENTRYPOINT ["/opt/opstrails/bin/opstrails"]');
  });
});

describe('scripts/docker-build-steps.sh', () => {
  it("install then start: the image's server comes up and answers /healthz", async () => {
    const prefix = join(scratch, 'opt');
    await run(join(root, 'scripts/docker-build-steps.sh'), ['install', prefix], {
      maxBuffer: 16 * 1024 * 1024,
      // Ends a stuck install before the test's own timeout, so the failure shows npm's output.
      timeout: 180_000,
    });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('OPSTRAILS_') && k !== 'DATABASE_URL'),
    );
    const child = spawn(join(root, 'scripts/docker-build-steps.sh'), ['start', prefix], {
      cwd: scratch,
      env: {
        ...env,
        OPSTRAILS_HOST: '127.0.0.1',
        OPSTRAILS_PORT: '0',
        OPSTRAILS_DATA_DIR: join(scratch, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const watched = watch(child);
      await watched.waitFor('stdout', /running at (http:\/\/\S+)/);
      const url = /running at (http:\/\/\S+)/.exec(watched.output.stdout)?.[1] as string;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 240_000);
});
