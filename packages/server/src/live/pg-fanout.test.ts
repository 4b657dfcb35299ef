import { afterEach, describe, expect, it } from 'vitest';
import { PG_URL } from '../../../../test-support/test-server.js';
import { LiveBus } from './bus.js';
import { PgFanout } from './pg-fanout.js';

describe.runIf(PG_URL)('PostgreSQL live fan-out', () => {
  const started: PgFanout[] = [];
  afterEach(async () => {
    for (const fanout of started.splice(0)) await fanout.close();
  });

  it('wakes the streams of another instance, and only once on the publishing one', async () => {
    const [busA, busB] = [new LiveBus(), new LiveBus()];
    started.push(await PgFanout.start(busA, PG_URL as string), await PgFanout.start(busB, PG_URL as string));
    const org = `org_fanout_${Date.now()}`;
    const onA: number[] = [];
    busA.subscribe(org, (seq) => onA.push(seq));
    const onB = new Promise<number>((resolve) => busB.subscribe(org, resolve));
    busA.publish(org, 41);
    busA.publish(org, 42);
    expect(await onB).toBe(42);
    // B answers; once A hears it, A has also seen (and ignored) its own earlier notification.
    const heard = new Promise<void>((resolve) => busA.subscribe(org, (seq) => seq === 99 && resolve()));
    busB.publish(org, 99);
    await heard;
    expect(onA).toEqual([41, 42, 99]);
  });

  it('sends a burst for many organizations as one statement at a time (no queued queries on the connection)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const [busA, busB] = [new LiveBus(), new LiveBus()];
      started.push(
        await PgFanout.start(busA, PG_URL as string),
        await PgFanout.start(busB, PG_URL as string),
      );
      const orgs = Array.from({ length: 40 }, (_, i) => `org_burst_${Date.now()}_${i}`);
      const heard = new Map<string, number>();
      const all = Promise.all(
        orgs.map(
          (org) =>
            new Promise<void>((resolve) =>
              busB.subscribe(org, (seq) => {
                heard.set(org, seq);
                if (seq === 3) resolve();
              }),
            ),
        ),
      );
      // Three ticks in a row: later ones arrive while the first statement is still running.
      for (const seq of [1, 2, 3]) {
        for (const org of orgs) busA.publish(org, seq);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await all;
      expect([...heard.values()].every((seq) => seq === 3)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
