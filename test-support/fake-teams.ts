/**
 * A Microsoft Teams Workflows webhook ("When a Teams webhook request is received"): POST JSON
 * `{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive",
 * content: {type: "AdaptiveCard", …}}]}` to the workflow URL (signed by its `sig` parameter);
 * 202 Accepted with an empty body; 400 for a body the flow cannot parse; 401 for a wrong `sig`;
 * 429 with Retry-After when throttled.
 */
import { field, startFake } from './fake-service.js';

export async function startFakeTeams() {
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/workflows/abc/triggers/manual/paths/invoke')
      return { status: 404, body: { error: { code: 'NotFound' } } };
    if (req.query.get('sig') !== 'sss')
      return {
        status: 401,
        body: {
          error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated' },
        },
      };
    const attachments = field(req.json, 'attachments');
    if (field(req.json, 'type') !== 'message' || !Array.isArray(attachments) || attachments.length === 0)
      return {
        status: 400,
        body: {
          error: {
            code: 'InvalidRequestContent',
            message: 'The request content is not valid: attachments required',
          },
        },
      };
    const card = field(attachments[0], 'content');
    if (
      field(attachments[0], 'contentType') !== 'application/vnd.microsoft.card.adaptive' ||
      field(card, 'type') !== 'AdaptiveCard' ||
      !Array.isArray(field(card, 'body'))
    )
      return {
        status: 400,
        body: { error: { code: 'InvalidRequestContent', message: 'The attachment is not an Adaptive Card' } },
      };
    return { status: 202 };
  });
  return {
    ...fake,
    webhookUrl: `${fake.base}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=sss`,
    throttled: {
      status: 429,
      headers: { 'retry-after': '2' },
      body: { error: { code: 'WorkflowTriggerIsThrottled' } },
    },
  };
}
