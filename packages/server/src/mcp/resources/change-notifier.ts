/**
 * Tells listening clients that an organization's resources changed (`notifications/resources/updated`
 * on their `subscriptions/listen` streams, through the SDK handler's notifier). The business
 * context changes on its PUT; the overview with every new event, so its notices are throttled
 * per organization: the first at once, then at most one per `throttleMs`, the last change
 * always announced. Before each overview notice the cached overview is dropped, so the read
 * that follows sees the change.
 */
import type { ServerNotifier } from '@modelcontextprotocol/server';
import type { OrgOverviews } from '../org-overview.js';
import { contextUri, overviewUri } from './org-resources.js';

export const OVERVIEW_NOTICE_MS = 30_000;

export class ResourceChangeNotifier {
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly notify: ServerNotifier,
    private readonly overviews: OrgOverviews,
    private readonly throttleMs = OVERVIEW_NOTICE_MS,
  ) {}

  contextChanged(orgId: string): void {
    this.notify.resourceUpdated(contextUri(orgId));
    // The overview carries the business context too.
    this.sendOverview(orgId);
  }

  eventsArrived(orgId: string): void {
    if (this.timers.has(orgId)) return;
    const wait = (this.lastSent.get(orgId) ?? -Infinity) + this.throttleMs - Date.now();
    if (wait <= 0) {
      this.sendOverview(orgId);
      return;
    }
    const timer = setTimeout(() => this.sendOverview(orgId), wait);
    timer.unref();
    this.timers.set(orgId, timer);
  }

  private sendOverview(orgId: string): void {
    clearTimeout(this.timers.get(orgId));
    this.timers.delete(orgId);
    this.lastSent.set(orgId, Date.now());
    this.overviews.forget(orgId);
    this.notify.resourceUpdated(overviewUri(orgId));
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
