// The public surface of hmip6/model (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.

// AbstractAddress from model/abstraction.d.ts
interface AbstractAddress {
    readonly address: Address;
    readonly status: AddressStatus;
    readonly lifetimeKind: LifetimeKind;
    readonly expiresAt: number;
    readonly challengeOutstanding: boolean;
}

// AbstractEntry from model/abstraction.d.ts
interface AbstractEntry {
    readonly key: string;
    readonly sa: {
        readonly inboundSpi: number;
        readonly kind: SaKind;
    } | null;
    readonly peerKind: PeerKind;
    readonly homeAddress: Address | null;
    readonly careOfAddress: Address | null;
    readonly addresses: readonly AbstractAddress[];
}

// abstractHostState from model/abstraction.d.ts
declare function abstractHostState(state: HostState): AbstractState;

// abstractModel from model/abstraction.d.ts
declare function abstractModel(model: CacheModel): AbstractState;

// AbstractState from model/abstraction.d.ts
interface AbstractState {
    readonly entries: readonly AbstractEntry[];
    readonly local: readonly Address[];
}

// AddressContext from model/address.d.ts
interface AddressContext {
    readonly params: AddressParams;
    readonly lifetimeKind: LifetimeKind;
    readonly expiresAt: number;
    readonly challengeEpoch: number;
    readonly challengeEndsAt: number;
    readonly grantedExpiresAt: number;
}

// AddressEvent from model/address.d.ts
type AddressEvent = {
    type: 'named';
    now: number;
    lifetimeSeconds: number;
    epoch: number;
} | {
    type: 'unnamed';
} | {
    type: 'established';
    now: number;
} | {
    type: 'response';
    now: number;
    answers: ResponseAnswers;
    lifetimeSeconds: number;
    contested: boolean;
} | {
    type: 'clock';
    now: number;
} | {
    type: 'activity';
    now: number;
} | {
    type: 'recheck';
    now: number;
    epoch: number;
} | {
    type: 'won';
} | {
    type: 'displaced';
} | {
    type: 'flushed';
};

// addressMachine from model/address.d.ts
declare const addressMachine: import("xstate").StateMachine<AddressContext, {
    type: "named";
    now: number;
    lifetimeSeconds: number;
    epoch: number;
} | {
    type: "unnamed";
} | {
    type: "established";
    now: number;
} | {
    type: "response";
    now: number;
    answers: ResponseAnswers;
    lifetimeSeconds: number;
    contested: boolean;
} | {
    type: "clock";
    now: number;
} | {
    type: "activity";
    now: number;
} | {
    type: "recheck";
    now: number;
    epoch: number;
} | {
    type: "won";
} | {
    type: "displaced";
} | {
    type: "flushed";
}, {}, never, {
    type: "startChallenge";
    params: unknown;
} | {
    type: "startRecheck";
    params: unknown;
} | {
    type: "activityLifetime";
    params: unknown;
} | {
    type: "refreshActivity";
    params: unknown;
} | {
    type: "refreshAbsolute";
    params: unknown;
} | {
    type: "grantLifetime";
    params: unknown;
} | {
    type: "recordGrant";
    params: unknown;
} | {
    type: "applyGrant";
    params: unknown;
} | {
    type: "sendChallenge";
    params: unknown;
} | {
    type: "sendRecheck";
    params: unknown;
}, {
    type: "answersLatestChallenge";
    params: unknown;
} | {
    type: "answersUncontested";
    params: unknown;
} | {
    type: "challengeExpired";
    params: unknown;
} | {
    type: "recheckExpiredFirst";
    params: unknown;
} | {
    type: "lifetimeOver";
    params: unknown;
} | {
    type: "deprecationOver";
    params: unknown;
} | {
    type: "hasActivityLifetime";
    params: unknown;
}, never, "deprecated" | "absent" | "removed" | {
    tentative: "challenged" | "answered";
} | {
    active: "held" | "rechecking" | "recheckAnswered";
}, string, {
    params: AddressParams;
}, import("xstate").NonReducibleUnknown, import("xstate").EventObject, import("xstate").MetaObject, {
    id: "address";
    states: {
        readonly absent: {};
        readonly tentative: {
            states: {
                readonly challenged: {};
                readonly answered: {};
            };
        };
        readonly active: {
            states: {
                readonly held: {};
                readonly rechecking: {};
                readonly recheckAnswered: {};
            };
        };
        readonly deprecated: {};
        readonly removed: {};
    };
}, import("xstate").MetaObject>;

