// `npm run mutants`: the ETNA-style mutant report (docs/mutants.md). Runs every mutant of
// properties/mutants/bank/ and the reference host against every property at `hmip6 check`'s settings,
// prints the table and, with --json FILE, writes the report. The work is done by
// properties/mutants/command.ts; this script gives it the bank and is also what its worker
// processes run (with --worker).

import { fileURLToPath } from 'node:url';
import { mutantsCommand } from '../properties/mutants/command.js';
import { GAPS, MUTANTS } from '../properties/mutants/bank/index.js';

mutantsCommand(process.argv.slice(2), MUTANTS, fileURLToPath(import.meta.url), GAPS).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mutants: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
