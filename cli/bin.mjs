#!/usr/bin/env node
// Entry point of the `hmip6` command. It runs the compiled JavaScript in dist/ (built by
// `npm run build`, which `npm ci` runs as `prepare`). HMIP6_FROM_SOURCE=1, or a clone that has
// not been built, runs the TypeScript sources through tsx instead (the project's own tests do).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const source = new URL('./main.ts', import.meta.url);
let cli;
if ((process.env.HMIP6_FROM_SOURCE === '1' && existsSync(source)) || !existsSync(compiled)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(compiled.href);
}
cli.dropOutputToClosedPipes();
process.exitCode = await cli.main(process.argv.slice(2));
