/**
 * Key placement over the live members: every node builds the same Maglev table from the same
 * view (members sorted by id), so any node can tell any key's owner without asking. A placement
 * carries the epoch of the view it was built from; nodes compare epochs to tell whose is newer.
 */
import { Maglev } from '@perf/balance';
import type { Member, View } from './membership.js';

export class Placement {
  readonly epoch: number;
  readonly members: readonly Member[];
  readonly #maglev: Maglev | undefined;
  readonly #byId: ReadonlyMap<string, Member>;

  constructor(view: View) {
    this.epoch = view.epoch;
    this.members = view.members;
    this.#byId = new Map(view.members.map((m) => [m.id, m]));
    this.#maglev = view.members.length ? new Maglev(view.members.map((m) => m.id)) : undefined;
  }

  /** The member that owns `key`, or `undefined` when the cluster has no live member. */
  ownerOf(key: string): Member | undefined {
    return this.#maglev ? this.#byId.get(this.#maglev.pick(key)) : undefined;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The share of the key space each member owns, by id (exact, from the Maglev table). */
  shares(): Map<string, number> {
    return this.#maglev?.shares() ?? new Map();
  }
}
