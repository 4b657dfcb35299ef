/**
 * The "broke a guardrail" badge on an event (feed rows, grid cells). Events on screen ask for
 * their violations together: ids seen within 30 ms share one GET /api/v1/guardrails/violations
 * ?eventIds=… (the event's answer keeps the contract's shape; the flag comes from this separate
 * read). A recent event is asked again a little later, since the guardrails consumer records
 * violations just after the event is stored. The event page lists them with their reasons (ViolationList).
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import './violation-badge.css';

export interface EventViolation {
  guardrailName: string;
  guardrailType: 'change-freeze' | 'deployment-policy';
  ruleType: string;
  reason: string;
  event: { id: string; source: string };
}

type Listener = (v: EventViolation[]) => void;

const key = (source: string, id: string) => `${source}\u0000${id}`;
const known = new Map<string, EventViolation[]>();
const listeners = new Map<string, Set<Listener>>();
let pending = new Set<string>();
let scheduled = false;

async function flush(): Promise<void> {
  scheduled = false;
  const keys = [...pending];
  pending = new Set();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const ids = [...new Set(chunk.map((k) => k.split('\u0000')[1] as string))];
    try {
      const { violations } = await api<{ violations: EventViolation[] }>(
        `/api/v1/guardrails/violations?limit=1000&eventIds=${ids.map(encodeURIComponent).join(',')}`,
      );
      const found = new Map<string, EventViolation[]>();
      for (const v of violations) {
        const k = key(v.event.source, v.event.id);
        found.set(k, [...(found.get(k) ?? []), v]);
      }
      for (const k of chunk) {
        const list = found.get(k) ?? [];
        known.set(k, list);
        for (const l of listeners.get(k) ?? []) l(list);
      }
    } catch {
      // A badge is a hint: without the answer the event shows none.
    }
  }
}

function ask(k: string): void {
  pending.add(k);
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => void flush(), 30);
}

function useViolations(source: string, id: string, recent: boolean): EventViolation[] {
  const k = key(source, id);
  const [list, setList] = useState<EventViolation[]>(known.get(k) ?? []);
  useEffect(() => {
    let set = listeners.get(k);
    if (!set) {
      set = new Set();
      listeners.set(k, set);
    }
    set.add(setList);
    if (!known.has(k)) ask(k);
    const again = recent ? setTimeout(() => ask(k), 1_500) : undefined;
    return () => {
      set.delete(setList);
      if (again) clearTimeout(again);
    };
  }, [k, recent]);
  return list;
}

/** An event page's guardrails section: each freeze window or policy the event broke, and why. */
export function ViolationList({ source, id, time }: { source: string; id: string; time: string }) {
  const list = useViolations(source, id, Date.now() - Date.parse(time) < 60_000);
  if (list.length === 0)
    return <p className="muted">This event broke no freeze window or deployment policy.</p>;
  return (
    <ul className="violation-list" data-testid="violation-list">
      {list.map((v) => (
        <li key={`${v.guardrailType}:${v.guardrailName}:${v.ruleType}`}>
          <span className="violation-badge">
            ⚠ {v.guardrailType === 'change-freeze' ? 'freeze window' : 'deployment policy'}
          </span>{' '}
          <strong>{v.guardrailName}</strong>: {v.reason}
        </li>
      ))}
    </ul>
  );
}

/** Nothing when the event broke no guardrail; else a badge naming them, the reasons on hover. */
export function ViolationBadge({ source, id, time }: { source: string; id: string; time: string }) {
  const recent = Date.now() - Date.parse(time) < 60_000;
  const list = useViolations(source, id, recent);
  if (list.length === 0) return null;
  const names = [...new Set(list.map((v) => v.guardrailName))];
  return (
    <span
      className="violation-badge"
      data-testid="violation-badge"
      title={list.map((v) => `${v.guardrailName}: ${v.reason}`).join('\n')}
    >
      ⚠ {names.length === 1 ? `broke ${names[0]}` : `broke ${names.length} guardrails`}
    </span>
  );
}
