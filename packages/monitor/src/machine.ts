// The machine record every benchmark report carries: a figure means little without the Node
// version, the CPU, how many cores it had and how loaded it was, and when it was taken.

import { cpus, loadavg } from 'node:os';
import type { BenchReport } from './types.js';

/** Where and when a run happened (the `environment` of a {@link BenchReport}). */
export type Machine = BenchReport['environment'];

/** The machine record of this process, now. */
export function machine(clock?: 'wall' | 'cpu' | 'custom'): Machine {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: list.length,
    cpuModel: (list[0]?.model ?? 'unknown CPU').trim(),
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
    ...(clock === undefined ? {} : { clock }),
  };
}

/**
 * One line for under a table or in a chart's footer:
 * `Node v20.20.0 · AMD EPYC 7B13 · 2 cores · load 1.52 1.31 1.20 · 2026-12-04T03:10:00.000Z`.
 */
export function formatMachine(m: Machine): string {
  const parts = [`Node ${m.node}`];
  if (m.cpuModel !== undefined) parts.push(m.cpuModel);
  parts.push(`${m.cpus} cores`);
  if (m.loadavg !== undefined) parts.push(`load ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}`);
  if (m.clock !== undefined) parts.push(`${m.clock} clock`);
  parts.push(m.date);
  return parts.join(' · ');
}
