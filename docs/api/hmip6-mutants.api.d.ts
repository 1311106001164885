// The public surface of hmip6/mutants (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.

// AnyMutant from properties/mutants/types.d.ts
type AnyMutant = Mutant | KnownGap;

// GAPS from properties/mutants/bank/index.d.ts
declare const GAPS: readonly KnownGap[];

// KnownGap from properties/mutants/types.d.ts
interface KnownGap extends Omit<Mutant, 'expected'> {
    readonly expected: null;
    readonly gap: string;
}

// Mutant from properties/mutants/types.d.ts
interface Mutant {
    readonly name: string;
    readonly breaks: string;
    readonly section: string;
    readonly requirements: readonly string[];
    readonly method: string;
    readonly expected: PropertyId;
    readonly factory: AliceFactory;
}

// mutantByName from properties/mutants/bank/index.d.ts
declare function mutantByName(name: string): AnyMutant | undefined;

// MUTANTS from properties/mutants/bank/index.d.ts
declare const MUTANTS: readonly Mutant[];

// --- reached from the exports above ---

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

// Delivered from impl/host/types.d.ts (not exported here)
interface Delivered {
    entry: string | null;
    proto: 'udp' | 'icmp';
    payload: Uint8Array;
    authenticated: boolean;
    sport?: number;
    dport?: number;
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

// KnownGap from properties/mutants/types.d.ts (not exported here)
interface KnownGap extends Omit<Mutant, 'expected'> {
    readonly expected: null;
    readonly gap: string;
}

// LifetimeKind from impl/host/types.d.ts (not exported here)
type LifetimeKind = 'activity' | 'absolute';

// Mutant from properties/mutants/types.d.ts (not exported here)
interface Mutant {
    readonly name: string;
    readonly breaks: string;
    readonly section: string;
    readonly requirements: readonly string[];
    readonly method: string;
    readonly expected: PropertyId;
    readonly factory: AliceFactory;
}

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

// PeerKind from impl/host/types.d.ts (not exported here)
type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// PropertyId from properties/invariants/types.d.ts (not exported here)
type PropertyId = (typeof PROPERTY_IDS)[number];

// ReceiveAnswer from impl/host/types.d.ts (not exported here)
type ReceiveAnswer = Answer<{
    sent: Uint8Array[];
    delivered: Delivered[];
}>;

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

// T from impl/host/types.d.ts (not exported here)
T
