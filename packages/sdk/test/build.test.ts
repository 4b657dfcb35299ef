/**
 * The published builds: the ESM and CommonJS outputs load in plain Node, with no runtime
 * dependency (not even @opstrails/core, whose types the SDK mirrors), and a client written
 * for the hosted SDK compiles against their declarations and runs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test-support/test-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdk = fileURLToPath(new URL('../', import.meta.url));

const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', `file://${root}`));

/** tsc on one file with a consumer's own settings (a file on the command line ignores tsconfig.json). */
function compile(file: string, flags: string[]): void {
  execFileSync(
    process.execPath,
    // `--types node`: a user's project sees Node's types, not every @types package this repository installs.
    [tsc, '--strict', '--target', 'ES2022', '--lib', 'ES2023,DOM', '--types', 'node', ...flags, file],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

describe('SDK builds', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [tsc, '--build', 'packages/sdk', 'packages/sdk/tsconfig.cjs.json'], {
      cwd: root,
    });
    execFileSync(process.execPath, ['packages/sdk/scripts/mark-cjs.js'], { cwd: root });
  }, 120_000);

  it('loads with require() and with import', () => {
    const script = (kind: string) =>
      `const c = new sdk.OpsTrailsClient({ apiKey: 'ot_x', baseUrl: 'http://h/' }); console.log('${kind}', c.baseUrl, typeof sdk.QuotaExceededError)`;
    const cjs = execFileSync(
      process.execPath,
      ['-e', `const sdk = require('@opstrails/sdk'); ${script('cjs')}`],
      {
        cwd: sdk,
        encoding: 'utf8',
      },
    );
    const esm = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `import * as sdk from '@opstrails/sdk'; ${script('esm')}`],
      { cwd: sdk, encoding: 'utf8' },
    );
    expect(cjs.trim()).toBe('cjs http://h function');
    expect(esm.trim()).toBe('esm http://h function');
  });

  it('has no runtime dependencies and declarations that stand alone', () => {
    const pkg = JSON.parse(readFileSync(`${sdk}package.json`, 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const dir of ['dist/esm', 'dist/cjs']) {
      for (const file of readdirSync(`${sdk}${dir}`).filter((f) => /\.(js|d\.ts)$/.test(f))) {
        expect(readFileSync(`${sdk}${dir}/${file}`, 'utf8'), `${dir}/${file}`).not.toMatch(
          /from '@opstrails|require\("@opstrails/,
        );
      }
    }
  });

  it('compile and run a client written against the hosted SDK surface', async () => {
    const fixture = `${sdk}test/hosted-client.fixture.ts`;
    // Emitted beside the fixture, so '@opstrails/sdk' resolves to the built package as for a user.
    const out = `${sdk}test/.hosted-${process.pid}`;
    const server = await startTestServer('sqlite');
    try {
      compile(fixture, ['--module', 'CommonJS', '--moduleResolution', 'Node10', '--noEmit']);
      compile(fixture, [
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--rootDir',
        `${sdk}test`,
        '--outDir',
        out,
      ]);
      const script = `import(${JSON.stringify(`${out}/hosted-client.fixture.js`)}).then((m) => m.run(process.argv[1], process.argv[2])).then((lines) => console.log(lines.join('\\n')))`;
      // Asynchronously: the server answers from this process, so it must not be blocked.
      const { stdout: output } = await promisify(execFile)(process.execPath, [
        '-e',
        script,
        server.url,
        await server.key('READ_WRITE'),
      ]);
      expect(output.trim().split('\n')).toEqual([
        'trackEvent deployment 2026-01-15T12:30:00.000Z MAJOR Deployed v1.2.3 to production',
        'sendRawEvent rollback BE string',
        'invalid: ValidationError 400 VALIDATION_ERROR',
        'unknown key: AuthenticationError 401 UNAUTHORIZED',
        'offline: NetworkError 0 NETWORK_ERROR',
        'createErrorFromResponse: QuotaExceededError 429 QUOTA_EXCEEDED',
        'envelope true true',
      ]);
    } finally {
      rmSync(out, { recursive: true, force: true });
      await server.close();
    }
  }, 120_000);
});
