// The story of a counterexample: its run as steps a person reads in a minute. Each step is one
// action of the schedule, in words, then what happened, one line per packet ("Mallory → Alice:
// BU claims 2001:db8:b::1, AH spi 0x9ab27 ok"), per change of Alice's host cache, per world
// event; and the state of Alice and of the model after it, with what changed. The failing step
// carries the property and its reason. Built from a counterexample file alone (deterministic:
// the same file gives the same story, byte for byte); text.ts, stepper.ts and html.ts render it.

import { match } from 'ts-pattern';
import type { AddressState, HostState } from '../../impl/host/types.js';
import type { CounterexampleFile } from '../counterexample.js';
import type {
  Action,
  NodeName,
  OddRequest,
  ParamProblemForm,
  ReceiveTruth,
  ResponseForm,
  ReuseKind,
  Target,
  Via,
} from '../world/types.js';
import { NON_GLOBAL_ADDRESSES, strangerAddress } from '../world/addresses.js';
import { START_MS } from '../world/constants.js';
import { describeAction } from '../world/describe.js';
import { nodeTitle, packetWords, payloadText, SaKeys, spiText, type AhVerdict } from './packets.js';
import { diffRows, stateRows, type StateTable, type TableRow } from './tables.js';

/** Where a story line sits in the sequence diagram: a node's lane, or the network's. */
export type Lane = NodeName | 'network';

export type StoryLine =
  | {
      kind: 'packet';
      at: number;
      packet: number;
      from: NodeName;
      /** Nodes that received it (several after a duplication), in order. */
      to: NodeName[];
      /** Why it went nowhere, when it did not arrive. */
      dropped: string | null;
      destination: string;
      text: string;
      short: string;
      ah: AhVerdict;
    }
  | { kind: 'note'; at: number; lane: Lane; text: string; tone: 'state' | 'app' | 'world' | 'fault' | 'refused' };

export interface StoryStep {
  index: number;
  /** The action in words. */
  title: string;
  /** The action as a replayable call, `A.claim({...})`; `setup()` for step 0. */
  call: string;
  startMs: number;
  endMs: number;
  lines: StoryLine[];
  failing: boolean;
  alice: StateTable;
  model: StateTable;
}

export interface StoryPacket {
  id: number;
  from: NodeName;
  sentAt: number;
  hex: string;
  summary: string;
  text: string;
  tag?: string;
}

export interface Story {
  /** "INV-ACTIVE-VERIFIED fails at step 2 of 2 (Alice = activates-without-challenge)". */
  title: string;
  property: string | null;
  reason: string;
  failingStep: number;
  /**
   * The schedule's last step: its number of actions (step 0 is the setup, step k the k-th
   * action). Every "step k of N" says N = this, also when the run stopped early.
   */
  lastStep: number;
  alice: string;
  seed: number;
  path: string;
  replayPath: string;
  /** Nodes present, in lane order (the network's lane comes last in the diagram). */
  nodes: NodeName[];
  /** Each node's first address (lane headers). */
  addresses: Partial<Record<NodeName, string>>;
  steps: StoryStep[];
  packets: StoryPacket[];
  /** What the replay said, when there was one (text, one line per fact). */
  notes: string[];
}

export interface StoryOptions {
  /** The model's state after each step (from the lockstep run); else the file's `modelState`s. */
  modelStates?: readonly (HostState | null)[];
  /** Lines to print under the title (how the run was replayed). */
  notes?: string[];
}

const ODD_WORDS: Readonly<Record<OddRequest, string>> = {
  'stale-tick': 'a tick at a now before the last one she accepted, which she must refuse (rule 24, docs/rules.md)',
  'stale-receive': 'to receive a packet at a now before the last one she accepted, which she must refuse (rule 24)',
  'fraction-now': 'a tick at a now that is no integer, which she must refuse (rule 24)',
  'negative-now': 'a tick at a negative now, which she must refuse (rule 24)',
  'own-peer': 'to establish an SA with one of her own addresses, which she must refuse (rule 24)',
  'own-to': 'to send to one of her own addresses, which she must refuse (rule 24)',
  'spi-in-use': 'to establish an SA with an inbound SPI already in use, which she must refuse (rule 24)',
  'add-held': 'to add an address she has, which does nothing (rule 24)',
  'remove-lacking': 'to remove an address she lacks, which does nothing (rule 24)',
  edges: 'the malformed requests at the edges of their ranges, which she must refuse (rule 24)',
  'non-global-to':
    'to send to a link-local, a site-local and the loopback address, which she must accept and answer unreachable, having no address of their scope (rules 21, 24)',
};

