import { LIMITS } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { DESCRIPTION_MAX, fitDescription } from './description.js';

describe('fitDescription', () => {
  it('cuts at the server limit with a closing ellipsis, never through an emoji', () => {
    expect(DESCRIPTION_MAX).toBe(LIMITS.descriptionMax);
    expect(fitDescription('short')).toEqual({ text: 'short' });
    expect(fitDescription('x'.repeat(1000))).toEqual({ text: 'x'.repeat(1000) });
    const cut = fitDescription('x'.repeat(1500));
    expect(cut).toEqual({ text: `${'x'.repeat(999)}…`, cutFrom: 1500 });
    const emoji = fitDescription(`${'x'.repeat(998)}😀${'y'.repeat(10)}`);
    expect(emoji.text).toBe(`${'x'.repeat(998)}…`);
    expect(emoji.text.length).toBeLessThanOrEqual(1000);
  });
});
