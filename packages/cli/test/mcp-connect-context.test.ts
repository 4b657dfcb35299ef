/** `opstrails connect` writing client configs (never clobbering, no key in project files) and `opstrails context get|set`. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { CONTEXT_TEMPLATE_MARKER } from '../../server/src/domain/context-template.js';
import { buildCli, runCli } from './cli-process.js';

describe('opstrails connect', () => {
  let dir: string;
  let home: string;

  beforeAll(async () => {
    await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'opstrails-connect-'));
    home = mkdtempSync(join(tmpdir(), 'opstrails-home-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const connect = (args: string[], env: Record<string, string> = {}) =>
    runCli(['connect', '--dir', dir, '--url', 'https://ops.example.com/', ...args], { HOME: home, ...env });
  const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

  it('writes .mcp.json for Claude Code with a key reference, never the key', async () => {
    const result = await connect([], { OPSTRAILS_API_KEY: 'ot_secret_value' });
    expect(result.code, result.stderr).toBe(0);
    const file = join(dir, '.mcp.json');
    expect(result.stdout.trim()).toBe(file);
    expect(json(file)).toEqual({
      mcpServers: {
        opstrails: {
          type: 'http',
          url: 'https://ops.example.com/api/mcp/mcp',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal reference the client expands.
          headers: { Authorization: 'Bearer ${OPSTRAILS_API_KEY}' },
        },
      },
    });
    expect(readFileSync(file, 'utf8')).not.toContain('ot_secret_value');
  });

  it('keeps other servers, and refuses to replace an existing entry without --force', async () => {
    const file = join(dir, '.cursor', 'mcp.json');
    await connect(['--client', 'cursor']);
    const config = json(file);
    config.mcpServers.other = { url: 'https://other.example.com/mcp' };
    config.mcpServers.opstrails.url = 'https://old.example.com/api/mcp/mcp';
    writeFileSync(file, JSON.stringify(config));
    const refused = await connect(['--client', 'cursor']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(json(file).mcpServers.opstrails.url).toBe('https://old.example.com/api/mcp/mcp');
    const forced = await connect(['--client', 'cursor', '--force']);
    expect(forced.code).toBe(0);
    expect(json(file).mcpServers).toEqual({
      other: { url: 'https://other.example.com/mcp' },
      opstrails: {
        url: 'https://ops.example.com/api/mcp/mcp',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal reference the client expands.
        headers: { Authorization: 'Bearer ${env:OPSTRAILS_API_KEY}' },
      },
    });
  });

  it('never rewrites a file it cannot parse', async () => {
    const file = join(dir, '.vscode', 'mcp.json');
    await connect(['--client', 'vscode']);
    expect(json(file).inputs[0]).toMatchObject({ id: 'opstrails-api-key', password: true });
    writeFileSync(file, '{ broken');
    const result = await connect(['--client', 'vscode', '--force']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('left untouched');
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
  });

  it('writes Claude Desktop user config running opstrails mcp, readable by the user only', async () => {
    const result = await connect(['--client', 'claude-desktop'], { OPSTRAILS_API_KEY: 'ot_desktop' });
    expect(result.code, result.stderr).toBe(0);
    const file = result.stdout.trim();
    expect(file.startsWith(home)).toBe(true);
    expect(json(file).mcpServers.opstrails).toEqual({
      command: 'opstrails',
      args: ['mcp'],
      env: { OPSTRAILS_URL: 'https://ops.example.com', OPSTRAILS_API_KEY: 'ot_desktop' },
    });
    expect(statSync(file).mode & 0o077).toBe(0);
    const project = await connect(['--client', 'claude-desktop', '--scope', 'project']);
    expect(project.code).toBe(1);
    expect(project.stderr).toContain('only a user configuration');
  });

  it('has help with an example', async () => {
    const help = await runCli(['connect', '--help']);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('claude-desktop');
  });
});

describe('opstrails context', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
    env = { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: await server.key('READ_WRITE') };
    dir = mkdtempSync(join(tmpdir(), 'opstrails-context-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the template, sets a file, gets it back', async () => {
    const template = await runCli(['context', 'get'], env);
    expect(template.code).toBe(0);
    expect(template.stdout.startsWith(CONTEXT_TEMPLATE_MARKER)).toBe(true);
    expect(template.stderr).toContain('this is the template');
    const file = join(dir, 'context.txt');
    // Saved back unedited, the template is refused with what to write instead.
    writeFileSync(file, template.stdout);
    const unedited = await runCli(['context', 'set', '--file', file], env);
    expect(unedited.code).toBe(1);
    expect(unedited.stderr).toMatch(
      /context: is the unedited template .*write your own.*\[VALIDATION_ERROR\]/,
    );
    writeFileSync(file, 'We run a bakery. PRODUCTION is the shop.\n');
    const set = await runCli(['context', 'set', '--file', file], env);
    expect(set.code, set.stderr).toBe(0);
    const got = await runCli(['context', 'get'], env);
    expect(got.stdout).toBe('We run a bakery. PRODUCTION is the shop.\n');
    const stdin = await runCli(['context', 'set', '--file', '-'], env, 'From stdin.');
    expect(stdin.code).toBe(0);
    expect((await runCli(['context', 'get'], env)).stdout).toBe('From stdin.\n');
  });

  it('says what to fix', async () => {
    const readOnly = await runCli(
      ['context', 'set', '--file', '-'],
      { ...env, OPSTRAILS_API_KEY: await server.key('READ_ONLY') },
      'x',
    );
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain('[FORBIDDEN]');
    expect(readOnly.stderr).toContain('READ_WRITE');
    const missing = await runCli(['context', 'set', '--file', join(dir, 'nope.txt')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read it (ENOENT)');
  });
});
