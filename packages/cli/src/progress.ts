/**
 * Progress of a long import or export on stderr: a bar when the total is known, a counter
 * otherwise, redrawn at most ten times a second. Silent when stderr is not a terminal, so logs
 * and pipes stay clean.
 */
const REDRAW_MS = 100;
const BAR_WIDTH = 30;

export class Progress {
  readonly #enabled: boolean;
  readonly #started = Date.now();
  #drawnAt = 0;

  constructor(
    private readonly verb: string,
    /** Total bytes of the input, when known: makes the counter a bar. */
    private readonly totalBytes?: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#enabled = stream.isTTY === true;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  update(events: number, bytes?: number): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    process.stderr.write(`\r${this.#line(events, bytes)}\x1b[K`);
  }

  /** Replaces the bar with a closing summary (on a terminal only). */
  finish(summary: string): void {
    if (this.#enabled) process.stderr.write(`\r\x1b[K${summary}\n`);
  }

  /** Clears the bar so an error message starts on a clean line. */
  clear(): void {
    if (this.#enabled) process.stderr.write('\r\x1b[K');
  }

  rate(events: number): string {
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001);
    return `${Math.round(events / seconds).toLocaleString('en-US')}/s`;
  }

  #line(events: number, bytes?: number): string {
    const count = `${this.verb} ${events.toLocaleString('en-US')} events  ${this.rate(events)}`;
    if (!this.totalBytes || bytes === undefined) return count;
    const share = Math.min(bytes / this.totalBytes, 1);
    const filled = Math.round(share * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)
      .toString()
      .padStart(3)}%  ${count}`;
  }
}
