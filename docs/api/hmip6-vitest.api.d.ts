// The public surface of hmip6/vitest (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.

// describeHost from cli/api/vitest.d.ts
declare function describeHost(name: string, make: HostMaker | AliceFactory, options?: DescribeHostOptions): void;

// DescribeHostOptions from cli/api/vitest.d.ts
interface DescribeHostOptions extends DescribeOptions {
    features?: readonly Feature[];
}

// describeImpl from cli/api/vitest.d.ts
declare function describeImpl(command: string, options?: DescribeImplOptions): void;

// DescribeImplOptions from cli/api/vitest.d.ts
interface DescribeImplOptions extends DescribeOptions {
    cwd?: string;
    timeoutMs?: number;
}

// DescribeOptions from cli/api/vitest.d.ts
interface DescribeOptions extends CheckSettings {
    failOnInconclusive?: boolean;
    timeout?: number;
}

// ScheduleTestOptions from cli/api/vitest.d.ts
interface ScheduleTestOptions extends Omit<ReplayTarget, 'impl'> {
    property: PropertyId | null;
    impl?: {
        command: string;
        cwd?: string | URL;
        timeoutMs?: number;
        blackBox?: boolean;
    };
    timeout?: number;
}

// suiteSeed from cli/api/vitest.d.ts
declare function suiteSeed(seed?: number): number;

// testSchedule from cli/api/vitest.d.ts
declare function testSchedule(title: string, schedule: Schedule, options: ScheduleTestOptions): void;

// --- reached from the exports above ---

// Action from properties/world/types.d.ts (not exported here)
type Action = {
    kind: 'advance';
    ms: number;
} | {
    kind: 'jump';
    past: 'lifetime' | 'expired' | 'all';
} | {
    kind: 'fair';
    ms: number;
} | {
    kind: 'peerMove';
    peer: MobilePeer;
} | {
    kind: 'peerGain';
    peer: HomelessPeer;
} | {
    kind: 'peerLose';
    peer: HomelessPeer;
    pick: number;
} | {
    kind: 'peerSend';
    peer: PeerName;
} | {
    kind: 'peerBurst';
    peer: PeerName;
    count: number;
} | {
    kind: 'aliceSend';
    peer: PeerName;
    pick: number;
    proto: 'udp' | 'icmp';
    sport?: number;
    dport?: number;
} | {
    kind: 'aliceSendNew';
    n: number;
} | {
    kind: 'aliceAddSa';
    n: number;
    edge?: true;
} | {
    kind: 'aliceAddSaLee';
} | {
    kind: 'aliceGain';
} | {
    kind: 'aliceLose';
    pick: number;
    last?: boolean;
} | {
    kind: 'invalid';
    request: InvalidRequest;
} | {
    kind: 'aliceOdd';
    what: OddRequest[];
    pick: number;
} | {
    kind: 'aliceAddSaAgain';
    n: number;
    jump: boolean;
} | {
    kind: 'lose';
    select: Selector;
    fromEnd: number;
} | {
    kind: 'duplicate';
    select: Selector;
    fromEnd: number;
} | {
    kind: 'reorder';
    select: Selector;
    fromEnd: number;
} | {
    kind: 'delay';
    select: Selector;
    fromEnd: number;
    ms: number;
} | {
    kind: 'lossy';
    permille: number;
    ms: number;
} | {
    kind: 'claim';
    sa: 'generic' | 'anonymous';
    target: Target;
    form: ClaimForm;
    via?: Via;
} | {
    kind: 'takeover';
    sa: 'generic' | 'anonymous';
    fromEnd: number;
} | {
    kind: 'spoof';
    what: SpoofKind;
    as: Target;
    via?: Via;
} | {
    kind: 'badAh';
    what: BadAhKind;
    target: Target;
} | {
    kind: 'replay';
    fromEnd: number;
    retarget: boolean;
} | {
    kind: 'forgeResponse';
    target: Target;
    under: 'generic' | 'anonymous' | 'peer';
} | {
    kind: 'clockGuess';
    sa: 'generic' | 'anonymous';
    target: Target;
} | {
    kind: 'anonData';
} | {
    kind: 'garbage';
    hex: string;
} | {
    kind: 'bitflip';
    fromEnd: number;
    bit: number;
} | {
    kind: 'flood';
    sa: 'generic' | 'anonymous';
    count: number;
    first: number;
} | {
    kind: 'paramProblem';
    fromEnd: number;
    form?: ParamProblemForm;
} | {
    kind: 'withhold';
    sa: 'generic' | 'anonymous';
    pick: number;
} | {
    kind: 'reuse';
    what: ReuseKind;
    fromEnd: number;
    target: Target;
} | {
    kind: 'answer';
    form: ResponseForm;
    fromEnd: number;
} | {
    kind: 'seqWrap';
    sa: 'generic' | 'anonymous';
} | {
    kind: 'ahEnd';
    sa: 'generic' | 'anonymous';
    target: Target;
} | {
    kind: 'fill';
    sa: 'generic' | 'anonymous';
    count: number;
} | {
    kind: 'correspond';
    what: 'alice-sends' | 'mallory-sends' | 'mallory-br' | 'mallory-acks';
    aside?: true;
    large?: true;
};

