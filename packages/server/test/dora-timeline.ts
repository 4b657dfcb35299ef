/**
 * The crafted timeline of ../shared/research/dora-method.md ("Tests that prove it"), November
 * 2026, and its hand-computed answers. BE deploys V1..V9 to STAGING and PRODUCTION; d6 redeploys
 * the older V4; one rollback event (rb1); inc1 names d2 in `causationid` two days after it;
 * inc2 comes 30 minutes after d8 with no link (window evidence); inc3 comes 9 hours after the
 * last deploy (counted nowhere with the default 4h window); commits for half the production
 * deploys (d1 d2 d3 d7 d10 in data.commits, d9 in data.commitTime). A FE deploy to DEVELOPMENT
 * and a metric event must change nothing.
 *
 * The hand computation (hours):
 *   deployments in [Nov 1, Dec 1): d1..d10 = 10 over 30 days -> 0.3333/day, band high (>= 1/week).
 *   lead time per deployment = median of its commits' ages at deploy:
 *     d1 24,6 -> 15 · d2 24 · d3 24,12,6 -> 12 · d7 24,2 -> 13 · d9 2 · d10 24,12 -> 18
 *     sorted 2 12 13 15 18 24: median (13+15)/2 = 14, p90 (nearest rank 6 of 6) = 24; n 6,
 *     unknown 4 (d4 d5 d6 d8); band elite (< 1 day).
 *   promotion lead time (first deploy of the version anywhere -> its first production deploy):
 *     d1 3 · d2 25 · d3 19 · d4 5 · d5 0 · d7 25 · d8 25 · d9 0 · d10 25 (d6 is a redeploy: none)
 *     sorted 0 0 3 5 19 25 25 25 25: median 19, p90 (rank 9) 25, n 9.
 *   failed: d2 linked (inc1 causationid) · d3 rollback (rb1) · d5 rollback (undone by d6, a
 *     redeploy of V4) · d8 window (inc2 30 min after) -> 4 of 10 = 0.4, band low.
 *   restores: d2 inc1 -> inc1r 3 (resolution, same correlationid) · d3 d3 -> rb1 1 (rollback) ·
 *     d5 d5 -> d6 24 (next good deployment) · d8 inc2 -> inc2r 2 (resolution)
 *     sorted 1 2 3 24: median 2.5, p90 (rank 4) 24, n 4, band high (< 1 day).
 *   rework: d6 (redeploy of V4) · d9 (next deployment 3h after the failed d8, within 4h) -> 0.2.
 *   previous period [Oct 2, Nov 1): p0 only -> 1 deployment, bands unknown (< 5 deployments).
 *   weeks (Monday starts, clipped to the range): Nov 1, Nov 2, Nov 9, Nov 16, Nov 23, Nov 30
 *     deployments 0 3 3 3 1 0 · failed 0 2 1 1 0 0.
 *   With a 12h window, inc3 (9h after d10) fails d10 too: 5 of 10.
 */

const at = (iso: string) => `2026-${iso}:00Z`;
const commits = (...times: string[]) =>
  times.map((t, i) => ({ sha: `c${i}${t.replace(/\D/g, '')}`, time: at(t), message: `change ${i}` }));

function deploy(
  id: string,
  subject: string,
  version: string,
  time: string,
  data: Record<string, unknown> = {},
) {
  return { specversion: '1.0', id, source: 'BE', type: 'deployment', subject, version, time: at(time), data };
}

export const FROM = '2026-11-01T00:00:00Z';
export const TO = '2026-12-01T00:00:00Z';

export const TIMELINE = [
  deploy('p0', 'PRODUCTION', 'V0', '10-20T10:00'),
  deploy('s1', 'STAGING', 'V1', '11-02T09:00'),
  deploy('d1', 'PRODUCTION', 'V1', '11-02T12:00', { commits: commits('11-01T12:00', '11-02T06:00') }),
  deploy('s2', 'STAGING', 'V2', '11-04T09:00'),
  deploy('d2', 'PRODUCTION', 'V2', '11-05T10:00', { commits: commits('11-04T10:00') }),
  {
    specversion: '1.0',
    id: 'inc1',
    source: 'pagerduty',
    type: 'incident',
    subject: 'PRODUCTION',
    time: at('11-07T10:00'),
    causationid: 'd2',
    correlationid: 'INC-1',
    severity: 'MAJOR',
    data: { description: 'checkout errors' },
  },
  {
    specversion: '1.0',
    id: 'inc1r',
    source: 'pagerduty',
    type: 'incident',
    subject: 'PRODUCTION',
    time: at('11-07T13:00'),
    correlationid: 'INC-1',
    data: { status: 'resolved' },
  },
  deploy('s3', 'STAGING', 'V3', '11-07T15:00'),
  deploy('d3', 'PRODUCTION', 'V3', '11-08T10:00', {
    commits: commits('11-07T10:00', '11-07T22:00', '11-08T04:00'),
  }),
  {
    specversion: '1.0',
    id: 'rb1',
    source: 'BE',
    type: 'rollback',
    subject: 'PRODUCTION',
    version: 'V2',
    time: at('11-08T11:00'),
  },
  deploy('s4', 'STAGING', 'V4', '11-10T09:00'),
  deploy('d4', 'PRODUCTION', 'V4', '11-10T14:00'),
  deploy('d5', 'PRODUCTION', 'V5', '11-12T10:00'),
  deploy('d6', 'PRODUCTION', 'V4', '11-13T10:00'),
  deploy('s7', 'STAGING', 'V6', '11-15T09:00'),
  deploy('d7', 'PRODUCTION', 'V6', '11-16T10:00', { commits: commits('11-15T10:00', '11-16T08:00') }),
  {
    specversion: '1.0',
    id: 'f1',
    source: 'FE',
    type: 'deployment',
    subject: 'DEVELOPMENT',
    version: 'F1',
    time: at('11-18T10:00'),
  },
  {
    specversion: '1.0',
    id: 'm1',
    source: 'BE',
    type: 'metric',
    subject: 'PRODUCTION',
    time: at('11-18T11:00'),
  },
  deploy('s8', 'STAGING', 'V7', '11-19T09:00'),
  deploy('d8', 'PRODUCTION', 'V7', '11-20T10:00'),
  {
    specversion: '1.0',
    id: 'inc2',
    source: 'pagerduty',
    type: 'incident',
    subject: 'PRODUCTION',
    time: at('11-20T10:30'),
    correlationid: 'INC-2',
  },
  {
    specversion: '1.0',
    id: 'inc2r',
    source: 'pagerduty',
    type: 'incident',
    subject: 'PRODUCTION',
    time: at('11-20T12:30'),
    correlationid: 'INC-2',
    data: { status: 'resolved' },
  },
  deploy('d9', 'PRODUCTION', 'V8', '11-20T13:00', { commitTime: at('11-20T11:00') }),
  deploy('s10', 'STAGING', 'V9', '11-24T09:00'),
  deploy('d10', 'PRODUCTION', 'V9', '11-25T10:00', { commits: commits('11-24T10:00', '11-24T22:00') }),
  {
    specversion: '1.0',
    id: 'inc3',
    source: 'pagerduty',
    type: 'incident',
    subject: 'PRODUCTION',
    time: at('11-25T19:00'),
    correlationid: 'INC-3',
  },
];
