/**
 * Heavy reads (exports of the whole timeline, long free-text searches, the grid) running
 * together, end to end on every engine: each answers in full and correctly, ingest and
 * `/healthz` answer while they are under way.
 */
import type { NewEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const EVENTS = 6_000;
const EXPORTS = 4;
const SEARCHES = 8;
const NOW = Date.now();

function event(i: number): NewEvent {
  return {
    id: `heavy-${i}`,
    type: i % 10 === 0 ? 'incident' : 'deployment',
    source: `SVC-${i % 20}`,
    subject: i % 3 === 0 ? 'PRODUCTION' : 'STAGING',
    time: NOW - (EVENTS - i) * 1_000,
    severity: null,
    version: `1.${i % 40}.0`,
    datacontenttype: 'application/json',
    dataschema: null,
    data: { description: i % 100 === 7 ? `rollout ${i} of the needle build` : `routine change ${i}` },
    size: 120,
  };
}

describe.each(ENGINES)('heavy reads on %s', (engine) => {
  let server: TestServer;
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    reader = await server.key('READ_ONLY');
    writer = await server.key('READ_WRITE');
    const all = Array.from({ length: EVENTS }, (_, i) => event(i));
    for (let i = 0; i < all.length; i += 1_000)
      await server.store.events.insert(server.defaultOrg.id, all.slice(i, i + 1_000), NOW);
  }, 60_000);
  afterAll(() => server.close());

  it('answers health checks and stores events while exports and searches run, and each heavy read is complete', async () => {
    const exports = Array.from({ length: EXPORTS }, () =>
      server
        .api('/api/v1/events/export?format=ndjson&subject=STAGING', { key: reader })
        .then(async (res) => ({ status: res.status, body: await res.text() })),
    );
    const searches = Array.from({ length: SEARCHES }, () =>
      server
        .api(`/api/v1/events?limit=1000&search=${encodeURIComponent('NEEDLE build')}`, { key: reader })
        .then(async (res) => ({
          status: res.status,
          body: (await res.json()) as { data: { events: { id: string }[] } },
        })),
    );
    let heavyRunning = true;
    const heavy = Promise.all([Promise.all(exports), Promise.all(searches)]).finally(() => {
      heavyRunning = false;
    });

    const stored = server.api('/api/v1/events', {
      method: 'POST',
      key: writer,
      body: JSON.stringify({
        specversion: '1.0',
        id: 'during-heavy-reads',
        type: 'deployment',
        source: 'BE',
        time: 'NOW',
      }),
    });
    const health: number[] = [];
    let answeredDuringHeavyReads = 0;
    while (heavyRunning) {
      health.push((await server.api('/healthz')).status);
      if (heavyRunning) answeredDuringHeavyReads++;
    }
    const [exported, searched] = await heavy;

    expect((await stored).status).toBe(201);
    expect(health.every((status) => status === 200)).toBe(true);
    expect(answeredDuringHeavyReads).toBeGreaterThan(0);

    const staging = Array.from({ length: EVENTS }, (_, i) => i).filter((i) => i % 3 !== 0);
    for (const { status, body } of exported) {
      expect(status).toBe(200);
      const ids = body
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id);
      // Oldest first, every matching event once, across the export's chunks.
      expect(ids).toEqual(staging.map((i) => `heavy-${i}`));
    }
    const needles = Array.from({ length: EVENTS }, (_, i) => i)
      .filter((i) => i % 100 === 7)
      .reverse()
      .map((i) => `heavy-${i}`);
    for (const { status, body } of searched) {
      expect(status).toBe(200);
      expect(body.data.events.map((e) => e.id)).toEqual(needles);
    }
  }, 60_000);
});
