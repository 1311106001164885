// A Binding Request under valid AH (HOST.md rule 1) is answered at once with the periodic BU
// (rule 16).

import type { EntryRecord } from '../cache.js';
import type { HostContext } from '../context.js';
import { sendRefreshBu } from '../send/bu.js';

export function onBindingRequest(ctx: HostContext, entry: EntryRecord): void {
  sendRefreshBu(ctx, entry);
}
