// The workload to profile: harness passes of the lockstep benchmark (world, lockstep, every
// invariant) over its fixed schedules, nothing else.
//
// Run: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/hmip6-prof bench/profile-lockstep.ts [passes]
// then: npx tsx bench/profile-summary.ts /tmp/hmip6-prof/<file>.cpuprofile

import { PROPERTIES } from '../properties/invariants/index.js';
import { referenceAlice } from '../properties/world/alice.js';
import { runSchedule } from '../properties/world/world.js';
import { benchSchedules, LOCKSTEP_FULL } from './lockstep.js';

const passes = Number(process.argv[2] ?? 3);
const schedules = benchSchedules(LOCKSTEP_FULL.seed, LOCKSTEP_FULL.schedules);
const t0 = performance.now();
for (let i = 0; i < passes; i++) {
  for (const schedule of schedules) {
    const run = runSchedule(schedule, referenceAlice);
    for (const p of PROPERTIES) p.check(run.trace);
  }
}
console.log(`${passes} passes of ${schedules.length} schedules: ${(performance.now() - t0).toFixed(0)} ms`);
