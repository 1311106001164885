// The hmip6 property suite as this project's own vitest tests: one test per property
// (INV-ACTIVE-VERIFIED, LIVE-HONEST-MOVE, ...), run by `npm test` like any other.
//
// CONSUMER_MUTANT=<name> puts a broken host of hmip6's mutant bank in our host's place: the
// suite must then fail (hmip6's own tests check that it does).

import { mutantByName } from 'hmip6/mutants';
import { describeHost } from 'hmip6/vitest';
import { createMyHost } from '../src/host.js';

const name = process.env.CONSUMER_MUTANT;
const mutant = name === undefined ? undefined : mutantByName(name);
if (name !== undefined && mutant === undefined) throw new Error(`hmip6 has no mutant named ${name}`);

describeHost('my host', mutant?.factory ?? ((options) => createMyHost(options)), { runs: 30, seed: 1 });
