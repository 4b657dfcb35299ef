/** Says loudly, once per run, when the PostgreSQL half of the suite is not running. */
export default function setup(): void {
  if (process.env.OPSTRAILS_TEST_DATABASE_URL) return;
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! OPSTRAILS_TEST_DATABASE_URL is not set: the PostgreSQL half of the store and API\n!! tests was SKIPPED. Only SQLite was tested. Set it to run both, e.g.\n!!   OPSTRAILS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n${bar}\n\n`,
  );
}
