/**
 * The part of an ioredis client (5.x and 6.x) that @perf/cache/redis uses, typed structurally
 * so that ioredis stays an optional peer: pass your own `new Redis(...)`.
 * @module
 */

/** An argument of a Redis command. */
export type RedisArgument = string | Buffer | number;

/** A Redis connection (ioredis `Redis`). */
export interface RedisClient {
  /** ioredis' connection state; `'ready'` when commands can be sent. */
  readonly status?: string;
  call(command: string, ...args: RedisArgument[]): Promise<unknown>;
  callBuffer(command: string, ...args: RedisArgument[]): Promise<unknown>;
}

/** A connection used for Pub/Sub (ioredis `Redis`, in subscriber mode once subscribed). */
export interface RedisSubscriber {
  readonly status?: string;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: the listener type of EventEmitter, as ioredis declares it
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  off(event: string, listener: (...args: any[]) => void): unknown;
  /** Used by `RedisBus`'s `heartbeat`. */
  ping?(): Promise<unknown>;
  /** `disconnect(true)` drops the connection and reconnects (ioredis). */
  disconnect?(reconnect?: boolean): void;
}
