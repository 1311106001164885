// The public surface of hmip6 (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.

// A from properties/world/describe.d.ts
declare const A: {
    advance: (fields: Fields<"advance">) => {
        kind: "advance";
        ms: number;
    };
    jump: (fields: Fields<"jump">) => {
        kind: "jump";
        past: "lifetime" | "expired" | "all";
    };
    fair: (fields: Fields<"fair">) => {
        kind: "fair";
        ms: number;
    };
    peerMove: (fields: Fields<"peerMove">) => {
        kind: "peerMove";
        peer: import("./types.js").MobilePeer;
    };
    peerGain: (fields: Fields<"peerGain">) => {
        kind: "peerGain";
        peer: import("./types.js").HomelessPeer;
    };
    peerLose: (fields: Fields<"peerLose">) => {
        kind: "peerLose";
        peer: import("./types.js").HomelessPeer;
        pick: number;
    };
    peerSend: (fields: Fields<"peerSend">) => {
        kind: "peerSend";
        peer: import("./types.js").PeerName;
    };
    peerBurst: (fields: Fields<"peerBurst">) => {
        kind: "peerBurst";
        peer: import("./types.js").PeerName;
        count: number;
    };
    aliceSend: (fields: Fields<"aliceSend">) => {
        kind: "aliceSend";
        peer: import("./types.js").PeerName;
        pick: number;
        proto: "udp" | "icmp";
        sport?: number;
        dport?: number;
    };
    aliceSendNew: (fields: Fields<"aliceSendNew">) => {
        kind: "aliceSendNew";
        n: number;
    };
    aliceAddSa: (fields: Fields<"aliceAddSa">) => {
        kind: "aliceAddSa";
        n: number;
        edge?: true;
    };
    aliceAddSaLee: (fields?: Fields<"aliceAddSaLee"> | undefined) => {
        kind: "aliceAddSaLee";
    };
    aliceAddSaAgain: (fields: Fields<"aliceAddSaAgain">) => {
        kind: "aliceAddSaAgain";
        n: number;
        jump: boolean;
    };
    aliceOdd: (fields: Fields<"aliceOdd">) => {
        kind: "aliceOdd";
        what: import("./types.js").OddRequest[];
        pick: number;
    };
    aliceGain: (fields?: Fields<"aliceGain"> | undefined) => {
        kind: "aliceGain";
    };
    aliceLose: (fields: Fields<"aliceLose">) => {
        kind: "aliceLose";
        pick: number;
        last?: boolean;
    };
    invalid: (fields: Fields<"invalid">) => {
        kind: "invalid";
        request: import("./types.js").InvalidRequest;
    };
    lose: (fields: Fields<"lose">) => {
        kind: "lose";
        select: import("./types.js").Selector;
        fromEnd: number;
    };
    duplicate: (fields: Fields<"duplicate">) => {
        kind: "duplicate";
        select: import("./types.js").Selector;
        fromEnd: number;
    };
    reorder: (fields: Fields<"reorder">) => {
        kind: "reorder";
        select: import("./types.js").Selector;
        fromEnd: number;
    };
    delay: (fields: Fields<"delay">) => {
        kind: "delay";
        select: import("./types.js").Selector;
        fromEnd: number;
        ms: number;
    };
    lossy: (fields: Fields<"lossy">) => {
        kind: "lossy";
        permille: number;
        ms: number;
    };
    claim: (fields: Fields<"claim">) => {
        kind: "claim";
        sa: "generic" | "anonymous";
        target: import("./types.js").Target;
        form: import("./types.js").ClaimForm;
        via?: import("./types.js").Via;
    };
    takeover: (fields: Fields<"takeover">) => {
        kind: "takeover";
        sa: "generic" | "anonymous";
        fromEnd: number;
    };
    spoof: (fields: Fields<"spoof">) => {
        kind: "spoof";
        what: import("./types.js").SpoofKind;
        as: import("./types.js").Target;
        via?: import("./types.js").Via;
    };
    badAh: (fields: Fields<"badAh">) => {
        kind: "badAh";
        what: import("./types.js").BadAhKind;
        target: import("./types.js").Target;
    };
    replay: (fields: Fields<"replay">) => {
        kind: "replay";
        fromEnd: number;
        retarget: boolean;
    };
    forgeResponse: (fields: Fields<"forgeResponse">) => {
        kind: "forgeResponse";
        target: import("./types.js").Target;
        under: "generic" | "anonymous" | "peer";
    };
    clockGuess: (fields: Fields<"clockGuess">) => {
        kind: "clockGuess";
        sa: "generic" | "anonymous";
        target: import("./types.js").Target;
    };
    anonData: (fields?: Fields<"anonData"> | undefined) => {
        kind: "anonData";
    };
    garbage: (fields: Fields<"garbage">) => {
        kind: "garbage";
        hex: string;
    };
    bitflip: (fields: Fields<"bitflip">) => {
        kind: "bitflip";
        fromEnd: number;
        bit: number;
    };
    flood: (fields: Fields<"flood">) => {
        kind: "flood";
        sa: "generic" | "anonymous";
        count: number;
        first: number;
    };
    paramProblem: (fields: Fields<"paramProblem">) => {
        kind: "paramProblem";
        fromEnd: number;
        form?: import("./types.js").ParamProblemForm;
    };
    withhold: (fields: Fields<"withhold">) => {
        kind: "withhold";
        sa: "generic" | "anonymous";
        pick: number;
    };
    reuse: (fields: Fields<"reuse">) => {
        kind: "reuse";
        what: import("./types.js").ReuseKind;
        fromEnd: number;
        target: import("./types.js").Target;
    };
    answer: (fields: Fields<"answer">) => {
        kind: "answer";
        form: import("./types.js").ResponseForm;
        fromEnd: number;
    };
    seqWrap: (fields: Fields<"seqWrap">) => {
        kind: "seqWrap";
        sa: "generic" | "anonymous";
    };
    ahEnd: (fields: Fields<"ahEnd">) => {
        kind: "ahEnd";
        sa: "generic" | "anonymous";
        target: import("./types.js").Target;
    };
    fill: (fields: Fields<"fill">) => {
        kind: "fill";
        sa: "generic" | "anonymous";
        count: number;
    };
    correspond: (fields: Fields<"correspond">) => {
        kind: "correspond";
        what: "alice-sends" | "mallory-sends" | "mallory-br" | "mallory-acks";
        aside?: true;
        large?: true;
    };
};

