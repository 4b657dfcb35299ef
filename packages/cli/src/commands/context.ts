/** `opstrails context get|set`: read and replace the organization's business context over HTTP. */
import { readFileSync } from 'node:fs';
import { LIMITS } from '@opstrails/core';
import type { Command } from 'commander';
import { type ClientFlags, loadClientConfig } from '../client-config.js';

interface ContextAnswer {
  success: boolean;
  data?: { context: string; updatedAt: string | null; isTemplate: boolean };
  error?: string;
  code?: string;
}

async function request(
  flags: ClientFlags,
  init: RequestInit = {},
): Promise<NonNullable<ContextAnswer['data']>> {
  const { url, apiKey } = loadClientConfig(flags);
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1/context`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    });
  } catch {
    throw new Error(`cannot reach ${url}: is the server running there? set OPSTRAILS_URL or --url`);
  }
  const answer = (await response.json().catch(() => ({ success: false }))) as ContextAnswer;
  if (!response.ok || !answer.data) {
    const fix =
      answer.code === 'FORBIDDEN'
        ? '\n  fix: setting the context needs a READ_WRITE key'
        : answer.code === 'UNAUTHORIZED'
          ? '\n  fix: check OPSTRAILS_API_KEY / --api-key'
          : '';
    throw new Error(
      `${answer.error ?? `HTTP ${response.status}`}${answer.code ? ` [${answer.code}]` : ''}${fix}`,
    );
  }
  return answer.data;
}

const clientOptions = (command: Command) =>
  command
    .option('--url <url>', 'server URL (env OPSTRAILS_URL, default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key (env OPSTRAILS_API_KEY)');

export function registerContext(program: Command): void {
  const context = program
    .command('context')
    .description(
      'The business context the MCP server gives AI assistants: what your subjects, sources and types mean.',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ opstrails context get > context.txt   # the template, or the current text\n  $ opstrails context set --file context.txt',
    );

  clientOptions(
    context
      .command('get')
      .description('Print the business context (the template when none was written yet).')
      .addHelpText('after', '\nExample:\n  $ opstrails context get > context.txt'),
  ).action(async (flags: ClientFlags) => {
    const data = await request(flags);
    process.stdout.write(data.context.endsWith('\n') ? data.context : `${data.context}\n`);
    process.stderr.write(
      data.isTemplate
        ? 'this is the template (an example company): no context written yet; rewrite it for your organization, delete its first line, and run: opstrails context set --file context.txt\n'
        : `updated ${data.updatedAt}\n`,
    );
  });

  clientOptions(
    context
      .command('set')
      .description(
        `Replace the business context with a text file (up to ${LIMITS.businessContextMax} characters; needs a READ_WRITE key).`,
      )
      .requiredOption('--file <path>', 'the text file, or - for stdin')
      .addHelpText('after', '\nExample:\n  $ opstrails context set --file docs/opstrails-context.txt'),
  ).action(async (flags: ClientFlags & { file: string }) => {
    let text: string;
    try {
      text = readFileSync(flags.file === '-' ? 0 : flags.file, 'utf8');
    } catch (error) {
      throw new Error(
        `--file ${flags.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (text.length > LIMITS.businessContextMax)
      throw new Error(
        `--file ${flags.file}: ${text.length} characters; at most ${LIMITS.businessContextMax} are allowed, shorten it`,
      );
    const data = await request(flags, { method: 'PUT', body: JSON.stringify({ context: text }) });
    process.stderr.write(`business context set (${text.length} characters, ${data.updatedAt})\n`);
  });
}
