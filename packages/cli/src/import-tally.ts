/**
 * What an import did, event by event: new, already stored (a re-run), rejected, and the
 * server's warnings; rejections and warnings are listed up to a limit, then only counted.
 */
import type { BatchResult } from '@opstrails/sdk';

/** Rejections (and warnings) listed one by one before the rest are only counted. */
const REPORT_MAX = 20;

export class ImportTally {
  created = 0;
  existing = 0;
  rejected = 0;
  warned = 0;

  /** `write` prints one message line (after clearing a progress bar). */
  constructor(private readonly write: (line: string) => void) {}

  get accepted(): number {
    return this.created + this.existing;
  }

  get sent(): number {
    return this.accepted + this.rejected;
  }

  reject(where: string, error: string, code: string): void {
    this.rejected += 1;
    if (this.rejected <= REPORT_MAX) this.write(`${where}: ${error} [${code}]`);
  }

  /** Counts a batch answer; `wheres[i]` names the i-th event sent in it. */
  add(result: BatchResult, wheres: string[]): void {
    const rejectedAt = new Set<number>();
    for (const r of result.rejected) {
      rejectedAt.add(r.index);
      this.reject(wheres[r.index] ?? `event ${r.index}`, r.error, r.code);
    }
    // `accepted` keeps the order of the batch, without the rejected events.
    const acceptedWheres = wheres.filter((_, i) => !rejectedAt.has(i));
    result.accepted.forEach((event, i) => {
      for (const warning of event.warnings ?? []) {
        this.warned += 1;
        if (this.warned <= REPORT_MAX)
          this.write(`${acceptedWheres[i] ?? `event ${i}`}: warning: ${warning}`);
      }
    });
    this.created += result.created;
    this.existing += result.accepted.length - result.created;
  }

  /** What was counted but not listed, as lines for after the run. */
  unlisted(): string[] {
    const lines: string[] = [];
    if (this.rejected > REPORT_MAX) lines.push(`... and ${this.rejected - REPORT_MAX} more rejected`);
    if (this.warned > REPORT_MAX) lines.push(`... and ${this.warned - REPORT_MAX} more warnings`);
    return lines;
  }

  /** `4,000 sent: 0 new, 4,000 already stored, 0 rejected (2,100/s)`. */
  summary(rate: string): string {
    const n = (value: number) => value.toLocaleString('en-US');
    return `${n(this.sent)} sent: ${n(this.created)} new, ${n(this.existing)} already stored, ${n(this.rejected)} rejected (${rate})`;
  }
}
