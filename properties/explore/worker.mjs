// Entry point of an explore worker thread: worker threads do not inherit the TypeScript
// loader, so this plain module registers tsx's, then loads the worker itself (worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
