import { randomUUID } from 'node:crypto';
import type { ServerNotifier } from '@modelcontextprotocol/server';
import { validateEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureToolEnv, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { ResourceChangeNotifier } from './change-notifier.js';
import { contextUri, overviewUri } from './org-resources.js';

/** The SDK handler's notifier, recording what would go out on the listen streams. */
function recording(): ServerNotifier & { updated: string[] } {
  const updated: string[] = [];
  const none = () => undefined;
  return {
    updated,
    toolsChanged: none,
    promptsChanged: none,
    resourcesChanged: none,
    resourceUpdated: (uri) => void updated.push(uri),
  };
}

const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });

describe('ResourceChangeNotifier', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces the first event at once, a burst after it once more, and drops the cached overview first', async () => {
    const { env } = t;
    const notify = recording();
    const notifier = new ResourceChangeNotifier(notify, env.overviews, 100);
    try {
      expect((await env.overviews.get(env.orgId)).seen.subjects.map((s) => s.name)).not.toContain(
        'EU-PRODUCTION',
      );
      const result = validateEvent(
        {
          specversion: '1.0',
          id: 'eu-1',
          source: 'BE',
          subject: 'EU-PRODUCTION',
          type: 'deployment',
          time: 'NOW',
        },
        Date.now(),
        randomUUID,
      );
      if (!result.ok) throw new Error(result.error);
      await env.store.events.insert(env.orgId, [result.event], Date.now());
      notifier.eventsArrived(env.orgId);
      expect(notify.updated).toEqual([overviewUri(env.orgId)]);
      // The cached "seen" counts were dropped: the read that follows the notice sees the event.
      expect((await env.overviews.get(env.orgId)).seen.subjects.map((s) => s.name)).toContain(
        'EU-PRODUCTION',
      );
      notifier.eventsArrived(env.orgId);
      notifier.eventsArrived(env.orgId);
      notifier.eventsArrived(env.orgId);
      expect(notify.updated).toHaveLength(1);
      await until(() => notify.updated.length === 2);
      expect(notify.updated).toEqual([overviewUri(env.orgId), overviewUri(env.orgId)]);
    } finally {
      notifier.close();
    }
  });

  it('announces a context change on both resources, at once', () => {
    const notify = recording();
    const notifier = new ResourceChangeNotifier(notify, t.env.overviews, 60_000);
    notifier.eventsArrived('org_a');
    notifier.contextChanged('org_a');
    expect(notify.updated).toEqual([overviewUri('org_a'), contextUri('org_a'), overviewUri('org_a')]);
    notifier.close();
  });
});
