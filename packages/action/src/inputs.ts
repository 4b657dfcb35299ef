/**
 * The workflow runner's side of an action, without @actions/core: inputs arrive as INPUT_*
 * variables (name upper-cased, spaces to underscores, hyphens kept: INPUT_API-KEY), outputs go
 * to the file named by GITHUB_OUTPUT, and workflow commands are lines on stdout.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export function getInput(env: NodeJS.ProcessEnv, name: string, required = false): string {
  const value = (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
  if (required && value === '') throw new Error(`Input required and not supplied: ${name}`);
  return value;
}

/** Hides the value wherever it would appear in the log from now on. */
export function mask(value: string): void {
  if (value !== '') process.stdout.write(`::add-mask::${value}\n`);
}

export function setOutput(env: NodeJS.ProcessEnv, name: string, value: string): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(`${name}=${value}\n`);
    return;
  }
  // The multi-line form with a random delimiter, so no value can forge another output.
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** Workflow command data: `%`, CR and LF escaped so a message stays one command. */
function escapeData(message: string): string {
  return message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Marks the step failed with a message the log highlights. */
export function fail(message: string): void {
  process.stdout.write(`::error::${escapeData(message)}\n`);
  process.exitCode = 1;
}

/** A warning annotation on the step, which still succeeds. */
export function warn(message: string): void {
  process.stdout.write(`::warning::${escapeData(message)}\n`);
}