// Address from impl/wire/types.d.ts (not exported here)
type Address = string;

// AddressState from impl/host/types.d.ts (not exported here)
interface AddressState {
    address: Address;
    status: AddressStatus;
    lifetime: {
        kind: LifetimeKind;
        expiresAt: number;
    };
    challengeOutstanding: boolean;
}

// AddressStatus from impl/host/types.d.ts (not exported here)
type AddressStatus = 'tentative' | 'active' | 'deprecated';

// AhAlgorithm from impl/crypto/types.d.ts (not exported here)
type AhAlgorithm = 'hmac-sha1-96' | 'hmac-sha256-128';

// AliceFactory from properties/world/types.d.ts (not exported here)
interface AliceFactory {
    name: string;
    features: readonly Feature[];
    readonly oracleChecks?: true;
    create(localAddresses: Address[], params: HostParams, seed: number): Host;
    fork?(host: Host): Host | null;
}

// Answer from impl/host/types.d.ts (not exported here)
type Answer<T> = ({
    ok: true;
} & T) | {
    ok: false;
    error: string;
};

// BadAhKind from properties/world/types.d.ts (not exported here)
type BadAhKind = 'no-ah' | 'bad-icv' | 'unknown-spi' | 'peer-spi' | 'seq-zero' | 'truncated-icv';

// CarolKind from properties/world/types.d.ts (not exported here)
type CarolKind = 'generic' | 'anonymous' | 'absent';

// CheckSettings from cli/api/check.d.ts (not exported here)
interface CheckSettings {
    seed?: number;
    runs?: number;
    properties?: readonly PropertyId[];
    stepsMax?: number;
    outDir?: string;
    timeLimitMs?: number;
    shard?: {
        index: number;
        count: number;
    };
    blackBox?: boolean;
}

// ClaimForm from properties/world/types.d.ts (not exported here)
type ClaimForm = 'alt-coa' | 'spoofed-source' | 'home-address';

// Delivered from impl/host/types.d.ts (not exported here)
interface Delivered {
    entry: string | null;
    proto: 'udp' | 'icmp';
    payload: Uint8Array;
    authenticated: boolean;
    sport?: number;
    dport?: number;
}

// DescribeHostOptions from cli/api/vitest.d.ts (not exported here)
interface DescribeHostOptions extends DescribeOptions {
    features?: readonly Feature[];
}

// DescribeImplOptions from cli/api/vitest.d.ts (not exported here)
interface DescribeImplOptions extends DescribeOptions {
    cwd?: string;
    timeoutMs?: number;
}

// DescribeOptions from cli/api/vitest.d.ts (not exported here)
interface DescribeOptions extends CheckSettings {
    failOnInconclusive?: boolean;
    timeout?: number;
}

// EntryState from impl/host/types.d.ts (not exported here)
interface EntryState {
    id: string;
    peerKind: PeerKind;
    sa: {
        inboundSpi: number;
        kind: SaKind;
    } | null;
    addresses: AddressState[];
    homeAddress: Address | null;
    careOfAddress: Address | null;
}

