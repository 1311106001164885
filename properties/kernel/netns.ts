// A real IPv6 stack as a peer: the Linux kernel of the machine we run on, in a network
// namespace of its own (docs/findings.md, "The Linux kernel as a peer").
//
// Two namespaces per lab, both created here and nothing else touched: `alice` (where the
// raw-socket relay sends the bytes hmip6's host builds and captures the answers) and
// `peer` (the kernel under test, with a UDP echo service), joined by a veth pair that is
// created inside them, so the root namespace's interfaces and routes are never involved.
// Addresses are from the documentation prefix 2001:db8::/32, added with `nodad` so that
// they are usable at once. Everything is removed by `close()`, which never throws; names
// carry our pid (`hmip6-<pid>-<n>-a`/`-p`) so parallel runs do not clash, and
// `removeStaleNamespaces` removes those whose creating process is gone.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { Address } from '../../impl/wire/types.js';

/** The relay helper (standard-library Python; see the file's docstring for the mechanisms). */
export const RAW6_HELPER_PATH = fileURLToPath(new URL('./raw6.py', import.meta.url));

export const NAMESPACE_PREFIX = 'hmip6-';

/** Interface names inside the two namespaces (unique there; the root namespace never sees them). */
export const ALICE_INTERFACE = 'h6alice';
export const PEER_INTERFACE = 'h6peer';

/**
 * Alice's addresses: her initial one, and a second one on another network that she may gain.
 * Toward the peer, RFC 6724's rule 8 (longest matching prefix: 63 bits against 44) prefers
 * the second, so a host that follows standard source selection would switch to it.
 */
export const ALICE_INITIAL_ADDRESS: Address = '2001:db8:1::a';
export const ALICE_SECOND_ADDRESS: Address = '2001:db8:b:1::a';
/** The kernel peer's only address. */
export const PEER_ADDRESS: Address = '2001:db8:b::b';
/** Every address lives in this prefix, on-link on the veth in both namespaces. */
const DOCUMENTATION_PREFIX = '2001:db8::/32';
const ADDRESS_PREFIX_LENGTH = 64;

/** The echo service's UDP port in the peer namespace; also the port Alice sends from. */
export const ECHO_PORT = 5000;

const IP_COMMAND_TIMEOUT_MS = 5000;
const HELPER_READY_TIMEOUT_MS = 5000;
/** Slack on top of an exchange's own wait before the relay is declared hung. */
const EXCHANGE_SLACK_MS = 3000;
/** The relay refuses longer waits (raw6.py MAX_WAIT_MS). */
export const EXCHANGE_WAIT_MS_MAX = 5000;
const ECHO_LOG_ENTRIES_MAX = 10_000;
/** How long the echo service's log line may trail the echo itself (two pipes, two readers). */
export const ECHO_LOG_LAG_MS = 500;
const ECHO_LOG_POLL_MS = 10;

let labCounter = 0;

export class KernelLabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelLabError';
  }
}