// Action from properties/world/types.d.ts
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

// ActionKind from properties/world/types.d.ts
type ActionKind = Action['kind'];

// Address from impl/wire/types.d.ts
type Address = string;

// AddressState from impl/host/types.d.ts
interface AddressState {
    address: Address;
    status: AddressStatus;
    lifetime: {
        kind: LifetimeKind;
        expiresAt: number;
    };
    challengeOutstanding: boolean;
}

// AddressStatus from impl/host/types.d.ts
type AddressStatus = 'tentative' | 'active' | 'deprecated';

// AliceFactory from properties/world/types.d.ts
interface AliceFactory {
    name: string;
    features: readonly Feature[];
    readonly oracleChecks?: true;
    create(localAddresses: Address[], params: HostParams, seed: number): Host;
    fork?(host: Host): Host | null;
}

// aliceNamed from cli/api/counterexample.d.ts
declare function aliceNamed(name: string): Promise<AliceFactory | null>;

// Answer from impl/host/types.d.ts
type Answer<T> = ({
    ok: true;
} & T) | {
    ok: false;
    error: string;
};

// checkHost from cli/api/check.d.ts
declare function checkHost(options?: CheckHostOptions): Promise<CheckResult>;

// CheckHostOptions from cli/api/check.d.ts
interface CheckHostOptions extends CheckSettings {
    host?: HostUnderTest | AliceFactory;
}

// checkImpl from cli/api/check.d.ts
declare function checkImpl(options: CheckImplOptions): Promise<CheckResult>;

// CheckImplOptions from cli/api/check.d.ts
interface CheckImplOptions extends CheckSettings {
    command: string;
    cwd?: string;
    timeoutMs?: number;
}

// CheckResult from cli/api/check.d.ts
interface CheckResult {
    verdict: 'pass' | 'fail' | 'error' | 'inconclusive';
    seed: number;
    numRuns: number;
    runs: number;
    alice: string;
    properties: PropertyResult[];
    error: {
        message: string;
        file?: string;
    } | null;
    reproduce: string;
}

// CheckSettings from cli/api/check.d.ts
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

// CounterexampleFile from properties/counterexample.d.ts
interface CounterexampleFile {
    format: typeof COUNTEREXAMPLE_FORMAT;
    property: PropertyId | null;
    reason: string;
    failingStep: number;
    seed: number;
    path: string;
    replayPath: string;
    alice: {
        name: string;
        features: Feature[];
    };
    params: HostParams;
    config: WorldConfig;
    actions: Action[];
    sas: SaRecord[];
    owners: Record<string, string>;
    packets: Omit<PacketRecord, 'info'>[];
    steps: CounterexampleStep[];
}

// createReferenceHost (createHost) from impl/host/index.d.ts
declare function createHost(options: HostOptions, decisions?: Decisions): ReferenceHost;

// DEFAULT_STEPS_MAX from properties/arbitraries/schedule.d.ts
declare const DEFAULT_STEPS_MAX = 48;

// Delivered from impl/host/types.d.ts
interface Delivered {
    entry: string | null;
    proto: 'udp' | 'icmp';
    payload: Uint8Array;
    authenticated: boolean;
    sport?: number;
    dport?: number;
}

// describeAction from properties/world/describe.d.ts
declare function describeAction(action: Action): string;

// EntryState from impl/host/types.d.ts
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

// Feature from properties/world/types.d.ts
type Feature = 'state' | 'standard-compat' | 'alternate-prefixes' | 'bu-optimization' | 'anonymous-sa';

// Host from impl/host/types.d.ts
interface Host {
    addSA(sa: SaConfig, nowMs: number): SentAnswer;
    receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer;
    tick(nowMs: number): SentAnswer;
    send(request: SendRequest, nowMs: number): SendAnswer;
    addLocalAddress(address: Address, nowMs: number): SentAnswer;
    removeLocalAddress(address: Address, nowMs: number): SentAnswer;
    snapshot(): HostState;
}

// HostMaker from cli/api/check.d.ts
type HostMaker = (options: HostOptions) => Host;

// HostOptions from impl/host/types.d.ts
interface HostOptions {
    localAddresses: Address[];
    params?: Partial<HostParams>;
    random: (n: number) => Uint8Array;
    nowMs?: number;
}

// HostParams from impl/host/types.d.ts
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

// HostState from impl/host/types.d.ts
interface HostState {
    entries: EntryState[];
    local: Address[];
}

// HostUnderTest from cli/api/check.d.ts
interface HostUnderTest {
    name: string;
    make: HostMaker;
    features?: readonly Feature[];
}

