/**
 * A request refused before its body was read, under Fastify's `inject` (no socket): the answer
 * goes out and nothing is left to throw later (the real-socket behaviour is tested over TCP in
 * test/hardening-connections.test.ts).
 */
import { ApiError } from '@opstrails/core';
import Fastify from 'fastify';
import { afterEach, expect, it, vi } from 'vitest';
import { send } from './errors.js';

afterEach(() => {
  vi.useRealTimers();
});

it('answers a refused body under inject and leaves no timer that throws', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const app = Fastify();
  app.addHook('onRequest', async (_request, reply) => {
    send(reply, new ApiError('UNAUTHORIZED', 'Authorization: send an API key'));
    return reply;
  });
  app.post('/upload', async () => ({ stored: true }));
  try {
    const res = await app.inject({ method: 'POST', url: '/upload', payload: { data: 'x'.repeat(10_000) } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
    // Whatever the answer scheduled for the unread body runs now: with no socket there is nothing to cut.
    expect(() => vi.runAllTimers()).not.toThrow();
  } finally {
    await app.close();
  }
});
