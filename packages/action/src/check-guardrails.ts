/**
 * The opt-in gate (`check-guardrails: true`): before sending the event, ask the server whether it
 * would break a change freeze window or a deployment policy (GET /api/v1/guardrails/check, any
 * key). The server only advises; this input makes the step fail, with the reasons, when a rule
 * would be broken, so the deploy after it does not run.
 */

export interface GuardrailCheck {
  allowed: boolean;
  violations: { guardrailName: string; ruleType: string; reason: string }[];
}

export async function checkGuardrails(
  baseUrl: string,
  apiKey: string,
  planned: { source: string; type: string; subject?: string; severity?: string },
): Promise<GuardrailCheck> {
  const query = new URLSearchParams({ source: planned.source, type: planned.type });
  if (planned.subject) query.set('subject', planned.subject);
  if (planned.severity) query.set('severity', planned.severity);
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/guardrails/check?${query.toString()}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' } });
  } catch (error) {
    throw new Error(`OpsTrails guardrail check: no answer from ${baseUrl} (${(error as Error).message})`);
  }
  const body = (await res.json().catch(() => null)) as
    | { success: true; data: GuardrailCheck }
    | { success: false; error: string; code: string }
    | null;
  if (!body || !res.ok || !body.success) {
    const why = body && !body.success ? `${body.error} [${body.code}]` : `HTTP ${res.status}`;
    throw new Error(`OpsTrails guardrail check failed (${res.status}): ${why}`);
  }
  return body.data;
}

/** The step's error: what was planned and each rule it would break. */
export function refusal(
  planned: { source: string; type: string; subject?: string },
  check: GuardrailCheck,
): string {
  const what = `${planned.type} of ${planned.source}${planned.subject ? ` to ${planned.subject}` : ''}`;
  return [
    `OpsTrails guardrails: a ${what} now would break ${check.violations.length} rule${check.violations.length === 1 ? '' : 's'}; not sent (check-guardrails is on):`,
    ...check.violations.map((v) => `- ${v.guardrailName} (${v.ruleType}): ${v.reason}`),
  ].join('\n');
}
