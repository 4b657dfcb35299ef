import { describe, expect, it } from 'vitest';
import { validateEvent } from './event.js';
import { LIMITS } from './limits.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const base = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };
const validate = (input: unknown) => validateEvent(input, NOW, () => 'generated-id');
const error = (input: unknown) => {
  const r = validate(input);
  return r.ok ? 'ok' : `${r.code} ${r.error}`;
};

describe('validateEvent', () => {
  it('accepts the four required fields and fills defaults', () => {
    const r = validate(base);
    expect(r).toEqual({
      ok: true,
      event: {
        id: 'generated-id',
        type: 'deployment',
        source: 'BE',
        time: NOW,
        subject: null,
        severity: null,
        version: null,
        datacontenttype: 'application/json',
        dataschema: null,
        data: null,
        extensions: null,
        size: JSON.stringify(base).length,
      },
      warnings: [],
    });
  });

  it('names each missing required field', () => {
    expect(error({ specversion: '1.0', source: 'BE', time: 'NOW' })).toBe('VALIDATION_ERROR type: Required');
    expect(error({ type: 'x', source: 'BE', time: 'NOW' })).toBe('VALIDATION_ERROR specversion: Required');
    expect(error({ specversion: '1.0', type: 'x', time: 'NOW' })).toBe('VALIDATION_ERROR source: Required');
    expect(error({ specversion: '1.0', type: 'x', source: 'BE' })).toMatch(
      /^VALIDATION_ERROR time: Required/,
    );
  });

  it('enforces every length limit of the contract', () => {
    const long = (n: number) => 'x'.repeat(n);
    expect(error({ ...base, type: long(LIMITS.typeMax + 1) })).toMatch(/type: must be at most 100/);
    expect(error({ ...base, type: long(LIMITS.typeMax) })).toBe('ok');
    expect(error({ ...base, source: long(501) })).toMatch(/source: must be at most 500/);
    expect(error({ ...base, id: long(201) })).toMatch(/id: must be at most 200/);
    expect(error({ ...base, subject: long(51) })).toMatch(/subject: must be at most 50/);
    expect(error({ ...base, version: long(51) })).toMatch(/version: must be at most 50/);
    expect(error({ ...base, datacontenttype: long(201) })).toMatch(/datacontenttype: must be at most 200/);
    expect(error({ ...base, dataschema: long(501) })).toMatch(/dataschema: must be at most 500/);
    expect(error({ ...base, data: { description: long(1001) } })).toMatch(
      /data.description: must be at most 1000/,
    );
    expect(error({ ...base, data: { description: long(1000) } })).toBe('ok');
    expect(error({ ...base, data: { timezone: long(51) } })).toMatch(/data.timezone: must be at most 50/);
  });

  it('checks specversion, severity and data shapes', () => {
    expect(error({ ...base, specversion: '0.3' })).toMatch(/specversion: must be "1.0"/);
    expect(error({ ...base, severity: 'HUGE' })).toMatch(
      /severity: must be one of LOW, MINOR, MAJOR, CRITICAL/,
    );
    expect(validate({ ...base, severity: 'major' })).toMatchObject({
      ok: true,
      event: { severity: 'MAJOR' },
    });
    expect(error({ ...base, data: [1, 2] })).toMatch(/data: must be a JSON object/);
    expect(error({ ...base, data: 'text' })).toMatch(/data: must be a JSON object/);
    expect(error({ ...base, data: { timezone: 'Nowhere/Land' } })).toMatch(
      /data.timezone: "Nowhere\/Land" is not an IANA/,
    );
  });

  it('refuses prototype keys and deep nesting in data', () => {
    const poisoned = JSON.parse('{"a":{"__proto__":{"admin":true}}}');
    expect(error({ ...base, data: poisoned })).toMatch(
      /data.a.__proto__: the key "__proto__" is not allowed/,
    );
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(error({ ...base, data: deep })).toMatch(/nests deeper than 32 levels/);
  });

  it('refuses an event over 10 KB serialized with PAYLOAD_TOO_LARGE', () => {
    const r = validate({ ...base, data: { blob: 'x'.repeat(LIMITS.eventBytesMax) } });
    expect(r.ok ? '' : r.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reads a bare time in data.timezone and rejects it without one', () => {
    expect(error({ ...base, time: '2025-01-15T14:30:00' })).toMatch(/time: .*timezone is missing/);
    const r = validate({ ...base, time: '2025-07-15T14:30:00', data: { timezone: 'Europe/London' } });
    expect(r.ok && new Date(r.event.time).toISOString()).toBe('2025-07-15T13:30:00.000Z');
  });

  it('keeps a given id and the CloudEvents extension attributes', () => {
    const r = validate({ ...base, id: 'deploy-1', traceparent: '00-abc', sequence: 7, replayed: false });
    expect(r).toMatchObject({
      ok: true,
      event: { id: 'deploy-1', extensions: { traceparent: '00-abc', sequence: 7, replayed: false } },
      warnings: [],
    });
  });

  it('counts extensions toward the 10 KB', () => {
    const padding = 'x'.repeat(LIMITS.eventBytesMax - JSON.stringify(base).length);
    expect(error({ ...base, note: padding })).toMatch(/^PAYLOAD_TOO_LARGE event: is \d+ bytes/);
  });

  it('refuses data_base64 instead of dropping it', () => {
    expect(error({ ...base, data_base64: 'aGVsbG8=' })).toBe(
      'VALIDATION_ERROR data_base64: binary data is not supported; send data as a JSON object',
    );
  });

  it('reports extension problems together with field problems', () => {
    expect(error({ specversion: '1.0', source: 'BE', time: 'NOW', Team: 'x' })).toBe(
      'VALIDATION_ERROR type: Required; Team: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. team',
    );
  });
});
