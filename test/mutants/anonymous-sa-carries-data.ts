/**
 * Any SA may protect data: Alice sends application data under a peer's anonymous SA, and
 * reports data that arrives under one as authenticated, although an anonymous SA says nothing
 * about who the peer is.
 *
 * Breaks: §2.4.3 "the resulting Anonymous AH SA MUST NOT be used for any purposes that require
 * strong (identity based) authentication" and §3.4.1 "it MUST make sure that Anonymous SAs are
 * used only for securing BUs and BAs, and not for application security" (R2.4.3-1, R3.4.1-2,
 * R3.4.1-3, R3.4.1-4); HOST.md rules 21 and 22.
 * Override: `mayProtectData` (send-path.ts), which both paths ask.
 * Expected catcher: INV-ANON-SCOPE.
 */

import type { SaRecord } from '../../impl/host/index.js';
import { ReferenceHost } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class AnonymousSaCarriesData extends ReferenceHost {
  protected override mayProtectData(sa: SaRecord): boolean {
    // "An SA is an SA": the kind is not looked at.
    return true;
  }
}

export const anonymousSaCarriesData: Mutant = {
  name: 'anonymous-sa-carries-data',
  breaks: 'protects and authenticates application data with an anonymous SA',
  section: '§2.4.3, §3.4.1, docs/rules.md rules 21-22',
  requirements: ['R2.4.3-1', 'R3.4.1-2', 'R3.4.1-3', 'R3.4.1-4'],
  method: 'mayProtectData',
  expected: 'INV-ANON-SCOPE',
  factory: hostFactory('anonymous-sa-carries-data', (o) => new AnonymousSaCarriesData(o)),
};
