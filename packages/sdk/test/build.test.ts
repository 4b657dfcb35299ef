/**
 * The published builds: the ESM and CommonJS outputs load in plain Node, with no runtime
 * dependency (not even @opstrails/core, whose types the SDK mirrors).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdk = fileURLToPath(new URL('../', import.meta.url));

describe('SDK builds', () => {
  beforeAll(() => {
    const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', `file://${root}`));
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
});
