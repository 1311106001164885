// Entry point of a worker of `runCheck` (workers.ts), a child process or a worker thread.
// Compiled (dist/), it loads check-worker.js beside it; from the sources, neither a child
// process started without the parent's loader flags nor a worker thread has the TypeScript
// loader, so it registers tsx's, then loads the worker itself (check-worker.ts).
import { existsSync } from 'node:fs';

const compiled = new URL('./check-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./check-worker.ts');
}
