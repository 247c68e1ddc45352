import { randomUUID } from 'node:crypto';
import * as check from '../internal/validate.js';
import type { Announcement, BusHandlers, InvalidationBus, InvalidationMessage } from '../types.js';
import type { RedisClient, RedisSubscriber } from './client.js';
import { bounded } from './timeout.js';

/** Options of {@link RedisBus}. */
export interface RedisBusOptions {
  /** A connection that publishes (may be the one your `RedisTier` uses). */
  publisher: RedisClient;
  /** A connection of its own, dedicated to this bus: Pub/Sub takes over a connection. */
  subscriber: RedisSubscriber;
  /** The Pub/Sub channel every instance of one cache shares. */
  channel: string;
  /**
   * Bound of a publish (and of a heartbeat PING), in milliseconds.
   * @defaultValue 1000
   */
  timeout?: number;
  /**
   * PING the subscriber connection this often, in milliseconds; a PING unanswered within
   * `timeout` counts as a lost subscription (a connection that hangs without closing, as in a
   * network partition, would otherwise go unnoticed until the OS gives up on it): the
   * connection is dropped and reconnected, and the cache resyncs. `0` turns it off.
   * @defaultValue 0
   */
  heartbeat?: number;
}

/** The wire format, versioned by `p`: short field names keep messages small. */
interface Wire {
  p: 'perf-cache/1';
  o: string;
  v: number;
  k: Array<string | number> | null;
  t: InvalidationMessage['kind'];
  s: number;
}

const KINDS = new Set(['set', 'delete', 'clear', 'absent', 'failed']);

/** Parses a message; `undefined` for anything foreign or garbled (never throws). */
export function parseMessage(data: Buffer | string): InvalidationMessage | undefined {
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null || wire.p !== 'perf-cache/1') return undefined;
  if (typeof wire.o !== 'string' || typeof wire.v !== 'number' || !Number.isFinite(wire.v)) {
    return undefined;
  }
  if (typeof wire.t !== 'string' || !KINDS.has(wire.t) || typeof wire.s !== 'number') {
    return undefined;
  }
  const keys = wire.k;
  if (keys !== null) {
    if (!Array.isArray(keys)) return undefined;
    for (const k of keys) if (typeof k !== 'string' && typeof k !== 'number') return undefined;
  }
  return { keys: keys ?? null, version: wire.v, origin: wire.o, kind: wire.t, sentAt: wire.s };
}

/**
 * Invalidations over Redis Pub/Sub. Pub/Sub delivers at most once and forgets what it could not
 * deliver, so a lost subscription is reported (`disconnect`) and, once the subscription is
 * confirmed again, `resync` tells the cache to drop everything it may have missed.
 */
export class RedisBus implements InvalidationBus {
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisSubscriber;
  readonly #channel: string;
  readonly #timeout: number;
  readonly #handlers = new Map<string, BusHandlers>();
  readonly #heartbeat: number;
  #beat: ReturnType<typeof setInterval> | undefined;
  #beating = false;
  #listening = false;
  #connected = false;
  #lost = false;

  constructor(options: RedisBusOptions) {
    const o = check.options<RedisBusOptions>('options', options);
    if (typeof o.publisher?.call !== 'function') {
      throw new TypeError(
        `Expected \`publisher\` to be an ioredis client, got \`${String(o.publisher)}\` (${typeof o.publisher})`,
      );
    }
    if (typeof o.subscriber?.subscribe !== 'function' || typeof o.subscriber.on !== 'function') {
      throw new TypeError(
        `Expected \`subscriber\` to be an ioredis client, got \`${String(o.subscriber)}\` (${typeof o.subscriber})`,
      );
    }
    if (typeof o.channel !== 'string' || o.channel === '') {
      throw new TypeError(
        `Expected \`channel\` to be a non-empty string, got \`${String(o.channel)}\` (${typeof o.channel})`,
      );
    }
    if ((o.publisher as unknown) === o.subscriber) {
      throw new TypeError('Expected `subscriber` to be a connection of its own, not `publisher`');
    }
    this.#publisher = o.publisher;
    this.#subscriber = o.subscriber;
    this.#channel = o.channel;
    this.#timeout = o.timeout === undefined ? 1000 : check.positiveNumber('timeout', o.timeout);
    this.#heartbeat = o.heartbeat === undefined ? 0 : check.duration('heartbeat', o.heartbeat);
    if (this.#heartbeat > 0 && typeof o.subscriber.ping !== 'function') {
      throw new TypeError('Expected `subscriber.ping` to be a function for `heartbeat`');
    }
  }

