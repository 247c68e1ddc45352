import { PoolDoubleReleaseError, PoolForeignObjectError } from '../errors.js';

/**
 * What `ObjectPool` checks on acquire and release. Chosen once in the constructor, so the hot
 * path has no `if (debug)`: the fast guard's empty methods are inlined away by V8.
 */
export interface ReleaseGuard<T> {
  created(object: T): void;
  acquired(object: T): void;
  released(object: T): void;
}

/** No checks: the default. */
export const UNGUARDED: ReleaseGuard<unknown> = {
  created() {},
  acquired() {},
  released() {},
};

/**
 * Debug mode. `#owned` holds every object this pool created; `#idle` those given back and not
 * handed out since (dropped ones included, so releasing a dropped object again is still caught).
 * Weak sets, so the checks never keep an object alive.
 */
export class TrackingGuard<T extends object> implements ReleaseGuard<T> {
  readonly #owned = new WeakSet<T>();
  readonly #idle = new WeakSet<T>();

  created(object: T): void {
    this.#owned.add(object);
  }

  acquired(object: T): void {
    this.#idle.delete(object);
  }

  released(object: T): void {
    if (!this.#owned.has(object)) throw new PoolForeignObjectError();
    if (this.#idle.has(object)) throw new PoolDoubleReleaseError();
    this.#idle.add(object);
  }
}
