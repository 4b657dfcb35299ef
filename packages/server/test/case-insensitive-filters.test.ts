/**
 * `type`, `source` and `subject` filters match in any case (list, export, live feed), values are
 * stored and shown as sent, folding is the same for non-ASCII text on both engines, and the
 * filtered list stays an index range scan in answer order (EXPLAIN on both engines).
 */
import { randomUUID } from 'node:crypto';
import { type NewEvent, validateEvent } from '@opstrails/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import type { EventFilter } from '../src/store/events.js';

const SENT = [
  { id: 'c-1', type: 'deployment', source: 'BE', subject: 'PRODUCTION' },
  { id: 'c-2', type: 'Deployment', source: 'be', subject: 'production' },
  { id: 'c-3', type: 'DEPLOYMENT', source: 'Be', subject: 'Staging' },
  { id: 'c-4', type: 'rollback', source: 'FE', subject: 'PRODUCTION' },
  { id: 'c-5', type: 'Été-Release', source: 'ÜBER', subject: 'ÉTÉ' },
  { id: 'c-6', type: 'été-release', source: 'über', subject: 'été' },
];

describe.each(ENGINES)('case-insensitive filters on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(
        SENT.map((e, i) => ({ specversion: '1.0', time: `2026-11-30T10:0${i}:00Z`, ...e })),
      ),
    });
    expect(((await res.json()) as { data: { rejected: unknown[] } }).data.rejected).toEqual([]);
  });
  afterAll(() => server.close());

  const list = async (query: string) => {
    const res = await server.api(`/api/v1/events?${query}`, { key });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { events: Record<string, string>[] } }).data.events;
  };
  const ids = async (query: string) => (await list(query)).map((e) => e.id).sort();

  it('matches subject, source and type in any case, and shows values as sent', async () => {
    expect(await ids('subject=production')).toEqual(['c-1', 'c-2', 'c-4']);
    expect(await ids('subject=PRODUCTION')).toEqual(['c-1', 'c-2', 'c-4']);
    expect(await ids('source=bE')).toEqual(['c-1', 'c-2', 'c-3']);
    expect(await ids('type=deployment&subject=Production')).toEqual(['c-1', 'c-2']);
    expect(await ids('type=ROLLBACK&type=DePlOyMeNt')).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    const shown = await list('source=be');
    expect(shown.map((e) => [e.id, e.type, e.source, e.subject]).sort()).toEqual([
      ['c-1', 'deployment', 'BE', 'PRODUCTION'],
      ['c-2', 'Deployment', 'be', 'production'],
      ['c-3', 'DEPLOYMENT', 'Be', 'Staging'],
    ]);
  });

  it('folds non-ASCII letters the same way on both engines', async () => {
    expect(await ids('subject=été')).toEqual(['c-5', 'c-6']);
    expect(await ids('subject=ÉTÉ&source=Über&type=ÉTÉ-RELEASE')).toEqual(['c-5', 'c-6']);
  });

  it('applies to export', async () => {
    const res = await server.api('/api/v1/events/export?subject=production&format=ndjson', { key });
    const exported = (await res.text())
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(exported.sort()).toEqual(['c-1', 'c-2', 'c-4']);
  });

  it('applies to the live feed', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events/stream?subject=Production&lastEventId=0`, {
      headers: { authorization: `Bearer ${key}` },
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const seen = () => [...text.matchAll(/"id":"(c-\d)"/g)].map((m) => m[1]);
    while (seen().length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    expect(seen().sort()).toEqual(['c-1', 'c-2', 'c-4']);
  });

  describe('query plan', () => {
    beforeAll(async () => {
      // Enough rows, spread over values, for the planners to weigh indexes as on a real timeline.
      const org = server.defaultOrg.id;
      const events: NewEvent[] = [];
      for (let i = 0; i < 4_000; i++) {
        const r = validateEvent(
          {
            specversion: '1.0',
            id: `plan-${i}`,
            type: `type-${i % 10}`,
            source: `SRC-${i % 7}`,
            subject: `ENV-${i % 10}`,
            time: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(),
            ...(i % 50 === 0 ? { correlationid: `flow-${i % 200}` } : {}),
          },
          Date.now(),
          randomUUID,
        );
        if (!r.ok) throw new Error(r.error);
        events.push(r.event);
      }
      await server.store.events.insert(org, events, Date.now());
      await sql`analyze`.execute(server.store.db);
    });

    /** The plan of the list query for `filter`, as the engine prints it. */
    async function plan(filter: EventFilter): Promise<string> {
      const query = server.store.db
        .selectFrom('events')
        .selectAll()
        .where('org_id', '=', server.defaultOrg.id)
        .where((eb) => server.store.events.filterExpression(eb, filter))
        .orderBy('time', 'desc')
        .orderBy('seq', 'desc')
        .limit(26)
        .compile();
      const explain = engine === 'postgres' ? 'explain' : 'explain query plan';
      const { rows } = await server.store.db.executeQuery<Record<string, unknown>>({
        ...query,
        sql: `${explain} ${query.sql}`,
      });
      return rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
    }

    it.each([
      [{ subjects: ['env-3'] }, 'events_subject_lower_time'],
      [{ types: ['TYPE-3'] }, 'events_type_lower_time'],
      [{ sources: ['src-3'] }, 'events_source_lower_time'],
      [{ correlationids: ['flow-100'] }, 'events_correlationid'],
    ] as [EventFilter, string][])('%o walks %s, in answer order', async (filter, index) => {
      const text = await plan(filter);
      expect(text).toContain(index);
      expect(text).not.toMatch(/TEMP B-TREE|Sort/);
      expect(text).not.toMatch(/Seq Scan|SCAN events\b(?! USING)/);
    });

    it('a type + subject filter reads a folded index, never the whole table', async () => {
      // Which of the two (and whether PostgreSQL combines them in a bitmap) is the planner's call.
      const text = await plan({ types: ['type-3'], subjects: ['ENV-3'] });
      expect(text).toMatch(/events_(type|subject)_lower_time/);
      expect(text).not.toMatch(/Seq Scan|SCAN events\b(?! USING)/);
    });
  });
});
