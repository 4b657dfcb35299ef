/**
 * The live bus: after a commit, the ingest path announces the organization's newest row
 * number; subscribers (SSE streams) re-read from the table by row number, so a lost wake-up
 * costs latency, never events. In-process here; PostgreSQL deployments fan out across
 * instances through LISTEN/NOTIFY on top of the same interface.
 */
import { EventEmitter } from 'node:events';

export type Wakeup = (seq: number) => void;

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
  }

  setRelay(relay: ((orgId: string, seq: number) => void) | null): void {
    this.relay = relay;
  }

  /** Calls `listener` on every wake-up for this organization; returns the unsubscribe function. */
  subscribe(orgId: string, listener: Wakeup): () => void {
    this.emitter.on(orgId, listener);
    return () => this.emitter.off(orgId, listener);
  }
}
