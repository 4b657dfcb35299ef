/**
 * The `opstrails` command installed globally, as a user would: from the clone
 * (`npm install -g ./packages/cli`) and from the packed tarball (`npm run pack:cli`, then
 * `npm install -g <tarball>` without network access), each into a temporary prefix and run
 * from a directory that is not the clone. Both run the built packages: `npx tsc --build` and
 * the console build first (`npm run build`).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watch } from './cli-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'opstrails-global-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'opstrails-cwd-'));

/** The environment of a user's shell: none of the test's OpsTrails settings, no workspace paths. */
function userEnv(dataDir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OPSTRAILS_')),
  );
  delete env.DATABASE_URL;
  delete env.NODE_PATH;
  return { ...env, NO_COLOR: '1', OPSTRAILS_DATA_DIR: dataDir };
}

async function opstrails(bin: string, args: string[], dataDir: string) {
  return run(bin, args, { cwd: elsewhere, env: userEnv(dataDir), encoding: 'utf8' });
}

beforeAll(() => {
  for (const built of [
    'packages/cli/dist/bin.js',
    'packages/server/dist/index.js',
    'packages/console/dist/index.html',
  ]) {
    if (!existsSync(join(root, built)))
      throw new Error(`${built} is missing: run \`npm run build\` before this test`);
  }
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('global install', () => {
  it('from the clone: npm install -g ./packages/cli puts opstrails on PATH', async () => {
    const prefix = join(scratch, 'from-clone');
    await run('npm', ['install', '-g', '--offline', '--prefix', prefix, './packages/cli'], { cwd: root });
    const bin = join(prefix, 'bin', 'opstrails');

    const help = await opstrails(bin, ['--help'], join(scratch, 'data-clone'));
    expect(help.stdout).toMatch(/^Usage: opstrails/);
    expect(help.stdout).toContain('serve');

    const created = await opstrails(
      bin,
      ['keys', 'create', '--scope', 'READ_ONLY', '--name', 'ci'],
      join(scratch, 'data-clone'),
    );
    expect(created.stdout.trim()).toMatch(/^ot_/);
    const listed = await opstrails(bin, ['keys', 'list'], join(scratch, 'data-clone'));
    expect(listed.stdout).toContain('ci');
    expect(listed.stdout).toContain('READ_ONLY');
  }, 120_000);

  it('from the packed tarball, offline: the command, the store and the console all come with it', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'scripts/pack-cli.mjs'), scratch], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = stdout.trim();
    expect(tarball).toMatch(/opstrails-cli-\d+\.\d+\.\d+\.tgz$/);

    // --ignore-scripts: the bundled better-sqlite3 was built here for this Node; without it npm
    // rebuilds the native module, which works too but costs a minute of CPU.
    const prefix = join(scratch, 'from-tarball');
    await run('npm', ['install', '-g', '--offline', '--ignore-scripts', '--prefix', prefix, tarball], {
      cwd: elsewhere,
    });
    const bin = join(prefix, 'bin', 'opstrails');
    const dataDir = join(scratch, 'data-tarball');

    expect((await opstrails(bin, ['--help'], dataDir)).stdout).toMatch(/^Usage: opstrails/);
    const key = (
      await opstrails(bin, ['keys', 'create', '--scope', 'READ_WRITE', '--name', 'deploys'], dataDir)
    ).stdout.trim();
    expect((await opstrails(bin, ['keys', 'list'], dataDir)).stdout).toContain('deploys');

    let server: ChildProcess | undefined;
    try {
      server = spawn(bin, ['serve', '--port', '0'], {
        cwd: elsewhere,
        env: userEnv(dataDir),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const watched = watch(server);
      await watched.waitFor('stdout', /running at (http:\/\/\S+)/);
      const url = /running at (http:\/\/\S+)/.exec(watched.output.stdout)?.[1] as string;

      const sent = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' }),
      });
      expect(sent.status).toBe(201);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"');
    } finally {
      server?.kill('SIGTERM');
    }
  }, 240_000);
});
