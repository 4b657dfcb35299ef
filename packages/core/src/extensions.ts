/**
 * CloudEvents extension attributes: the top-level attributes of an event beyond the model's own
 * (`correlationid`, `traceparent`, a team's own). They are kept with the event. Names follow the
 * CloudEvents rule and values are JSON scalars; a name that looks like a misspelt field is kept
 * too, with a warning, because the sender most likely meant the field.
 */

/** The attributes of the event model (contract section 1): everything else is an extension. */
export const EVENT_ATTRIBUTES = [
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'severity',
  'version',
  'datacontenttype',
  'dataschema',
  'data',
] as const;

/** CloudEvents extension values in JSON: string, number or boolean (null means absent). */
export type ExtensionValue = string | number | boolean;
export type Extensions = Record<string, ExtensionValue>;

/**
 * The extensions that link events to each other (an id of a flow, of the event that caused this
 * one): the store indexes them, so their values are ids, at most as long as an event id.
 */
export const LINK_ATTRIBUTES = ['correlationid', 'causationid'] as const;
export const LINK_VALUE_MAX = 200;
const LINKS = new Set<string>(LINK_ATTRIBUTES);

/** CloudEvents advises extension names of at most 20 characters; longer ones are kept, with a warning. */
export const EXTENSION_NAME_ADVISED_MAX = 20;

const KNOWN = new Set<string>(EVENT_ATTRIBUTES);
/** Every answer carries `createdAt`; a stored event sent back as-is is accepted and the server's own time kept. */
const ANSWER_ONLY = new Set(['createdAt']);
const NAME = /^[a-z0-9]+$/;

/**
 * What a misspelt name most likely meant: the model's attributes (`id` is too short to guess
 * from: every two-letter name is one edit away) and data's two documented fields, which senders
 * often put at the top level.
 */
const MEANT = new Map<string, string>([
  ...EVENT_ATTRIBUTES.filter((a) => a.length >= 4).map((a): [string, string] => [a, a]),
  ['description', 'data.description'],
  ['timezone', 'data.timezone'],
]);

/** The twelve fields every answer renders before the extensions. */
const STORED_FIELDS = new Set<string>([...EVENT_ATTRIBUTES, 'createdAt']);

/** The extension attributes of an event as answers render it (its top-level attributes past the twelve fields). */
export function extensionsOf(event: object): Extensions {
  return Object.fromEntries(
    Object.entries(event).filter(([name]) => !STORED_FIELDS.has(name) && name !== 'warnings'),
  ) as Extensions;
}

export interface ExtensionsCheck {
  /** Null when the event has none. */
  extensions: Extensions | null;
  /** Each names the attribute and the fix; any problem refuses the event. */
  problems: string[];
  /** Each names the attribute; the event is stored all the same. */
  warnings: string[];
}

/** Reads the extension attributes of a sent event (a JSON object). */
export function readExtensions(input: Record<string, unknown>): ExtensionsCheck {
  const extensions: Extensions = {};
  const problems: string[] = [];
  const warnings: string[] = [];
  let count = 0;
  for (const [name, value] of Object.entries(input)) {
    if (KNOWN.has(name) || ANSWER_ONLY.has(name) || value === null || value === undefined) continue;
    if (name === 'data_base64') {
      problems.push('data_base64: binary data is not supported; send data as a JSON object');
      continue;
    }
    if (name === 'warnings') {
      problems.push('warnings: is reserved for the warnings the server answers with; rename the attribute');
      continue;
    }
    if (!NAME.test(name)) {
      problems.push(`${name}: ${badName(name)}`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(
        `${name}: an extension attribute must be a string, number or boolean (CloudEvents), not ${Array.isArray(value) ? 'an array' : 'an object'}; put structured detail in data`,
      );
      continue;
    }
    if (LINKS.has(name) && String(value).length > LINK_VALUE_MAX) {
      problems.push(
        `${name}: must be at most ${LINK_VALUE_MAX} characters (it has ${String(value).length}); it is an id linking events`,
      );
      continue;
    }
    extensions[name] = value;
    count += 1;
    const meant = likelyMeant(name);
    if (meant)
      warnings.push(`${name}: not a known attribute; did you mean ${meant}? It was kept as an extension`);
    if (name.length > EXTENSION_NAME_ADVISED_MAX) {
      warnings.push(
        `${name}: extension names longer than ${EXTENSION_NAME_ADVISED_MAX} characters may be refused by other CloudEvents systems (the specification advises at most ${EXTENSION_NAME_ADVISED_MAX}); it was kept`,
      );
    }
  }
  return { extensions: count > 0 ? extensions : null, problems, warnings };
}

function badName(name: string): string {
  // Accents go with their letters (ü -> u) so the suggestion stays readable.
  const folded = name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const rule = 'attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents)';
  if (KNOWN.has(folded)) return `${rule}; did you mean ${folded}?`;
  const meant = MEANT.get(folded);
  if (meant) return `${rule}; did you mean ${meant}?`;
  return folded ? `${rule}; rename it, e.g. ${folded}` : `${rule}; rename it`;
}

/** The field a name is a likely misspelling of: within one edit of a short name, two of a longer one. */
function likelyMeant(name: string): string | undefined {
  const exact = MEANT.get(name);
  if (exact) return exact;
  for (const [candidate, meant] of MEANT) {
    if (editDistance(name, candidate, candidate.length <= 5 ? 1 : 2) !== undefined) return meant;
  }
  return undefined;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbours, so `verison` is one edit from `version`), or undefined past `max`.
 */
function editDistance(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] as number) + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return undefined;
    before = previous;
    previous = current;
  }
  const distance = previous[b.length] as number;
  return distance <= max ? distance : undefined;
}
