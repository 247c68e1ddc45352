// Membership against a real etcd: join, watch, lease expiry of a hung node, rejoin at a new
// epoch, and an etcd outage during which the last view stays.
import { missingBinary } from '@perf/internal/testing';
import { ETCD_BINARY, type EtcdServer, startEtcd } from '@perf/internal/testing/etcd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdMembership, type View } from '../src/cluster/membership.js';
import { Placement } from '../src/cluster/placement.js';

const skip = missingBinary(ETCD_BINARY, 'apt-get install -y etcd-server');

const until = async (cond: () => boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const ids = (v: View) => v.members.map((m) => m.id).join(',');
const live = (v: View) =>
  v.members
    .filter((m) => m.alive)
    .map((m) => m.id)
    .join(',');

describe.skipIf(skip)('cluster membership (real etcd)', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 40_000);
  afterAll(async () => {
    await etcd?.dispose();
  });

  const join = (cluster: string, id: string, ttlSeconds = 2) =>
    EtcdMembership.join({
      endpoints: [etcd.url],
      cluster,
      id,
      advertise: `http://127.0.0.1:1/${id}`,
      ttlSeconds,
    });

  it('every node sees the same members, sorted by id, at the same epoch', async () => {
    const c = await join('same', 'c');
    const a = await join('same', 'a');
    const b = await join('same', 'b');
    try {
      await until(() => [a, b, c].every((m) => live(m.view) === 'a,b,c'), 'three members');
      await until(
        () => a.view.epoch === b.view.epoch && b.view.epoch === c.view.epoch,
        'one epoch',
      );
      const pa = new Placement(a.view);
      const pc = new Placement(c.view);
      for (let i = 0; i < 200; i++) expect(pa.ownerOf(`k${i}`)).toEqual(pc.ownerOf(`k${i}`));
    } finally {
      await Promise.all([a.leave(), b.leave(), c.leave()]);
    }
  });

  it('a node that leaves drops out at once, and a later joiner reads an epoch at least as new', async () => {
    const a = await join('leave', 'a');
    const b = await join('leave', 'b');
    await until(() => live(a.view) === 'a,b', 'two members');
    const before = a.view.epoch;
    await b.markLeaving();
    await until(() => a.view.members.find((m) => m.id === 'b')?.leaving === true, 'b leaving');
    expect(new Placement(a.view).ownerOf('x')?.id).toBe('a');
    await b.leave();
    await until(() => ids(a.view) === 'a', 'b gone');
    expect(a.view.epoch).toBeGreaterThan(before);
    // the departure is recorded where a range read sees it
    await until(() => a.view.epoch > 0, 'epoch');
    const c = await join('leave', 'c');
    try {
      await until(() => live(a.view) === 'a,c' && live(c.view) === 'a,c', 'c joined');
      await until(() => a.view.epoch === c.view.epoch, 'same epoch');
    } finally {
      await Promise.all([a.leave(), c.leave()]);
    }
  });

  it('a node that stops renewing (hung) turns unavailable within the lease TTL, keeps its keys placed, and comes back at a new epoch', async () => {
    const a = await join('hang', 'a');
    const b = await join('hang', 'b');
    try {
      await until(() => live(a.view) === 'a,b', 'two members');
      const epoch = a.view.epoch;
      const owners = new Placement(a.view);
      b.close(); // stops keep-alives without revoking: what a hung process looks like to etcd
      // lease TTL 2 s; the bound leaves room for etcd's lease-expiry sweep on a loaded machine
      await until(() => live(a.view) === 'a', 'b expired', 10_000);
      expect(ids(a.view)).toBe('a,b');
      const during = new Placement(a.view);
      for (let i = 0; i < 100; i++) {
        expect(during.ownerOf(`k${i}`)?.id).toBe(owners.ownerOf(`k${i}`)?.id);
      }
      const b2 = await join('hang', 'b');
      try {
        await until(() => live(a.view) === 'a,b', 'b back');
        expect(a.view.epoch).toBeGreaterThan(epoch);
      } finally {
        await b2.leave();
      }
    } finally {
      await a.leave();
    }
  });

  it('while etcd is down the last view stays; when it is back the view follows again', async () => {
    const a = await join('outage', 'a', 5);
    const b = await join('outage', 'b', 5);
    try {
      await until(() => live(a.view) === 'a,b', 'two members');
      const view = a.view;
      await etcd.stop();
      await until(() => !a.connected, 'disconnect seen', 15_000);
      expect(a.view).toEqual(view);
      await etcd.restart();
      await until(() => a.connected, 'reconnected', 20_000);
      await b.leave();
      await until(() => ids(a.view) === 'a', 'b left after the outage', 20_000);
    } finally {
      await a.leave();
      b.close();
    }
  }, 60_000);

  it('rejects bad ids, cluster names and TTLs with a TypeError/RangeError', async () => {
    await expect(join('ok', 'bad id')).rejects.toBeInstanceOf(TypeError);
    await expect(join('bad/cluster', 'a')).rejects.toBeInstanceOf(TypeError);
    await expect(join('ok', 'a', 1)).rejects.toBeInstanceOf(RangeError);
  });
});
