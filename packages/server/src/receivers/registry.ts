/** Every receiver kind, by the name used in the API and in the inbound address. */
import { argocd } from './argocd.js';
import { flagsmith } from './flagsmith.js';
import { flux } from './flux.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import type { ReceiverKind } from './kind.js';
import { launchdarkly } from './launchdarkly.js';
import { opsgenie } from './opsgenie.js';
import { pagerduty } from './pagerduty.js';
import { posthog } from './posthog.js';
import { unleash } from './unleash.js';

export const RECEIVER_KINDS: Record<string, ReceiverKind> = Object.fromEntries(
  [github, gitlab, argocd, flux, launchdarkly, unleash, flagsmith, posthog, pagerduty, opsgenie].map((k) => [
    k.kind,
    k,
  ]),
);
