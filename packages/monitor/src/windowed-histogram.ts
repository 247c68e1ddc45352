// Percentiles over a sliding time window: a ring of interval histograms.
//
//   slots:   [ h0 ][ h1 ][ h2 ][ h3 ][ h4 ][ h5 ]      windows = 6, intervalMs = 10 000
//                          ^ current (#head)
//   rotate(): #head = (#head + 1) % windows, and that slot — the oldest — is reset.
//   snapshot(): merge of all slots = the last windows·interval (here 60 s) of values.
//
// record() is a plain Histogram.record on the current slot: no clock read on the hot path
// (a clock read costs more than the record itself). Time moves in tick(), which catches up
// every whole interval elapsed since the last rotation; call it from a timer (autoRotate)
// or let snapshot() call it.

import { Histogram } from './histogram.js';
import { checkFunction, checkInteger, checkNumber, checkOptions } from './internal/validate.js';
import type { WindowedHistogramOptions } from './types.js';

export class WindowedHistogram {
  readonly #slots: Histogram[];
  readonly #intervalMs: number;
  readonly #now: () => number;
  #head = 0;
  /** Clock time at which the current slot started; the next rotation is due interval later. */
  #slotStart: number;
  #current: Histogram;

  constructor(options: WindowedHistogramOptions = {}) {
    checkOptions('options', options);
    const windows = checkInteger('windows', options.windows ?? 6, 1, 10_000);
    this.#intervalMs = checkNumber(
      'intervalMs',
      options.intervalMs ?? 10_000,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const now = options.now ?? performance.now.bind(performance);
    checkFunction('now', now);
    this.#now = now;
    const { windows: _w, intervalMs: _i, now: _n, ...histogram } = options;
    this.#slots = Array.from({ length: windows }, () => new Histogram(histogram));
    this.#current = this.#slots[0]!;
    this.#slotStart = now();
  }

  /** Records into the current interval; see {@link Histogram.record}. */
  record(value: number): void {
    this.#current.record(value);
  }

  /** Rotates once per whole interval elapsed since the current one began. Returns how many. */
  tick(): number {
    const elapsed = this.#now() - this.#slotStart;
    if (!(elapsed >= this.#intervalMs)) return 0;
    const due = Math.floor(elapsed / this.#intervalMs);
    // Past a full lap every slot is stale: clear them all at once instead of looping `due` times.
    const turns = Math.min(due, this.#slots.length);
    for (let i = 0; i < turns; i++) this.#advance();
    this.#slotStart += due * this.#intervalMs;
    return due;
  }

  /** The values of the whole window (after catching up with the clock), as one new Histogram. */
  snapshot(): Histogram {
    this.tick();
    const out = this.#slots[0]!.clone();
    for (let i = 1; i < this.#slots.length; i++) out.merge(this.#slots[i]!);
    return out;
  }

  /** The values of the current interval only (live, not a copy). */
  get current(): Histogram {
    return this.#current;
  }

  /** Length of the window in milliseconds (windows × intervalMs). */
  get windowMs(): number {
    return this.#slots.length * this.#intervalMs;
  }

  /**
   * Calls tick() every interval from an unref'd timer (it never keeps the process alive).
   * Returns the function that stops it.
   */
  autoRotate(): () => void {
    const timer = setInterval(() => this.tick(), this.#intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  #advance(): void {
    this.#head = (this.#head + 1) % this.#slots.length;
    this.#current = this.#slots[this.#head]!;
    this.#current.reset();
  }
}
