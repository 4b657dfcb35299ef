import { run } from './program.js';

run(process.argv).catch((error: unknown) => {
  process.stderr.write(`opstrails: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
