/** Writes one benchmark's section of bench/RESULTS.md, replacing that section's previous figures. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const HEADER = `# Benchmark results

Produced by \`npm run bench\` (all) or \`npm run bench -- <name>\` (one). Each section says the
command that reproduces it and the machine it ran on; ratios compare figures taken in the same run.
`;

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} cores (${cpu}), ${gib} GiB RAM, Node ${process.version}, ${process.platform}; run ${new Date().toISOString()}`;
}

export function writeSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n\n_Machine: ${machine()}._\n${end}`;
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, next);
  process.stdout.write(`${markdown.trim()}\n\n(written to bench/RESULTS.md, section ${name})\n`);
}

/** Percentile of an already sorted array of numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