// AddressValue from model/address.d.ts
type AddressValue = 'absent' | 'tentative.challenged' | 'tentative.answered' | 'active.held' | 'active.rechecking' | 'active.recheckAnswered' | 'deprecated' | 'removed';

// CacheModel from model/cache.d.ts
interface CacheModel {
    readonly params: ModelParams;
    readonly now: number | null;
    readonly local: readonly Address[];
    readonly entries: readonly EntryModel[];
    readonly nextEntryKey: number;
    readonly initial: {
        readonly address: AddressState;
        readonly compat: CompatState;
    };
}

// CompatContext from model/compat.d.ts
interface CompatContext {
    readonly params: Pick<ModelParams, 'compatProbeTimeoutMs'>;
    readonly probeDeadlineMs: number | null;
    readonly homeAddress: Address | null;
    readonly careOfAddress: Address | null;
}

// CompatEvent from model/compat.d.ts
type CompatEvent = {
    type: 'initialBuSent';
    now: number;
} | {
    type: 'homelessSupport';
} | {
    type: 'mobileSignal';
    hao: Address | null;
    lastBu: {
        careOf: Address;
        lifetimeSeconds: number;
    } | null;
} | {
    type: 'clock';
    now: number;
} | {
    type: 'parameterProblem';
    code: number;
    aboutMobilityOption: boolean;
    quotesAlice: boolean;
};

// compatMachine from model/compat.d.ts
declare const compatMachine: import("xstate").StateMachine<CompatContext, {
    type: "initialBuSent";
    now: number;
} | {
    type: "homelessSupport";
} | {
    type: "mobileSignal";
    hao: Address | null;
    lastBu: {
        careOf: Address;
        lifetimeSeconds: number;
    } | null;
} | {
    type: "clock";
    now: number;
} | {
    type: "parameterProblem";
    code: number;
    aboutMobilityOption: boolean;
    quotesAlice: boolean;
}, {}, never, {
    type: "armProbe";
    params: import("xstate").NonReducibleUnknown;
} | {
    type: "recordMobileAddresses";
    params: import("xstate").NonReducibleUnknown;
} | {
    type: "forgetMobileAddresses";
    params: import("xstate").NonReducibleUnknown;
} | {
    type: "disarmProbe";
    params: import("xstate").NonReducibleUnknown;
}, {
    type: "probeExpired";
    params: unknown;
} | {
    type: "rejectsMobileOptions";
    params: unknown;
}, never, "unknown" | "homeless" | "standard-mobile" | "standard" | "legacy", string, {
    params: Pick<ModelParams, "compatProbeTimeoutMs">;
}, import("xstate").NonReducibleUnknown, import("xstate").EventObject, import("xstate").MetaObject, {
    id: "compat";
    states: {
        readonly unknown: {};
        readonly standard: {};
        readonly 'standard-mobile': {};
        readonly legacy: {};
        readonly homeless: {};
    };
}, import("xstate").MetaObject>;

// CompatValue from model/compat.d.ts
type CompatValue = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// createModel from model/cache.d.ts
declare function createModel(options: ModelOptions): CacheModel;

// diffAbstract from model/abstraction.d.ts
declare function diffAbstract(a: AbstractState, b: AbstractState, labels?: readonly [
    string,
    string
]): string[];

// MachineName from model/graph.d.ts
type MachineName = 'compat' | 'address';

// MACHINES from model/graph.d.ts
declare const MACHINES: Readonly<Record<MachineName, AnyStateMachine>>;

// ModelEvent from model/events.d.ts
type ModelEvent = {
    type: 'tick';
    now: number;
} | {
    type: 'saAdded';
    now: number;
    peer: Address;
    inboundSpi: number;
    outboundSpi: number;
    kind: SaKind;
} | {
    type: 'send';
    now: number;
    to: Address;
} | {
    type: 'localAddressAdded';
    now: number;
    address: Address;
} | {
    type: 'localAddressRemoved';
    now: number;
    address: Address;
} | {
    type: 'received';
    now: number;
    packet: ReceivedPacket;
} | {
    type: 'parameterProblem';
    now: number;
    code: number;
    aboutMobilityOption: boolean;
    quoted: {
        destination: Address;
        outboundSpi: number | null;
    } | null;
    packet?: ReceivedPacket;
} | {
    type: 'noise';
    now: number;
};

// ModelEventType from model/events.d.ts
type ModelEventType = ModelEvent['type'];

