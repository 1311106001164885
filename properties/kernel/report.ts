// The kernel probe: every scenario of docs/findings.md ("The Linux kernel as a peer") run
// against this machine's kernel, and the table that section shows, written between its
// markers by `hmip6 probe --netns --write-docs`.

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { createHost } from '../../impl/host/index.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Host, SaConfig, SaKind } from '../../impl/host/types.js';
import { converse, DraftLiteralHost, type Conversation, type Phase, type Round } from './conversation.js';
import { readKernelConfig, type KernelConfig } from './kernelConfig.js';
import {
  ALICE_INITIAL_ADDRESS,
  ALICE_SECOND_ADDRESS,
  PEER_ADDRESS,
  withKernelLab,
  type KernelLab,
  type KernelLabInfo,
  type LabOptions,
} from './netns.js';
import { describeAnswer } from './answers.js';
import { runScenario, SCENARIOS, type ScenarioResult } from './scenarios.js';

export const KERNEL_TABLE_BEGIN = '<!-- kernel-table:begin -->';
export const KERNEL_TABLE_END = '<!-- kernel-table:end -->';
export const FINDINGS_PATH = pathToFileURL(join(PACKAGE_ROOT, 'docs/findings.md'));

/** Datagrams per phase in the conversations: enough to see a pattern, few enough to stay fast. */
export const CONVERSATION_ROUNDS = 3;

export interface ConversationRow {
  id: string;
  title: string;
  reference: string;
  summary: string;
  /** Rounds of the phase the row is about whose datagram reached the peer's socket, of all. */
  reached: [number, number];
  /** The phase's packets in order (each round: what Alice sent, then the kernel's answers). */
  packets: Uint8Array[];
}

export interface KernelProbeReport {
  kernel: KernelConfig;
  lab: KernelLabInfo;
  scenarios: ScenarioResult[];
  conversations: ConversationRow[];
}

/** A reference host for Alice with her initial address only. */
export function referenceAlice(): Host {
  return createHost({ localAddresses: [ALICE_INITIAL_ADDRESS], random: (n) => Uint8Array.from(randomBytes(n)) });
}

/**
 * An SA on Alice's side only, with the kernel peer: the kernel has none (and no AH). It is
 * what makes the reference host send its Initial BU (docs/rules.md rule 14).
 */
export function saWithPeer(kind: SaKind): SaConfig {
  return {
    peer: PEER_ADDRESS,
    inboundSpi: 256,
    outboundSpi: 257,
    alg: 'hmac-sha1-96',
    key: Uint8Array.from({ length: 20 }, (_, i) => i + 1),
    kind,
  };
}

/** The peer's echo service is one connection: that is what a source change has to keep. */
export const CONVERSATION_LAB: LabOptions = { echoConnects: true };

/** §2.2.3 to the letter (source switch + HAO) around the reference host: Alice gains her second address. */
export async function draftLiteralConversation(lab: KernelLab): Promise<Conversation> {
  return converse(lab, new DraftLiteralHost(referenceAlice(), [ALICE_INITIAL_ADDRESS]), {
    peer: PEER_ADDRESS,
    roundsPerPhase: CONVERSATION_ROUNDS,
    secondAddress: ALICE_SECOND_ADDRESS,
  });
}

/** The reference host, no SA: Alice gains her second address, then loses her first. */
export async function referenceConversation(lab: KernelLab): Promise<Conversation> {
  return converse(lab, referenceAlice(), {
    peer: PEER_ADDRESS,
    roundsPerPhase: CONVERSATION_ROUNDS,
    secondAddress: ALICE_SECOND_ADDRESS,
    loseAddress: ALICE_INITIAL_ADDRESS,
  });
}

/** The reference host with an SA of `kind`: its Initial BU first, then Alice gains her second address. */
export async function referenceWithSaConversation(lab: KernelLab, kind: SaKind): Promise<Conversation> {
  const host = referenceAlice();
  return converse(
    lab,
    host,
    { peer: PEER_ADDRESS, roundsPerPhase: CONVERSATION_ROUNDS, secondAddress: ALICE_SECOND_ADDRESS },
    (nowMs) => {
      const r = host.addSA(saWithPeer(kind), nowMs);
      if (!r.ok) throw new Error(`addSA: ${r.error}`);
      return r.sent;
    },
  );
}

