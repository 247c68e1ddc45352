import * as check from '../internal/validate.js';
import type {
  Announcement,
  EntryOptions,
  LatencyRecorder,
  LockResult,
  TierEntry,
  TierWriteOptions,
  VersionedStore,
} from '../types.js';
import type { RedisArgument, RedisClient } from './client.js';
import { decode, encodeBody, type SerializerOption } from './codec.js';
import { CLEAR, DELETE, LOCK, run, type Script, UNLOCK, WRITE } from './scripts.js';
import { bounded } from './timeout.js';

/** Options of {@link RedisTier}. */
export interface RedisTierOptions {
  /** Your ioredis client (5.x or 6.x). The tier never connects or closes it. */
  client: RedisClient;
  /** Prepended to every key; `invalidateAll` deletes exactly the keys under it. */
  prefix: string;
  /**
   * How values are encoded. Buffers are always stored raw.
   * @defaultValue `'json'` (plain data; anything JSON would change throws `TypeError` at `set`)
   */
  serializer?: SerializerOption;
  /**
   * Default time to live of an entry, in milliseconds.
   * @defaultValue `Infinity`
   */
  ttl?: number;
  /**
   * Bound of every Redis call, in milliseconds; past it the call rejects with
   * `CacheTimeoutError`.
   * @defaultValue 1000
   */
  timeout?: number;
  /**
   * Records the duration of every Redis call, in microseconds (e.g. a `@perf/monitor`
   * `Histogram`).
   * @defaultValue none
   */
  latency?: LatencyRecorder;
}

/** Counters of a {@link RedisTier}. */
export interface RedisTierStats {
  /** Calls that failed (not connected, refused, error reply). */
  errors: number;
  /** Calls that took longer than `timeout`. */
  timeouts: number;
  /** Stored values that could not be decoded: each was read as a miss and deleted. */
  corrupt: number;
}

/** A key of the tier: strings, or numbers (stored as their decimal string). */
export type RedisKey = string | number;

const NO_ANNOUNCE: readonly string[] = ['', '', ''];
const BATCH = 1000; // keys per script call: bounds one call's arguments and its time in Redis

function redisKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  throw new TypeError(
    `Expected \`key\` to be a string or a finite number, got \`${String(key)}\` (${typeof key})`,
  );
}

/**
 * Redis as an L2 ({@link VersionedStore}): versioned entries, per-entry TTL, batch calls in one
 * round trip, a load lock, and `invalidateAll` of its prefix by SCAN + UNLINK.
 */
export class RedisTier<K extends RedisKey = string, V = unknown> implements VersionedStore<K, V> {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #versionKey: string;
  readonly #lockPrefix: string;
  readonly #serializer: SerializerOption;
  /** Default time to live of an entry, in milliseconds. */
  readonly ttl: number;
  readonly #timeout: number;
  readonly #latency: LatencyRecorder | undefined;
  readonly #stats: RedisTierStats = { errors: 0, timeouts: 0, corrupt: 0 };

  constructor(options: RedisTierOptions) {
    const o = check.options<RedisTierOptions>('options', options);
    const client = o.client as Partial<RedisClient> | undefined;
    if (typeof client?.call !== 'function' || typeof client.callBuffer !== 'function') {
      throw new TypeError(
        `Expected \`client\` to be an ioredis client, got \`${String(o.client)}\` (${typeof o.client})`,
      );
    }
    if (typeof o.prefix !== 'string') {
      throw new TypeError(
        `Expected \`prefix\` to be a string, got \`${String(o.prefix)}\` (${typeof o.prefix})`,
      );
    }
    const serializer = o.serializer ?? 'json';
    if (
      serializer !== 'json' &&
      serializer !== 'v8' &&
      (typeof serializer !== 'object' ||
        typeof serializer.serialize !== 'function' ||
        typeof serializer.deserialize !== 'function')
    ) {
      throw new TypeError(
        `Expected \`serializer\` to be 'json', 'v8' or { serialize, deserialize }, got \`${String(serializer)}\``,
      );
    }
    this.#client = o.client as RedisClient;
    this.#prefix = o.prefix;
    // Outside the key space of entries: a NUL byte after the prefix, skipped by invalidateAll
    // (deleting the counter would restart versions and make new writes look old).
    this.#versionKey = `${o.prefix}\u0000version`;
    this.#lockPrefix = `${o.prefix}\u0000lock:`;
    this.#serializer = serializer;
    this.ttl = check.duration('ttl', o.ttl);
    const timeout = o.timeout ?? 1000;
    if (typeof timeout !== 'number' || !(timeout > 0)) {
      check.positiveNumber('timeout', timeout);
    }
    this.#timeout = timeout;
    this.#latency = o.latency;
  }