const REUSE_WORDS: Readonly<Record<ReuseKind, string>> = {
  late: "the Response to a withheld Challenge, after the Challenge's lifetime",
  elsewhere: "the Response to a withheld Challenge, sent to another of Alice's addresses",
  cross: 'the Response computed for another address',
  rebind: "another address's Challenge bound to the target",
  again: 'a Response value, under a fresh AH',
  'stale-sequence': 'a BU sequence number it used before',
  reflect: 'a Challenge Alice sent it, back to her',
};

const RESPONSE_FORM_WORDS: Readonly<Record<ResponseForm, string>> = {
  'alt-coa': 'in the second form, from another of its addresses with an Alternate CoA',
  'two-security': 'with a second Security sub-option after the value',
  'two-alt-coa': 'with two Alternate CoA sub-options',
  'other-sub-option': 'with a sub-option besides the value that a Response may not carry',
  'lifetime-zero': 'with lifetime 0',
};

const PARAM_PROBLEM_WORDS: Readonly<Record<ParamProblemForm, string>> = {
  whole: '',
  truncated: ', cut short after the option it points at',
  altered: ', its last byte changed',
  code: ', with a code other than 2',
  elsewhere: ', from another address, pointing at no option',
};

function viaWords(via: Via | undefined): string {
  if (via === undefined) return '';
  return `, through a routing header of ${via.addresses} of Alice's addresses (Segments Left ${via.segmentsLeft})`;
}

