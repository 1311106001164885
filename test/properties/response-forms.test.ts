// Responses in each form rules 11 and 12 name (docs/rules.md): Mallory answers a Challenge it
// holds with the correct value in rule 11's second form, which every receiver accepts, and in
// each form rule 12 ignores (two Security sub-options, two Alternate CoAs, another sub-option,
// lifetime 0). The reference host passes every property on each and the world tells each form
// apart (the situations); hosts that read a Response's form wrongly, the reference with its
// receive path replaced (a `Decisions` field), fail REFINES-MODEL, whose lockstep has rule 12.

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, type Decisions } from '../../impl/host/index.js';
import { onData } from '../../impl/host/receive/data.js';
import { finalDestination, onAuthenticated, type ReceivedPacket } from '../../impl/host/receive/packet.js';
import { decodePacket, optionAction } from '../../impl/wire/index.js';
import type { BindingUpdate, DestOption, HomeAddressOption, SubOption } from '../../impl/wire/types.js';
import { PROPERTIES } from '../../properties/invariants/index.js';
import { refinesModel } from '../../properties/invariants/refines-model.js';
import { brokenHost } from '../../properties/mutants/bank/broken-host.js';
import { situationsReached } from '../../properties/situations/index.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, AliceFactory, ResponseForm, Trace } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ seed: 7 });

/** Mallory claims one of its own addresses, keeps the Challenge, then answers it correctly in `form`. */
function answeredIn(form: ResponseForm): Action[] {
  return [
    A.withhold({ sa: 'generic', pick: 0 }),
    A.advance({ ms: 30 }),
    A.answer({ form, fromEnd: 0 }),
    A.advance({ ms: 300 }),
  ];
}

function run(actions: Action[], alice: AliceFactory = referenceAlice): Trace {
  const result = runSchedule({ config: CONFIG, actions }, alice);
  expect(result.crash).toBeUndefined();
  return result.trace;
}

/** The situation each form reaches. */
const SITUATION: Readonly<Record<ResponseForm, string>> = {
  'alt-coa': 'response-second-form',
  'two-security': 'response-two-security',
  'two-alt-coa': 'response-two-alternate-coas',
  'other-sub-option': 'response-other-sub-option',
  'lifetime-zero': 'response-lifetime-zero',
};
const FORMS = Object.keys(SITUATION) as ResponseForm[];
const IGNORED = FORMS.filter((f) => f !== 'alt-coa');

function isResponse(o: DestOption): o is BindingUpdate {
  return o.kind === 'bu' && o.subOptions.some((s) => s.kind === 'security');
}

/**
 * The reference receive path with every Response rewritten (or dropped, for null) before the
 * handlers see it, after its AH verified: a host whose reading of a Response's form differs.
 */
