/**
 * What a channel is told, independent of how each service shows it: a headline, a sentence or
 * two, the facts (the rule, the event), links into the console. Built when the notification is
 * queued (in the consumer's transaction) and kept in the outbox row, so every attempt sends the
 * same thing. Each channel type renders it (channels/<type>.ts).
 */
import { formatTime, type StoredEvent } from '@opstrails/core';

export const NOTIFICATION_KINDS = [
  'guardrail.violation',
  'impact.regression',
  'incident.triage',
  'quota.warning',
  'event.forwarded',
  'channel.test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotifiedEvent {
  id: string;
  source: string;
  type: string;
  subject: string | null;
  version: string | null;
  severity: string | null;
  /** RFC 3339 UTC. */
  time: string;
  description: string | null;
  /** The event in the console (the feed filtered to it). */
  link: string;
}

export interface NotifiedGuardrail {
  guardrailType: 'change-freeze' | 'deployment-policy';
  guardrailId: string;
  guardrailName: string;
  ruleType: string;
  reason: string;
}

/** One likely cause of an incident (incident.triage), ranked as what_changed ranks it. */
export interface TriageCause {
  rank: number;
  score: number;
  minutesBefore: number;
  reasons: string[];
  event: NotifiedEvent;
  /** Guardrails this change broke, in words ("Holiday Freeze: ..."). */
  brokeGuardrails: string[];
  /** Its impact verdict once judged (`regressed`, `improved`, `unchanged`, ...) with the verdict's summary; null when none yet. */
  impact: { verdict: string; summary: string | null } | null;
}

/** What else is known about a cause, one phrase each: the guardrails it broke, its impact verdict. */
export function causeNotes(c: TriageCause): string[] {
  return [
    ...c.brokeGuardrails.map((g) => `broke ${g}`),
    ...(c.impact ? [`impact ${c.impact.verdict}${c.impact.summary ? `: ${c.impact.summary}` : ''}`] : []),
  ];
}

export interface Notification {
  kind: NotificationKind;
  /** One line a person reads first: what happened. */
  title: string;
  /** A sentence or two: which rule, what it means. */
  text: string;
  organization: { id: string; name: string };
  /** When the notification was made (RFC 3339 UTC). */
  timestamp: string;
  event?: NotifiedEvent;
  guardrail?: NotifiedGuardrail;
  causes?: TriageCause[];
  quota?: { used: number; limit: number; month: string };
  /** Where to look in the console. */
  link: string;
}

/** The console's feed narrowed to one event: its source, subject and type, one minute either side. */
export function eventLink(
  publicUrl: string,
  event: Pick<StoredEvent, 'source' | 'subject' | 'type' | 'time'>,
): string {
  const at = Date.parse(event.time);
  const query = new URLSearchParams({ source: event.source, type: event.type });
  if (event.subject) query.set('subject', event.subject);
  query.set('from', formatTime(at - 60_000));
  query.set('to', formatTime(at + 60_000));
  return `${publicUrl}/?${query.toString()}`;
}

export function notifiedEvent(publicUrl: string, event: StoredEvent): NotifiedEvent {
  const description = event.data?.description;
  return {
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    version: event.version,
    severity: event.severity,
    time: event.time,
    description: typeof description === 'string' ? description : null,
    link: eventLink(publicUrl, event),
  };
}

/** "deployment of //github.com/acme/api v2.4.1 to PRODUCTION": an event in words. */
export function eventPhrase(e: Pick<NotifiedEvent, 'type' | 'source' | 'version' | 'subject'>): string {
  const version = e.version ? ` ${e.version}` : '';
  const where = e.subject ? ` to ${e.subject}` : '';
  return `${e.type} of ${e.source}${version}${where}`;
}

/** The facts every rich channel shows as label/value pairs. */
export function facts(n: Notification): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  if (n.guardrail) {
    out.push({
      label: n.guardrail.guardrailType === 'change-freeze' ? 'Freeze' : 'Policy',
      value: n.guardrail.guardrailName,
    });
    out.push({ label: 'Rule', value: n.guardrail.ruleType });
  }
  if (n.event) {
    out.push({ label: 'Event', value: eventPhrase(n.event) });
    if (n.event.severity) out.push({ label: 'Severity', value: n.event.severity });
    out.push({ label: 'Time', value: n.event.time });
  }
  if (n.quota)
    out.push({ label: 'Usage', value: `${n.quota.used} of ${n.quota.limit} events in ${n.quota.month}` });
  return out;
}

/** The notification as plain text: what chat, mail and alert bodies fall back to. */
export function plainText(n: Notification): string {
  const lines = [n.title, '', n.text];
  const f = facts(n);
  if (f.length > 0) lines.push('', ...f.map((x) => `${x.label}: ${x.value}`));
  if (n.event?.description) lines.push('', n.event.description);
  for (const c of n.causes ?? []) {
    lines.push('', `${c.rank}. ${eventPhrase(c.event)} at ${c.event.time} (${c.minutesBefore} min before)`);
    lines.push(`   why: ${c.reasons.join('; ')}`);
    for (const note of causeNotes(c)) lines.push(`   ${note}`);
    lines.push(`   ${c.event.link}`);
  }
  lines.push('', `Open in OpsTrails: ${n.link}`);
  return lines.join('\n');
}