// Feature from properties/world/types.d.ts (not exported here)
type Feature = 'state' | 'standard-compat' | 'alternate-prefixes' | 'bu-optimization' | 'anonymous-sa';

// HomelessPeer from properties/world/types.d.ts (not exported here)
type HomelessPeer = 'bob' | 'carol';

// Host from impl/host/types.d.ts (not exported here)
interface Host {
    addSA(sa: SaConfig, nowMs: number): SentAnswer;
    receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer;
    tick(nowMs: number): SentAnswer;
    send(request: SendRequest, nowMs: number): SendAnswer;
    addLocalAddress(address: Address, nowMs: number): SentAnswer;
    removeLocalAddress(address: Address, nowMs: number): SentAnswer;
    snapshot(): HostState;
}

// HostMaker from cli/api/check.d.ts (not exported here)
type HostMaker = (options: HostOptions) => Host;

// HostOptions from impl/host/types.d.ts (not exported here)
interface HostOptions {
    localAddresses: Address[];
    params?: Partial<HostParams>;
    random: (n: number) => Uint8Array;
    nowMs?: number;
}

// HostParams from impl/host/types.d.ts (not exported here)
interface HostParams {
    defaultLifetimeSeconds: number;
    maximumExpiredLifetimeSeconds: number;
    bindingLifetimeSecondsMax: number;
    challengeRetransmitMs: number;
    challengeAttemptsMax: number;
    challengeLifetimeMs: number;
    compatProbeTimeoutMs: number;
    bindingRefreshSeconds: number;
    buOptimization: boolean;
    foreignEntriesCountMax: number;
    addressesPerEntryCountMax: number;
    tentativePerEntryCountMax: number;
    antiReplayWindowPackets: number;
}

// HostState from impl/host/types.d.ts (not exported here)
interface HostState {
    entries: EntryState[];
    local: Address[];
}

// HostUnderTest from cli/api/check.d.ts (not exported here)
interface HostUnderTest {
    name: string;
    make: HostMaker;
    features?: readonly Feature[];
}

// InvalidRequest from properties/world/types.d.ts (not exported here)
interface InvalidRequest {
    type: 'addSA' | 'send' | 'addLocalAddress' | 'removeLocalAddress' | 'receive';
    [field: string]: JsonValue;
}

// JsonValue from properties/world/types.d.ts (not exported here)
type JsonValue = null | boolean | number | string | JsonValue[] | {
    [key: string]: JsonValue;
};

// LifetimeKind from impl/host/types.d.ts (not exported here)
type LifetimeKind = 'activity' | 'absolute';

// MalloryKind from properties/world/types.d.ts (not exported here)
type MalloryKind = 'generic' | 'anonymous' | 'both';

// MobilePeer from properties/world/types.d.ts (not exported here)
type MobilePeer = HomelessPeer | 'sam';

// ODD_REQUESTS from properties/world/types.d.ts (not exported here)
declare const ODD_REQUESTS: readonly [
    "stale-tick",
    "stale-receive",
    "fraction-now",
    "negative-now",
    "own-peer",
    "own-to",
    "spi-in-use",
    "add-held",
    "remove-lacking",
    "edges",
    "non-global-to"
];

// OddRequest from properties/world/types.d.ts (not exported here)
type OddRequest = (typeof ODD_REQUESTS)[number];

// PROPERTY_IDS from properties/invariants/types.d.ts (not exported here)
declare const PROPERTY_IDS: readonly [
    "INV-ACTIVE-VERIFIED",
    "INV-DATA-TO-ACTIVE",
    "INV-NO-DIVERSION",
    "INV-CHALLENGE-TARGET",
    "INV-AUTH-REQUIRED",
    "INV-ANON-SCOPE",
    "INV-NO-STRANGER-STATE",
    "INV-BOUNDED",
    "INV-AMPLIFICATION",
    "INV-DEPRECATED-BOUND",
    "INV-UNIQUE-ACTIVE",
    "INV-REPLAY",
    "INV-OWN-MOVE",
    "INV-DELIVERY",
    "INV-SEND-FAITHFUL",
    "INV-SOURCE-OWNED",
    "INV-STATE-TRUTHFUL",
    "LIVE-HONEST-MOVE",
    "LIVE-COMPAT",
    "REFINES-MODEL",
    "REFINES-SIGNALLING"
];

