/**
 * incident.triage: when an `incident` event is stored, its likely causes go to the organization's
 * triage channels before anyone asks: the top of what_changed for it (the same ranking, with its
 * reasons, over the 2 hours before), the guardrails those changes broke, their impact verdicts once
 * judged, links to each event in the console. One message per incident (the outbox key is the incident's row: a resolution, a
 * later event, updates nothing). An incident more than 24 hours old when stored pages no one.
 */
import { formatTime } from '@opstrails/core';
import type { Kysely } from 'kysely';
import {
  causeNotes,
  eventPhrase,
  type NotifiedEvent,
  notifiedEvent,
  type TriageCause,
} from '../../channels/notification.js';
import { queueNotification } from '../../channels/notify.js';
import type { Config } from '../../config.js';
import { parseBusinessRules } from '../../domain/business-rules.js';
import { rankChanges } from '../../domain/what-changed.js';
import { ChannelRepository } from '../../store/channels.js';
import { type EventRow, toStoredEvent } from '../../store/event-rows.js';
import { OrganizationRepository } from '../../store/organizations.js';
import type { Database } from '../../store/schema.js';
import { eventsBetween, guardrailsBrokenBy, impactVerdictsOf } from '../../store/triage-queries.js';
import type { Consumer } from '../consumer.js';

export const TRIAGE_WINDOW_MS = 2 * 3_600_000;
const CANDIDATES = 200;
const CAUSES = 5;
const MAX_AGE_MS = 24 * 3_600_000;

export function incidentTriageConsumer(config: Pick<Config, 'publicUrl'>): Consumer {
  async function causesOf(
    trx: Kysely<Database>,
    incident: EventRow,
    context: string | null,
  ): Promise<TriageCause[]> {
    const at = Number(incident.time);
    const candidates = await eventsBetween(trx, incident.org_id, at - TRIAGE_WINDOW_MS, at, CANDIDATES);
    const ranking = rankChanges(
      { time: at, subject: incident.subject, source: incident.source, eventId: incident.id },
      candidates.filter((c) => !(c.id === incident.id && c.source === incident.source)),
      TRIAGE_WINDOW_MS,
      parseBusinessRules(context),
      // what_changed's staging check reads version history; triage leaves it out to stay short.
      () => 'unknown',
    ).slice(0, CAUSES);
    const impacts = await impactVerdictsOf(
      trx,
      incident.org_id,
      ranking.map((r) => ({ id: r.event.id, source: r.event.source })),
    );
    const broken = await guardrailsBrokenBy(
      trx,
      incident.org_id,
      ranking.map((r) => ({ id: r.event.id, source: r.event.source })),
    );
    return ranking.map((r) => ({
      rank: r.rank,
      score: r.score,
      minutesBefore: r.minutesBefore,
      reasons: r.reasons,
      event: notifiedEvent(config.publicUrl, r.event),
      brokeGuardrails: broken.get(`${r.event.source}\u0000${r.event.id}`) ?? [],
      impact: impacts.get(`${r.event.source}\u0000${r.event.id}`) ?? null,
    }));
  }

  return {
    name: 'channels-incident-triage',
    async handle(events, trx) {
      const incidents = events.filter(
        (e) => e.type.toLowerCase() === 'incident' && Number(e.received_at) - Number(e.time) <= MAX_AGE_MS,
      );
      if (incidents.length === 0) return;
      const settings = await new ChannelRepository(trx).triageSettings([
        ...new Set(incidents.map((e) => e.org_id)),
      ]);
      if (settings.size === 0) return;
      const orgs = new OrganizationRepository(trx);
      for (const incident of incidents) {
        const channelIds = settings.get(incident.org_id);
        if (!channelIds) continue;
        const org = await orgs.byId(incident.org_id);
        const { context } = await orgs.getContext(incident.org_id);
        const causes = await causesOf(trx, incident, context);
        const event: NotifiedEvent = notifiedEvent(config.publicUrl, toStoredEvent(incident));
        const top = causes[0];
        await queueNotification(trx, {
          orgId: incident.org_id,
          channelIds,
          key: `triage:${incident.seq}`,
          notification: {
            kind: 'incident.triage',
            title: `Incident on ${incident.subject ?? incident.source}: ${causes.length > 0 ? `${causes.length} likely cause(s)` : 'no change in the 2 hours before'}`,
            text: top
              ? `Most likely: ${eventPhrase(top.event)}, ${top.minutesBefore} min before (${top.reasons.join('; ')}).${
                  causeNotes(top).length > 0 ? ` It ${causeNotes(top).join('; ')}.` : ''
                }`
              : 'OpsTrails found no event in the 2 hours before this incident.',
            organization: { id: incident.org_id, name: org?.name ?? incident.org_id },
            timestamp: formatTime(Date.now()),
            event,
            causes,
            link: event.link,
          },
        });
      }
    },
  };
}
