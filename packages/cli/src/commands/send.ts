/** `opstrails send`: sends one event and prints its stored id. */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SEVERITIES } from '@opstrails/core';
import {
  type CloudEvent,
  type Commit,
  DESCRIPTION_MAX,
  deliveryFields,
  fitCommits,
  fitDescription,
} from '@opstrails/sdk';
import type { Command } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';

interface SendFlags extends ClientFlags {
  type: string;
  source: string;
  subject?: string;
  severity?: string;
  version?: string;
  id?: string;
  time: string;
  description?: string;
  timezone?: string;
  data?: string;
  dataschema?: string;
  datacontenttype?: string;
  json?: boolean;
  retries: string;
  commits?: string;
  gitCommits?: string;
  commitTime?: string;
  causedBy?: string;
}

export function registerSend(program: Command): void {
  const send = program
    .command('send')
    .description('Send one event (needs a READ_WRITE key) and print the stored event id.')
    .requiredOption('--type <type>', 'what happened: deployment, rollback, incident, db-migration, ...')
    .requiredOption(
      '--source <source>',
      'the system: a short name (BE, FE, DB) or a URI (//github.com/acme/api)',
    )
    .option('--subject <subject>', 'the environment: PRODUCTION, STAGING, ...')
    .option('--severity <severity>', `how much it matters: ${SEVERITIES.join(', ')}`)
    .option('--version <version>', 'release or build id')
    .option('--id <id>', 'event id; sending the same source + id again stores nothing new (default: a UUID)')
    .option('--time <time>', 'when: NOW, RFC 3339 (2025-01-15T14:30:00Z) or RFC 2822', 'NOW')
    .option('--description <text>', 'human summary, stored as data.description (cut to 1,000 characters)')
    .option('--timezone <zone>', 'IANA zone, stored as data.timezone (lets --time omit the offset)')
    .option('--data <json>', 'JSON object merged into data, or @file to read it from a file')
    .option('--dataschema <uri>', 'URI of the schema of data (informational)')
    .option('--datacontenttype <type>', 'content type of data (default application/json)')
    .option(
      '--commits <json>',
      'the commits this deployment ships, for lead time: a JSON list of {"sha","time","message"}, or @file',
    )
    .option(
      '--git-commits <range>',
      'read the commits from git log of this range in the current repository, e.g. v2.4.0..HEAD (merges left out)',
    )
    .option('--commit-time <time>', 'without a commit list: when the change was committed (RFC 3339)')
    .option('--caused-by <id>', 'the id of the event (a deployment) that caused this incident or rollback')
    .option('--json', 'print the whole stored event as JSON instead of its id')
    .option('--retries <n>', 'retries on 429, 5xx and network failures', '3');
  addClientOptions(send).addHelpText(
    'after',
    `
Examples:
  $ opstrails send --type deployment --source //github.com/acme/api --subject PRODUCTION \\
      --version v2.4.1 --description "New checkout flow"
  $ opstrails send --type incident --source BE --subject PRODUCTION --severity CRITICAL \\
      --time "2025-01-15T14:30:00+02:00" --data '{"ticket":"INC-42"}'
  $ opstrails send --type data-load --source DB --data @load-stats.json

Delivery metrics (DORA, docs/dora.md): a deployment with the commits it ships, and an incident
naming the deployment that caused it:
  $ opstrails send --type deployment --source BE --subject PRODUCTION --version v2.4.1 \\
      --id deploy-812 --git-commits v2.4.0..v2.4.1
  $ opstrails send --type incident --source pagerduty --subject PRODUCTION --caused-by deploy-812`,
  );
  send.action(async (flags: SendFlags) => {
    const delivery = deliveryOf(flags);
    const data = { ...buildData(flags), ...delivery.data };
    const event: CloudEvent = {
      specversion: '1.0',
      id: flags.id ?? randomUUID(),
      type: flags.type,
      source: flags.source,
      time: flags.time,
      subject: flags.subject,
      severity: flags.severity,
      version: flags.version,
      dataschema: flags.dataschema,
      datacontenttype: flags.datacontenttype,
      ...delivery.extensions,
      data: Object.keys(data).length > 0 ? data : undefined,
    };
    const client = openClient(flags, { maxRetries: parseRetries(flags.retries) });
    await runClient(async () => {
      const stored = await client.sendRawEvent(event);
      printWarnings(stored.warnings);
      process.stdout.write(flags.json ? `${JSON.stringify(stored, null, 2)}\n` : `${stored.id}\n`);
    });
  });
}