  /** The value of `key` while it is fresh, else `undefined`. */
  async get(key: K): Promise<V | undefined> {
    const entry = await this.getEntry(key);
    return entry !== undefined && entry.freshFor > 0 ? entry.value : undefined;
  }

  /** Fresh values of `keys`, in order, in one round trip. */
  async getMany(keys: readonly K[]): Promise<Array<V | undefined>> {
    const entries = await this.getEntries(keys);
    return entries.map((e) => (e !== undefined && e.freshFor > 0 ? e.value : undefined));
  }

  /** Stores `value`; `options.ttl` overrides the tier's `ttl`. */
  async set(key: K, value: V, options?: EntryOptions): Promise<void> {
    await this.setEntry(key, value, options);
  }

  /** Stores every entry in one round trip (one version for the batch). */
  async setMany(
    entries: Iterable<readonly [K, V]>,
    options?: TierWriteOptions,
  ): Promise<number | undefined> {
    const list = [...entries];
    if (list.length === 0) return undefined;
    let version = 0;
    for (let i = 0; i < list.length; i += BATCH) {
      version = await this.#write(list.slice(i, i + BATCH), options);
    }
    return version;
  }

  /** Deletes `key`. */
  async delete(key: K): Promise<void> {
    await this.deleteEntries([key]);
  }

  /** Deletes every key in one round trip. */
  async deleteMany(keys: readonly K[]): Promise<void> {
    await this.deleteEntries(keys);
  }

  /**
   * Deletes every entry under the prefix written before this call (SCAN, then one script per
   * batch that UNLINKs the older entries; never KEYS); resolves with its version. A write that
   * lands while the scan runs is kept.
   */
  async invalidateAll(): Promise<number> {
    const version = Number(
      await this.#script('invalidateAll', DELETE, [this.#versionKey], ['', '', '']),
    );
    const pattern = `${this.#prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    const internal = `${this.#prefix}\u0000`;
    let cursor = '0';
    do {
      const reply = (await this.#call('SCAN', () =>
        this.#client.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000),
      )) as [string, string[]];
      cursor = reply[0];
      const keys = reply[1].filter((k) => !k.startsWith(internal));
      if (keys.length > 0) await this.#script('invalidateAll', CLEAR, keys, [version]);
    } while (cursor !== '0');
    return version;
  }

  /** The entry of `key` with its version and remaining lifetimes, fresh or in grace. */
  async getEntry(key: K): Promise<TierEntry<V> | undefined> {
    return (await this.getEntries([key]))[0];
  }

