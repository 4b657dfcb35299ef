/**
 * Receivers at run time: made and listed for the API (the secret sealed, shown once), and the
 * inbound delivery: verify the tool's proof, map the payload, and store the events through the
 * same validation, quota and insert as POST /api/v1/events.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, type NewEvent, validateEvent } from '@opstrails/core';
import secureJson from 'secure-json-parse';
import type { AppContext } from '../http/context.js';
import { SecretBox } from '../secrets.js';
import { ReceiverRepository, type ReceiverRow } from '../store/receivers.js';
import type { Store } from '../store/store.js';
import { eventId, toEventInput } from './build.js';
import { NotTheToolError } from './kind.js';
import { isObject } from './payload.js';
import { RECEIVER_KINDS } from './registry.js';

export interface ReceiverView {
  id: string;
  kind: string;
  name: string;
  subject: string | null;
  source: string | null;
  url: string;
  createdAt: string;
}

export interface DeliveryResult {
  eventIds: string[];
  created: number;
  ignored?: string;
}

const made = new WeakMap<Store, ReceiverService>();

export function receiverService(ctx: AppContext): ReceiverService {
  let service = made.get(ctx.store);
  if (!service) {
    service = new ReceiverService(
      new ReceiverRepository(ctx.store.db),
      new SecretBox({ secret: ctx.config.channels.secret, dataDir: ctx.config.dataDir }),
      ctx.config.publicUrl,
    );
    made.set(ctx.store, service);
  }
  return service;
}

/** A new secret: 32 random bytes, URL-safe, so it pastes into any tool's form. */
export const newSecret = () => randomBytes(32).toString('base64url');

export class ReceiverService {
  constructor(
    readonly repo: ReceiverRepository,
    private readonly box: SecretBox,
    private readonly publicUrl: string,
  ) {}

  view(row: ReceiverRow): ReceiverView {
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      subject: row.subject,
      source: row.source,
      url: `${this.publicUrl}/api/v1/receivers/${row.kind}/${row.id}`,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  }

  async create(
    orgId: string,
    input: {
      kind: string;
      name: string;
      subject: string | null;
      source: string | null;
      secret: string | null;
    },
  ) {
    const secret = input.secret ?? newSecret();
    const row = await this.repo.create(orgId, { ...input, sealedSecret: this.box.seal(secret) });
    return { ...this.view(row), secret };
  }

  async rotate(orgId: string, id: string, secret: string | null) {
    const next = secret ?? newSecret();
    if (!(await this.repo.setSecret(orgId, id, this.box.seal(next)))) return null;
    const row = await this.repo.byId(id);
    return row ? { ...this.view(row), secret: next } : null;
  }

  /** The receiver's secret; one sealed under another OPSTRAILS_SECRET verifies nothing, and says how to recover. */
  private openSecret(row: ReceiverRow): string {
    try {
      return this.box.open(row.sealedSecret);
    } catch {
      throw new ApiError(
        'UNAUTHORIZED',
        `receiver ${row.kind}/${row.id}: its secret was saved under another OPSTRAILS_SECRET and cannot be read; rotate it (POST /api/v1/receivers/${row.id}/rotate) and paste the new one into ${row.kind}`,
      );
    }
  }

  /** One inbound delivery. Throws ApiError: 404 unknown receiver, 401 bad proof, 400 not the tool's payload. */
  async receive(ctx: AppContext, kind: string, id: string, headers: IncomingHttpHeaders, rawBody: Buffer) {
    const tool = RECEIVER_KINDS[kind];
    const row = tool ? await this.repo.byId(id) : null;
    if (!tool || !row || row.kind !== kind)
      throw new ApiError(
        'NOT_FOUND',
        `receiver ${kind}/${id}: no such receiver; copy the URL from GET /api/v1/receivers`,
      );
    if (!tool.verify(headers, rawBody, this.openSecret(row)))
      throw new ApiError(
        'UNAUTHORIZED',
        `receiver ${kind}/${id}: the delivery is not signed with this receiver's secret; ${kind} must send ${tool.proof}`,
      );
    const payload = parsePayload(rawBody, kind, String(headers['content-type'] ?? ''));
    let mapped: ReturnType<typeof tool.map>;
    try {
      mapped = tool.map(payload, headers, { subject: row.subject, source: row.source });
    } catch (error) {
      if (error instanceof NotTheToolError)
        throw new ApiError('VALIDATION_ERROR', `request body: ${error.message}`);
      throw error;
    }
    if ('ignored' in mapped)
      return { eventIds: [], created: 0, ignored: mapped.ignored } satisfies DeliveryResult;
    const delivery =
      tool.deliveryId(headers, payload) ?? createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
    const now = Date.now();
    const events: NewEvent[] = mapped.events.map((m, index) => {
      const input = toEventInput(kind, m, row, eventId(kind, delivery, index, mapped.events.length), payload);
      const result = validateEvent(input, now, randomUUID);
      if (!result.ok)
        throw new ApiError(
          'VALIDATION_ERROR',
          `request body: the ${kind} payload makes an event that ${result.error}`,
        );
      return result.event;
    });
    await ctx.quota.admitEvents(row.orgId, events.length, now);
    const outcomes = await ctx.store.events.insert(row.orgId, events, now);
    const maxSeq = outcomes.reduce((max, o) => (o.created && o.seq > max ? o.seq : max), 0);
    if (maxSeq > 0) ctx.bus.publish(row.orgId, maxSeq);
    return {
      eventIds: outcomes.map((o) => o.event.id),
      created: outcomes.filter((o) => o.created).length,
    } satisfies DeliveryResult;
  }
}

function parsePayload(rawBody: Buffer, kind: string, contentType: string): Record<string, unknown> {
  let text = rawBody.toString('utf8');
  // GitHub's default webhook content type: the JSON in a `payload` form field (signed as sent).
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    text = new URLSearchParams(text).get('payload') ?? '';
  let parsed: unknown;
  try {
    parsed = secureJson.parse(text, undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    throw new ApiError(
      'VALIDATION_ERROR',
      `request body: is not JSON; ${kind} sends a JSON object (set the webhook's content type to application/json)`,
    );
  }
  if (!isObject(parsed))
    throw new ApiError('VALIDATION_ERROR', `request body: is not a JSON object, which is what ${kind} sends`);
  return parsed;
}