function targetWords(t: Target): string {
  return match(t)
    .with({ kind: 'peer' }, (x) => `${nodeTitle(x.peer)}'s address${x.pick > 0 ? ` #${x.pick}` : ''}`)
    .with({ kind: 'lost' }, (x) =>
      x.fromEnd === 0 ? 'the address lost last' : `the address lost ${x.fromEnd + 1}th from last`,
    )
    .with({ kind: 'victim' }, (x) => `a third party's address (2001:db8:9:${x.n.toString(16)}::1)`)
    .with({ kind: 'alice' }, () => "Alice's own address")
    .with({ kind: 'own' }, () => 'its own address')
    .with({ kind: 'next' }, (x) => `the address ${nodeTitle(x.peer)} will get next`)
    .with({ kind: 'stranger' }, (x) => `a stranger's address (2001:db8:7:${x.n.toString(16)}::1)`)
    .with(
      { kind: 'scoped' },
      (x) => `an address of no global scope (${NON_GLOBAL_ADDRESSES[Math.abs(x.pick) % NON_GLOBAL_ADDRESSES.length]})`,
    )
    .exhaustive();
}

/** An action in words. */
export function actionWords(action: Action | null): string {
  if (action === null) return 'setup: SAs are established and every host sends its Initial BU (Appendix A)';
  return match(action)
    .with({ kind: 'advance' }, (a) => `time passes: ${a.ms} ms`)
    .with(
      { kind: 'jump' },
      (a) =>
        `the clock jumps past ${a.past === 'lifetime' ? 'every lifetime' : a.past === 'expired' ? 'the maximum expired lifetime' : 'every lifetime and the maximum expired lifetime'}`,
    )
    .with({ kind: 'fair' }, (a) => `a fair stretch of ${a.ms} ms (no fault), then Alice probes the peers that moved`)
    .with({ kind: 'peerMove' }, (a) => `${nodeTitle(a.peer)} moves to a new address`)
    .with({ kind: 'peerGain' }, (a) => `${nodeTitle(a.peer)} gains an address`)
    .with({ kind: 'peerLose' }, (a) => `${nodeTitle(a.peer)} loses an address`)
    .with({ kind: 'peerSend' }, (a) => `${nodeTitle(a.peer)} sends data to Alice`)
    .with({ kind: 'peerBurst' }, (a) => `${nodeTitle(a.peer)} sends Alice ${a.count} datagrams at once`)
    .with(
      { kind: 'aliceSend' },
      (a) =>
        `Alice's application sends ${a.proto === 'udp' ? 'UDP' : 'an echo request'} to ${nodeTitle(a.peer)}${a.sport !== undefined || a.dport !== undefined ? ` (ports ${a.sport ?? 5000} → ${a.dport ?? 5000})` : ''}`,
    )
    .with({ kind: 'aliceSendNew' }, () => "Alice's application sends to an address nobody has seen")
    .with(
      { kind: 'aliceAddSa' },
      (a) =>
        `Alice establishes an SA with the host at ${strangerAddress(a.n)} (a stranger outside the world)${a.edge === true ? ', with SPIs 256 and 4294967295' : ''}`,
    )
    .with(
      { kind: 'aliceAddSaLee' },
      () => "Alice establishes a second SA with the host at Lee's address (its key held by nobody in the world)",
    )
    .with(
      { kind: 'aliceAddSaAgain' },
      (a) =>
        `${a.jump ? 'the clock jumps just past the default lifetime, and before any tick ' : ''}Alice establishes another SA with the host at ${strangerAddress(a.n)} (rule 17, docs/rules.md: refused while that address is active in an entry with an SA)`,
    )
    .with({ kind: 'aliceOdd' }, (a) => `Alice is asked ${a.what.map((w) => ODD_WORDS[w]).join('; then ')}`)
    .with({ kind: 'aliceGain' }, () => 'Alice gains an address')
    .with({ kind: 'aliceLose' }, (a) =>
      a.last === true ? 'Alice loses an address, her last one too' : 'Alice loses an address',
    )
    .with(
      { kind: 'invalid' },
      (a) =>
        `Alice is asked a malformed ${a.request.type} (${JSON.stringify(a.request)}), which she must refuse (rule 24, docs/rules.md)`,
    )
    .with({ kind: 'lose' }, (a) => `the network loses a packet in flight (${a.select})`)
    .with({ kind: 'duplicate' }, (a) => `the network duplicates a packet in flight (${a.select})`)
    .with({ kind: 'reorder' }, (a) => `the network reorders a packet in flight (${a.select})`)
    .with({ kind: 'delay' }, (a) => `the network delays a packet in flight (${a.select}) by ${a.ms} ms`)
    .with({ kind: 'lossy' }, (a) => `${a.ms} ms of random loss (${a.permille / 10} %)`)
    .with(
      { kind: 'claim' },
      (a) =>
        `Mallory claims ${targetWords(a.target)} under its ${a.sa} SA (${a.form === 'alt-coa' ? 'Alternate CoA' : a.form === 'home-address' ? 'as its home address, Appendix C' : 'from the spoofed address'})${viaWords(a.via)}`,
    )
    .with(
      { kind: 'takeover' },
      (a) => `Mallory takes over an address somebody lost and claims it under its ${a.sa} SA (§5.3)`,
    )
    .with(
      { kind: 'spoof' },
      (a) =>
        `Mallory spoofs ${a.what === 'bu-no-ah' ? 'a BU without AH' : a.what === 'ba-no-ah' ? 'a BA without AH' : a.what === 'hao-data' ? 'data with a home address option' : a.what === 'echo' ? 'an echo request' : a.what === 'bad-checksum' ? 'data with a bad checksum' : a.what === 'unknown-option' ? 'data with an unknown option to discard' : a.what === 'routed-away' ? 'data routed through Alice to a third party' : 'data'} as ${targetWords(a.as)}${a.what === 'routed-away' || a.what === 'bad-checksum' ? '' : viaWords(a.via)}`,
    )
    .with({ kind: 'badAh' }, (a) => `Mallory claims ${targetWords(a.target)} with a bad AH (${a.what})`)
    .with(
      { kind: 'replay' },
      (a) =>
        `Mallory replays ${a.fromEnd === 0 ? 'the last packet it saw' : `the packet it saw ${a.fromEnd + 1}th from last`}${a.retarget ? ', re-addressed to Alice' : ''}`,
    )
    .with({ kind: 'forgeResponse' }, (a) => `Mallory forges a Response for ${targetWords(a.target)}`)
    .with(
      { kind: 'clockGuess' },
      (a) => `Mallory claims ${targetWords(a.target)} and answers at once with Responses guessed from the clock`,
    )
    .with({ kind: 'anonData' }, () => 'Mallory sends data under its anonymous SA')
    .with({ kind: 'garbage' }, (a) => `Mallory puts ${a.hex.length / 2} bytes of garbage on Alice's link`)
    .with({ kind: 'bitflip' }, () => 'Mallory sends a bit-flipped copy of a packet it has')
    .with({ kind: 'flood' }, (a) => `Mallory floods Alice with ${a.count} claims on third parties' addresses`)
    .with(
      { kind: 'paramProblem' },
      (a) =>
        `Mallory sends a Parameter Problem quoting one of Alice's packets${PARAM_PROBLEM_WORDS[a.form ?? 'whole']}`,
    )
    .with(
      { kind: 'withhold' },
      (a) => `Mallory claims another of its own addresses under its ${a.sa} SA and keeps the Challenges unanswered`,
    )
    .with(
      { kind: 'reuse' },
      (a) =>
        `Mallory reuses a value it has seen (${REUSE_WORDS[a.what]}${a.what === 'cross' || a.what === 'rebind' ? `, for ${targetWords(a.target)}` : ''})`,
    )
    .with(
      { kind: 'answer' },
      (a) =>
        `Mallory answers ${a.fromEnd === 0 ? 'the last Challenge it received' : `the Challenge it received ${a.fromEnd + 1}th from last`} correctly, ${RESPONSE_FORM_WORDS[a.form]}`,
    )
    .with(
      { kind: 'seqWrap' },
      (a) => `Mallory renews its address under its ${a.sa} SA with BU sequence numbers across 65535 → 0`,
    )
    .with(
      { kind: 'ahEnd' },
      (a) => `Mallory claims ${targetWords(a.target)} under its ${a.sa} SA with the last AH sequence number, 2^32 − 1`,
    )
    .with({ kind: 'fill' }, (a) => `Mallory claims ${a.count} fresh addresses of its own under its ${a.sa} SA`)
    .with({ kind: 'correspond' }, (a) =>
      a.what === 'alice-sends'
        ? `Alice's application sends ${a.large === true ? 'a datagram too long for an ICMPv6 error to quote whole ' : ''}to Mallory${a.aside === true ? ', at an address no SA names' : ''}`
        : a.what === 'mallory-sends'
          ? 'Mallory sends data under its generic SA'
          : 'Mallory sends a BR',
    )
    .exhaustive();
}

interface Fate {
  to: NodeName[];
  dropped: string | null;
}

const DROP_WORDS: Readonly<Record<'no-owner' | 'fault' | 'loss', string>> = {
  'no-owner': 'nobody owns the address',
  fault: 'lost by a fault',
  loss: 'lost at random',
};

function addressChange(
  entry: string,
  before: AddressState | undefined,
  after: AddressState | undefined,
): string | null {
  if (before === undefined && after !== undefined)
    return `${entry}: ${after.address} is added, ${after.status}${after.challengeOutstanding ? ' (Challenge out)' : ''}`;
  if (before !== undefined && after === undefined)
    return `${entry}: ${before.address} is removed (was ${before.status})`;
  if (before === undefined || after === undefined) return null;
  if (before.status !== after.status) return `${entry}: ${after.address} ${before.status} → ${after.status}`;
  if (before.challengeOutstanding !== after.challengeOutstanding)
    return `${entry}: ${after.address} ${after.challengeOutstanding ? 'is challenged again' : 'Challenge settled'}`;
  return null;
}

/** What changed in Alice's host cache across one call, in words (lifetimes refreshed are left out). */
export function stateChanges(before: HostState | undefined, after: HostState | undefined): string[] {
  if (before === undefined || after === undefined || before === after) return [];
  const out: string[] = [];
  const old = new Map(before.entries.map((e) => [e.id, e]));
  for (const e of after.entries) {
    const o = old.get(e.id);
    if (o === undefined) {
      out.push(
        `new entry ${e.id}${e.sa !== null ? ` (SA ${e.sa.kind} ${spiText(e.sa.inboundSpi)})` : ' (no SA)'}: ${e.addresses.map((a) => `${a.address} ${a.status}`).join(', ') || 'no address'}`,
      );
      continue;
    }
    if (o.peerKind !== e.peerKind) out.push(`${e.id}: peer ${o.peerKind} → ${e.peerKind}`);
    const addrs = new Map(o.addresses.map((a) => [a.address, a]));
    for (const a of e.addresses) {
      const c = addressChange(e.id, addrs.get(a.address), a);
      if (c !== null) out.push(c);
    }
    for (const a of o.addresses)
      if (!e.addresses.some((x) => x.address === a.address))
        out.push(`${e.id}: ${a.address} is removed (was ${a.status})`);
  }
  for (const o of before.entries) if (!after.entries.some((e) => e.id === o.id)) out.push(`entry ${o.id} is removed`);
  for (const a of after.local) if (!before.local.includes(a)) out.push(`local address ${a} added`);
  for (const a of before.local) if (!after.local.includes(a)) out.push(`local address ${a} removed`);
  return out;
}

/**
 * A request field as text. A request the world made malformed on purpose (HOST.md rule 24)
 * may hold any JSON there, and String() of an object whose `toString` is data throws.
 */
function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
}

