/** Every command and subcommand of `opstrails`, found by walking the program, shows an example in --help. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

function commands(command: Command, prefix: string[] = []): Array<[string, Command]> {
  return command.commands
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return [[path.join(' '), sub] as [string, Command], ...commands(sub, path)];
    });
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe('opstrails --help', () => {
  const all = commands(buildProgram());

  it('finds the commands', () => {
    expect(all.map(([name]) => name)).toEqual(
      expect.arrayContaining(['serve', 'keys create', 'orgs list', 'events tail']),
    );
  });

  it.each(all)('%s --help shows an example', (_name, command) => {
    expect(helpOf(command)).toMatch(/Examples?\b[^\n]*:\n {2}\$ .*opstrails /);
  });
});
