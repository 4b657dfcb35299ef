/**
 * A service for health-check tests on 127.0.0.1: answers 200 "ok" while healthy; told to fail,
 * it answers 503 "down" until told to recover. Counts the requests it took.
 */
import { startFake } from './fake-service.js';

export async function startHealthTarget() {
  let healthy = true;
  const fake = await startFake(() =>
    healthy ? { status: 200, body: 'status: ok' } : { status: 503, body: 'status: down' },
  );
  return {
    url: `${fake.base}/health`,
    /** Every request taken, in order. */
    requests: fake.all,
    fail() {
      healthy = false;
    },
    recover() {
      healthy = true;
    },
    close: fake.close,
  };
}

export type HealthTarget = Awaited<ReturnType<typeof startHealthTarget>>;
