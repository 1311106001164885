// Summarises a V8 CPU profile (`node --cpu-prof` writes *.cpuprofile): self time by function
// and by file, and inclusive time by function, largest first.
//
// Run: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N]
//
// Self time is the time a function was on top of the stack (summed over every place it was
// called from); inclusive time is the time it was anywhere on the stack (counted once per
// sample, so recursion is not counted twice).

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  selfByFunction: ProfileRow[];
  selfByFile: ProfileRow[];
  /** Self time by part of the project (AREAS), so that a profile reads at a glance. */
  selfByArea: ProfileRow[];
  inclusiveByFunction: ProfileRow[];
}

/**
 * Parts of the project, by path prefix, in the order tried. Library code counts as its own
 * area: ts-pattern is called from both the world and the host, so it is not folded into either.
 */
const AREAS: readonly (readonly [string, string])[] = [
  ['properties/world/', 'world (properties/world)'],
  ['properties/lockstep.ts', 'lockstep (properties/lockstep.ts)'],
  ['properties/invariants/', 'invariants (properties/invariants)'],
  ['properties/', 'other harness (properties)'],
  ['model/', 'model (model/)'],
  ['node_modules/xstate/', 'model (xstate)'],
  ['impl/host/', 'host (impl/host)'],
  ['impl/wire/', 'wire (impl/wire)'],
  ['impl/crypto/', 'crypto (impl/crypto)'],
  ['node_modules/@noble/', 'crypto (@noble/hashes)'],
  ['node_modules/fast-check/', 'fast-check'],
  ['node_modules/', 'other libraries'],
  ['bench/', 'bench driver'],
  ['node:', 'Node runtime and module loading'],
];

function areaOf(file: string): string {
  if (file === '(native: (garbage collector))') return 'garbage collector';
  if (file.startsWith('(native')) return 'runtime (native, idle, program)';
  for (const [prefix, area] of AREAS) if (file.startsWith(prefix)) return area;
  return 'other';
}

const US_PER_MS = 1000;

function fileOf(url: string): string {
  if (url === '') return '(native)';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function functionKey(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return frame.lineNumber > 0 ? `${name} ${fileOf(frame.url)}:${frame.lineNumber + 1}` : `${name} ${fileOf(frame.url)}`;
}

function rows(map: Map<string, number>, totalUs: number, top: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: Math.round(us / 10) / 100, share: Math.round((us / totalUs) * 1000) / 10 }));
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]);
    if (node === undefined) continue;
    totalUs += dt;
    const key = functionKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const file =
      node.callFrame.url === ''
        ? `(native: ${node.callFrame.functionName || 'anonymous'})`
        : fileOf(node.callFrame.url);
    selfFile.set(file, (selfFile.get(file) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (n === undefined) break;
      const k = functionKey(n.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const selfArea = new Map<string, number>();
  for (const [file, us] of selfFile) selfArea.set(areaOf(file), (selfArea.get(areaOf(file)) ?? 0) + us);
  return {
    totalMs: Math.round(totalUs / US_PER_MS),
    selfByFunction: rows(self, totalUs, top),
    selfByFile: rows(selfFile, totalUs, top),
    selfByArea: rows(selfArea, totalUs, top),
    inclusiveByFunction: rows(inclusive, totalUs, top),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const table = (title: string, rs: ProfileRow[]): string =>
    [
      `${title}`,
      ...rs.map((r) => `${r.ms.toFixed(0).padStart(8)} ms ${r.share.toFixed(1).padStart(5)} %  ${r.name}`),
    ].join('\n');
  return [
    `total sampled: ${s.totalMs} ms`,
    table('self time by function', s.selfByFunction),
    table('self time by file', s.selfByFile),
    table('self time by area', s.selfByArea),
    table('inclusive time by function', s.inclusiveByFunction),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(summarizeProfile(profile, top)));
}
