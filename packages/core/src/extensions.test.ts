import { describe, expect, it } from 'vitest';
import { extensionsOf, readExtensions } from './extensions.js';

const base = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };
const read = (extra: Record<string, unknown>) => readExtensions({ ...base, ...extra });

describe('readExtensions', () => {
  it('keeps top-level attributes beyond the model, in the order sent', () => {
    const r = read({ correlationid: 'c-1', causationid: 'e-9', sequence: 3, replayed: true });
    expect(r).toEqual({
      extensions: { correlationid: 'c-1', causationid: 'e-9', sequence: 3, replayed: true },
      problems: [],
      warnings: [],
    });
    expect(Object.keys(r.extensions ?? {})).toEqual(['correlationid', 'causationid', 'sequence', 'replayed']);
  });

  it('has none for an event of the model alone, and treats null as absent', () => {
    expect(read({})).toEqual({ extensions: null, problems: [], warnings: [] });
    expect(read({ correlationid: null })).toEqual({ extensions: null, problems: [], warnings: [] });
  });

  it('ignores createdAt, so a stored event sent back is accepted', () => {
    expect(read({ createdAt: '2026-01-01T00:00:00.000Z' }).extensions).toBeNull();
  });

  it('refuses names outside lower-case letters and digits, naming each and the fix', () => {
    expect(read({ correlationId: 'a', 'trace-id': 'b', Severity: 'LOW', ünï: 'c' }).problems).toEqual([
      'correlationId: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. correlationid',
      'trace-id: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. traceid',
      'Severity: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); did you mean severity?',
      'ünï: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. uni',
    ]);
  });

  it('refuses objects and arrays as values, naming the attribute', () => {
    expect(read({ trace: { id: 1 }, tags: ['a'] }).problems).toEqual([
      'trace: an extension attribute must be a string, number or boolean (CloudEvents), not an object; put structured detail in data',
      'tags: an extension attribute must be a string, number or boolean (CloudEvents), not an array; put structured detail in data',
    ]);
  });

  it('refuses warnings, the answer field that carries the warnings', () => {
    expect(read({ warnings: 'none' }).problems).toEqual([
      'warnings: is reserved for the warnings the server answers with; rename the attribute',
    ]);
  });

  it('keeps correlationid and causationid to the length of an id', () => {
    expect(read({ correlationid: 'x'.repeat(200), causationid: 7 }).problems).toEqual([]);
    expect(read({ correlationid: 'x'.repeat(201) }).problems).toEqual([
      'correlationid: must be at most 200 characters (it has 201); it is an id linking events',
    ]);
  });

  it('refuses data_base64', () => {
    expect(read({ data_base64: 'aGk=' }).problems).toEqual([
      'data_base64: binary data is not supported; send data as a JSON object',
    ]);
  });

  it('warns about names one or two edits from a field, and keeps them', () => {
    const r = read({ severty: 'MAJOR', subjet: 'PRODUCTION', verison: '1.2', tipe: 'x', sorce: 'y' });
    expect(r.extensions).toEqual({
      severty: 'MAJOR',
      subjet: 'PRODUCTION',
      verison: '1.2',
      tipe: 'x',
      sorce: 'y',
    });
    expect(r.warnings).toEqual([
      'severty: not a known attribute; did you mean severity? It was kept as an extension',
      'subjet: not a known attribute; did you mean subject? It was kept as an extension',
      'verison: not a known attribute; did you mean version? It was kept as an extension',
      'tipe: not a known attribute; did you mean type? It was kept as an extension',
      'sorce: not a known attribute; did you mean source? It was kept as an extension',
    ]);
  });

  it('points top-level description and timezone to data', () => {
    expect(read({ description: 'deploy', timezone: 'Europe/Paris', descripton: 'x' }).warnings).toEqual([
      'description: not a known attribute; did you mean data.description? It was kept as an extension',
      'timezone: not a known attribute; did you mean data.timezone? It was kept as an extension',
      'descripton: not a known attribute; did you mean data.description? It was kept as an extension',
    ]);
  });

  it('does not warn about common CloudEvents extensions or distant names', () => {
    const names = [
      'correlationid',
      'causationid',
      'traceparent',
      'tracestate',
      'partitionkey',
      'sequence',
      'dataref',
      'team',
      'ids',
      'region',
    ];
    expect(read(Object.fromEntries(names.map((n) => [n, 'v']))).warnings).toEqual([]);
  });

  it('warns past the 20 characters CloudEvents advises, and keeps the attribute', () => {
    const r = read({ averyveryverylongname1: 'x', exactlytwentychars12: 'y' });
    expect(r.extensions).toEqual({ averyveryverylongname1: 'x', exactlytwentychars12: 'y' });
    expect(r.warnings).toEqual([
      'averyveryverylongname1: extension names longer than 20 characters may be refused by other CloudEvents systems (the specification advises at most 20); it was kept',
    ]);
  });
});

describe('extensionsOf', () => {
  it('gives the attributes of a stored event past its twelve fields', () => {
    const stored = {
      id: 'a',
      specversion: '1.0',
      type: 't',
      source: 's',
      time: 'x',
      subject: null,
      severity: null,
      version: null,
      datacontenttype: 'application/json',
      dataschema: null,
      data: null,
      createdAt: 'y',
      correlationid: 'c-1',
      sequence: 2,
    };
    expect(extensionsOf(stored)).toEqual({ correlationid: 'c-1', sequence: 2 });
    expect(extensionsOf({ ...stored, warnings: ['w'] })).toEqual({ correlationid: 'c-1', sequence: 2 });
  });
});
