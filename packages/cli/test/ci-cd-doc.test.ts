/**
 * Runs the examples of docs/ci-cd.md as written against a real server: the shell blocks with
 * bash, the shell inside the GitLab, Jenkins and Argo CD files as their runners would, and the
 * GitHub workflow's inputs through the action's committed bundle.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, CLI_BUNDLE } from './cli-process.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/ci-cd.md', import.meta.url)), 'utf8');
const ACTION = fileURLToPath(new URL('../../action/dist/index.js', import.meta.url));

/** The fenced blocks of one language, in order. */
function blocks(lang: string): string[] {
  return [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
}

/** The literal block scalar that follows `- |` in a YAML text, dedented as YAML would. */
function literalAfterDash(yaml: string): string {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s*- \|$/.test(l));
  const body: string[] = [];
  let indent = -1;
  for (const line of lines.slice(start + 1)) {
    const own = line.length - line.trimStart().length;
    if (line.trim() !== '' && indent === -1) indent = own;
    if (line.trim() !== '' && own < indent) break;
    body.push(line.slice(indent));
  }
  return body.join('\n');
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn('bash', ['-c', script], { env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('docs/ci-cd.md examples', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let reader: OpsTrailsClient;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
    const key = await server.key('READ_WRITE');
    // `opstrails` on PATH, as after an install.
    const bin = mkdtempSync(join(tmpdir(), 'opstrails-bin-'));
    writeFileSync(join(bin, 'opstrails'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BUNDLE}" "$@"\n`);
    chmodSync(join(bin, 'opstrails'), 0o755);
    env = { PATH: `${bin}:${process.env.PATH}`, OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: key };
    reader = new OpsTrailsClient({ apiKey: key, baseUrl: server.url });
  });
  afterAll(() => server.close());

  const latest = async (source: string) => (await reader.listEvents({ source, limit: 1 })).events[0];

  it('curl and CLI blocks run as written', async () => {
    const runnable = blocks('sh').filter((b) => !b.startsWith('opstrails serve') && !b.startsWith('kubectl'));
    expect(runnable).toHaveLength(4);
    for (const script of runnable) {
      const result = await bash(script, env);
      expect(result, script).toMatchObject({ code: 0 });
    }
    const events = (await reader.listEvents({ source: 'BE' })).events;
    expect(events.map((e) => [e.subject, e.version])).toEqual([
      ['PRODUCTION', 'v2.4.1'],
      ['STAGING', 'v2.4.2'],
      ['PRODUCTION', 'v2.4.1'],
    ]);
    expect(events[0]?.data).toEqual({ description: 'New checkout flow', pr: 1234 });
    expect(events[1]?.id).toBe('deploy-be-v2.4.2');
  });

  it('the GitLab CI job script runs as written', async () => {
    const gitlab = blocks('yaml').find((b) => b.includes('.gitlab-ci.yml')) as string;
    const result = await bash(literalAfterDash(gitlab), {
      ...env,
      CI_PROJECT_PATH: 'acme/api',
      CI_COMMIT_SHORT_SHA: 'a1b2c3d4',
      CI_PIPELINE_ID: '1841',
      CI_PIPELINE_URL: 'https://gitlab.com/acme/api/-/pipelines/1841',
    });
    expect(result.code, result.out).toBe(0);
    expect(await latest('//gitlab.com/acme/api')).toMatchObject({
      id: 'gitlab-pipeline-1841',
      version: 'a1b2c3d4',
      data: { pipeline: 'https://gitlab.com/acme/api/-/pipelines/1841' },
    });
  });

  it("the Jenkinsfile's post step runs as written", async () => {
    const jenkinsfile = blocks('groovy')[0] as string;
    // Groovy's ''' string: a backslash before a line break joins the lines.
    const script = (/sh '''\n([\s\S]*?)'''/.exec(jenkinsfile)?.[1] ?? 'exit 99').replace(/\\\n/g, '');
    const workspace = mkdtempSync(join(tmpdir(), 'jenkins-'));
    const result = await bash(`cd ${workspace} && ${script}`, {
      ...env,
      JOB_NAME: 'api-deploy',
      BUILD_NUMBER: '77',
      GIT_COMMIT: '0f1e2d3c',
      BUILD_URL: 'https://jenkins.example.com/job/api-deploy/77/',
    });
    expect(result.code, result.out).toBe(0);
    expect(await latest('//jenkins/api-deploy')).toMatchObject({
      id: 'jenkins-api-deploy-77',
      version: '0f1e2d3c',
    });
  });

  it('the Argo CD hook container command runs as written', async () => {
    const job = blocks('yaml').find((b) => b.includes('argocd.argoproj.io/hook')) as string;
    const result = await bash(literalAfterDash(job), { ...env, APP_VERSION: 'v2.4.1' });
    expect(result.code, result.out).toBe(0);
    expect(await latest('argocd/checkout')).toMatchObject({ type: 'deployment', version: 'v2.4.1' });
  });

  it("the GitHub workflow's inputs work with the action", async () => {
    const workflow = blocks('yaml').find((b) => b.includes('.github/workflows')) as string;
    const withBlock = /uses: your-org\/opstrails\/packages\/action@main\n\s+with:\n((?:\s{10}.+\n)+)/.exec(
      workflow,
    )?.[1];
    const context: Record<string, string> = {
      'secrets.OPSTRAILS_API_KEY': env.OPSTRAILS_API_KEY as string,
      'vars.OPSTRAILS_URL': server.url,
      'github.sha': '9f8e7d6c',
      'github.actor': 'octocat',
      'github.server_url': 'https://github.com',
      'github.repository': 'acme/api',
      'github.run_id': '555',
    };
    const inputs: Record<string, string> = {};
    for (const line of (withBlock as string).trimEnd().split('\n')) {
      const [, name, raw] = /^\s*([\w-]+): (.*)$/.exec(line) as RegExpExecArray;
      const value = (raw as string)
        .replace(/^'(.*)'$/, '$1')
        .replace(/\$\{\{ ([\w.]+) \}\}/g, (_, ref) => context[ref] ?? '');
      inputs[`INPUT_${(name as string).toUpperCase()}`] = value;
    }
    const outputFile = join(mkdtempSync(join(tmpdir(), 'gh-')), 'output');
    writeFileSync(outputFile, '');
    const result = await bash(`"${process.execPath}" "${ACTION}"`, {
      ...inputs,
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_OUTPUT: outputFile,
    });
    expect(result.code, result.out).toBe(0);
    expect(readFileSync(outputFile, 'utf8')).toMatch(/^event-id<</);
    expect(await latest('//github.com/acme/api')).toMatchObject({
      version: '9f8e7d6c',
      data: { description: 'Deployed by octocat', run: 'https://github.com/acme/api/actions/runs/555' },
    });
  });
});
