/**
 * Progress of a long import or export on stderr. On a terminal: a bar when the total is known,
 * a counter otherwise, redrawn at most ten times a second. Elsewhere (a CI log, a pipe): a
 * plain line every OPSTRAILS_PROGRESS_SECONDS (default 10, 0 for none), so a long job shows it
 * is alive without flooding the log. Either way the command ends with a summary line.
 */
const REDRAW_MS = 100;
const BAR_WIDTH = 30;
const DEFAULT_LINE_SECONDS = 10;

/** How often a line is printed off a terminal, from the environment; 0 turns the lines off. */
export function progressSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.OPSTRAILS_PROGRESS_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_LINE_SECONDS;
  if (!/^\d+(\.\d+)?$/.test(raw)) {
    throw new Error(
      `OPSTRAILS_PROGRESS_SECONDS: "${raw}" must be a number of seconds, e.g. 10 (0: no progress lines)`,
    );
  }
  return Number(raw);
}

export class Progress {
  readonly #tty: boolean;
  readonly #started = Date.now();
  #drawnAt = 0;
  #events = 0;
  #bytes: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly verb: string,
    /** Total bytes of the input, when known: makes the counter a bar. */
    private readonly totalBytes?: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** What is counted: events, or metric points. */
    private readonly unit = 'events',
  ) {
    this.#tty = stream.isTTY === true;
    const seconds = this.#tty ? 0 : progressSeconds();
    if (seconds > 0) {
      this.#timer = setInterval(() => this.stream.write(`${this.#line()}\n`), seconds * 1000);
      // The lines never keep the command alive on their own.
      this.#timer.unref();
    }
  }

  update(events: number, bytes?: number): void {
    this.#events = events;
    this.#bytes = bytes;
    if (!this.#tty) return;
    const now = Date.now();
    if (now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    this.stream.write(`\r${this.#line()}\x1b[K`);
  }

  /** Ends the progress output with the summary, on a terminal and off it. */
  finish(summary: string): void {
    clearInterval(this.#timer);
    this.stream.write(this.#tty ? `\r\x1b[K${summary}\n` : `${summary}\n`);
  }

  /** Clears the bar so a message starts on a clean line. */
  clear(): void {
    if (this.#tty) this.stream.write('\r\x1b[K');
  }

  rate(events: number): string {
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001);
    return `${Math.round(events / seconds).toLocaleString('en-US')}/s`;
  }

  #line(): string {
    const count = `${this.verb} ${this.#events.toLocaleString('en-US')} ${this.unit}  ${this.rate(this.#events)}`;
    if (!this.totalBytes || this.#bytes === undefined) return this.#tty ? count : `${count} so far`;
    const share = Math.min(this.#bytes / this.totalBytes, 1);
    const percent = `${Math.floor(share * 100)}%`;
    if (!this.#tty) return `${count} so far (${percent} of the file)`;
    const filled = Math.round(share * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent.padStart(4)}  ${count}`;
  }
}
