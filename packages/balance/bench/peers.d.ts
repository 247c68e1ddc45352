// The peer libraries ship no types; these are the parts the benchmarks call.
declare module 'hashring' {
  export default class HashRing {
    constructor(servers: string[] | Record<string, unknown>, algorithm?: string, options?: object);
    get(key: string): string;
    remove(server: string): this;
    add(servers: string | string[]): this;
  }
}

declare module 'consistent-hash' {
  export default class ConsistentHash {
    constructor(options?: { range?: number; weight?: number; distribution?: 'random' | 'uniform' });
    add(node: string, weight?: number): this;
    remove(node: string): this;
    get(key: string): string;
  }
}
