/**
 * Any SA may protect data: Alice sends application data under a peer's anonymous SA, and
 * reports data that arrives under one as authenticated, although an anonymous SA says nothing
 * about who the peer is.
 *
 * Breaks: §2.4.3 "the resulting Anonymous AH SA MUST NOT be used for any purposes that require
 * strong (identity based) authentication" and §3.4.1 "it MUST make sure that Anonymous SAs are
 * used only for securing BUs and BAs, and not for application security" (R2.4.3-1, R3.4.1-2,
 * R3.4.1-3, R3.4.1-4); HOST.md rules 21 and 22.
 * Decision: `mayProtectData` (send/route.ts), which both paths ask.
 * Expected catcher: INV-ANON-SCOPE.
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// "An SA is an SA": the kind is not looked at.
const mayProtectData = (): boolean => true;

export const anonymousSaCarriesData: Mutant = {
  name: 'anonymous-sa-carries-data',
  breaks: 'protects and authenticates application data with an anonymous SA',
  section: '§2.4.3, §3.4.1, docs/rules.md rules 21-22',
  requirements: ['R2.4.3-1', 'R3.4.1-2', 'R3.4.1-3', 'R3.4.1-4'],
  method: 'mayProtectData',
  expected: 'INV-ANON-SCOPE',
  factory: brokenHost('anonymous-sa-carries-data', { mayProtectData }),
};
