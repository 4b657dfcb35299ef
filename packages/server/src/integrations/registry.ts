/** The analytics providers, one line each: a SaaS connector adds its file and its line here. */
import { prometheus } from './prometheus.js';
import type { ProviderDefinition } from './provider.js';

export const PROVIDERS: Readonly<Record<string, ProviderDefinition>> = {
  prometheus,
};

export const providerNames = () => Object.keys(PROVIDERS);
