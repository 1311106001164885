/**
 * Alice never announces an address she gains: no consecutive BU. Her peers keep sending to her
 * old addresses; when she loses those, her connections die.
 *
 * Breaks: §2.1.2 "it SHOULD include a Consequtive Binding Update ... in the next packets sent
 * to such hosts" and §2.2.1 (R2.1.2-6, R2.2.1-1); HOST.md rule 20, which the adapter protocol
 * makes part of the `addLocalAddress` answer ("BUs announcing it").
 * Decision: `announceAddress` (send/bu.ts) sends nothing.
 * Expected catcher: INV-OWN-MOVE (the `addLocalAddress` call sends no BU naming the new address
 * to a peer entry with an SA and an active address). Also tested by test/host/scenarios.test.ts
 * (a_new_address_is_tentative_and_unused_until_its_response_then_active, which checks the
 * announcement Bob sends, the same code).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// Peers will learn of it from the next periodic BU.
const announceAddress = (): void => undefined;

export const noAnnouncement: Mutant = {
  name: 'no-announcement',
  breaks: 'sends no BU announcing an address Alice gains (peers learn of it only from the periodic BU)',
  section: '§2.1.2, §2.2.1, docs/rules.md rule 20',
  requirements: ['R2.1.2-6', 'R2.2.1-1'],
  method: 'announceAddress',
  expected: 'INV-OWN-MOVE',
  factory: brokenHost('no-announcement', { announceAddress }),
};
