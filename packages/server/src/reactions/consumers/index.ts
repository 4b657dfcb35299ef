/**
 * The consumers every server runs: the one place features register theirs. Tests and benchmarks
 * add their own through `startServer(…, { consumers })`, beside these.
 */
import type { Config } from '../../config.js';
import type { ConsumerSource } from '../reactions.js';
import { doraConsumer } from './dora.js';
import { guardrailsConsumer } from './guardrails.js';
import { impactConsumer } from './impact.js';
import { versionDetectionConsumer } from './version-detection.js';

export function builtInConsumers(config: Config): ConsumerSource[] {
  return [
    guardrailsConsumer(config),
    impactConsumer,
    doraConsumer,
    versionDetectionConsumer(config.versionDetectionGraceMs),
  ];
}
