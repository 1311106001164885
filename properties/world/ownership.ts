// Who owns which address (DESIGN.md "The world and the attacker": every address is owned by
// at most one node at a time), every address a node lost, and the addresses each node gets
// next. The world records each change of owner in the trace; Sam tracks its own care-of
// addresses (`World.addressesOf` and `World.ownerOf` ask it first).

import type { Address } from '../../impl/wire/types.js';
import { nodeAddress } from './addresses.js';
import type { NodeName } from './types.js';

/** An address a node lost, and when. */
export interface LostAddress {
  address: Address;
  by: NodeName;
  at: number;
}

export class Ownership {
  private readonly owners = new Map<Address, NodeName>();
  private readonly owned = new Map<NodeName, Address[]>();
  /** Every address some node lost, oldest first. */
  readonly lost: LostAddress[] = [];
  private readonly nextIndex = new Map<NodeName, number>();
  /** The owners once the setup gave every node its first addresses (the trace's `owners`). */
  readonly initialOwners: Record<Address, NodeName> = {};

  /** The next address of `node`'s plan, now taken. */
  freshAddress(node: NodeName): Address {
    const k = this.nextIndex.get(node) ?? 0;
    this.nextIndex.set(node, k + 1);
    return nodeAddress(node, k);
  }

  /** The address `freshAddress(node)` would give, not taken. */
  nextAddress(node: NodeName): Address {
    return nodeAddress(node, this.nextIndex.get(node) ?? 0);
  }

  /**
   * Gives `address` to `node` (null: nobody) at `at`; returns the owner it had, or undefined
   * when `node` owned it already (nothing changed).
   */
  give(address: Address, node: NodeName | null, at: number): NodeName | null | undefined {
    const from = this.owners.get(address) ?? null;
    if (from === node) return undefined;
    if (from !== null) {
      const list = this.owned.get(from) ?? [];
      this.owned.set(
        from,
        list.filter((a) => a !== address),
      );
      this.noteLost(address, from, at);
    }
    if (node === null) this.owners.delete(address);
    else {
      this.owners.set(address, node);
      this.owned.set(node, [...(this.owned.get(node) ?? []), address]);
    }
    return from;
  }

  /** Records that `by` lost `address` at `at` (for Sam, whose addresses are its own). */
  noteLost(address: Address, by: NodeName, at: number): void {
    this.lost.push({ address, by, at });
  }

  /** The addresses `node` owns, oldest first (a copy). */
  addressesOf(node: NodeName): Address[] {
    return [...(this.owned.get(node) ?? [])];
  }

  ownerOf(address: Address): NodeName | null {
    return this.owners.get(address) ?? null;
  }

  /** Records the owners at the end of the setup, and `others` (addresses the world does not track). */
  recordInitialOwners(others: readonly Address[], by: NodeName): void {
    for (const [a, n] of this.owners) this.initialOwners[a] = n;
    for (const a of others) this.initialOwners[a] = by;
  }

  /** Every address Alice owns, has lost or owned at the start. */
  everAliceAddresses(): Address[] {
    const out = new Set<Address>(this.addressesOf('alice'));
    for (const l of this.lost) if (l.by === 'alice') out.add(l.address);
    for (const [a, n] of Object.entries(this.initialOwners)) if (n === 'alice') out.add(a);
    return [...out];
  }

  /** An independent copy (the initial owners, never written after the setup, are shared). */
  fork(): Ownership {
    const copy = Object.create(Ownership.prototype) as Ownership;
    Object.assign(copy, {
      owners: new Map(this.owners),
      owned: new Map([...this.owned].map(([n, list]) => [n, list.slice()])),
      lost: this.lost.slice(),
      nextIndex: new Map(this.nextIndex),
      initialOwners: this.initialOwners,
    });
    return copy;
  }
}
