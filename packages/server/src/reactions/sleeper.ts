/**
 * A background loop's pause: it ends after its time, at a wake-up (new events committed), or at
 * stop. A wake-up that arrives while the loop is busy is kept, so the next pause ends at once
 * and no commit waits a whole poll.
 */
export class Sleeper {
  private woken = false;
  private stopped = false;
  private end: (() => void) | null = null;

  /** Ends the current pause (or the next one) early. */
  wake(): void {
    this.woken = true;
    if (this.end) this.end();
  }

  /** Ends every pause at once, now and later. */
  stop(): void {
    this.stopped = true;
    this.end?.();
  }

  /** Waits `ms`; `wakeable: false` (a backoff) ignores wake-ups, never a stop. */
  sleep(ms: number, wakeable = true): Promise<void> {
    if (this.stopped || (wakeable && this.woken) || ms <= 0) {
      if (wakeable) this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.end = null;
        if (wakeable) this.woken = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.end = () => {
        if (this.stopped || wakeable) finish();
      };
    });
  }
}