// judgeSchedule from cli/api/counterexample.d.ts
declare function judgeSchedule(schedule: Schedule, property: string | null, target: ReplayTarget & {
    file?: CounterexampleFile;
}): Promise<ReplayVerdict>;

// LifetimeKind from impl/host/types.d.ts
type LifetimeKind = 'activity' | 'absolute';

// ParamsProfile from properties/arbitraries/schedule.d.ts
type ParamsProfile = 'default' | 'tight' | 'short' | 'optimized' | 'narrow' | 'wide';

// parseCounterexample from properties/counterexample.d.ts
declare function parseCounterexample(text: string): CounterexampleFile;

// pcap from cli/api/counterexample.d.ts
declare function pcap(file: CounterexampleFile): Uint8Array;

// PeerKind from impl/host/types.d.ts
type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// properties from cli/api/properties.d.ts
declare function properties(): PropertyInfo[];

// PROPERTY_IDS from properties/invariants/types.d.ts
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

// PropertyId from properties/invariants/types.d.ts
type PropertyId = (typeof PROPERTY_IDS)[number];

// propertyInfo from cli/api/properties.d.ts
declare function propertyInfo(id: PropertyId): PropertyInfo;

// PropertyInfo from cli/api/properties.d.ts
interface PropertyInfo {
    id: PropertyId;
    summary: string;
    needs: 'state' | 'black-box';
    situation: string;
    judgedPerRun: number;
}

// PropertyResult from cli/api/check.d.ts
interface PropertyResult {
    id: PropertyId;
    verdict: Verdict;
    runs: number;
    judged: number;
    judgedMinimum: number;
    reason?: string;
    file?: string;
    failingRun?: number;
}

// readCounterexample from properties/counterexample.d.ts
declare function readCounterexample(path: string): CounterexampleFile;

// ReceiveAnswer from impl/host/types.d.ts
type ReceiveAnswer = Answer<{
    sent: Uint8Array[];
    delivered: Delivered[];
}>;

// REFERENCE_FEATURES from properties/world/alice.d.ts
declare const REFERENCE_FEATURES: readonly Feature[];

// replay from cli/api/counterexample.d.ts
declare function replay(file: CounterexampleFile, target?: ReplayTarget): Promise<ReplayVerdict>;

// ReplayTarget from cli/api/counterexample.d.ts
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

// ReplayVerdict from cli/api/counterexample.d.ts
interface ReplayVerdict {
    holds: boolean;
    property: string | null;
    reason: string;
    failingStep: number;
    alice: string;
}

// SaConfig from impl/host/types.d.ts
interface SaConfig {
    peer: Address;
    inboundSpi: number;
    outboundSpi: number;
    alg: AhAlgorithm;
    key: Uint8Array;
    kind: SaKind;
}

// SaKind from impl/host/types.d.ts
type SaKind = 'generic' | 'anonymous';

// Schedule from properties/world/types.d.ts
interface Schedule {
    config: WorldConfig;
    actions: Action[];
}

// scheduleArbitrary from properties/arbitraries/schedule.d.ts
declare function scheduleArbitrary(options?: ScheduleOptions): fc.Arbitrary<Schedule>;

// ScheduleOptions from properties/arbitraries/schedule.d.ts
interface ScheduleOptions {
    weights?: Partial<ScheduleWeights>;
    stepsMax?: number;
    profiles?: readonly ParamsProfile[];
    features?: readonly Feature[];
}

// ScheduleWeights from properties/arbitraries/schedule.d.ts
interface ScheduleWeights {
    honest: number;
    faults: number;
    attacks: number;
    jumps: number;
    fair: number;
}

// seedFromEnvironment from cli/api/check.d.ts
declare function seedFromEnvironment(env?: NodeJS.ProcessEnv): number;

// SendAnswer from impl/host/types.d.ts
type SendAnswer = Answer<{
    sent: Uint8Array[];
    unreachable?: true;
}>;

// SendRequest from impl/host/types.d.ts
interface SendRequest {
    to: Address;
    proto: 'udp' | 'icmp';
    payload: Uint8Array;
    sport?: number;
    dport?: number;
}

// SentAnswer from impl/host/types.d.ts
type SentAnswer = Answer<{
    sent: Uint8Array[];
}>;

// serializeCounterexample from properties/counterexample.d.ts
declare function serializeCounterexample(file: CounterexampleFile): string;

// story from cli/api/counterexample.d.ts
declare function story(file: CounterexampleFile, options?: {
    color?: boolean;
    states?: 'failing' | 'all' | 'none';
    hex?: boolean;
}): Promise<string>;

// storyPage from cli/api/counterexample.d.ts
declare function storyPage(file: CounterexampleFile): Promise<string>;

// Verdict from cli/api/check.d.ts
type Verdict = 'pass' | 'fail' | 'inconclusive' | 'skip' | 'not-run' | 'warn';

// WorldConfig from properties/world/types.d.ts
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

// --- reached from the exports above ---

// AddLocalAddressEvent from properties/world/types.d.ts (not exported here)
interface AddLocalAddressEvent extends AliceEventBase {
    op: 'addLocalAddress';
    invalid?: undefined;
    request: LocalAddressRecord;
}

// AddSaEvent from properties/world/types.d.ts (not exported here)
interface AddSaEvent extends AliceEventBase {
    op: 'addSA';
    invalid?: undefined;
    request: AddSaRecord;
}

// AddSaRecord from properties/world/types.d.ts (not exported here)
type AddSaRecord = {
    peer: Address;
    inboundSpi: number;
    outboundSpi: number;
    alg: AhAlgorithm;
    key: string;
    kind: SaKind;
};

