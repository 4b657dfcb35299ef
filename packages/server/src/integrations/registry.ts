/** The analytics providers, one line each: a SaaS connector adds its file and its line here. */
import { adobe } from './adobe.js';
import { datadog } from './datadog.js';
import { ga4 } from './ga4.js';
import { newrelic } from './newrelic.js';
import { prometheus } from './prometheus.js';
import type { ProviderDefinition } from './provider.js';
import { sentry } from './sentry.js';

export const PROVIDERS: Readonly<Record<string, ProviderDefinition>> = {
  prometheus,
  datadog,
  sentry,
  newrelic,
  ga4,
  adobe,
};

export const providerNames = () => Object.keys(PROVIDERS);
