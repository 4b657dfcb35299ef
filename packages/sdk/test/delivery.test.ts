/**
 * The SDK's delivery-metrics fields against a real server: commits and commit time go where the
 * DORA computation reads them (data.commits, data.commitTime), `causedBy` to the `causationid`
 * extension, and GET /api/v1/dora then measures the lead time and attributes the incident.
 */
import { DeliveryInfoError, OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

describe.each(ENGINES)('trackEvent delivery fields on %s', (engine) => {
  let server: TestServer;
  let client: OpsTrailsClient;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = new OpsTrailsClient({ apiKey: await server.key('READ_WRITE'), baseUrl: server.url });
    reader = await server.key('READ_ONLY');
  });
  afterAll(() => server.close());

  it('sends commits and caused-by where DORA reads them, and the metrics follow', async () => {
    const deployed = await client.trackEvent({
      id: 'deploy-812',
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      version: 'v2.4.1',
      time: '2026-11-24T12:00:00Z',
      data: { description: 'prices cache' },
      commits: [
        { sha: '9f1c2e7', time: new Date('2026-11-24T10:00:00Z'), message: 'Cache prices' },
        { sha: '1a2b3c4', time: '2026-11-23T12:00:00Z' },
      ],
    });
    expect(deployed.data).toEqual({
      description: 'prices cache',
      commits: [
        { sha: '9f1c2e7', time: '2026-11-24T10:00:00.000Z', message: 'Cache prices' },
        { sha: '1a2b3c4', time: '2026-11-23T12:00:00Z' },
      ],
    });
    const incident = await client.trackEvent({
      type: 'incident',
      source: 'pagerduty',
      subject: 'PRODUCTION',
      time: '2026-11-25T12:00:00Z',
      causedBy: 'deploy-812',
    });
    expect(incident.causationid).toBe('deploy-812');
    const later = await client.trackEvent({
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      version: 'v2.4.2',
      time: '2026-11-26T12:00:00Z',
      commitTime: '2026-11-26T06:00:00Z',
    });
    expect(later.data).toEqual({ commitTime: '2026-11-26T06:00:00Z' });

    const res = await fetch(`${server.url}/api/v1/dora?from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    const { data } = (await res.json()) as {
      data: {
        leadTime: unknown;
        changeFailureRate: { failedDeployments: { id: string; evidence: string }[] };
      };
    };
    // Lead time: deploy-812's commits are 2 h and 24 h old (median 13 h); the later one's is 6 h old.
    expect(data.leadTime).toMatchObject({ n: 2, unknown: 0, medianHours: 9.5 });
    expect(data.changeFailureRate.failedDeployments[0]).toMatchObject({
      id: 'deploy-812',
      evidence: 'linked',
      reason: `incident ${incident.id} names it in causationid`,
    });
  });

  it('refuses a commit without a sha or with a time that does not parse, before sending, naming the field', async () => {
    await expect(
      client.trackEvent({ type: 'deployment', source: 'BE', commits: [{ sha: '', time: new Date() }] }),
    ).rejects.toThrow(new DeliveryInfoError("commits[0].sha: is required (the commit's id)"));
    await expect(
      client.trackEvent({ type: 'deployment', source: 'BE', commits: [{ sha: 'abc', time: 'yesterday' }] }),
    ).rejects.toThrow(/^commits\[0\]\.time: "yesterday" is not a time; give a Date or RFC 3339/);
    await expect(client.trackEvent({ type: 'deployment', source: 'BE', commitTime: 'soon' })).rejects.toThrow(
      /^commitTime: "soon" is not a time/,
    );
  });
});
