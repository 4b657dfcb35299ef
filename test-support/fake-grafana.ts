/**
 * Grafana's annotations HTTP API (https://grafana.com/docs/grafana/latest/developers/http_api/annotations/):
 * POST /api/annotations with `Authorization: Bearer <service account token>`, `{dashboardUID?,
 * time, timeEnd?, tags, text}` (text required); 200 `{message: "Annotation added", id}`; 401
 * `{message: "Unauthorized"}`; 400 for a bad body; 429 when rate limited.
 */
import { field, startFake } from './fake-service.js';

export async function startFakeGrafana(token: string) {
  let id = 0;
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/api/annotations')
      return { status: 404, body: { message: 'Not found' } };
    if (req.headers.authorization !== `Bearer ${token}`)
      return { status: 401, body: { message: 'Unauthorized' } };
    if (typeof field(req.json, 'text') !== 'string')
      return { status: 400, body: { message: 'bad request data' } };
    const time = field(req.json, 'time');
    if (time !== undefined && typeof time !== 'number')
      return { status: 400, body: { message: 'bad request data' } };
    id += 1;
    return { status: 200, body: { message: 'Annotation added', id } };
  });
  return fake;
}