function readingResponses(rewrite: (bu: BindingUpdate) => BindingUpdate | null): Decisions['receivePacket'] {
  return (ctx, bytes, nowMs) => {
    const decoded = decodePacket(bytes);
    if (!decoded.ok || decoded.packet.ah === undefined || !(decoded.packet.destOptions ?? []).some(isResponse)) {
      REFERENCE_DECISIONS.receivePacket(ctx, bytes, nowMs);
      return;
    }
    const { packet, layout } = decoded;
    const ah = packet.ah;
    const localAddress = finalDestination(ctx, packet);
    if (ah === undefined || localAddress === null) return;
    if (packet.destOptions?.some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip')) return;
    const sa = ctx.decisions.verifyPacketAh(ctx, bytes, layout, ah);
    if (sa === null) return;
    const options = (packet.destOptions ?? []).flatMap((o): DestOption[] => {
      if (!isResponse(o)) return [o];
      const read = rewrite(o);
      return read === null ? [] : [read];
    });
    const received: ReceivedPacket = {
      packet: { ...packet, destOptions: options },
      nowMs,
      localAddress,
      sa,
      homeAddress: null,
    };
    const hao = options.find((o): o is HomeAddressOption => o.kind === 'hao');
    if (hao !== undefined && !ctx.decisions.onHomeAddress(ctx, received, hao)) return;
    onAuthenticated(ctx, received, sa.entry);
    onData(ctx, received);
  };
}

/** Rule 12's form test skipped: a Response is read as its first Security sub-option and its last Alternate CoA. */
const formBlind = brokenHost('response-form-blind', {
  receivePacket: readingResponses((bu) => {
    const security = bu.subOptions.find((s) => s.kind === 'security');
    const coa = bu.subOptions.filter((s) => s.kind === 'alternate-coa').at(-1);
    const kept: SubOption[] = [...(coa === undefined ? [] : [coa]), ...(security === undefined ? [] : [security])];
    return { ...bu, subOptions: kept };
  }),
});

/** Rule 12's lifetime test skipped: a Response with lifetime 0 is taken, with the least lifetime there is. */
const lifetimeBlind = brokenHost('response-lifetime-blind', {
  receivePacket: readingResponses((bu) => (bu.lifetimeSeconds === 0 ? { ...bu, lifetimeSeconds: 1 } : bu)),
});

/** Rule 11's second form refused: a Response with an Alternate CoA is ignored. */
const secondFormDeaf = brokenHost('response-second-form-deaf', {
  receivePacket: readingResponses((bu) => (bu.subOptions.some((s) => s.kind === 'alternate-coa') ? null : bu)),
});

describe('Responses in the forms of rules 11 and 12', () => {
  it('the_reference_host_passes_every_property_on_each_form_and_each_form_reaches_its_situation', () => {
    for (const form of FORMS) {
      const trace = run(answeredIn(form));
      const reached = situationsReached(trace);
      expect(reached.has(SITUATION[form]), form).toBe(true);
      for (const other of FORMS)
        if (other !== form) expect(reached.has(SITUATION[other]), `${form}: ${other}`).toBe(false);
      // Only the second form verifies the address: the others leave the Challenge unanswered.
      expect(reached.has('mallory-address-verified'), form).toBe(form === 'alt-coa');
      for (const p of PROPERTIES) expect(p.check(trace), `${form}: ${p.id}`).toMatchObject({ ok: true });
    }
  });

  it('an_ignored_form_leaves_the_challenge_live_for_the_second_form', () => {
    for (const form of IGNORED) {
      const trace = run([
        A.withhold({ sa: 'generic', pick: 0 }),
        A.advance({ ms: 30 }),
        A.answer({ form, fromEnd: 0 }),
        A.answer({ form: 'alt-coa', fromEnd: 0 }),
        A.advance({ ms: 300 }),
      ]);
      const reached = situationsReached(trace);
      expect(reached.has(SITUATION[form]), form).toBe(true);
      expect(reached.has('response-second-form'), form).toBe(true);
      expect(reached.has('mallory-address-verified'), form).toBe(true);
      expect(refinesModel.check(trace), form).toMatchObject({ ok: true });
    }
  });

  it('a_form_after_the_address_verified_is_no_situation', () => {
    const trace = run([
      A.withhold({ sa: 'generic', pick: 0 }),
      A.advance({ ms: 30 }),
      A.answer({ form: 'alt-coa', fromEnd: 0 }),
      A.advance({ ms: 30 }),
      A.answer({ form: 'two-security', fromEnd: 0 }),
      A.advance({ ms: 300 }),
    ]);
    const reached = situationsReached(trace);
    expect(reached.has('response-second-form')).toBe(true);
    expect(reached.has('response-two-security')).toBe(false);
  });

  it('a_host_blind_to_the_form_fails_refines_model_on_each_malformed_response', () => {
    for (const form of ['two-security', 'two-alt-coa', 'other-sub-option'] as const) {
      expect(refinesModel.check(run(answeredIn(form), formBlind)), form).toMatchObject({ ok: false });
      expect(refinesModel.check(run(answeredIn(form))), form).toMatchObject({ ok: true });
    }
    // The second form is well formed: the blind host takes it as the reference does.
    expect(refinesModel.check(run(answeredIn('alt-coa'), formBlind))).toMatchObject({ ok: true });
  });

  it('a_host_taking_lifetime_zero_fails_refines_model', () => {
    expect(refinesModel.check(run(answeredIn('lifetime-zero'), lifetimeBlind))).toMatchObject({ ok: false });
    expect(refinesModel.check(run(answeredIn('lifetime-zero')))).toMatchObject({ ok: true });
  });

  it('a_host_refusing_the_second_form_fails_refines_model', () => {
    expect(refinesModel.check(run(answeredIn('alt-coa'), secondFormDeaf))).toMatchObject({ ok: false });
    expect(refinesModel.check(run(answeredIn('alt-coa')))).toMatchObject({ ok: true });
  });
});