// AddressRecord from impl/host/cache.d.ts (not exported here)
interface AddressRecord {
    readonly address: Address;
    readonly entry: EntryRecord;
    status: AddressStatus;
    lifetimeKind: LifetimeKind;
    expiresAtMs: number;
    removeAtMs: number;
    challenge: ChallengeState | null;
    grantedExpiresAtMs: number;
}

// AddressStatus from impl/host/types.d.ts (not exported here)
type AddressStatus = 'tentative' | 'active' | 'deprecated';

// Admission from impl/host/verification.d.ts (not exported here)
type Admission = 'challenged' | 'refreshed' | 'unchanged' | 'refused' | 'activated';

// AhAlgorithm from impl/crypto/types.d.ts (not exported here)
type AhAlgorithm = 'hmac-sha1-96' | 'hmac-sha256-128';

// AliceCall from properties/world/types.d.ts (not exported here)
type AliceCall = 'addSA' | 'receive' | 'tick' | 'send' | 'addLocalAddress' | 'removeLocalAddress';

// AliceEvent from properties/world/types.d.ts (not exported here)
type AliceEvent = AddSaEvent | ReceiveEvent | TickEvent | SendEvent | AddLocalAddressEvent | RemoveLocalAddressEvent | MalformedEvent;

// AliceEventBase from properties/world/types.d.ts (not exported here)
interface AliceEventBase {
    kind: 'alice';
    call: number;
    at: number;
    noop?: true;
    ok: boolean;
    error?: string;
    sent: number[];
    delivered: JsonDelivered[];
    unreachable?: boolean;
    state?: HostState;
}

// Attribution from impl/host/receive/data.d.ts (not exported here)
interface Attribution {
    readonly entry: string | null;
    readonly authenticated: boolean;
}

// AuthHeader from impl/wire/types.d.ts (not exported here)
interface AuthHeader {
    spi: number;
    sequence: number;
    authData: Uint8Array;
}

// BaInfo from properties/world/types.d.ts (not exported here)
interface BaInfo {
    status: number;
    sequence: number;
    lifetimeSeconds: number;
    refreshSeconds: number;
    security?: string;
}

// BadAhKind from properties/world/types.d.ts (not exported here)
type BadAhKind = 'no-ah' | 'bad-icv' | 'unknown-spi' | 'peer-spi' | 'seq-zero' | 'truncated-icv';

// BindingAck from impl/wire/types.d.ts (not exported here)
interface BindingAck {
    kind: 'ba';
    status: number;
    sequence: number;
    lifetimeSeconds: number;
    refreshSeconds: number;
    subOptions: SubOption[];
}

// BindingRequest from impl/wire/types.d.ts (not exported here)
interface BindingRequest {
    kind: 'br';
    subOptions: SubOption[];
}

// BindingUpdate from impl/wire/types.d.ts (not exported here)
interface BindingUpdate {
    kind: 'bu';
    flags: BuFlags;
    prefixLength: number;
    sequence: number;
    lifetimeSeconds: number;
    subOptions: SubOption[];
}

// BoundCheck from impl/host/lifecycle.d.ts (not exported here)
type BoundCheck = {
    kind: 'entry';
} | {
    kind: 'address';
    entry: EntryRecord;
} | {
    kind: 'challenge';
    entry: EntryRecord;
};

// BuFlags from impl/wire/types.d.ts (not exported here)
interface BuFlags {
    ack: boolean;
    home: boolean;
    router: boolean;
    dad: boolean;
}

// BuInfo from properties/world/types.d.ts (not exported here)
interface BuInfo {
    sequence: number;
    lifetimeSeconds: number;
    ack: boolean;
    homelessSupport: boolean;
    named: Address[];
    careOf: Address;
    security?: string;
}

// COUNTEREXAMPLE_FORMAT from properties/counterexample-schema.d.ts (not exported here)
declare const COUNTEREXAMPLE_FORMAT = "hmip6-counterexample/1";

// CarolKind from properties/world/types.d.ts (not exported here)
type CarolKind = 'generic' | 'anonymous' | 'absent';

// ChallengeState from impl/host/cache.d.ts (not exported here)
interface ChallengeState {
    readonly value: Uint8Array;
    readonly sa: SaRecord;
    packet: Packet;
    readonly firstSentMs: number;
    lastSentMs: number;
    attempts: number;
    answeredAtMs: number | null;
}

// CheckHostOptions from cli/api/check.d.ts (not exported here)
interface CheckHostOptions extends CheckSettings {
    host?: HostUnderTest | AliceFactory;
}

// CheckImplOptions from cli/api/check.d.ts (not exported here)
interface CheckImplOptions extends CheckSettings {
    command: string;
    cwd?: string;
    timeoutMs?: number;
}

// CheckResult from cli/api/check.d.ts (not exported here)
interface CheckResult {
    verdict: 'pass' | 'fail' | 'error' | 'inconclusive';
    seed: number;
    numRuns: number;
    runs: number;
    alice: string;
    properties: PropertyResult[];
    error: {
        message: string;
        file?: string;
    } | null;
    reproduce: string;
}

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

// ClaimContext from impl/host/verification.d.ts (not exported here)
interface ClaimContext {
    readonly nowMs: number;
    readonly sa: SaRecord;
    readonly sequence: number;
    readonly grantedLifetimeSeconds: number;
    readonly localAddress: Address | null;
    readonly reason: Extract<StatusReason, 'claimed' | 'appendix-b'>;
}

// ClaimForm from properties/world/types.d.ts (not exported here)
type ClaimForm = 'alt-coa' | 'spoofed-source' | 'home-address';

