/** For the guardrail tools' tests: a store with one freeze window, one daily cap and two production deployments today. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, validateEvent } from '@opstrails/core';
import { GuardrailRepository } from '../../store/guardrails.js';
import { openStore } from '../../store/store.js';
import { OrgOverviews } from '../org-overview.js';
import type { ToolEnv } from '../tool.js';

export const NOW = Date.parse('2026-12-24T15:00:00Z');

export async function guardrailToolEnv(): Promise<{
  env: ToolEnv;
  repo: GuardrailRepository;
  close(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-guardrail-tool-'));
  const store = await openStore({ dataDir });
  const org = await store.organizations.ensureDefault();
  const repo = new GuardrailRepository(store.db, store.engine);
  const base = { sources: [], types: [], severities: [], notificationChannels: [], enabled: true };
  await repo.createFreeze(
    org.id,
    {
      ...base,
      name: 'Holiday Freeze',
      startsAt: Date.parse('2026-12-24T00:00:00Z'),
      endsAt: Date.parse('2026-12-27T00:00:00Z'),
      subjects: ['PRODUCTION'],
      recurrence: null,
    },
    NOW - 86_400_000,
  );
  await repo.createPolicy(
    org.id,
    {
      ...base,
      name: 'Two a day',
      ruleType: 'DAILY_CAP',
      config: { maxCount: 2, timezone: 'UTC' },
      subjects: [],
    },
    NOW - 86_400_000,
  );
  const events: NewEvent[] = ['09:00', '10:00'].map((hm, i) => {
    const r = validateEvent(
      {
        specversion: '1.0',
        type: 'deployment',
        source: 'BE',
        subject: 'STAGING',
        id: `s${i}`,
        time: `2026-12-24T${hm}:00Z`,
      },
      NOW,
      randomUUID,
    );
    if (!r.ok) throw new Error(r.error);
    return r.event;
  });
  await store.events.insert(org.id, events, NOW);
  return {
    env: { store, orgId: org.id, now: NOW, overviews: new OrgOverviews(store) },
    repo,
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
