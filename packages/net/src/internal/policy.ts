// When compressing pays: a size threshold, then an adaptive trial on a sample, then a ratio
// check on the real output. One instance per Compressor; the frame codec, the HTTP encoder and
// the stream transforms all ask it, so its counters describe every path.

import type { CompressorStats } from '../types.js';
import { trialRatio } from './codecs.js';

/** The largest trial sample, and how much a compress stream buffers before deciding (×2). */
export const MAX_SAMPLE_BYTES = 16 * 1024;
/** The trial sample is this many slices spread over the input, so a compressible body behind
 * an incompressible prefix (an embedded image, a random id) is still seen. */
export const SAMPLE_SLICES = 4;
/**
 * The trial runs Brotli q0, weaker than the real codec; a sample ratio only this much above
 * `minRatio` still skips. Measured on JSON, logs and random bytes: a q0 sample ratio of 0.95
 * never turned into a gzip-6 ratio below 0.9.
 */
const TRIAL_SLACK = 0.05;

export interface PolicySettings {
  threshold: number;
  minRatio: number;
  sampleBytes: number;
  adaptive: boolean;
}

export class CompressionPolicy {
  readonly #threshold: number;
  readonly #minRatio: number;
  readonly #trialCutoff: number;
  readonly #sampleBytes: number;
  /** Decides, before paying for full compression, whether to skip it; wired once. */
  readonly #skip: (input: Uint8Array) => boolean;
  readonly #stats: CompressorStats = {
    compressed: 0,
    belowThreshold: 0,
    skippedByTrial: 0,
    discarded: 0,
    bytesIn: 0,
    bytesOut: 0,
  };

  constructor(settings: PolicySettings) {
    this.#threshold = settings.threshold;
    this.#minRatio = settings.minRatio;
    this.#sampleBytes = settings.sampleBytes;
    this.#trialCutoff = settings.minRatio + TRIAL_SLACK;
    this.#skip = settings.adaptive ? (input) => this.#trialSays(input) : () => false;
  }

  stats(): CompressorStats {
    return { ...this.#stats };
  }

  /** Whether full compression of this input is worth trying (counts the skips). */
  worthIt(input: Uint8Array): boolean {
    if (input.length < this.#threshold || input.length === 0) {
      this.#stats.belowThreshold++;
      return false;
    }
    if (this.#skip(input)) {
      this.#stats.skippedByTrial++;
      return false;
    }
    return true;
  }

  /** `compressed` when it reached `minRatio` (counted as compressed), else null (discarded). */
  keep(input: Uint8Array, compressed: Buffer): Buffer | null {
    if (compressed.length < input.length * this.#minRatio) {
      this.#stats.compressed++;
      this.#stats.bytesIn += input.length;
      this.#stats.bytesOut += compressed.length;
      return compressed;
    }
    this.#stats.discarded++;
    return null;
  }

  /** Brotli q0 over a sample spread across the input; only for inputs above the sample size. */
  #trialSays(input: Uint8Array): boolean {
    const n = this.#sampleBytes;
    if (input.length <= n * 2) return false;
    const slice = n / SAMPLE_SLICES;
    const stride = Math.floor((input.length - slice) / (SAMPLE_SLICES - 1));
    const sample = Buffer.allocUnsafe(slice * SAMPLE_SLICES);
    for (let i = 0; i < SAMPLE_SLICES; i++) {
      sample.set(input.subarray(i * stride, i * stride + slice), i * slice);
    }
    return trialRatio(sample) >= this.#trialCutoff;
  }
}
