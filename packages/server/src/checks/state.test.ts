import { describe, expect, it } from 'vitest';
import type { CheckState } from '../store/health-checks.js';
import { FAILURES_BEFORE_INCIDENT, nextState } from './state.js';

const fresh: CheckState = { status: 'unknown', failures: 0, incident: null, lastError: null };
const fail = { ok: false, error: 'HTTP 503 (expected 200)' };
const pass = { ok: true, error: null };

describe('health check state', () => {
  it('opens an incident only after consecutive failures, once', () => {
    const first = nextState(fresh, fail, 'inc-1');
    expect(first).toEqual({
      state: { status: 'unknown', failures: 1, incident: null, lastError: fail.error },
      event: null,
    });
    const second = nextState(first.state, fail, 'inc-2');
    expect(FAILURES_BEFORE_INCIDENT).toBe(2);
    expect(second).toEqual({
      state: { status: 'down', failures: 2, incident: 'inc-2', lastError: fail.error },
      event: 'incident',
    });
    const third = nextState(second.state, { ok: false, error: 'timeout' }, 'inc-3');
    expect(third.event).toBeNull();
    expect(third.state).toMatchObject({
      status: 'down',
      failures: 3,
      incident: 'inc-2',
      lastError: 'timeout',
    });
  });

  it('resolves the open incident on the first passing run', () => {
    const down: CheckState = { status: 'down', failures: 4, incident: 'inc-9', lastError: 'x' };
    expect(nextState(down, pass, 'unused')).toEqual({
      state: { status: 'up', failures: 0, incident: null, lastError: null },
      event: 'resolved',
    });
  });

  it('a blip between passing runs writes nothing', () => {
    const up: CheckState = { status: 'up', failures: 0, incident: null, lastError: null };
    const blip = nextState(up, fail, 'inc-1');
    expect(blip).toMatchObject({ event: null, state: { status: 'up', failures: 1 } });
    expect(nextState(blip.state, pass, 'inc-2')).toMatchObject({
      event: null,
      state: { status: 'up', failures: 0 },
    });
  });
});
