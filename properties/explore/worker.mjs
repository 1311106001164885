// Entry point of an explore worker thread. Compiled (dist/), it loads worker.js beside it;
// from the sources, worker threads do not inherit the TypeScript loader, so it registers
// tsx's, then loads the worker itself (worker.ts).
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
