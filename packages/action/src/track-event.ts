/** The action's work: read the inputs, send the event with time "NOW", set the outputs. */
import {
  DESCRIPTION_MAX,
  DeliveryInfoError,
  fitDescription,
  OpsTrailsClient,
  OpsTrailsError,
  QuotaExceededError,
} from '@opstrails/sdk';
import { checkGuardrails, refusal } from './check-guardrails.js';
import { commitsInput } from './commits.js';
import { fail, getInput, mask, setOutput, warn } from './inputs.js';

export async function trackEvent(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const apiKey = getInput(env, 'api-key', true);
    mask(apiKey);
    const type = getInput(env, 'type', true);
    const source = getInput(env, 'source') || defaultSource(env);
    const client = new OpsTrailsClient({
      apiKey,
      baseUrl: getInput(env, 'api-url') || undefined,
      // A quota resets at midnight or on the 1st: the step fails at once instead of holding the
      // runner. 5xx and network failures are still retried, each wait at most a minute.
      retry: { retryQuotaExceeded: false },
    });
    const subject = getInput(env, 'subject') || undefined;
    const severity = getInput(env, 'severity') || undefined;
    if (getInput(env, 'check-guardrails').toLowerCase() === 'true') {
      const planned = { source, type, subject, severity };
      const check = await checkGuardrails(client.baseUrl, apiKey, planned);
      if (!check.allowed) {
        fail(refusal(planned, check));
        return;
      }
      process.stdout.write('OpsTrails: no guardrail would be broken\n');
    }
    const shipped = commitsInput(getInput(env, 'commits'), env);
    const data = { ...shipped.data, ...buildData(getInput(env, 'description'), getInput(env, 'data')) };
    if (shipped.commits && shipped.total > shipped.commits.length)
      warn(
        `OpsTrails: the push lists ${shipped.total} commits; sending ${shipped.commits.length} spread over them (an event holds 10 KiB)`,
      );
    const event = await client.trackEvent({
      type,
      source,
      time: 'NOW',
      subject,
      version: getInput(env, 'version') || undefined,
      // Any case, like the server: `major` is stored as MAJOR.
      severity,
      data: Object.keys(data).length > 0 ? data : undefined,
      commits: shipped.commits,
      commitTime: getInput(env, 'commit-time') || undefined,
      causedBy: getInput(env, 'caused-by') || undefined,
    });
    for (const warning of event.warnings ?? []) warn(`OpsTrails: ${warning}`);
    setOutput(env, 'event-id', event.id);
    setOutput(env, 'event-time', event.time);
    process.stdout.write(
      `OpsTrails: stored ${event.type} from ${event.source} at ${event.time} (id ${event.id})\n`,
    );
  } catch (error) {
    if (error instanceof DeliveryInfoError) {
      fail(
        `Input ${error.message.replace(/^commitTime:/, 'commit-time:').replace(/^causedBy:/, 'caused-by:')}`,
      );
    } else if (error instanceof OpsTrailsError) {
      const status = error.status === 0 ? 'no answer' : error.status;
      fail(`OpsTrails API error (${status}): ${error.message} [${error.code}]${resetNote(error)}`);
    } else {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
}

/** When a refused quota accepts events again, as the server's Retry-After said. */
function resetNote(error: OpsTrailsError): string {
  if (!(error instanceof QuotaExceededError) || !error.resetAt) return '';
  return `; the limit resets at ${error.resetAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

function defaultSource(env: NodeJS.ProcessEnv): string {
  if (!env.GITHUB_REPOSITORY) {
    throw new Error('Input source is empty and GITHUB_REPOSITORY is not set: give the source input, e.g. BE');
  }
  return `//github.com/${env.GITHUB_REPOSITORY}`;
}

/**
 * `description` becomes data.description; the `data` JSON object is merged over it. A
 * description over the limit is cut, with a warning, rather than failing the step.
 */
function buildData(description: string, raw: string): Record<string, unknown> {
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
  if (typeof data.description === 'string') {
    const fitted = fitDescription(data.description);
    if (fitted.cutFrom !== undefined) {
      warn(
        `OpsTrails: description has ${fitted.cutFrom.toLocaleString('en-US')} characters; cut to ${DESCRIPTION_MAX.toLocaleString('en-US')} (the limit), ending with "…"`,
      );
      data.description = fitted.text;
    }
  }
  return data;
}
