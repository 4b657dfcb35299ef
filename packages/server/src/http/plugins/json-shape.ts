/**
 * Checks a parsed JSON body: strings the stores cannot keep (core's unstorableText: NUL, lone
 * surrogates) and, when asked, nesting past a depth (a body that is serialized again whole would
 * overflow the stack).
 */
import { unstorableText } from '@opstrails/core';

const pathOf = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/** The first problem as `<path>: <rule and fix>`, or null. Iterative, so depth cannot hurt it. */
export function checkJsonShape(root: unknown, depthMax = Number.POSITIVE_INFINITY): string | null {
  const stack: Pending[] = [{ value: root, path: '', depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path, depth } = next;
    const at = path || 'request body';
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) return `${at}: ${problem}`;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= depthMax) return `${at}: nests deeper than ${depthMax} levels; flatten it`;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: pathOf(path, i), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      const problem = unstorableText(key);
      if (problem) return `${at}: a key ${problem}`;
      stack.push({ value: child, path: pathOf(path, key), depth: depth + 1 });
    }
  }
  return null;
}
