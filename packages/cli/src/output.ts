/** Plain-text tables for terminal output. */
export function printTable(headers: string[], rows: string[][], empty: string): void {
  if (rows.length === 0) {
    process.stderr.write(`${empty}\n`);
    return;
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers), ...rows.map(line)].join('\n')}\n`);
}
