/** Says loudly, at the start and again at the end of a run, when the PostgreSQL half of the suite did not run. */
const bar = '!'.repeat(78);
const warning = `\n${bar}\n!! OPSTRAILS_TEST_DATABASE_URL is not set: the PostgreSQL half of the store and API\n!! tests was SKIPPED. Only SQLite was tested. Set it to run both, e.g.\n!!   OPSTRAILS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n${bar}\n\n`;

export default function setup(): (() => void) | undefined {
  if (process.env.OPSTRAILS_TEST_DATABASE_URL) return undefined;
  process.stderr.write(warning);
  return () => process.stderr.write(warning);
}
