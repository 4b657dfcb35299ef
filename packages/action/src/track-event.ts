/** The action's work: read the inputs, send the event with time "NOW", set the outputs. */
import { OpsTrailsClient, OpsTrailsError } from '@opstrails/sdk';
import { fail, getInput, mask, setOutput } from './inputs.js';

export async function trackEvent(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const apiKey = getInput(env, 'api-key', true);
    mask(apiKey);
    const type = getInput(env, 'type', true);
    const source = getInput(env, 'source') || defaultSource(env);
    const client = new OpsTrailsClient({ apiKey, baseUrl: getInput(env, 'api-url') || undefined });
    const event = await client.trackEvent({
      type,
      source,
      time: 'NOW',
      subject: getInput(env, 'subject') || undefined,
      version: getInput(env, 'version') || undefined,
      severity: getInput(env, 'severity') || undefined,
      data: buildData(getInput(env, 'description'), getInput(env, 'data')),
    });
    setOutput(env, 'event-id', event.id);
    setOutput(env, 'event-time', event.time);
    process.stdout.write(
      `OpsTrails: stored ${event.type} from ${event.source} at ${event.time} (id ${event.id})\n`,
    );
  } catch (error) {
    if (error instanceof OpsTrailsError) {
      fail(`OpsTrails API error (${error.statusCode ?? 'no answer'}): ${error.message} [${error.code}]`);
    } else {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
}

function defaultSource(env: NodeJS.ProcessEnv): string {
  if (!env.GITHUB_REPOSITORY) {
    throw new Error('Input source is empty and GITHUB_REPOSITORY is not set: give the source input, e.g. BE');
  }
  return `//github.com/${env.GITHUB_REPOSITORY}`;
}

/** `description` becomes data.description; the `data` JSON object is merged over it. */
function buildData(description: string, raw: string): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = description ? { description } : {};
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new Error(`Input data is not valid JSON (${(error as Error).message}); e.g. data: '{"pr": 42}'`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`Input data must be a JSON object, e.g. data: '{"pr": 42}'`);
    }
    Object.assign(data, parsed);
  }
  return Object.keys(data).length > 0 ? data : undefined;
}
