/**
 * GET /api/v1/events/export: every event in a range (all when none is given), oldest first,
 * as a JSON array or, with `?format=ndjson`, one event per line. Streamed in chunks, so
 * memory stays flat whatever the size of the timeline.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { badRequest } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { parseFilter, type Query } from './query.js';

export function registerExportEvents(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/events/export',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request, reply) => {
      const query = request.query as Query;
      const format = query.format ?? 'json';
      if (format !== 'json' && format !== 'ndjson') throw badRequest('format', 'must be json or ndjson');
      const rows = ctx.store.events.streamAscending(
        request.grant?.orgId as string,
        parseFilter(query, ['format']),
      );
      const ndjson = format === 'ndjson';
      async function* body(): AsyncGenerator<string> {
        let first = true;
        if (!ndjson) yield '[';
        for await (const row of rows) {
          const line = JSON.stringify(toStoredEvent(row));
          yield ndjson ? `${line}\n` : `${first ? '' : ','}\n${line}`;
          first = false;
        }
        if (!ndjson) yield '\n]\n';
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type(ndjson ? 'application/x-ndjson' : 'application/json')
        .header(
          'Content-Disposition',
          `attachment; filename="opstrails-events-${stamp}.${ndjson ? 'ndjson' : 'json'}"`,
        )
        .send(Readable.from(body()));
    },
  );
}