// ModelOptions from model/cache.d.ts
interface ModelOptions {
    localAddresses: readonly Address[];
    params?: Partial<ModelParams>;
}

// ModelParams from model/events.d.ts
type ModelParams = Pick<HostParams, 'defaultLifetimeSeconds' | 'maximumExpiredLifetimeSeconds' | 'bindingLifetimeSecondsMax' | 'challengeLifetimeMs' | 'compatProbeTimeoutMs' | 'buOptimization' | 'foreignEntriesCountMax' | 'addressesPerEntryCountMax' | 'tentativePerEntryCountMax' | 'antiReplayWindowPackets'>;

// step from model/cache.d.ts
declare function step(model: CacheModel, event: ModelEvent, options?: StepOptions): StepResult;

// StepOptions from model/cache.d.ts
interface StepOptions {
    engine?: ModelEngine;
    observer?: MachineObserver;
}

// StepResult from model/cache.d.ts
interface StepResult {
    readonly model: CacheModel;
    readonly accepted: boolean;
    readonly unreachable: boolean;
    readonly effects: readonly ModelEffect[];
}

// toDot from model/graph.d.ts
declare function toDot(machine: AnyStateMachine): string;

// toMermaid from model/graph.d.ts
declare function toMermaid(machine: AnyStateMachine): string;

// --- reached from the exports above ---

// AbstractState from model/abstraction.d.ts (not exported here)
interface AbstractState {
    readonly entries: readonly AbstractEntry[];
    readonly local: readonly Address[];
}

// Address from impl/wire/types.d.ts (not exported here)
type Address = string;

// AddressParams from model/address.d.ts (not exported here)
type AddressParams = Pick<ModelParams, 'defaultLifetimeSeconds' | 'maximumExpiredLifetimeSeconds' | 'bindingLifetimeSecondsMax' | 'challengeLifetimeMs'>;

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

// AddressState from model/entry.d.ts (not exported here)
type AddressState = MachineState<AddressValue, AddressContext>;

// AddressStatus from impl/host/types.d.ts (not exported here)
type AddressStatus = 'tentative' | 'active' | 'deprecated';

// C from model/table.d.ts (not exported here)
C

// C from model/table.d.ts (not exported here)
C

// C from model/table.d.ts (not exported here)
C

// CacheModel from model/cache.d.ts (not exported here)
interface CacheModel {
    readonly params: ModelParams;
    readonly now: number | null;
    readonly local: readonly Address[];
    readonly entries: readonly EntryModel[];
    readonly nextEntryKey: number;
    readonly initial: {
        readonly address: AddressState;
        readonly compat: CompatState;
    };
}

// CompatState from model/entry.d.ts (not exported here)
type CompatState = MachineState<CompatValue, CompatContext>;

// E from model/table.d.ts (not exported here)
E extends {
    type: string;
}

// EntryModel from model/entry.d.ts (not exported here)
interface EntryModel {
    readonly key: number;
    readonly sa: EntrySa | null;
    readonly compat: CompatState;
    readonly addresses: ReadonlyMap<Address, AddressState>;
    readonly lastSequence: number | null;
    readonly challengeCounts: ReadonlyMap<Address, number>;
}

