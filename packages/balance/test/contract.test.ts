import { describe, expect, it } from 'vitest';
import { BalanceError, NoAvailableNodeError } from '../src/index.js';
import { codeOf, fakeClock, pickId, strategies, tally } from './support/strategies.js';

const five = ['a', 'b', 'c', 'd', 'e'];

describe.each(strategies)('$name honours the balancer contract', (strategy) => {
  const { create } = strategy;

  it('throws PERF_BALANCE_EMPTY with no nodes, and recovers when one is added', () => {
    const b = create();
    expect(codeOf(() => b.pick('k'))).toBe('PERF_BALANCE_EMPTY');
    b.add('only');
    expect(pickId(b, 0)).toBe('only');
    b.remove('only');
    expect(codeOf(() => b.pick('k'))).toBe('PERF_BALANCE_EMPTY');
  });

  it('always picks the single node', () => {
    const b = create(['solo']);
    expect([...tally(b, 200).keys()]).toEqual(['solo']);
  });

  it('reaches every node', () => {
    const counts = tally(create(five), 2000);
    expect([...counts.keys()].sort()).toEqual(five);
  });

  it('rejects duplicate ids in the constructor and in add', () => {
    expect(codeOf(() => create(['a', 'b', 'a']))).toBe('PERF_BALANCE_DUPLICATE_NODE');
    const b = create(['a']);
    expect(codeOf(() => b.add({ id: 'a', weight: 2 }))).toBe('PERF_BALANCE_DUPLICATE_NODE');
    expect(b.size).toBe(1);
  });

  it('sends nothing to a node of weight 0, and PERF_BALANCE_UNAVAILABLE when all are 0', () => {
    const b = create([{ id: 'a', weight: 0 }, 'b', 'c']);
    expect(tally(b, 1000).has('a')).toBe(false);
    b.setWeight('b', 0);
    b.setWeight('c', 0);
    const err = (() => {
      try {
        b.pick('k');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(NoAvailableNodeError);
    expect(BalanceError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'PERF_BALANCE_UNAVAILABLE', total: 3, drained: 3 });
    b.setWeight('a', 1);
    expect(pickId(b, 1)).toBe('a');
  });

  it('stops picking a removed node and starts picking an added one, mid-stream', () => {
    const b = create(five);
    const held = [];
    for (let i = 0; i < 50; i++) {
      const r = b.pick(`key-${i}`);
      if (typeof r !== 'string') held.push(r);
    }
    expect(b.remove('c')).toBe(true);
    expect(b.remove('c')).toBe(false);
    expect(b.has('c')).toBe(false);
    expect(tally(b, 1000).has('c')).toBe(false);
    b.add('f');
    expect(tally(b, 2000).has('f')).toBe(true);
    for (const h of held) expect(h.release()).toBe(true);
    expect(b.size).toBe(5);
  });

  it('skips nodes marked down and returns them on markUp', () => {
    const b = create(five);
    expect(b.markDown('a')).toBe(true);
    expect(b.markDown('zz')).toBe(false);
    expect(tally(b, 1000).has('a')).toBe(false);
    expect(b.nodes().find((n) => n.id === 'a')?.state).toBe('down');
    for (const id of five) b.markDown(id);
    expect(() => b.pick('k')).toThrow(
      expect.objectContaining({ code: 'PERF_BALANCE_UNAVAILABLE', down: 5 }),
    );
    b.markUp('a');
    expect([...tally(b, 100).keys()]).toEqual(['a']);
    for (const id of five) b.markUp(id);
    expect(tally(b, 2000).size).toBe(5);
  });

  it('ejects a node after consecutive failures until its back-off expires', () => {
    const clock = fakeClock();
    const b = create(five, {
      now: clock.now,
      health: { consecutiveFailures: 3, baseEjectionTime: 1000, maxEjectionPercent: 50 },
    });
    b.report('b', false);
    b.report('b', false);
    b.report('b', true); // a success resets the run
    b.report('b', false);
    b.report('b', false);
    expect(b.nodes().find((n) => n.id === 'b')?.state).toBe('up');
    b.report('b', false);
    expect(b.nodes().find((n) => n.id === 'b')).toMatchObject({
      state: 'ejected',
      ejectedUntil: 2000,
    });
    expect(tally(b, 1000).has('b')).toBe(false);
    clock.advance(999);
    expect(tally(b, 1000).has('b')).toBe(false);
    clock.advance(1);
    expect(tally(b, 2000).has('b')).toBe(true);
  });

  it('rejects bad nodes and options with TypeError/RangeError', () => {
    expect(() => create([''])).toThrow(TypeError);
    expect(() => create([42 as never])).toThrow(TypeError);
    expect(() => create([{ id: 'a', weight: -1 }])).toThrow(RangeError);
    expect(() => create([{ id: 'a', weight: Number.NaN }])).toThrow(TypeError);
    expect(() => create(7 as never)).toThrow(TypeError);
    expect(() => create(['a'], { now: 5 as never })).toThrow(TypeError);
    expect(() => create(['a'], { health: { consecutiveFailures: 0 } })).toThrow(RangeError);
    const b = create(['a']);
    expect(() => b.setWeight('a', -2)).toThrow(RangeError);
    expect(b.setWeight('nope', 2)).toBe(false);
  });

  it.runIf(strategy.keyed)('rejects keys that are not strings or bytes', () => {
    const b = create(five);
    for (const bad of [undefined, 42, null, {}, ['a']]) {
      expect(() => b.pick(bad as never)).toThrow(TypeError);
    }
    expect(typeof pickId(b, 1)).toBe('string');
  });

  it.runIf(strategy.keyed && !strategy.stateful)('maps a key to the same node every time', () => {
    const b = create(five);
    for (let i = 0; i < 200; i++) {
      const k = `user:${i}`;
      expect(b.pick(k)).toBe(b.pick(k));
      expect(b.pick(k)).toBe(b.pick(new TextEncoder().encode(k)));
    }
  });

  it.runIf(strategy.stateful)('releases a handle exactly once, after success or failure', () => {
    const b = create(five) as ReturnType<typeof create> & { inFlight(id: string): number };
    const h = b.pick('k');
    if (typeof h === 'string') throw new Error('expected a handle');
    expect(b.inFlight(h.node)).toBe(1);
    expect(h.release({ ok: false })).toBe(true);
    expect(h.release()).toBe(false);
    expect(b.inFlight(h.node)).toBe(0);
  });
});
