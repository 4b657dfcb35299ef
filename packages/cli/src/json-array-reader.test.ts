import { describe, expect, it } from 'vitest';
import { splitJsonArray } from './json-array-reader.js';

async function split(...chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const element of splitJsonArray(source())) out.push(element);
  return out;
}

describe('splitJsonArray', () => {
  it('yields each element, whatever the chunk boundaries', async () => {
    const text = '[\n{"a":"x,]}\\"{"},\n {"b":[1,{"c":2}]} , 3, "s" ]\n';
    const expected = ['{"a":"x,]}\\"{"}', '{"b":[1,{"c":2}]}', '3', '"s"'];
    expect(await split(text)).toEqual(expected);
    expect(await split(...text.split(''))).toEqual(expected);
  });

  it('handles an empty array and refuses what is not an array', async () => {
    expect(await split(' [ ] ')).toEqual([]);
    await expect(split('{"a":1}')).rejects.toThrow(/must start with "\["/);
    await expect(split('[{"a":1},')).rejects.toThrow(/cut short/);
  });
});