// CompatEvent from impl/host/compat.d.ts (not exported here)
type CompatEvent = 'homeless-support' | 'mobile-ipv6-signal' | 'probe-timeout' | 'parameter-problem';

// CounterexampleStep from properties/counterexample.d.ts (not exported here)
interface CounterexampleStep {
    index: number;
    action: Action | null;
    label: string;
    startMs: number;
    endMs: number;
    packetsIn: PacketView[];
    packetsOut: PacketView[];
    events: TraceEvent[];
    aliceState: HostState | null;
    modelState: HostState | null;
}

// Decisions from impl/host/decisions.d.ts (not exported here)
interface Decisions {
    receivePacket(ctx: HostContext, bytes: Uint8Array, nowMs: number): void;
    verifyPacketAh(ctx: HostContext, bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null;
    replayCheck(ctx: HostContext, sa: SaRecord, sequence: number): boolean;
    onHomeAddress(ctx: HostContext, received: ReceivedPacket, hao: HomeAddressOption): boolean;
    mayProtectData(ctx: HostContext, sa: SaRecord): boolean;
    admitNamedAddress(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): Admission;
    shouldChallenge(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): boolean;
    onConflict(ctx: HostContext, claimant: EntryRecord, address: Address, claim: ClaimContext): boolean;
    drawChallengeTime(ctx: HostContext, nowMs: number): Uint8Array;
    challengeDestination(ctx: HostContext, record: AddressRecord): Address;
    retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void;
    acceptResponse(ctx: HostContext, record: AddressRecord | undefined, response: Uint8Array, nowMs: number): boolean;
    recordResponse(ctx: HostContext, record: AddressRecord, lifetimeSeconds: number, nowMs: number): void;
    grantedLifetimeSeconds(ctx: HostContext, requestedSeconds: number): number;
    responseSource(ctx: HostContext, checked: Address, verifier: Address): Address | null;
    deprecateAddress(ctx: HostContext, record: AddressRecord, atMs: number): void;
    enforceBounds(ctx: HostContext, check: BoundCheck): boolean;
    oldestLocalOfScope(ctx: HostContext, destination: Address): Address | null;
    entryForSend(ctx: HostContext, to: Address): EntryRecord | null;
    selectDestination(ctx: HostContext, entry: EntryRecord): Route | null;
    selectSource(ctx: HostContext, entry: EntryRecord, finalDestination: Address, connection: string): SourcePlan | null;
    sendData(ctx: HostContext, request: SendRequest, nowMs: number): boolean;
    sendAddressList(ctx: HostContext, entry: EntryRecord, route: Route, source: Address, ack: boolean, hao: boolean): void;
    announceAddress(ctx: HostContext, address: Address, nowMs: number): void;
    withdrawAddress(ctx: HostContext, address: Address, nowMs: number): void;
    transmit(ctx: HostContext, packet: Packet, sa: SaRecord | null, entry: EntryRecord | null): Uint8Array;
    attributeData(ctx: HostContext, received: ReceivedPacket): Attribution;
    applyCompatEvent(ctx: HostContext, entry: EntryRecord, event: CompatEvent): void;
    onParameterProblem(ctx: HostContext, received: ReceivedPacket, message: ParameterProblem): void;
    refuseSendRequest(ctx: HostContext, request: SendRequest): string | null;
    snapshot(ctx: HostContext): HostState;
}

// DestOption from impl/wire/types.d.ts (not exported here)
type DestOption = HomeAddressOption | BindingUpdate | BindingAck | BindingRequest | UnknownOption;

// EmulatedBinding from impl/host/cache.d.ts (not exported here)
interface EmulatedBinding {
    careOf: Address;
    sequence: number;
    acknowledged: boolean;
}

// EntryRecord from impl/host/cache.d.ts (not exported here)
interface EntryRecord {
    readonly id: string;
    peerKind: PeerKind;
    sa: SaRecord | null;
    addresses: AddressRecord[];
    homeAddress: Address | null;
    careOfAddress: Address | null;
    lastReceivedBuSequence: number | null;
    nextSentBuSequence: number;
    lastSourceReceived: Address | null;
    acknowledgedByPeer: boolean;
    probeDeadlineMs: number | null;
    nextRefreshMs: number | null;
    announced: Set<Address>;
    connections: Map<string, Address>;
    emulatedBindings: Map<Address, EmulatedBinding>;
    sentPackets: SentPacketMemory[];
}

// Feature from properties/world/types.d.ts (not exported here)
type Feature = 'state' | 'standard-compat' | 'alternate-prefixes' | 'bu-optimization' | 'anonymous-sa';

// Fields from properties/world/describe.d.ts (not exported here)
type Fields<K extends ActionKind> = Omit<Extract<Action, {
    kind: K;
}>, 'kind'>;

// HomeAddressOption from impl/wire/types.d.ts (not exported here)
interface HomeAddressOption {
    kind: 'hao';
    homeAddress: Address;
}

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

// HostCache from impl/host/cache.d.ts (not exported here)
declare class HostCache {
    readonly entries: EntryRecord[];
    private readonly index;
    private nextEntryNumber;
    newEntry(): EntryRecord;
    removeEntry(entry: EntryRecord): void;
    insertRecord(entry: EntryRecord, address: Address, status: AddressStatus): AddressRecord;
    deleteRecord(record: AddressRecord): void;
    recordIn(entry: EntryRecord, address: Address): AddressRecord | undefined;
    recordsOf(address: Address): readonly AddressRecord[];
    findWithStatus(address: Address, status: AddressStatus): AddressRecord | undefined;
    foreignEntriesCount(): number;
    clone(cloneSas: (entryFor: (old: EntryRecord) => EntryRecord) => Map<SaRecord, SaRecord>): HostCache;
}

// HostContext from impl/host/context.d.ts (not exported here)
interface HostContext {
    state: HostRecord;
    readonly params: Readonly<HostParams>;
    readonly random: (n: number) => Uint8Array;
    readonly decisions: Decisions;
    out: Uint8Array[];
    delivered: Delivered[];
}

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

// HostRecord from impl/host/state.d.ts (not exported here)
interface HostRecord {
    cache: HostCache;
    sas: SaTable;
    local: Address[];
    lastNowMs: number;
    echoSequence: number;
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

// IcmpMessage from impl/wire/types.d.ts (not exported here)
type IcmpMessage = {
    type: 'echo-request';
    identifier: number;
    sequence: number;
    data: Uint8Array;
} | {
    type: 'echo-reply';
    identifier: number;
    sequence: number;
    data: Uint8Array;
} | {
    type: 'parameter-problem';
    code: number;
    pointer: number;
    invoking: Uint8Array;
} | {
    type: 'destination-unreachable';
    code: number;
    invoking: Uint8Array;
} | {
    type: 'other';
    icmpType: number;
    code: number;
    body: Uint8Array;
};

// InvalidRequest from properties/world/types.d.ts (not exported here)
interface InvalidRequest {
    type: 'addSA' | 'send' | 'addLocalAddress' | 'removeLocalAddress' | 'receive';
    [field: string]: JsonValue;
}

// Ipv6Header from impl/wire/types.d.ts (not exported here)
interface Ipv6Header {
    trafficClass: number;
    flowLabel: number;
    hopLimit: number;
    source: Address;
    destination: Address;
}

// JsonDelivered from properties/world/types.d.ts (not exported here)
interface JsonDelivered {
    entry: string | null;
    proto: 'udp' | 'icmp';
    payload: string;
    authenticated: boolean;
    sport?: number;
    dport?: number;
}

// JsonValue from properties/world/types.d.ts (not exported here)
type JsonValue = null | boolean | number | string | JsonValue[] | {
    [key: string]: JsonValue;
};

// K from properties/world/describe.d.ts (not exported here)
K extends ActionKind

// LifetimeKind from impl/host/types.d.ts (not exported here)
type LifetimeKind = 'activity' | 'absolute';

// LocalAddressRecord from properties/world/types.d.ts (not exported here)
type LocalAddressRecord = {
    address: Address;
};

// MalformedEvent from properties/world/types.d.ts (not exported here)
interface MalformedEvent extends AliceEventBase {
    op: AliceCall;
    invalid: true;
    request: Record<string, unknown>;
    input?: undefined;
    truth?: undefined;
    intent?: undefined;
}

// MalloryKind from properties/world/types.d.ts (not exported here)
type MalloryKind = 'generic' | 'anonymous' | 'both';

// MobilePeer from properties/world/types.d.ts (not exported here)
type MobilePeer = HomelessPeer | 'sam';

// NodeName from properties/world/types.d.ts (not exported here)
type NodeName = 'alice' | 'bob' | 'carol' | 'sam' | 'lee' | 'mallory';

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

// OptionSpan from impl/wire/types.d.ts (not exported here)
interface OptionSpan {
    type: number;
    offset: number;
    length: number;
}

// Packet from impl/wire/types.d.ts (not exported here)
interface Packet {
    ipv6: Ipv6Header;
    routing?: RoutingHeader;
    destOptions?: DestOption[];
    ah?: AuthHeader;
    upper: UpperLayer;
}

// PacketInfo from properties/world/types.d.ts (not exported here)
interface PacketInfo {
    decodes: boolean;
    error?: string;
    source?: Address;
    destination?: Address;
    finalDestination?: Address;
    routing?: Address[];
    hao?: Address;
    spi?: number;
    ahSequence?: number;
    bus: BuInfo[];
    bas: BaInfo[];
    br: boolean;
    upper: 'udp' | 'echo-request' | 'echo-reply' | 'param-problem' | 'dest-unreachable' | 'icmp-other' | 'none' | 'raw';
    payload?: string;
    ports?: [
        number,
        number
    ];
    echo?: {
        identifier: number;
        sequence: number;
    };
    quoted?: string;
}

// PacketLayout from impl/wire/types.d.ts (not exported here)
interface PacketLayout {
    routingOffset?: number;
    routingLength?: number;
    destOptionsOffset?: number;
    destOptionsLength?: number;
    options: OptionSpan[];
    mutableOptionData: Array<[
        number,
        number
    ]>;
    ahOffset?: number;
    ahLength?: number;
    ahAuthData?: [
        number,
        number
    ];
    upperOffset: number;
    length: number;
}

// PacketRecord from properties/world/types.d.ts (not exported here)
interface PacketRecord {
    id: number;
    from: NodeName;
    sentAt: number;
    hex: string;
    summary: string;
    tag?: string;
    info: PacketInfo;
}

// PacketView from properties/counterexample.d.ts (not exported here)
interface PacketView {
    id: number;
    at: number;
    hex: string;
    summary: string;
    from?: string;
    tag?: string;
    truth?: ReceiveTruth;
}

// ParamProblemForm from properties/world/types.d.ts (not exported here)
type ParamProblemForm = 'whole' | 'truncated' | 'altered' | 'code' | 'elsewhere';

// ParameterProblem from impl/host/receive/icmp.d.ts (not exported here)
type ParameterProblem = Extract<IcmpMessage, {
    type: 'parameter-problem';
}>;

// PeerKind from impl/host/types.d.ts (not exported here)
type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// PeerName from properties/world/types.d.ts (not exported here)
type PeerName = HomelessPeer | 'sam' | 'lee';

// ProbeResult from properties/world/types.d.ts (not exported here)
interface ProbeResult {
    judged: boolean;
    why?: string;
    sendOk: boolean;
    unreachable: boolean;
    packets: number[];
    reached: boolean;
    authenticated: boolean;
    generic: boolean;
}

// PropertyId from properties/invariants/types.d.ts (not exported here)
type PropertyId = (typeof PROPERTY_IDS)[number];

// PropertyInfo from cli/api/properties.d.ts (not exported here)
interface PropertyInfo {
    id: PropertyId;
    summary: string;
    needs: 'state' | 'black-box';
    situation: string;
    judgedPerRun: number;
}

// PropertyResult from cli/api/check.d.ts (not exported here)
interface PropertyResult {
    id: PropertyId;
    verdict: Verdict;
    runs: number;
    judged: number;
    judgedMinimum: number;
    reason?: string;
    file?: string;
    failingRun?: number;
}

// ReceiveAnswer from impl/host/types.d.ts (not exported here)
type ReceiveAnswer = Answer<{
    sent: Uint8Array[];
    delivered: Delivered[];
}>;

// ReceiveEvent from properties/world/types.d.ts (not exported here)
interface ReceiveEvent extends AliceEventBase {
    op: 'receive';
    invalid?: undefined;
    request?: undefined;
    input: number;
    truth: ReceiveTruth;
}

// ReceiveTruth from properties/world/types.d.ts (not exported here)
interface ReceiveTruth {
    ah: 'none' | 'valid' | 'replay' | 'bad-sequence' | 'bad-icv' | 'unknown-spi' | 'undecodable';
    sa: string | null;
    saKind: SaKind | null;
    mobility: boolean;
    responses: ResponseTruth[];
    responseRepeat: boolean;
}

// ReceivedPacket from impl/host/receive/packet.d.ts (not exported here)
interface ReceivedPacket {
    readonly packet: Packet;
    readonly nowMs: number;
    readonly localAddress: Address;
    readonly sa: SaRecord | null;
    homeAddress: Address | null;
}

// ReferenceHost from impl/host/index.d.ts (not exported here)
declare class ReferenceHost implements Host {
    private ctx;
    constructor(options: HostOptions, decisions?: Decisions);
    addSA(sa: SaConfig, nowMs: number): SentAnswer;
    receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer;
    tick(nowMs: number): SentAnswer;
    send(request: SendRequest, nowMs: number): SendAnswer;
    addLocalAddress(address: Address, nowMs: number): SentAnswer;
    removeLocalAddress(address: Address, nowMs: number): SentAnswer;
    snapshot(): HostState;
    cloneState(): HostRecord;
    fork(): ReferenceHost | null;
}

// RemoveLocalAddressEvent from properties/world/types.d.ts (not exported here)
interface RemoveLocalAddressEvent extends AliceEventBase {
    op: 'removeLocalAddress';
    invalid?: undefined;
    request: LocalAddressRecord;
}

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

// ReplayVerdict from cli/api/counterexample.d.ts (not exported here)
interface ReplayVerdict {
    holds: boolean;
    property: string | null;
    reason: string;
    failingStep: number;
    alice: string;
}

// ReplayWindow from impl/crypto/replay.d.ts (not exported here)
declare class ReplayWindow {
    readonly sizePackets: number;
    private top;
    private readonly bits;
    private readonly ringBits;
    constructor(sizePackets?: number);
    check(seq: number): boolean;
    update(seq: number): void;
    highest(): number;
    clone(): ReplayWindow;
}

// ResponseForm from properties/world/types.d.ts (not exported here)
type ResponseForm = 'alt-coa' | 'two-security' | 'two-alt-coa' | 'other-sub-option' | 'lifetime-zero';

// ResponseTruth from properties/world/types.d.ts (not exported here)
interface ResponseTruth {
    address: Address;
    answers: number | null;
}

// ReuseKind from properties/world/types.d.ts (not exported here)
type ReuseKind = 'late' | 'elsewhere' | 'cross' | 'rebind' | 'again' | 'stale-sequence' | 'reflect';

// Route from impl/host/send/route.d.ts (not exported here)
interface Route {
    readonly destination: Address;
    readonly finalDestination: Address;
    readonly routing?: RoutingHeader;
}

// RoutingHeader from impl/wire/types.d.ts (not exported here)
interface RoutingHeader {
    segmentsLeft: number;
    addresses: Address[];
}

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

// SaPeer from properties/world/types.d.ts (not exported here)
type SaPeer = NodeName | 'stranger';

// SaRecord from impl/host/sa.d.ts (not exported here)
interface SaRecord {
    readonly config: Readonly<SaConfig>;
    replay: ReplayWindow;
    nextOutboundSequence: number;
    entry: EntryRecord;
}

// SaRecord from properties/world/types.d.ts (not exported here)
interface SaRecord {
    name: string;
    peer: SaPeer;
    peerAddress: Address;
    kind: SaKind;
    alg: AhAlgorithm;
    keyHex: string;
    aliceInboundSpi: number;
    aliceOutboundSpi: number;
    holders: NodeName[];
}

// SaTable from impl/host/sa.d.ts (not exported here)
declare class SaTable {
    private readonly byInboundSpi;
    get(inboundSpi: number): SaRecord | undefined;
    has(inboundSpi: number): boolean;
    add(config: SaConfig, entry: EntryRecord, windowPackets: number): SaRecord;
    takeOutboundSequence(sa: SaRecord): number;
    values(): IterableIterator<SaRecord>;
    clone(entryFor: (old: EntryRecord) => EntryRecord): {
        table: SaTable;
        map: Map<SaRecord, SaRecord>;
    };
}

// Schedule from properties/world/types.d.ts (not exported here)
interface Schedule {
    config: WorldConfig;
    actions: Action[];
}

// ScheduleOptions from properties/arbitraries/schedule.d.ts (not exported here)
interface ScheduleOptions {
    weights?: Partial<ScheduleWeights>;
    stepsMax?: number;
    profiles?: readonly ParamsProfile[];
    features?: readonly Feature[];
}

// ScheduleWeights from properties/arbitraries/schedule.d.ts (not exported here)
interface ScheduleWeights {
    honest: number;
    faults: number;
    attacks: number;
    jumps: number;
    fair: number;
}

// Selector from properties/world/types.d.ts (not exported here)
type Selector = 'any' | 'from-alice' | 'to-alice' | 'challenge' | 'mallory-challenge' | 'response' | 'bu' | 'data' | 'param-problem';

// SendAnswer from impl/host/types.d.ts (not exported here)
type SendAnswer = Answer<{
    sent: Uint8Array[];
    unreachable?: true;
}>;

// SendEvent from properties/world/types.d.ts (not exported here)
interface SendEvent extends AliceEventBase {
    op: 'send';
    invalid?: undefined;
    request: SendRecord;
    intent: NodeName | null;
}

// SendRecord from properties/world/types.d.ts (not exported here)
type SendRecord = {
    to: Address;
    proto: 'udp' | 'icmp';
    payload: string;
    sport?: number;
    dport?: number;
};

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

// SentPacketMemory from impl/host/cache.d.ts (not exported here)
interface SentPacketMemory {
    readonly bytes: Uint8Array;
    readonly mobileOptionSpans: ReadonlyArray<readonly [
        number,
        number
    ]>;
}

// SourcePlan from impl/host/send/route.d.ts (not exported here)
interface SourcePlan {
    readonly source: Address;
    readonly home: Address | null;
}

// SpoofKind from properties/world/types.d.ts (not exported here)
type SpoofKind = 'data' | 'bu-no-ah' | 'echo' | 'ba-no-ah' | 'hao-data' | 'bad-checksum' | 'unknown-option' | 'routed-away';

// StatusReason from impl/host/lifecycle.d.ts (not exported here)
type StatusReason = 'first-address' | 'claimed' | 'appendix-b' | 'verified' | 'claim-settled' | 'expired' | 'deprecation-ended' | 'challenge-unanswered' | 'deleted' | 'lost-claim' | 'flushed' | 'unverified';

// SubOption from impl/wire/types.d.ts (not exported here)
type SubOption = {
    kind: 'unique-id';
    id: number;
} | {
    kind: 'alternate-coa';
    address: Address;
} | {
    kind: 'homeless-support';
} | {
    kind: 'alternate-prefixes';
    pl: 0 | 1 | 2 | 3;
    prefixes: Uint8Array[];
} | {
    kind: 'security';
    value: Uint8Array;
} | {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
};

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

// TickEvent from properties/world/types.d.ts (not exported here)
interface TickEvent extends AliceEventBase {
    op: 'tick';
    invalid?: undefined;
    request?: undefined;
}

// TraceEvent from properties/world/types.d.ts (not exported here)
type TraceEvent = AliceEvent | {
    kind: 'emit';
    at: number;
    packet: number;
    by: NodeName;
} | {
    kind: 'deliver';
    at: number;
    packet: number;
    to: NodeName;
    address: Address;
} | {
    kind: 'drop';
    at: number;
    packet: number;
    cause: 'no-owner' | 'fault' | 'loss';
} | {
    kind: 'fault';
    at: number;
    what: 'lose' | 'duplicate' | 'reorder' | 'delay' | 'lossy';
    packet?: number;
    copy?: number;
    ms?: number;
} | {
    kind: 'own';
    at: number;
    address: Address;
    from: NodeName | null;
    to: NodeName | null;
} | {
    kind: 'peer-delivered';
    at: number;
    node: NodeName;
    packet: number;
    items: JsonDelivered[];
} | {
    kind: 'move';
    at: number;
    peer: PeerName;
    address: Address;
    lost: Address | null;
} | {
    kind: 'probe';
    at: number;
    peer: PeerName;
    address: Address;
    moveAt: number;
    result: ProbeResult;
} | {
    kind: 'peer-entry';
    at: number;
    peer: HomelessPeer;
    packet: number;
    before: EntryState | null;
    after: EntryState | null;
} | {
    kind: 'note';
    at: number;
    text: string;
};

// UnknownOption from impl/wire/types.d.ts (not exported here)
interface UnknownOption {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
}

// UpperLayer from impl/wire/types.d.ts (not exported here)
type UpperLayer = {
    kind: 'udp';
    sourcePort: number;
    destinationPort: number;
    payload: Uint8Array;
} | {
    kind: 'icmpv6';
    message: IcmpMessage;
} | {
    kind: 'none';
} | {
    kind: 'raw';
    protocol: number;
    data: Uint8Array;
};

// Verdict from cli/api/check.d.ts (not exported here)
type Verdict = 'pass' | 'fail' | 'inconclusive' | 'skip' | 'not-run' | 'warn';

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
