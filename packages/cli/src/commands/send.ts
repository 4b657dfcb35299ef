/** `opstrails send`: sends one event and prints its stored id. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SEVERITIES } from '@opstrails/core';
import { type CloudEvent, DESCRIPTION_MAX, fitDescription } from '@opstrails/sdk';
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
  $ opstrails send --type data-load --source DB --data @load-stats.json`,
  );
  send.action(async (flags: SendFlags) => {
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
      data: buildData(flags),
    };
    const client = openClient(flags, { maxRetries: parseRetries(flags.retries) });
    await runClient(async () => {
      const stored = await client.sendRawEvent(event);
      printWarnings(stored.warnings);
      process.stdout.write(flags.json ? `${JSON.stringify(stored, null, 2)}\n` : `${stored.id}\n`);
    });
  });
}

/** The server's warnings on stderr (stdout keeps only the id or the JSON), one line each. */
export function printWarnings(warnings: string[] | undefined, where = ''): void {
  for (const warning of warnings ?? []) process.stderr.write(`warning: ${where}${warning}\n`);
}

/**
 * --data, then --description and --timezone over it. A description over the server's limit is
 * cut with a warning: a CI step should not fail because a changelog ran long.
 */
function buildData(flags: SendFlags): Record<string, unknown> | undefined {
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
  return Object.keys(data).length > 0 ? data : undefined;
}

function parseData(raw: string): Record<string, unknown> {
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (error) {
      throw new Error(`--data ${raw}: cannot read the file (${(error as Error).message})`);
    }
  }
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
