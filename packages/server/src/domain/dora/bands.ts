/**
 * DORA performance bands, from the 2023 State of DevOps Report (the last report with
 * elite/high/medium/low per metric; 2025 publishes finer buckets instead). A band needs at least
 * `MIN_DEPLOYMENTS` deployments in the range; with fewer, or no value, it is `unknown`.
 */

export type Band = 'elite' | 'high' | 'medium' | 'low' | 'unknown';

export const BAND_SOURCE = 'DORA 2023 State of DevOps Report';
export const MIN_DEPLOYMENTS = 5;

/** Each metric's thresholds in words, sent beside the bands so a reader can check them. */
export const BAND_TABLE = {
  source: BAND_SOURCE,
  minimumDeployments: MIN_DEPLOYMENTS,
  deploymentFrequency: {
    elite: 'on demand: at least one deployment a day',
    high: 'between once a day and once a week',
    medium: 'between once a week and once a month',
    low: 'less than once a month',
  },
  leadTime: {
    elite: 'median under 1 day',
    high: '1 day to 1 week',
    medium: '1 week to 1 month',
    low: 'more than 1 month',
  },
  changeFailureRate: {
    elite: 'at most 5%',
    high: 'at most 10%',
    medium: 'at most 15%',
    low: 'more than 15%',
  },
  timeToRestore: {
    elite: 'median under 1 hour',
    high: 'under 1 day',
    medium: 'under 1 week',
    low: 'more than 1 week',
  },
  reworkRate: 'no band: rework rate was added by the 2024 report, which publishes no bands for it',
} as const;

function band(deployments: number, value: number | null, rank: (v: number) => Band): Band {
  return deployments < MIN_DEPLOYMENTS || value === null ? 'unknown' : rank(value);
}

export const frequencyBand = (deployments: number, perDay: number): Band =>
  band(deployments, perDay, (v) => (v >= 1 ? 'elite' : v >= 1 / 7 ? 'high' : v >= 1 / 30 ? 'medium' : 'low'));

export const leadTimeBand = (deployments: number, medianHours: number | null): Band =>
  band(deployments, medianHours, (h) => (h < 24 ? 'elite' : h < 168 ? 'high' : h < 720 ? 'medium' : 'low'));

export const failureRateBand = (deployments: number, rate: number | null): Band =>
  band(deployments, rate, (r) => (r <= 0.05 ? 'elite' : r <= 0.1 ? 'high' : r <= 0.15 ? 'medium' : 'low'));

export const restoreBand = (deployments: number, medianHours: number | null): Band =>
  band(deployments, medianHours, (h) => (h < 1 ? 'elite' : h < 24 ? 'high' : h < 168 ? 'medium' : 'low'));