// ParamProblemForm from properties/world/types.d.ts (not exported here)
type ParamProblemForm = 'whole' | 'truncated' | 'altered' | 'code' | 'elsewhere';

// PeerKind from impl/host/types.d.ts (not exported here)
type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// PeerName from properties/world/types.d.ts (not exported here)
type PeerName = HomelessPeer | 'sam' | 'lee';

// PropertyId from properties/invariants/types.d.ts (not exported here)
type PropertyId = (typeof PROPERTY_IDS)[number];

// ReceiveAnswer from impl/host/types.d.ts (not exported here)
type ReceiveAnswer = Answer<{
    sent: Uint8Array[];
    delivered: Delivered[];
}>;

// ReplayTarget from cli/api/counterexample.d.ts (not exported here)
interface ReplayTarget {
    host?: HostUnderTest | AliceFactory;
    impl?: {
        command: string;
        cwd?: string;
        timeoutMs?: number;
        blackBox?: boolean;
    };
    alice?: string;
}

// ResponseForm from properties/world/types.d.ts (not exported here)
type ResponseForm = 'alt-coa' | 'two-security' | 'two-alt-coa' | 'other-sub-option' | 'lifetime-zero';

// ReuseKind from properties/world/types.d.ts (not exported here)
type ReuseKind = 'late' | 'elsewhere' | 'cross' | 'rebind' | 'again' | 'stale-sequence' | 'reflect';

// SaConfig from impl/host/types.d.ts (not exported here)
interface SaConfig {
    peer: Address;
    inboundSpi: number;
    outboundSpi: number;
    alg: AhAlgorithm;
    key: Uint8Array;
    kind: SaKind;
}

// SaKind from impl/host/types.d.ts (not exported here)
type SaKind = 'generic' | 'anonymous';

// Schedule from properties/world/types.d.ts (not exported here)
interface Schedule {
    config: WorldConfig;
    actions: Action[];
}

// Selector from properties/world/types.d.ts (not exported here)
type Selector = 'any' | 'from-alice' | 'to-alice' | 'challenge' | 'mallory-challenge' | 'response' | 'bu' | 'data' | 'param-problem';

// SendAnswer from impl/host/types.d.ts (not exported here)
type SendAnswer = Answer<{
    sent: Uint8Array[];
    unreachable?: true;
}>;

// SendRequest from impl/host/types.d.ts (not exported here)
interface SendRequest {
    to: Address;
    proto: 'udp' | 'icmp';
    payload: Uint8Array;
    sport?: number;
    dport?: number;
}

// SentAnswer from impl/host/types.d.ts (not exported here)
type SentAnswer = Answer<{
    sent: Uint8Array[];
}>;

// SpoofKind from properties/world/types.d.ts (not exported here)
type SpoofKind = 'data' | 'bu-no-ah' | 'echo' | 'ba-no-ah' | 'hao-data' | 'bad-checksum' | 'unknown-option' | 'routed-away';

// T from impl/host/types.d.ts (not exported here)
T

// Target from properties/world/types.d.ts (not exported here)
type Target = {
    kind: 'peer';
    peer: PeerName;
    pick: number;
} | {
    kind: 'lost';
    fromEnd: number;
} | {
    kind: 'victim';
    n: number;
} | {
    kind: 'alice';
    pick: number;
} | {
    kind: 'own';
    pick: number;
} | {
    kind: 'next';
    peer: HomelessPeer;
} | {
    kind: 'stranger';
    n: number;
} | {
    kind: 'scoped';
    pick: number;
};

// Via from properties/world/types.d.ts (not exported here)
interface Via {
    addresses: number;
    segmentsLeft: number;
}

// WorldConfig from properties/world/types.d.ts (not exported here)
interface WorldConfig {
    seed: number;
    params: HostParams;
    aliceAddressCount: number;
    alg: AhAlgorithm;
    carol: CarolKind;
    sam: boolean;
    lee: boolean;
    mallory: MalloryKind;
}
