/** The shared steps of every receiver: versions fitted to the limit, the original trimmed to the event limit. */
import { LIMITS, validateEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { eventId, fitRaw, fitVersion, toEventInput } from './build.js';
import { versionFromPurl } from './cdevents.js';

describe('fitVersion', () => {
  it('keeps versions that fit and shortens a digest to its algorithm and 12 hex digits', () => {
    expect(fitVersion('2.4.1')).toBe('2.4.1');
    expect(fitVersion(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(fitVersion(`registry.example.com/app@sha256:${'0F'.repeat(32)}`)).toBe('sha256:0f0f0f0f0f0f');
    expect(fitVersion('v'.repeat(80))).toHaveLength(LIMITS.versionMax);
    expect(fitVersion(null)).toBeNull();
  });

  it('reads a purl version, decoding %3A', () => {
    expect(
      versionFromPurl(`pkg:oci/myapp@sha256%3A${'0b31b1c0'.repeat(8)}?repository_url=ghcr.io/acme`),
    ).toBe('sha256:0b31b1c00b31');
    expect(versionFromPurl('pkg:npm/left-pad@1.3.0')).toBe('1.3.0');
    expect(versionFromPurl('pkg:npm/left-pad')).toBeNull();
    expect(versionFromPurl('not a purl')).toBeNull();
  });
});

describe('fitRaw and toEventInput', () => {
  const big = {
    action: 'completed',
    id: 42,
    repository: { full_name: 'acme/api', description: 'd'.repeat(6_000) },
    commits: Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, message: 'm'.repeat(50) })),
  };

  it('keeps small members whole and names what it left out', () => {
    const fitted = fitRaw(big, 2_000) as Record<string, unknown>;
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(2_000);
    expect(fitted.action).toBe('completed');
    expect(fitted.id).toBe(42);
  });

  it('makes an event the validator accepts, within the limit, whatever the payload size', () => {
    for (const raw of [{ small: true }, big, { text: 'x'.repeat(50_000) }]) {
      const input = toEventInput(
        'github',
        { type: 'deployment', source: 'acme/api', data: { status: 'success' } },
        { subject: 'prod', source: null },
        'github:d-1',
        raw,
      );
      const result = validateEvent(input, Date.now(), () => 'unused');
      expect(result.ok).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(input))).toBeLessThanOrEqual(LIMITS.eventBytesMax);
      expect((input.data as Record<string, unknown>).status).toBe('success');
      expect(input.subject).toBe('prod');
    }
  });

  it('derives the id from the delivery, hashed when too long', () => {
    expect(eventId('github', 'abc', 0, 1)).toBe('github:abc');
    expect(eventId('github', 'abc', 1, 2)).toBe('github:abc:1');
    expect(eventId('flux', 'x'.repeat(300), 0, 1)).toMatch(/^flux:[0-9a-f]{64}$/);
  });
});
