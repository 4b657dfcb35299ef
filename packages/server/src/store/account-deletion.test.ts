/** Deleting an organization on both engines: the DORA days its deleted events marked changed (no foreign key) go too. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test-support/test-server.js';
import { storeForSuite } from '../../../../test-support/test-store.js';
import { deleteOrganization } from './account-deletion.js';
import { DoraJudgementRepository } from './dora-judgements.js';
import type { Store } from './store.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

describe.each(ENGINES)('deleting an organization on %s', (engine) => {
  const suite = storeForSuite(engine, 'org-deletion');
  let store: Store;
  beforeAll(() => {
    store = suite.store;
  });

  it('deletes the DORA days marked changed by its deleted deployments, and keeps the other organizations’', async () => {
    const gone = await store.organizations.create('gone-org', 'Gone', 'free');
    const kept = await store.organizations.create('kept-org', 'Kept', 'free');
    const deploy = (id: string) => ({
      id,
      type: 'deployment',
      source: 'BE',
      time: NOW - DAY,
      subject: 'PRODUCTION',
      severity: null,
      version: '1.0.0',
      datacontenttype: 'application/json',
      dataschema: null,
      data: null,
      size: 80,
    });
    await store.events.insert(gone.id, [deploy('gone-deploy')], NOW);
    await store.events.insert(kept.id, [deploy('kept-deploy')], NOW);
    const dora = new DoraJudgementRepository(store.db, store.readDb, store.engine);
    await dora.mark(kept.id, [NOW / DAY - 3]);

    await deleteOrganization(store, gone.id);

    const day = NOW / DAY - 1;
    expect(await dora.dirty(gone.id, 0, NOW / DAY)).toEqual([]);
    expect((await dora.dirty(kept.id, 0, NOW / DAY)).map((d) => d.day)).toEqual([day - 2]);
    expect(await store.events.findById(kept.id, 'kept-deploy')).toHaveLength(1);
  });
});