function ip(args: string[]): string {
  try {
    return execFileSync('ip', args, {
      encoding: 'utf8',
      timeout: IP_COMMAND_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new KernelLabError(`ip ${args.join(' ')}: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Runs a short shell command inside a namespace (sysctl writes and reads, via /proc/sys). */
function inNamespace(ns: string, script: string): string {
  return ip(['netns', 'exec', ns, 'sh', '-c', script]);
}

/** Writes a per-namespace sysctl through /proc/sys (no dependency on procps). */
function setSysctl(ns: string, key: string, value: string): void {
  inNamespace(ns, `printf '%s\\n' '${value}' > /proc/sys/${key.replaceAll('.', '/')}`);
}

export function readSysctl(ns: string, key: string): string | null {
  try {
    return inNamespace(ns, `cat /proc/sys/${key.replaceAll('.', '/')}`).trim();
  } catch {
    return null;
  }
}

/** The Python 3 interpreter: $HMIP6_PYTHON, else /usr/bin/python3, else python3 on PATH. */
export function findPython(): string | null {
  const candidates = [process.env.HMIP6_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  for (const c of candidates) {
    if (c.startsWith('/') && !existsSync(c)) continue;
    try {
      execFileSync(c, ['-c', 'import socket, select, json'], { stdio: 'ignore', timeout: IP_COMMAND_TIMEOUT_MS });
      return c;
    } catch {
      // Try the next one.
    }
  }
  return null;
}

export type Availability = { ok: true; python: string } | { ok: false; reason: string };

/**
 * Whether a kernel lab can run here, and if not, why: root, `ip`, python3, and an actual
 * `ip netns add` (containers often forbid it even to root).
 */
export function kernelLabAvailability(): Availability {
  if (process.platform !== 'linux')
    return { ok: false, reason: `needs Linux network namespaces (platform is ${process.platform})` };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: 'needs root (network namespaces, veth, raw and packet sockets)' };
  }
  try {
    ip(['-V']);
  } catch {
    return { ok: false, reason: "needs iproute2's `ip` command on PATH" };
  }
  const python = findPython();
  if (python === null) return { ok: false, reason: 'needs python3 (standard library) for the raw-socket relay' };
  const probe = `${NAMESPACE_PREFIX}${process.pid}-probe-${labCounter++}`;
  try {
    ip(['netns', 'add', probe]);
  } catch (e) {
    return { ok: false, reason: `\`ip netns add\` failed: ${(e as Error).message}` };
  }
  try {
    ip(['netns', 'del', probe]);
  } catch {
    // Removed below by name at the latest; nothing else to do.
  }
  return { ok: true, python };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `hmip6-<pid>-...` namespaces left by runs whose process is gone; returns their
 * names. `prefix` exists for the test of this function, so that parallel runs leave its
 * planted namespace alone.
 */
export function removeStaleNamespaces(prefix = NAMESPACE_PREFIX): string[] {
  let listing: string;
  try {
    listing = ip(['netns', 'list']);
  } catch {
    return [];
  }
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lab = new RegExp(`^${escaped}(\\d+)-\\d+-[ap]$`);
  const probe = new RegExp(`^${escaped}(\\d+)-probe-\\d+$`);
  const removed: string[] = [];
  for (const line of listing.split('\n')) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const m = lab.exec(name) ?? probe.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      ip(['netns', 'del', name]);
      removed.push(name);
    } catch {
      // Someone else removed it meanwhile.
    }
  }
  return removed;
}

/** A line-oriented JSON child process (the relay or the echo service). */
class JsonChild {
  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string | null) => void> = [];
  private closed = false;
  readonly stderrTail: string[] = [];

  constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly onLine?: (obj: unknown) => boolean,
  ) {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      if (this.onLine !== undefined) {
        let obj: unknown = null;
        try {
          obj = JSON.parse(line);
        } catch {
          // Handed on as text below.
        }
        if (this.onLine(obj)) return;
      }
      const w = this.waiters.shift();
      if (w !== undefined) w(line);
      else this.lines.push(line);
    });
    rl.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail.push(chunk);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    child.on('error', (e) => this.stderrTail.push(String(e)));
  }

  nextLine(timeoutMs: number, what: string): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed)
      return Promise.reject(new KernelLabError(`${what}: helper exited (${this.stderrTail.join('').trim()})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new KernelLabError(`${what}: no answer within ${timeoutMs} ms (${this.stderrTail.join('').trim()})`));
      }, timeoutMs);
      const waiter = (line: string | null): void => {
        clearTimeout(timer);
        if (line === null) reject(new KernelLabError(`${what}: helper exited (${this.stderrTail.join('').trim()})`));
        else resolve(line);
      };
      this.waiters.push(waiter);
    });
  }

  send(obj: unknown): void {
    this.child.stdin.write(JSON.stringify(obj) + '\n');
  }

  /** Ends the child: close its stdin (it exits on EOF), then SIGKILL by pid if it lingers. */
  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGKILL');
    }, 1000);
    await exited;
    clearTimeout(timer);
  }
}

export interface EchoRecord {
  from: Address;
  port: number;
  payload: Uint8Array;
}

export interface ExchangeOptions {
  /** How long to wait for answers, at most EXCHANGE_WAIT_MS_MAX. */
  waitMs: number;
  /** Return as soon as this many answers have arrived. */
  expect: number;
}

export interface ExchangeResult {
  /** Packets handed to the kernel. */
  sent: number;
  /** Whole IPv6 packets that arrived at Alice's interface (ND/MLD left out), in order. */
  received: Uint8Array[];
  /** Packets that arrived after the previous exchange's deadline. */
  late: Uint8Array[];
  errors: string[];
}

export interface LabOptions {
  /** Alice's addresses at the start (default: ALICE_INITIAL_ADDRESS). */
  aliceAddresses?: Address[];
  /**
   * The peer namespace's ICMPv6 error rate limit, ms (net.ipv6.icmp.ratelimit). Default 0,
   * so that every discarded packet is answered and counts stay deterministic; null keeps the
   * kernel's default. Only the answers are limited, never the discarding.
   */
  icmpRatelimitMs?: number | null;
  /**
   * The echo service connects to its first sender and is then one connection (address and
   * port pairs fixed), as an application's TCP or connected UDP socket is; the kernel answers
   * datagrams from any other source with Port Unreachable. Default false: it answers anyone.
   */
  echoConnects?: boolean;
}

export interface KernelLabInfo {
  aliceNamespace: string;
  peerNamespace: string;
  peer: Address;
  /** net.ipv6.icmp.ratelimit in the peer namespace, as set (ms), or null if unread. */
  icmpRatelimitMs: number | null;
  /** Whether the echo service is one connection (LabOptions.echoConnects). */
  echoConnects: boolean;
  relaySend: string;
  relayCapture: string;
}

/** A running pair of namespaces with the relay (Alice's side) and the echo service (the peer). */
export interface KernelLab {
  readonly info: KernelLabInfo;
  /** Sends the packets (whole IPv6 packets, header included) and collects the answers. */
  exchange(packets: readonly Uint8Array[], options: ExchangeOptions): Promise<ExchangeResult>;
  /** Datagrams the peer's echo socket received (so: delivered by its kernel), in order. */
  echoLog(): readonly EchoRecord[];
  /**
   * Whether the echo service logged every one of `payloads` at index `since` or later. Its
   * log line and its echo travel through different pipes, so this waits up to `lagMs`
   * (default ECHO_LOG_LAG_MS) for lines still on their way: pass 0 when no echo came back
   * (the relay then waited long enough already, or an ICMPv6 error said the kernel dropped it).
   */
  echoReceived(payloads: readonly Uint8Array[], since: number, lagMs?: number): Promise<boolean>;
  /** Gives Alice's namespace an address (nodad, usable at once). */
  addAliceAddress(address: Address): void;
  /** Takes an address from Alice's namespace: the peer's answers to it then go nowhere. */
  removeAliceAddress(address: Address): void;
  /** Removes everything this lab made; safe to call twice; never throws. */
  close(): Promise<void>;
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * Creates the two namespaces, the veth pair, the addresses and routes, and starts the echo
 * service and the relay. On any failure everything made so far is removed before the error
 * is thrown.
 */
export async function openKernelLab(options: LabOptions = {}): Promise<KernelLab> {
  const python = findPython();
  if (python === null) throw new KernelLabError('python3 not found');
  const n = labCounter++;
  const aliceNs = `${NAMESPACE_PREFIX}${process.pid}-${n}-a`;
  const peerNs = `${NAMESPACE_PREFIX}${process.pid}-${n}-p`;
  const made: string[] = [];
  const children: JsonChild[] = [];
  const echo: EchoRecord[] = [];
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const c of children) {
      try {
        await c.stop();
      } catch {
        // Best effort: the namespace goes below regardless.
      }
    }
    // Deleting a namespace destroys the veth pair with it.
    for (const ns of made.reverse()) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // Already gone.
      }
    }
  };

  try {
    ip(['netns', 'add', aliceNs]);
    made.push(aliceNs);
    ip(['netns', 'add', peerNs]);
    made.push(peerNs);
    // Created inside Alice's namespace, its other end moved straight into the peer's: the
    // root namespace never holds either end.
    ip([
      '-n',
      aliceNs,
      'link',
      'add',
      ALICE_INTERFACE,
      'type',
      'veth',
      'peer',
      'name',
      PEER_INTERFACE,
      'netns',
      peerNs,
    ]);
    const ratelimit = options.icmpRatelimitMs === undefined ? 0 : options.icmpRatelimitMs;
    if (ratelimit !== null) setSysctl(peerNs, 'net.ipv6.icmp.ratelimit', String(ratelimit));
    for (const [ns, ifname] of [
      [aliceNs, ALICE_INTERFACE],
      [peerNs, PEER_INTERFACE],
    ] as const) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', ifname, 'up']);
      ip(['-n', ns, '-6', 'route', 'add', DOCUMENTATION_PREFIX, 'dev', ifname]);
    }
    for (const a of options.aliceAddresses ?? [ALICE_INITIAL_ADDRESS]) {
      ip(['-n', aliceNs, '-6', 'addr', 'add', `${a}/${ADDRESS_PREFIX_LENGTH}`, 'dev', ALICE_INTERFACE, 'nodad']);
    }
    ip(['-n', peerNs, '-6', 'addr', 'add', `${PEER_ADDRESS}/${ADDRESS_PREFIX_LENGTH}`, 'dev', PEER_INTERFACE, 'nodad']);

    const echoChild = new JsonChild(
      spawn(
        'ip',
        [
          'netns',
          'exec',
          peerNs,
          python,
          RAW6_HELPER_PATH,
          'echo',
          '--port',
          String(ECHO_PORT),
          ...(options.echoConnects === true ? ['--connect'] : []),
        ],
        { stdio: 'pipe' },
      ),
      (obj) => {
        const rec = obj as { from?: unknown; port?: unknown; hex?: unknown; error?: unknown } | null;
        // A connected socket's ICMP error reports: nothing the lab needs.
        if (rec !== null && typeof rec.error === 'string') return true;
        if (rec === null || typeof rec.hex !== 'string' || typeof rec.from !== 'string') return false;
        if (echo.length < ECHO_LOG_ENTRIES_MAX)
          echo.push({ from: rec.from, port: Number(rec.port), payload: hexToBytes(rec.hex) });
        return true;
      },
    );
    children.push(echoChild);
    const relay = new JsonChild(
      spawn(
        'ip',
        [
          'netns',
          'exec',
          aliceNs,
          python,
          RAW6_HELPER_PATH,
          'relay',
          '--ifname',
          ALICE_INTERFACE,
          '--absorb-udp',
          String(ECHO_PORT),
        ],
        { stdio: 'pipe' },
      ),
    );
    children.push(relay);
    const echoReady = JSON.parse(await echoChild.nextLine(HELPER_READY_TIMEOUT_MS, 'echo service start')) as {
      ready?: boolean;
    };
    if (echoReady.ready !== true) throw new KernelLabError('echo service did not start');
    const relayReady = JSON.parse(await relay.nextLine(HELPER_READY_TIMEOUT_MS, 'relay start')) as {
      ready?: boolean;
      send?: string;
      capture?: string;
    };
    if (relayReady.ready !== true) throw new KernelLabError('relay did not start');

    const rl = readSysctl(peerNs, 'net.ipv6.icmp.ratelimit');
    const info: KernelLabInfo = {
      aliceNamespace: aliceNs,
      peerNamespace: peerNs,
      peer: PEER_ADDRESS,
      icmpRatelimitMs: rl === null ? null : Number(rl),
      echoConnects: options.echoConnects === true,
      relaySend: relayReady.send ?? '',
      relayCapture: relayReady.capture ?? '',
    };

    // One exchange at a time: the relay answers requests in order.
    let queue: Promise<unknown> = Promise.resolve();
    const exchange = (packets: readonly Uint8Array[], opts: ExchangeOptions): Promise<ExchangeResult> => {
      const run = async (): Promise<ExchangeResult> => {
        if (closed) throw new KernelLabError('lab is closed');
        const waitMs = Math.min(Math.max(0, Math.floor(opts.waitMs)), EXCHANGE_WAIT_MS_MAX);
        relay.send({ op: 'exchange', send: packets.map(bytesToHex), waitMs, expect: opts.expect });
        const answer = JSON.parse(await relay.nextLine(waitMs + EXCHANGE_SLACK_MS, 'relay exchange')) as {
          ok: boolean;
          error?: string;
          sent?: number;
          errors?: string[];
          received?: Array<{ hex: string }>;
          late?: Array<{ hex: string }>;
        };
        if (!answer.ok) throw new KernelLabError(`relay: ${answer.error ?? 'failed'}`);
        return {
          sent: answer.sent ?? 0,
          received: (answer.received ?? []).map((r) => hexToBytes(r.hex)),
          late: (answer.late ?? []).map((r) => hexToBytes(r.hex)),
          errors: answer.errors ?? [],
        };
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    };

    return {
      info,
      exchange,
      echoLog: () => echo,
      echoReceived: async (payloads, since, lagMs = ECHO_LOG_LAG_MS) => {
        const seen = (): boolean =>
          payloads.every((p) => echo.slice(since).some((e) => Buffer.from(e.payload).equals(Buffer.from(p))));
        for (let waited = 0; !seen() && waited < lagMs; waited += ECHO_LOG_POLL_MS) {
          await new Promise((resolve) => setTimeout(resolve, ECHO_LOG_POLL_MS));
        }
        return seen();
      },
      addAliceAddress: (a) => {
        ip(['-n', aliceNs, '-6', 'addr', 'add', `${a}/${ADDRESS_PREFIX_LENGTH}`, 'dev', ALICE_INTERFACE, 'nodad']);
      },
      removeAliceAddress: (a) => {
        ip(['-n', aliceNs, '-6', 'addr', 'del', `${a}/${ADDRESS_PREFIX_LENGTH}`, 'dev', ALICE_INTERFACE]);
        // The peer may still hold a neighbour entry for it; flush so that it notices at once.
        try {
          ip(['-n', peerNs, '-6', 'neigh', 'flush', 'dev', PEER_INTERFACE]);
        } catch {
          // Nothing cached.
        }
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Runs `body` with a fresh lab and removes the lab afterwards, whatever `body` does. */
export async function withKernelLab<T>(options: LabOptions, body: (lab: KernelLab) => Promise<T>): Promise<T> {
  const lab = await openKernelLab(options);
  try {
    return await body(lab);
  } finally {
    await lab.close();
  }
}