function countOf(rounds: readonly Round[], test: (r: Round) => boolean): number {
  return rounds.filter(test).length;
}

/** One table cell for some rounds of a conversation (and its setup, when asked). */
export function summarize(
  c: Conversation,
  phases: readonly Phase[],
  withSetup = false,
): { text: string; reached: [number, number]; packets: Uint8Array[] } {
  const rounds = c.rounds.filter((r) => phases.includes(r.phase));
  const reached = countOf(rounds, (r) => r.reachedPeer);
  const echoed = countOf(rounds, (r) => r.echoed);
  const unreachable = countOf(rounds, (r) => r.unreachable);
  const sources = [...new Set(rounds.flatMap((r) => r.sent.filter((s) => s.udp).map((s) => s.source)))];
  const withHao = countOf(rounds, (r) => r.sent.some((s) => s.hao));
  const withAh = countOf(rounds, (r) => r.sent.some((s) => s.udp && s.ah));
  const answers = [...new Set(rounds.flatMap((r) => r.answers.filter((a) => a.kind !== 'udp').map(describeAnswer)))];
  const kinds: string[] = [];
  for (const r of rounds) {
    const k = r.peerKind ?? 'no entry';
    if (kinds[kinds.length - 1] !== k) kinds.push(k);
  }
  const parts: string[] = [];
  if (withSetup) {
    const setupAnswers = c.setup.answers.map(describeAnswer);
    parts.push(
      `Initial BU (${c.setup.sent.length} packet${c.setup.sent.length === 1 ? '' : 's'}): ${setupAnswers.length > 0 ? setupAnswers.join('; ') : 'no answer'}`,
    );
  }
  parts.push(`${reached} of ${rounds.length} datagrams reached the echo service, ${echoed} echoes delivered to Alice`);
  parts.push(sources.length > 0 ? `sent from ${sources.map((x) => `\`${x}\``).join(', ')}` : 'nothing sent');
  parts.push(`${withHao} with an HAO, ${withAh} under AH`);
  if (unreachable > 0) parts.push(`${unreachable} sends answered \`unreachable\``);
  if (answers.length > 0) parts.push(`kernel: ${answers.join('; ')}`);
  parts.push(`peer kind ${kinds.map((k) => `\`${k}\``).join(' → ')}`);
  return {
    text: parts.join('; '),
    reached: [reached, rounds.length],
    packets: [...(withSetup ? c.setup.packets : []), ...rounds.flatMap((r) => r.packets)],
  };
}

function row(id: string, title: string, reference: string, s: ReturnType<typeof summarize>): ConversationRow {
  return { id, title, reference, summary: s.text, reached: s.reached, packets: s.packets };
}

/** Runs every scenario and every conversation against this machine's kernel. */
export async function runKernelProbe(): Promise<KernelProbeReport> {
  const kernel = readKernelConfig();
  const { info, scenarios } = await withKernelLab(
    { aliceAddresses: [ALICE_INITIAL_ADDRESS, ALICE_SECOND_ADDRESS] },
    async (lab) => {
      const results: ScenarioResult[] = [];
      for (const s of SCENARIOS) results.push(await runScenario(lab, s));
      return { info: lab.info, scenarios: results };
    },
  );
  const conversations: ConversationRow[] = [];
  const a1 = `\`${ALICE_INITIAL_ADDRESS}\``;
  const a2 = `\`${ALICE_SECOND_ADDRESS}\``;
  const literal = await withKernelLab(CONVERSATION_LAB, draftLiteralConversation);
  conversations.push(
    row(
      'emulation-draft-literal',
      `§2.2.3 to the letter, no SA: Alice gains ${a2} (RFC 6724 rule 8 prefers it), her connection's datagrams leave from it with an HAO naming ${a1}`,
      '§2.2.3, §2.2.2',
      summarize(literal, ['second-address']),
    ),
  );
  const reference = await withKernelLab(CONVERSATION_LAB, referenceConversation);
  conversations.push(
    row(
      'emulation-reference',
      `reference host, no SA, same move: Alice gains ${a2}`,
      '§2.2.2 (per connection), docs/rules.md rule 21',
      summarize(reference, ['second-address']),
    ),
    row(
      'emulation-initial-lost',
      `reference host, no SA, then Alice loses ${a1} (the peer's socket is one connection)`,
      'docs/rules.md rule 15 (limit)',
      summarize(reference, ['initial-lost']),
    ),
  );
  const anonymous = await withKernelLab(CONVERSATION_LAB, (lab) => referenceWithSaConversation(lab, 'anonymous'));
  conversations.push(
    row(
      'initial-bu-anonymous-sa',
      `reference host with an anonymous SA (on Alice's side only): its Initial BU, then datagrams, then Alice gains ${a2}`,
      '§2.2.4, §3.2.1, docs/rules.md rules 14, 15',
      summarize(anonymous, ['initial', 'second-address'], true),
    ),
  );
  const generic = await withKernelLab(CONVERSATION_LAB, (lab) => referenceWithSaConversation(lab, 'generic'));
  conversations.push(
    row(
      'initial-bu-generic-sa',
      `reference host with a generic SA (on Alice's side only): its Initial BU, then datagrams, then Alice gains ${a2}`,
      '§2.4, docs/rules.md rules 15, 21',
      summarize(generic, ['initial', 'second-address'], true),
    ),
  );
  return { kernel, lab: info, scenarios, conversations };
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function yesNo(v: boolean | null): string {
  return v === null ? '— (no data)' : v ? 'yes' : 'no';
}

