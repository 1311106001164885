// A trace as text, one line per event, for people (counterexample reports and debugging).

import type { HostState } from '../../impl/host/types.js';
import type { Trace, TraceEvent, TraceStep } from './types.js';

export function renderState(state: HostState | undefined): string {
  if (state === undefined) return '    (no state: black box)';
  const lines = [`    local: ${state.local.join(', ')}`];
  for (const e of state.entries) {
    const sa = e.sa === null ? 'no SA' : `SA ${e.sa.kind} ${e.sa.inboundSpi}`;
    const addresses = e.addresses
      .map(
        (a) =>
          `${a.address} ${a.status}${a.challengeOutstanding ? '*' : ''} ${a.lifetime.kind}@${a.lifetime.expiresAt}`,
      )
      .join('; ');
    lines.push(`    ${e.id} ${e.peerKind} (${sa}): ${addresses}`);
  }
  return lines.join('\n');
}

export function renderEvent(trace: Trace, e: TraceEvent): string {
  const pk = (id: number): string =>
    `#${id} ${trace.packets[id]?.summary ?? '?'}${trace.packets[id]?.tag !== undefined ? ` [${trace.packets[id].tag}]` : ''}`;
  switch (e.kind) {
    case 'alice': {
      // Only a receive names a packet and the world's verdict on it (a malformed one neither).
      const input = e.op === 'receive' ? e.input : undefined;
      const t = e.op === 'receive' ? e.truth : undefined;
      const head = `  ${e.at} alice.${e.op}#${e.call}${input !== undefined ? ` ${pk(input)}` : ''}${e.request !== undefined && e.op !== 'receive' ? ` ${JSON.stringify(e.request)}` : ''}`;
      const truth =
        t !== undefined
          ? ` {ah ${t.ah}${t.sa !== null ? ` ${t.sa}` : ''}${t.responses.length > 0 ? ` answers ${t.responses.map((r) => `${r.address}→${r.answers === null ? 'none' : `#${r.answers}`}`).join(',')}` : ''}}`
          : '';
      const out = e.sent.map((id) => `\n      sends ${pk(id)}`).join('');
      const delivered = e.delivered
        .map((d) => `\n      delivers ${d.proto} ${d.payload.slice(0, 16)} entry ${d.entry} auth ${d.authenticated}`)
        .join('');
      return `${head}${truth}${e.ok ? '' : ` REFUSED ${e.error}`}${e.unreachable === true ? ' UNREACHABLE' : ''}${out}${delivered}`;
    }
    case 'emit':
      return `  ${e.at} ${e.by} sends ${pk(e.packet)}`;
    case 'deliver':
      return `  ${e.at} network delivers #${e.packet} to ${e.to} at ${e.address}`;
    case 'drop':
      return `  ${e.at} network drops #${e.packet} (${e.cause})`;
    case 'fault':
      return `  ${e.at} fault ${e.what}${e.packet !== undefined ? ` #${e.packet}` : ''}${e.ms !== undefined ? ` ${e.ms} ms` : ''}`;
    case 'own':
      return `  ${e.at} ${e.address}: ${e.from ?? 'nobody'} → ${e.to ?? 'nobody'}`;
    case 'peer-delivered':
      return `  ${e.at} ${e.node} delivers ${e.items.map((i) => `${i.proto} ${i.payload.slice(0, 16)} entry ${i.entry} auth ${i.authenticated}`).join(', ')}`;
    case 'move':
      return `  ${e.at} ${e.peer} moves to ${e.address}${e.lost !== null ? `, leaving ${e.lost}` : ''}`;
    case 'probe':
      return `  ${e.at} probe ${e.peer} at ${e.address}: ${JSON.stringify(e.result)}`;
    case 'peer-entry': {
      const list = (entry: typeof e.before): string =>
        entry === null ? 'none' : entry.addresses.map((a) => `${a.address} ${a.status}`).join(', ') || 'empty';
      return `  ${e.at} ${e.peer}'s entry for Alice after #${e.packet}: ${list(e.after)} (before: ${list(e.before)})`;
    }
    case 'note':
      return `  ${e.at} note: ${e.text}`;
  }
}

export function renderStep(trace: Trace, step: TraceStep, options: { states?: boolean } = {}): string {
  const lines = [`step ${step.index} [${step.startMs}..${step.endMs}] ${step.label}`];
  for (const e of step.events) {
    lines.push(renderEvent(trace, e));
    if (options.states === true && e.kind === 'alice' && e.state !== undefined) lines.push(renderState(e.state));
  }
  if (options.states !== true) lines.push(renderState(step.state));
  return lines.join('\n');
}

export function renderTrace(trace: Trace, options: { states?: boolean; from?: number; to?: number } = {}): string {
  const steps = trace.steps.slice(options.from ?? 0, (options.to ?? trace.steps.length - 1) + 1);
  return steps.map((s) => renderStep(trace, s, options)).join('\n');
}