/** --commits, --git-commits, --commit-time and --caused-by, where the server's DORA reads them. */
function deliveryOf(flags: SendFlags) {
  if (flags.commits !== undefined && flags.gitCommits !== undefined)
    throw new Error('--commits and --git-commits: give one of them, not both');
  const commits =
    flags.commits !== undefined
      ? parseCommits(flags.commits)
      : flags.gitCommits !== undefined
        ? gitCommits(flags.gitCommits)
        : undefined;
  try {
    return deliveryFields({ commits, commitTime: flags.commitTime, causedBy: flags.causedBy });
  } catch (error) {
    // The SDK names the field (commits[0].time); the flag is what the user typed.
    const message = (error as Error).message
      .replace(/^commitTime:/, '--commit-time:')
      .replace(/^causedBy:/, '--caused-by:');
    throw new Error(message.startsWith('commits') ? `--commits: ${message}` : message);
  }
}

function parseCommits(raw: string): Commit[] {
  const text = raw.startsWith('@') ? readFile(raw) : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--commits: not valid JSON (${(error as Error).message}); e.g. --commits '[{"sha":"9f1c2e7","time":"2026-11-24T10:02:00Z"}]'`,
    );
  }
  if (!Array.isArray(value))
    throw new Error(
      `--commits: must be a JSON list, e.g. --commits '[{"sha":"9f1c2e7","time":"2026-11-24T10:02:00Z"}]'`,
    );
  return value as Commit[];
}

/** `git log` of the range: sha, committer date (strict ISO 8601) and subject of each commit but merges. */
function gitCommits(range: string): Commit[] {
  let out: string;
  try {
    out = execFileSync('git', ['log', '--no-merges', '--format=%H%x1f%cI%x1f%s', range, '--'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(
      `--git-commits ${range}: git log failed (${stderr || (error as Error).message}); run it inside the repository, with the range's commits fetched (actions/checkout: fetch-depth: 0)`,
    );
  }
  const all = out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [sha, time, message] = line.split('\u001f');
      return { sha: sha as string, time: time as string, message: message ?? '' };
    });
  const fitted = fitCommits(all);
  if (fitted.total > fitted.commits.length)
    process.stderr.write(
      `warning: --git-commits ${range} has ${fitted.total} commits; sending ${fitted.commits.length} spread over them (an event holds 10 KiB)\n`,
    );
  return fitted.commits;
}

/** The server's warnings on stderr (stdout keeps only the id or the JSON), one line each. */
export function printWarnings(warnings: string[] | undefined, where = ''): void {
  for (const warning of warnings ?? []) process.stderr.write(`warning: ${where}${warning}\n`);
}

/**
 * --data, then --description and --timezone over it. A description over the server's limit is
 * cut with a warning: a CI step should not fail because a changelog ran long.
 */
function buildData(flags: SendFlags): Record<string, unknown> {
  const data: Record<string, unknown> = flags.data === undefined ? {} : parseData(flags.data);
  if (flags.description !== undefined) data.description = flags.description;
  if (flags.timezone !== undefined) data.timezone = flags.timezone;
  if (typeof data.description === 'string') {
    const fitted = fitDescription(data.description);
    if (fitted.cutFrom !== undefined) {
      process.stderr.write(
        `warning: description has ${fitted.cutFrom.toLocaleString('en-US')} characters; cut to ${DESCRIPTION_MAX.toLocaleString('en-US')} (the limit), ending with "…"\n`,
      );
      data.description = fitted.text;
    }
  }
  return data;
}

function readFile(raw: string, flag = '--commits'): string {
  try {
    return readFileSync(raw.slice(1), 'utf8');
  } catch (error) {
    throw new Error(`${flag} ${raw}: cannot read the file (${(error as Error).message})`);
  }
}

function parseData(raw: string): Record<string, unknown> {
  const text = raw.startsWith('@') ? readFile(raw, '--data') : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--data: not valid JSON (${(error as Error).message}); e.g. --data '{"ticket":"INC-42"}'`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`--data: must be a JSON object, e.g. --data '{"ticket":"INC-42"}'`);
  }
  return value as Record<string, unknown>;
}

export function parseRetries(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`--retries: "${raw}" must be a whole number, e.g. --retries 3`);
  return Number(raw);
}
