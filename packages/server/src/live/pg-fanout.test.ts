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
});