  /** Entries of `keys`, in order, in one round trip per 1000 keys. */
  async getEntries(keys: readonly K[]): Promise<Array<TierEntry<V> | undefined>> {
    const out: Array<TierEntry<V> | undefined> = [];
    for (let start = 0; start < keys.length; start += BATCH) {
      const names = keys.slice(start, start + BATCH).map((k) => this.#prefix + redisKey(k));
      const client = this.#client;
      const reply =
        names.length === 1
          ? [await this.#call('get', () => client.callBuffer('GET', names[0]!))]
          : ((await this.#call('get', () => client.callBuffer('MGET', ...names))) as unknown[]);
      const now = Date.now();
      for (let i = 0; i < names.length; i++) out.push(this.#entry(names[i]!, reply[i], now));
    }
    return out;
  }

  /** Stores `value` and resolves with the write's version. */
  setEntry(key: K, value: V, options?: TierWriteOptions): Promise<number> {
    return this.#write([[key, value]], options);
  }

  /** Deletes `keys` and resolves with the deletion's version. */
  async deleteEntries(keys: readonly K[], options?: { announce?: Announcement }): Promise<number> {
    let version = 0;
    const names = keys.map((k) => this.#prefix + redisKey(k));
    const announce = this.#announceArgs(options?.announce);
    for (let i = 0; i === 0 || i < names.length; i += BATCH) {
      const last = i + BATCH >= names.length;
      version = Number(
        await this.#script(
          'delete',
          DELETE,
          [this.#versionKey, ...names.slice(i, i + BATCH)],
          last ? announce : NO_ANNOUNCE,
        ),
      );
    }
    return version;
  }

  /** Whether writes given `announcement` publish it: only through the bus's own connection. */
  announces(announcement: Announcement): boolean {
    return announcement.publisher === this.#client;
  }

  /**
   * Reads the entry and, unless it is fresh, SET NX PX the key's lock with `token`: one script,
   * one round trip, so a miss costs no extra call to take the lock.
   */
  async tryLock(key: K, token: string, ttl: number): Promise<LockResult<V>> {
    const name = redisKey(key);
    const reply = (await this.#script(
      'lock',
      LOCK,
      [this.#lockPrefix + name, this.#prefix + name],
      [token, Math.max(1, Math.ceil(ttl))],
      true,
    )) as unknown[];
    const entry = this.#entry(this.#prefix + name, reply[1], Date.now());
    return { acquired: Number(reply[0]) === 1, entry };
  }

  /** Releases the lock if `token` still holds it (compare-and-delete). */
  async unlock(key: K, token: string): Promise<boolean> {
    const reply = await this.#script('unlock', UNLOCK, [this.#lockPrefix + redisKey(key)], [token]);
    return Number(reply) === 1;
  }

  /** Counters since the tier was created (a copy). */
  stats(): RedisTierStats {
    return { ...this.#stats };
  }

  get [Symbol.toStringTag](): string {
    return 'RedisTier';
  }

  async #write(
    entries: ReadonlyArray<readonly [K, V]>,
    options?: TierWriteOptions,
  ): Promise<number> {
    const ttl = options?.ttl === undefined ? this.ttl : check.duration('ttl', options.ttl);
    const grace = options?.grace === undefined ? 0 : check.duration('grace', options.grace);
    const px =
      ttl === Number.POSITIVE_INFINITY || grace === Number.POSITIVE_INFINITY
        ? '0'
        : String(Math.max(1, Math.ceil(ttl + grace)));
    const storedGrace = Math.round(Math.min(grace, 2 ** 52));
    const staleAt =
      ttl === Number.POSITIVE_INFINITY ? 0 : Math.max(1, Math.round(Date.now() + ttl));
    const keys: string[] = [this.#versionKey];
    const args: RedisArgument[] = [...this.#announceArgs(options?.announce)];
    for (const [key, value] of entries) {
      if (value === undefined) {
        throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
      }
      keys.push(this.#prefix + redisKey(key));
      args.push(px, encodeBody(value, staleAt, storedGrace, this.#serializer)); // TypeError before any I/O
    }
    return Number(await this.#script('set', WRITE, keys, args));
  }

  #announceArgs(announce: Announcement | undefined): readonly string[] {
    if (announce === undefined || !this.announces(announce)) return NO_ANNOUNCE;
    return [announce.channel, announce.head, announce.tail];
  }

  #entry(name: string, raw: unknown, now: number): TierEntry<V> | undefined {
    if (raw === null || raw === undefined) return undefined;
    let decoded: ReturnType<typeof decode>;
    try {
      decoded = decode(raw as Buffer, this.#serializer);
    } catch {
      this.#stats.corrupt++;
      // A value we cannot read is never served: delete it so the next read loads afresh.
      this.#client.call('UNLINK', name).catch(() => {});
      return undefined;
    }
    const freshFor = decoded.staleAt === 0 ? Number.POSITIVE_INFINITY : decoded.staleAt - now;
    return {
      value: decoded.value as V,
      version: decoded.version,
      freshFor,
      expiresIn: freshFor + decoded.grace,
    };
  }

  #script(
    operation: string,
    s: Script,
    keys: readonly string[],
    args: readonly RedisArgument[],
    buffers = false,
  ): Promise<unknown> {
    return this.#call(operation, () => run(this.#client, s, keys, args, buffers));
  }

  async #call<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await bounded(operation, this.#timeout, this.#client.status, call, this.#latency);
    } catch (error) {
      if ((error as { code?: string }).code === 'PERF_CACHE_TIMEOUT') this.#stats.timeouts++;
      else this.#stats.errors++;
      throw error;
    }
  }
}
