/**
 * The impact consumer: every stored deploy-type event with a subject (deploys, releases,
 * rollbacks) gets a pending impact judgement, due once its after-window (settle + 2 hours) has
 * passed; the impact job (impact/fill-in.ts) fills it in then. Events stored more than a week
 * after they happened (an import of history) are not judged: no one is waiting on them.
 */

import { isDeployType } from '../../domain/environments.js';
import { DEFAULT_WINDOW, impactWindows, settleFor } from '../../domain/impact/windows.js';
import { ImpactVerdictRepository } from '../../store/impact-verdicts.js';
import type { Consumer } from '../consumer.js';

const MAX_AGE_MS = 7 * 86_400_000;

function parseData(data: string | null): unknown {
  if (data === null) return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

export const impactConsumer: Consumer = {
  name: 'impact',
  async handle(events, trx) {
    const pending = events
      .filter(
        (e) =>
          e.subject !== null && isDeployType(e.type) && Number(e.received_at) - Number(e.time) <= MAX_AGE_MS,
      )
      .map((e) => {
        const time = Number(e.time);
        const w = impactWindows(time, DEFAULT_WINDOW, settleFor(parseData(e.data)));
        return {
          orgId: e.org_id,
          eventId: e.id,
          eventSource: e.source,
          eventTime: time,
          subject: e.subject as string,
          window: DEFAULT_WINDOW,
          dueAt: w.after.to,
        };
      });
    await new ImpactVerdictRepository(trx).addPending(pending, Date.now());
  },
};
