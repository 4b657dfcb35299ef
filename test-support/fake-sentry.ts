/**
 * Sentry's deploys API (https://docs.sentry.io/api/releases/create-a-new-deploy-for-an-organization/):
 * POST /api/0/organizations/{org}/releases/{version}/deploys/ with `Authorization: Bearer <token>`,
 * `{environment, name?, url?, dateStarted?, dateFinished?}`; 201 with the deploy; 401
 * `{detail: "Invalid token"}`; 404 `{detail: "The requested resource does not exist"}` for a
 * release it does not know; GET /api/0/organizations/{org}/ answers the organization.
 */
import { field, startFake } from './fake-service.js';

export async function startFakeSentry(token: string, org: string, releases: string[]) {
  let id = 0;
  const fake = await startFake((req) => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return { status: 401, body: { detail: 'Invalid token' } };
    if (req.method === 'GET' && req.path === `/api/0/organizations/${org}/`)
      return { status: 200, body: { slug: org, name: org } };
    const m = new RegExp(`^/api/0/organizations/${org}/releases/([^/]+)/deploys/$`).exec(req.path);
    if (req.method !== 'POST' || !m)
      return { status: 404, body: { detail: 'The requested resource does not exist' } };
    if (!releases.includes(decodeURIComponent(m[1] as string)))
      return { status: 404, body: { detail: 'The requested resource does not exist' } };
    const environment = field(req.json, 'environment');
    if (typeof environment !== 'string' || environment === '')
      return { status: 400, body: { environment: ['This field is required.'] } };
    id += 1;
    return {
      status: 201,
      body: {
        id: String(id),
        environment,
        name: field(req.json, 'name'),
        dateStarted: field(req.json, 'dateStarted'),
        dateFinished: field(req.json, 'dateFinished'),
      },
    };
  });
  return fake;
}
