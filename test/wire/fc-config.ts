// fast-check run parameters for the wire and crypto suites: FC_SEED pins the seed (CI sets
// it; a failure prints the seed and path to reproduce with FC_SEED and FC_PATH).

import type fc from 'fast-check';

export function fcParams<T>(numRuns: number): fc.Parameters<T> {
  const params: fc.Parameters<T> = { numRuns };
  if (process.env.FC_SEED !== undefined) params.seed = Number(process.env.FC_SEED);
  if (process.env.FC_PATH !== undefined) params.path = process.env.FC_PATH;
  return params;
}