/** The Markdown that goes between the markers. Deterministic for a given kernel. */
export function renderKernelTable(r: KernelProbeReport): string {
  const k = r.kernel;
  const lines = [
    `Kernel \`${k.release}\`, configuration read from ${k.source === null ? 'nowhere (no /proc/config.gz or /boot/config-*)' : `\`${k.source}\``}: ` +
      `CONFIG_IPV6_MIP6 \`${k.mip6}\`, CONFIG_INET6_AH \`${k.ah}\`, CONFIG_INET6_ESP \`${k.esp}\`. ` +
      `Peer namespace: net.ipv6.icmp.ratelimit = ${r.lab.icmpRatelimitMs ?? 'unread'} ms. ` +
      `Sent with ${r.lab.relaySend}; captured with ${r.lab.relayCapture.replace(/ on .*/, '')}. ` +
      'Generated by `hmip6 probe --netns --write-docs`; do not edit by hand.',
    '',
    "| # | what Alice sends | where from | the kernel's answer | reached the peer's socket |",
    '|---|---|---|---|---|',
  ];
  let n = 1;
  for (const s of r.scenarios) {
    lines.push(
      `| ${n++} | ${cell(s.title)} (\`${s.id}\`) | ${cell(s.reference)} | ${cell(s.summary)} | ${yesNo(s.delivered)} |`,
    );
  }
  for (const c of r.conversations) {
    lines.push(
      `| ${n++} | ${cell(c.title)} (\`${c.id}\`) | ${cell(c.reference)} | ${cell(c.summary)} | ${c.reached[0]} of ${c.reached[1]} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the text between the markers of `markdown`; throws when they are missing. */
export function replaceKernelTable(markdown: string, table: string): string {
  const begin = markdown.indexOf(KERNEL_TABLE_BEGIN);
  const end = markdown.indexOf(KERNEL_TABLE_END);
  if (begin < 0 || end < begin)
    throw new Error(`docs/findings.md lacks the markers ${KERNEL_TABLE_BEGIN} … ${KERNEL_TABLE_END}`);
  return `${markdown.slice(0, begin + KERNEL_TABLE_BEGIN.length)}\n${table}\n${markdown.slice(end)}`;
}

/** The table currently between the markers, or null. */
export function currentKernelTable(markdown: string): string | null {
  const begin = markdown.indexOf(KERNEL_TABLE_BEGIN);
  const end = markdown.indexOf(KERNEL_TABLE_END);
  if (begin < 0 || end < begin) return null;
  return markdown.slice(begin + KERNEL_TABLE_BEGIN.length, end).trim();
}

export function writeKernelTable(table: string, path: URL = FINDINGS_PATH): void {
  writeFileSync(path, replaceKernelTable(readFileSync(path, 'utf8'), table));
}
