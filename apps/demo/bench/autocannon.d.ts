// The part of autocannon's API the comparison uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      body?: string;
      headers?: Record<string, string>;
    }
    interface Result {
      requests: { average: number };
      latency: { p50: number; p99: number };
    }
  }
  function autocannon(opts: {
    url: string;
    connections?: number;
    duration?: number;
    requests?: autocannon.Request[];
  }): Promise<autocannon.Result>;
  export default autocannon;
}
