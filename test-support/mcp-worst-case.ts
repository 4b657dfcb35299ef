/**
 * The worst case the MCP answer budget is measured at (issue 17): a busy organization's last 24
 * hours over 500 subjects (125 ladders of DEVELOPMENT, TEST, STAGING, PRODUCTION) and 10 sources,
 * one deployment per source and subject (5,000 grid cells, versions drifting everywhere), and
 * the 100 newest events carrying about 10 KB each (the most an event may weigh) of the densest
 * data real senders send: commit lists with full hashes, stack traces, a signed base64 blob.
 * Inserted through the store's own write path, validated as the API would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { LIMITS, type NewEvent, validateEvent } from '@opstrails/core';
import { countTokens } from 'gpt-tokenizer';

export const WORST_NOW = Date.parse('2026-11-14T12:00:00Z');
export const RUNGS = ['DEVELOPMENT', 'TEST', 'STAGING', 'PRODUCTION'];
export const LADDERS = Array.from({ length: 125 }, (_, i) => `TENANT-${String(i).padStart(3, '0')}`);
export const SUBJECTS = LADDERS.flatMap((ladder) => RUNGS.map((rung) => `${ladder}-${rung}`));
export const SOURCES = [
  'FE',
  'BE',
  'DB',
  'CACHE',
  'WORKER',
  'CMS',
  'INFRA',
  'INDEXING',
  'PAYMENTS',
  'SEARCH',
];
export const BIG_EVENTS = 100;
const DAY = 86_400_000;

/** About 10 KB of dense, realistic data: the event stays just under the 10,240-byte limit. */
function heavyData(i: number): Record<string, unknown> {
  const data: Record<string, unknown> = {
    description: `Deploy ${i} of the payments stack: rolled out to every region after the canary held for 10 minutes`,
    commits: Array.from({ length: 24 }, (_, k) => ({
      sha: randomBytes(20).toString('hex'),
      author: `dev${k}@example.com`,
      message: `fix(${['api', 'db', 'ui'][k % 3]}): handle retry #${k} when the upstream answers 503`,
    })),
    trace: Array.from(
      { length: 12 },
      (_, k) => `at Handler.process (/srv/app/src/handlers/payment-${k}.ts:${100 + k}:17)`,
    ),
    signature: '',
  };
  const room = LIMITS.eventBytesMax - 700 - Buffer.byteLength(JSON.stringify(data));
  data.signature = randomBytes(Math.floor((Math.max(0, room) * 3) / 4)).toString('base64');
  return data;
}

export function worstCaseEvents(): NewEvent[] {
  const inputs: Record<string, unknown>[] = [];
  const cells = SUBJECTS.length * SOURCES.length;
  for (let i = 0; i < cells; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length] as string;
    const source = SOURCES[Math.floor(i / SUBJECTS.length)] as string;
    const newest = cells - i <= BIG_EVENTS;
    inputs.push({
      specversion: '1.0',
      id: `busy-${i}`,
      type: i % 50 === 7 ? 'incident' : 'deployment',
      source,
      subject,
      // Spread over the last 24 hours, oldest first; the heavy ones are the newest.
      time: new Date(WORST_NOW - DAY + Math.floor((DAY * (i + 1)) / (cells + 1))).toISOString(),
      version: `${1 + (i % 4)}.${i % 17}.${i % 5}`,
      severity: ['LOW', 'MINOR', 'MAJOR', 'CRITICAL'][i % 4],
      data: newest ? heavyData(i) : { description: `deployment ${i} of ${source} to ${subject}` },
    });
  }
  return inputs.map((input) => {
    const result = validateEvent(input, WORST_NOW, randomUUID);
    if (!result.ok) throw new Error(result.error);
    return result.event;
  });
}

/** Any store (the sources' or the built package's, as test servers hold): only its insert is used. */
interface EventSink {
  events: { insert(orgId: string, events: NewEvent[], receivedAt: number): Promise<unknown> };
}

export async function seedWorstCase(store: EventSink, orgId: string): Promise<void> {
  const events = worstCaseEvents();
  for (let i = 0; i < events.length; i += 1_000)
    await store.events.insert(orgId, events.slice(i, i + 1_000), WORST_NOW);
}

/** The tokens of a tool result as a client receives it (its text and its structured content), by the o200k tokenizer. */
export const resultTokens = (result: unknown): number => countTokens(JSON.stringify(result));