function spiField(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? spiText(value) : fieldText(value);
}

/** The nodes of the file's world, in lane order. */
export function storyNodes(file: Pick<CounterexampleFile, 'config'>): NodeName[] {
  const c = file.config;
  return [
    'alice',
    'bob',
    ...(c.carol !== 'absent' ? (['carol'] as const) : []),
    ...(c.sam ? (['sam'] as const) : []),
    ...(c.lee ? (['lee'] as const) : []),
    'mallory',
  ];
}

export function buildStory(file: CounterexampleFile, options: StoryOptions = {}): Story {
  const keys = new SaKeys(file.sas);
  const fates = new Map<number, Fate>();
  const truths = new Map<number, ReceiveTruth>();
  for (const step of file.steps) {
    for (const e of step.events) {
      if (e.kind === 'deliver') {
        const f = fates.get(e.packet) ?? { to: [], dropped: null };
        f.to.push(e.to);
        fates.set(e.packet, f);
      } else if (e.kind === 'drop') {
        const f = fates.get(e.packet) ?? { to: [], dropped: null };
        f.dropped ??= DROP_WORDS[e.cause];
        fates.set(e.packet, f);
      } else if (
        e.kind === 'alice' &&
        e.op === 'receive' &&
        e.input !== undefined &&
        e.truth !== undefined &&
        !truths.has(e.input)
      ) {
        truths.set(e.input, e.truth);
      }
    }
  }
  // Each packet in words once: the packet panel and every line that tells it share them.
  const wordsById = file.packets.map((p) => packetWords(p.hex, keys, truths.get(p.id), p.tag));
  const packets: StoryPacket[] = file.packets.map((p, i) => {
    const out: StoryPacket = {
      id: p.id,
      from: p.from,
      sentAt: p.sentAt,
      hex: p.hex,
      summary: p.summary,
      text: wordsById[i].text,
    };
    if (p.tag !== undefined) out.tag = p.tag;
    return out;
  });

  const packetLine = (id: number, from: NodeName, at: number): StoryLine => {
    const words = wordsById[id];
    const fate = fates.get(id) ?? { to: [], dropped: null };
    const destination = words.destination ?? '?';
    return {
      kind: 'packet',
      at,
      packet: id,
      from,
      to: fate.to,
      dropped: fate.to.length === 0 ? (fate.dropped ?? 'still in flight at the end') : null,
      destination,
      text: words.text,
      short: words.short,
      ah: words.ah,
    };
  };

  const modelStates = options.modelStates ?? file.steps.map((s) => (s.modelState ?? null) as HostState | null);
  let aliceBefore: HostState | undefined;
  let prevAliceRows: TableRow[] | null = null;
  let prevModelRows: TableRow[] | null = null;
  const steps: StoryStep[] = file.steps.map((step) => {
    const lines: StoryLine[] = [];
    for (const e of step.events) {
      switch (e.kind) {
        case 'alice': {
          // The request read as the JSON it is: a malformed one (HOST.md rule 24) may hold
          // anything, and a file's schema checks no more of a request than that it is JSON.
          const r: Readonly<Record<string, unknown>> = e.request ?? {};
          if (e.op === 'send')
            lines.push({
              kind: 'note',
              at: e.at,
              lane: 'alice',
              tone: 'app',
              text: `application sends ${fieldText(r.proto ?? 'udp').toUpperCase()} ${typeof r.payload === 'string' ? payloadText(r.payload) : fieldText(r.payload)} to ${fieldText(r.to)}`,
            });
          else if (e.op === 'addSA')
            lines.push({
              kind: 'note',
              at: e.at,
              lane: 'alice',
              tone: 'world',
              text: `gets an SA with ${fieldText(r.peer)} (${fieldText(r.kind)}, SPI in ${spiField(r.inboundSpi)}, out ${spiField(r.outboundSpi)})`,
            });
          else if (e.op === 'addLocalAddress')
            lines.push({ kind: 'note', at: e.at, lane: 'alice', tone: 'world', text: `gains ${fieldText(r.address)}` });
          else if (e.op === 'removeLocalAddress')
            lines.push({ kind: 'note', at: e.at, lane: 'alice', tone: 'world', text: `loses ${fieldText(r.address)}` });
          if (!e.ok)
            lines.push({
              kind: 'note',
              at: e.at,
              lane: 'alice',
              tone: 'refused',
              text: `refuses the ${e.op}: ${e.error ?? ''}`,
            });
          if (e.unreachable === true)
            lines.push({ kind: 'note', at: e.at, lane: 'alice', tone: 'refused', text: 'answers: unreachable' });
          // What the call did to Alice, then what she sent because of it.
          const input = e.op === 'receive' ? e.input : undefined;
          const cause = input !== undefined ? ` (on #${input})` : e.op === 'tick' ? ' (timer)' : '';
          if (step.index > 0)
            for (const c of stateChanges(aliceBefore, e.state))
              lines.push({ kind: 'note', at: e.at, lane: 'alice', tone: 'state', text: `${c}${cause}` });
          for (const d of e.delivered) {
            lines.push({
              kind: 'note',
              at: e.at,
              lane: 'alice',
              tone: 'app',
              text: `application receives ${d.proto.toUpperCase()} ${payloadText(d.payload)}${cause} (entry ${d.entry ?? 'none'}, ${d.authenticated ? 'authenticated' : 'not authenticated'})`,
            });
          }
          for (const id of e.sent) lines.push(packetLine(id, 'alice', e.at));
          if (e.state !== undefined) aliceBefore = e.state;
          break;
        }
        case 'emit':
          lines.push(packetLine(e.packet, e.by, e.at));
          break;
        case 'fault':
          lines.push({
            kind: 'note',
            at: e.at,
            lane: 'network',
            tone: 'fault',
            text:
              e.what === 'lossy'
                ? `random loss for ${e.ms ?? 0} ms`
                : `the network ${e.what === 'lose' ? 'loses' : e.what === 'duplicate' ? 'duplicates' : e.what === 'reorder' ? 'reorders' : `delays by ${e.ms ?? 0} ms`} packet #${e.packet ?? '?'}${e.copy !== undefined ? ` (with #${e.copy})` : ''}`,
          });
          break;
        case 'own':
          lines.push({
            kind: 'note',
            at: e.at,
            lane: 'network',
            tone: 'world',
            text: `${e.address} passes from ${nodeTitle(e.from)} to ${nodeTitle(e.to)}`,
          });
          break;
        case 'peer-delivered':
          for (const d of e.items)
            lines.push({
              kind: 'note',
              at: e.at,
              lane: e.node,
              tone: 'app',
              text: `application receives ${d.proto.toUpperCase()} ${payloadText(d.payload)} (${d.authenticated ? 'authenticated' : 'not authenticated'})`,
            });
          break;
        case 'move':
          lines.push({
            kind: 'note',
            at: e.at,
            lane: e.peer,
            tone: 'world',
            text: `moves to ${e.address}${e.lost !== null ? `, leaving ${e.lost}` : ''}`,
          });
          break;
        case 'probe':
          lines.push({
            kind: 'note',
            at: e.at,
            lane: 'alice',
            tone: 'app',
            text: e.result.judged
              ? `probe toward ${nodeTitle(e.peer)} at ${e.address}: ${e.result.reached ? 'reached it' : 'did not reach it'}${e.result.authenticated ? ', authenticated' : ''}`
              : `probe toward ${nodeTitle(e.peer)} at ${e.address} not judged: ${e.result.why ?? ''}`,
          });
          break;
        case 'note':
          lines.push({ kind: 'note', at: e.at, lane: 'network', tone: 'world', text: e.text });
          break;
        case 'peer-entry':
          lines.push({
            kind: 'note',
            at: e.at,
            lane: e.peer,
            tone: 'world',
            text: `its entry for Alice after her deleting BU (#${e.packet}): ${e.after === null ? 'none' : e.after.addresses.map((a) => `${a.address} ${a.status}`).join(', ') || 'no address'}`,
          });
          break;
        case 'deliver':
        case 'drop':
          break;
      }
    }
    const aliceRows = stateRows(step.aliceState);
    const modelRows = stateRows(modelStates[step.index] ?? null);
    const s: StoryStep = {
      index: step.index,
      title: actionWords(step.action),
      call: step.action === null ? 'setup()' : `A.${describeAction(step.action)}`,
      startMs: step.startMs,
      endMs: step.endMs,
      lines,
      failing: step.index === file.failingStep,
      alice: { title: "Alice's host cache", rows: diffRows(step.index === 0 ? null : prevAliceRows, aliceRows) },
      model: { title: "the model's state", rows: diffRows(step.index === 0 ? null : prevModelRows, modelRows) },
    };
    prevAliceRows = aliceRows;
    prevModelRows = modelRows;
    return s;
  });
  // Alice threw in the action of step `failingStep`: the trace has no step for it (the world
  // records a step once it ends), so the story tells it here, the last, marked as failing.
  const lastStep = file.actions.length;
  if (file.property === null && file.failingStep === file.steps.length && file.failingStep <= lastStep) {
    const action = file.failingStep === 0 ? null : file.actions[file.failingStep - 1];
    const at = file.steps[file.steps.length - 1]?.endMs ?? START_MS;
    steps.push({
      index: file.failingStep,
      title: actionWords(action),
      call: action === null ? 'setup()' : `A.${describeAction(action)}`,
      startMs: at,
      endMs: at,
      lines: [{ kind: 'note', at, lane: 'alice', tone: 'refused', text: 'throws: the run ends in this step' }],
      failing: true,
      alice: { title: "Alice's host cache", rows: null },
      model: { title: "the model's state", rows: null },
    });
  }

  const what = file.property === null ? 'Alice crashes' : `${file.property} fails`;
  const nodes = storyNodes(file);
  const addresses: Partial<Record<NodeName, string>> = {};
  for (const [address, owner] of Object.entries(file.owners)) {
    const node = owner as NodeName;
    if (addresses[node] === undefined) addresses[node] = address;
  }
  return {
    title: `${what} at step ${file.failingStep} of ${lastStep} (Alice = ${file.alice.name})`,
    property: file.property,
    reason: file.reason,
    failingStep: file.failingStep,
    lastStep,
    alice: file.alice.name,
    seed: file.seed,
    path: file.path,
    replayPath: file.replayPath,
    nodes,
    addresses,
    steps,
    packets,
    notes: options.notes ?? [],
  };
}