// EntrySa from model/entry.d.ts (not exported here)
interface EntrySa {
    readonly inboundSpi: number;
    readonly outboundSpi: number;
    readonly kind: SaKind;
    readonly replay: ReplayState;
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

// GuardOutcome from model/table.d.ts (not exported here)
interface GuardOutcome {
    readonly guard: string;
    readonly value: boolean;
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

// LifetimeKind from impl/host/types.d.ts (not exported here)
type LifetimeKind = 'activity' | 'absolute';

// MachineObserver from model/cache.d.ts (not exported here)
interface MachineObserver {
    onStep(machine: 'address' | 'compat', from: string, outcome: StepOutcome<string, unknown>, event: {
        type: string;
    }): void;
}

// MachineState from model/table.d.ts (not exported here)
interface MachineState<V extends string, C> {
    readonly value: V;
    readonly context: C;
}

// ModelEffect from model/cache.d.ts (not exported here)
type ModelEffect = {
    kind: 'challenge';
    spi: number;
    address: Address;
    epoch: number;
    recheck: boolean;
} | {
    kind: 'refused';
    spi: number;
    address: Address;
} | {
    kind: 'initialBu';
    spi: number;
    peer: Address;
};

// ModelEngine from model/cache.d.ts (not exported here)
interface ModelEngine {
    readonly name: 'table' | 'xstate';
    readonly address: Stepper<AddressValue, AddressContext, AddressEvent>;
    readonly compat: Stepper<CompatValue, CompatContext, CompatEvent>;
}

// ModelOptions from model/cache.d.ts (not exported here)
interface ModelOptions {
    localAddresses: readonly Address[];
    params?: Partial<ModelParams>;
}

// ModelParams from model/events.d.ts (not exported here)
type ModelParams = Pick<HostParams, 'defaultLifetimeSeconds' | 'maximumExpiredLifetimeSeconds' | 'bindingLifetimeSecondsMax' | 'challengeLifetimeMs' | 'compatProbeTimeoutMs' | 'buOptimization' | 'foreignEntriesCountMax' | 'addressesPerEntryCountMax' | 'tentativePerEntryCountMax' | 'antiReplayWindowPackets'>;

// PacketItem from model/events.d.ts (not exported here)
type PacketItem = {
    kind: 'bindingUpdate';
    sequence: number;
    lifetimeSeconds: number;
    homelessSupport: boolean;
    named: readonly Address[];
} | {
    kind: 'response';
    sequence: number;
    lifetimeSeconds: number;
    address: Address;
    answers: ResponseAnswers;
    wellFormed: boolean;
} | {
    kind: 'bindingAck';
    status: number;
} | {
    kind: 'bindingRequest';
    homelessSupport: boolean;
} | {
    kind: 'data';
};

// PeerKind from impl/host/types.d.ts (not exported here)
type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

// ReceivedPacket from model/events.d.ts (not exported here)
interface ReceivedPacket {
    source: Address;
    destinations: readonly Address[];
    ah: {
        spi: number;
        sequence: number;
        icvValid: boolean;
    } | null;
    hao: Address | null;
    items: readonly PacketItem[];
}

// ReplayState from model/entry.d.ts (not exported here)
interface ReplayState {
    readonly highest: number;
    readonly seen: readonly number[];
}

// ResponseAnswers from model/events.d.ts (not exported here)
type ResponseAnswers = number | 'forged';

// SaKind from impl/host/types.d.ts (not exported here)
type SaKind = 'generic' | 'anonymous';

// StateNodeInfo from model/table.d.ts (not exported here)
interface StateNodeInfo {
    readonly path: string;
    readonly key: string;
    readonly type: 'atomic' | 'compound' | 'final';
    readonly initial: string | null;
    readonly children: readonly string[];
}

// StepOptions from model/cache.d.ts (not exported here)
interface StepOptions {
    engine?: ModelEngine;
    observer?: MachineObserver;
}

// StepOutcome from model/table.d.ts (not exported here)
interface StepOutcome<V extends string, C> {
    readonly state: MachineState<V, C>;
    readonly taken: TransitionDef | null;
    readonly guards: readonly GuardOutcome[];
    readonly effects: readonly string[];
}

// StepResult from model/cache.d.ts (not exported here)
interface StepResult {
    readonly model: CacheModel;
    readonly accepted: boolean;
    readonly unreachable: boolean;
    readonly effects: readonly ModelEffect[];
}

// Stepper from model/table.d.ts (not exported here)
interface Stepper<V extends string, C, E extends {
    type: string;
}> {
    readonly machine: AnyStateMachine;
    readonly table: TransitionTable;
    step(state: MachineState<V, C>, event: E): StepOutcome<V, C>;
}

// TransitionDef from model/table.d.ts (not exported here)
interface TransitionDef {
    readonly id: string;
    readonly source: string;
    readonly event: string;
    readonly guard: string | null;
    readonly target: string | null;
    readonly targetLeaf: string | null;
    readonly actions: readonly string[];
}

// TransitionTable from model/table.d.ts (not exported here)
interface TransitionTable {
    readonly machineId: string;
    readonly initial: string;
    readonly nodes: readonly StateNodeInfo[];
    readonly leaves: readonly string[];
    readonly finals: ReadonlySet<string>;
    readonly transitions: readonly TransitionDef[];
    readonly guardNames: readonly string[];
    readonly eventTypes: readonly string[];
    readonly candidates: ReadonlyMap<string, ReadonlyMap<string, readonly TransitionDef[]>>;
}

// V from model/table.d.ts (not exported here)
V extends string

// V from model/table.d.ts (not exported here)
V extends string

// V from model/table.d.ts (not exported here)
V extends string
