/**
 * A small timeline whose right answers the MCP tests know: a Saturday-night production deploy
 * of BE 2.5.0 that skipped staging, a coupled DB migration, a cache purge, an FE staging
 * deploy, then a CRITICAL incident in BE/PRODUCTION; plus the business context of the
 * getting-started guide (coupling, staging first, the 9:00–18:00 CET weekday window).
 */
import { CONTEXT_TEMPLATE, CONTEXT_TEMPLATE_MARKER } from '../packages/server/src/domain/context-template.js';
import type { TestServer } from './test-server.js';

/** The guide's example, without the template preamble: what a real organization would write. */
export const FIXTURE_CONTEXT = CONTEXT_TEMPLATE.slice(
  CONTEXT_TEMPLATE.indexOf('We are an e-commerce'),
).replace(CONTEXT_TEMPLATE_MARKER, '');

const event = (
  id: string,
  source: string,
  subject: string,
  type: string,
  time: string,
  version: string | null,
  severity: string | null,
  description?: string,
) => ({
  specversion: '1.0',
  id,
  source,
  subject,
  type,
  time,
  ...(version ? { version } : {}),
  ...(severity ? { severity } : {}),
  ...(description ? { data: { description } } : {}),
});

export const FIXTURE_EVENTS = [
  event('fe-stg-300', 'FE', 'STAGING', 'deployment', '2026-11-12T09:00:00Z', '3.0.0', 'MINOR'),
  event('fe-prd-300', 'FE', 'PRODUCTION', 'deployment', '2026-11-12T10:00:00Z', '3.0.0', 'MAJOR'),
  event('be-stg-240', 'BE', 'STAGING', 'deployment', '2026-11-13T10:00:00Z', '2.4.0', 'MINOR'),
  event('be-prd-240', 'BE', 'PRODUCTION', 'deployment', '2026-11-13T12:00:00Z', '2.4.0', 'MAJOR'),
  event('be-dev-250', 'BE', 'DEVELOPMENT', 'deployment', '2026-11-13T15:00:00Z', '2.5.0', 'LOW'),
  // Saturday 02:30 CET: outside the deploy window, and 2.5.0 never reached STAGING.
  event(
    'be-prd-250',
    'BE',
    'PRODUCTION',
    'deployment',
    '2026-11-14T01:30:00Z',
    '2.5.0',
    'MAJOR',
    'hotfix for payments',
  ),
  event('db-mig-77', 'DB', 'PRODUCTION', 'db-migration', '2026-11-14T01:40:00Z', '2026.11.1', 'MINOR'),
  event('fe-stg-310', 'FE', 'STAGING', 'deployment', '2026-11-14T01:50:00Z', '3.1.0', 'MINOR'),
  event('cache-purge-1', 'CACHE', 'PRODUCTION', 'cache-purge', '2026-11-14T02:00:00Z', null, 'LOW'),
  event(
    'inc-1',
    'BE',
    'PRODUCTION',
    'incident',
    '2026-11-14T02:15:00Z',
    null,
    'CRITICAL',
    'checkout errors spiking',
  ),
];

/** what_changed for inc-1 over 2h, best first. */
export const EXPECTED_RANKING = ['be-prd-250', 'db-mig-77', 'cache-purge-1', 'fe-stg-310'];

export async function seedFixture(server: TestServer, key: string): Promise<void> {
  const sent = await server.api('/api/v1/events', {
    key,
    method: 'POST',
    body: JSON.stringify(FIXTURE_EVENTS),
  });
  const batch = (await sent.json()) as { data?: { rejected: unknown[] } };
  if (sent.status !== 200 || batch.data?.rejected.length !== 0)
    throw new Error(`seeding failed: ${sent.status} ${JSON.stringify(batch)}`);
  const context = await server.api('/api/v1/context', {
    key,
    method: 'PUT',
    body: JSON.stringify({ context: FIXTURE_CONTEXT }),
  });
  if (context.status !== 200) throw new Error(`context failed: ${context.status} ${await context.text()}`);
}
