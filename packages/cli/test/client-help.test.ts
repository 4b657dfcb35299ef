/** Every client command explains itself with --help, examples included. */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from './cli-process.js';

const COMMANDS = [
  ['send'],
  ['events'],
  ['events', 'list'],
  ['events', 'get'],
  ['events', 'tail'],
  ['export'],
  ['import'],
];

describe('client commands --help', () => {
  beforeAll(() => buildCli());

  it.concurrent.each(COMMANDS)('%s --help shows an example', async (command) => {
    const result = await runCli([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples?:\n {2}\$ opstrails /);
    expect(result.stdout).toContain(`Usage: opstrails ${command}`);
  });
});
