/**
 * The live bus: after a commit, the ingest path announces the organization's newest row
 * number; subscribers (the live feed's per-organization readers, the consumers) read the event
 * log from their own positions, so a lost wake-up costs latency, never events. In-process here; PostgreSQL deployments fan out across
 * instances through LISTEN/NOTIFY on top of the same interface.
 */
import { EventEmitter } from 'node:events';

export type Wakeup = (seq: number) => void;

/** The emitter's event for wake-ups of every organization (a symbol: no organization id can equal it). */
const ANY_ORG = Symbol('any organization');

export class LiveBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Forwards local publishes to other instances (set by the PostgreSQL fan-out). */
  private relay: ((orgId: string, seq: number) => void) | null = null;

  /** Announces a commit made by this process: local subscribers, then other instances. */
  publish(orgId: string, seq: number): void {
    this.deliver(orgId, seq);
    this.relay?.(orgId, seq);
  }

  /** Wakes this process's subscribers only (for announcements that came from another instance). */
  deliver(orgId: string, seq: number): void {
    this.emitter.emit(orgId, seq);
    this.emitter.emit(ANY_ORG, orgId, seq);
  }

  setRelay(relay: ((orgId: string, seq: number) => void) | null): void {
    this.relay = relay;
  }

  /** Calls `listener` on every wake-up for this organization; returns the unsubscribe function. */
  subscribe(orgId: string, listener: Wakeup): () => void {
    this.emitter.on(orgId, listener);
    return () => this.emitter.off(orgId, listener);
  }

  /** Calls `listener` on every wake-up of any organization (the consumers of the event log); returns the unsubscribe function. */
  subscribeAll(listener: (orgId: string, seq: number) => void): () => void {
    this.emitter.on(ANY_ORG, listener);
    return () => this.emitter.off(ANY_ORG, listener);
  }
}
