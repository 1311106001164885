#!/usr/bin/env node
// Entry point of the `hmip6` command. The sources are TypeScript; tsx's loader runs them
// directly, so `npm ci` alone is enough to make `npx hmip6` work (no build step).
import { register } from 'tsx/esm/api';

register();
const { main, dropOutputToClosedPipes } = await import('./main.ts');
dropOutputToClosedPipes();
process.exitCode = await main(process.argv.slice(2));