  /** Whether the subscription is active (messages are being delivered). */
  get connected(): boolean {
    return this.#connected;
  }

  async publish(message: InvalidationMessage): Promise<void> {
    const wire: Wire = {
      p: 'perf-cache/1',
      o: message.origin,
      v: message.version,
      k: message.keys === null ? null : [...message.keys],
      t: message.kind,
      s: message.sentAt,
    };
    const text = JSON.stringify(wire);
    await bounded('PUBLISH', this.#timeout, this.#publisher.status, () =>
      this.#publisher.call('PUBLISH', this.#channel, text),
    );
  }

  /**
   * The message without its version, split around where the version goes, for a `RedisTier`
   * writing through this bus's publisher to PUBLISH in its write script.
   */
  announce(message: Omit<InvalidationMessage, 'version'>): Announcement {
    const rest = JSON.stringify({
      p: 'perf-cache/1',
      o: message.origin,
      k: message.keys === null ? null : [...message.keys],
      t: message.kind,
      s: message.sentAt,
    });
    return {
      publisher: this.#publisher,
      channel: this.#channel,
      head: `${rest.slice(0, -1)},"v":`,
      tail: '}',
    };
  }

  subscribe(handlers: BusHandlers): () => void {
    const id = randomUUID();
    this.#handlers.set(id, handlers);
    if (!this.#listening) this.#listen();
    return () => {
      this.#handlers.delete(id);
      if (this.#handlers.size === 0) this.#unlisten();
    };
  }

  /** Stops listening and unsubscribes (the connections stay yours to close). */
  async close(): Promise<void> {
    this.#handlers.clear();
    this.#unlisten();
  }

  readonly #onMessage = (channel: Buffer, data: Buffer): void => {
    if (channel.toString() !== this.#channel) return;
    const message = parseMessage(data);
    for (const h of this.#handlers.values()) {
      // A handler that throws (an L1 eviction listener, say) must not reach the event loop
      // from inside the client's socket callback, nor keep the other handlers from the message.
      try {
        if (message === undefined) h.invalid();
        else h.message(message);
      } catch {}
    }
  };

  readonly #onLost = (): void => {
    this.#connected = false;
    if (this.#lost) return;
    this.#lost = true;
    for (const h of this.#handlers.values()) {
      try {
        h.disconnect();
      } catch {}
    }
  };

  readonly #onReady = (): void => {
    if (!this.#listening) return;
    // ioredis resubscribes on its own after 'ready'; subscribing again is idempotent and its
    // reply tells us when the subscription is really active again.
    this.#subscriber.subscribe(this.#channel).then(
      () => {
        if (!this.#listening) return;
        this.#connected = true;
        if (!this.#lost) return;
        this.#lost = false;
        for (const h of this.#handlers.values()) {
          try {
            h.resync();
          } catch {}
        }
      },
      () => this.#onLost(),
    );
  };

  /** One heartbeat: an unanswered PING means the subscription may be gone. */
  #ping(): void {
    const sub = this.#subscriber;
    if (!this.#connected || this.#beating) return;
    this.#beating = true;
    bounded('PING', this.#timeout, sub.status, () => sub.ping!()).then(
      () => {
        this.#beating = false;
      },
      () => {
        this.#beating = false;
        if (!this.#listening || !this.#connected) return;
        this.#onLost();
        sub.disconnect?.(true); // reconnects; 'ready' then resubscribes and resyncs
      },
    );
  }

  #listen(): void {
    this.#listening = true;
    if (this.#heartbeat > 0 && this.#heartbeat !== Number.POSITIVE_INFINITY) {
      this.#beat = setInterval(() => this.#ping(), this.#heartbeat);
      this.#beat.unref?.();
    }
    const sub = this.#subscriber;
    sub.on('messageBuffer', this.#onMessage);
    sub.on('close', this.#onLost);
    sub.on('end', this.#onLost);
    sub.on('ready', this.#onReady);
    // A subscriber still connecting is not "lost": nothing was missed yet.
    if (sub.status === 'reconnecting' || sub.status === 'end' || sub.status === 'close') {
      this.#onLost();
    } else {
      this.#subscriber.subscribe(this.#channel).then(
        () => {
          if (this.#listening) this.#connected = true;
        },
        () => this.#onLost(),
      );
    }
  }

  #unlisten(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.#connected = false;
    clearInterval(this.#beat);
    this.#beat = undefined;
    const sub = this.#subscriber;
    sub.off('messageBuffer', this.#onMessage);
    sub.off('close', this.#onLost);
    sub.off('end', this.#onLost);
    sub.off('ready', this.#onReady);
    sub.unsubscribe(this.#channel).catch(() => {});
  }
}
