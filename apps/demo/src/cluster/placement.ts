/**
 * Key placement: every node builds the same Maglev table (@perf/balance) from the same view —
 * the registered members that are not leaving, sorted by id — so any node can name any key's
 * owner without asking. An owner that is down stays the owner (its keys are durable there and
 * nowhere else): callers answer `owner_unavailable` for its keys rather than look elsewhere.
 * A placement carries the epoch of the view it was built from.
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
    const owners = view.members.filter((m) => !m.leaving).map((m) => m.id);
    this.#maglev = owners.length ? new Maglev(owners) : undefined;
  }

  /** The member that owns `key`, or `undefined` when no member can own keys. */
  ownerOf(key: string): Member | undefined {
    return this.#maglev ? this.#byId.get(this.#maglev.pick(key)) : undefined;
  }

  member(id: string): Member | undefined {
    return this.#byId.get(id);
  }

  /** The share of the key space each owner has, by id (exact, from the Maglev table). */
  shares(): Map<string, number> {
    return this.#maglev?.shares() ?? new Map();
  }
}
