// The few better-sqlite3 calls the benchmark makes (the package ships no types, and
// @types/better-sqlite3 is not worth a dependency for one adapter).
declare module 'better-sqlite3' {
  interface Statement {
    run(...params: unknown[]): unknown;
    get(...params: unknown[]): unknown;
    iterate(...params: unknown[]): Iterable<unknown>;
    pluck(): Statement;
    raw(): Statement;
  }
  class Database {
    constructor(path: string);
    pragma(source: string, options?: { simple?: boolean }): unknown;
    exec(source: string): void;
    prepare(source: string): Statement;
    transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  export default Database;
}
