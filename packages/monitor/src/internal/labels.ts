// Label bookkeeping shared by every metric family: validation, Prometheus escaping, and the
// series lookup tree.
//
// A family with label names [route, method] keeps its series in nested Maps,
//
//   root ── "/kv" ── "GET"  → series
//        │        └─ "PUT"  → series
//        └─ "/metrics" ── "GET" → series
//
// so finding an existing series allocates nothing (no joined key string per call).

import { describe } from './validate.js';
import type { Labels } from '../types.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function checkMetricName(name: unknown): string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new TypeError(
      `Expected \`name\` to be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${describe(name)}`,
    );
  }
  return name;
}

export function checkLabelNames(names: unknown, reserved: readonly string[]): readonly string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names)) {
    throw new TypeError(
      `Expected \`labelNames\` to be an array of strings, got ${describe(names)}`,
    );
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (
      typeof n !== 'string' ||
      !LABEL_NAME.test(n) ||
      n.startsWith('__') ||
      reserved.includes(n)
    ) {
      throw new TypeError(
        `Expected every label name to match [a-zA-Z_][a-zA-Z0-9_]*, not start with "__" and not be ${reserved.map((r) => `"${r}"`).join(', ') || 'reserved'}, got ${describe(n)}`,
      );
    }
    if (seen.has(n)) throw new TypeError(`Expected label names to be unique, got "${n}" twice`);
    seen.add(n);
  }
  return Object.freeze([...names]);
}

/** Escapes a label value for the text exposition format: backslash, quote, newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** Escapes `# HELP` text: backslash and newline. */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

/** Escapes OpenMetrics `# HELP` text: backslash, newline and double quote. */
export function escapeHelpOpenMetrics(text: string): string {
  return text.replace(/[\\\n"]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** OpenMetrics caps an exemplar's label set at 128 UTF-8 characters (names and values). */
const EXEMPLAR_MAX_CHARS = 128;

/**
 * Renders an exemplar's label set, `trace_id="abc"`, checking names and the 128-character cap
 * (TypeError for a bad name or value type, RangeError past the cap).
 */
export function renderExemplarLabels(labels: Labels): string {
  if (typeof labels !== 'object' || labels === null) {
    throw new TypeError(`Expected \`exemplar\` to be an object of labels, got ${describe(labels)}`);
  }
  let chars = 0;
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name)) {
      throw new TypeError(
        `Expected exemplar label names to match [a-zA-Z_][a-zA-Z0-9_]*, got ${describe(name)}`,
      );
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new TypeError(
        `Expected exemplar label "${name}" to be a string or number, got ${describe(raw)}`,
      );
    }
    const value = String(raw);
    chars += [...name].length + [...value].length;
    parts.push(`${name}="${escapeLabelValue(value)}"`);
  }
  if (chars > EXEMPLAR_MAX_CHARS) {
    throw new RangeError(
      `Expected an exemplar's labels to total at most ${EXEMPLAR_MAX_CHARS} characters, got ${chars}`,
    );
  }
  return parts.join(',');
}

/** Seconds since the epoch with millisecond precision, as OpenMetrics timestamps are written. */
export function epochSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Formats a sample value as Prometheus does: +Inf, -Inf, NaN, else the shortest decimal. */
export function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** A series' identity: its label values in family order and the pre-rendered `{…}` body. */
export interface SeriesKey {
  readonly labels: Labels;
  /** `route="/kv",method="GET"` (no braces), or '' without labels. */
  readonly rendered: string;
}

/** Series of one family, looked up by label values without allocating on a hit. */
export class SeriesTree<S> {
  readonly #names: readonly string[];
  readonly #create: (key: SeriesKey) => S;
  readonly #root = new Map<string, unknown>();
  readonly #all: S[] = [];
  #only: S | undefined;

  constructor(names: readonly string[], create: (key: SeriesKey) => S) {
    this.#names = names;
    this.#create = create;
  }

  /** The series without labels (families declared without label names). */
  unlabelled(metric: string): S {
    if (this.#names.length > 0) {
      throw new TypeError(
        `Expected labels {${this.#names.join(', ')}} for metric "${metric}", got none`,
      );
    }
    if (this.#only === undefined) {
      this.#only = this.#create({ labels: Object.freeze({}), rendered: '' });
      this.#all.push(this.#only);
    }
    return this.#only;
  }

  get(metric: string, labels: Labels): S {
    const names = this.#names;
    if (names.length === 0) {
      if (typeof labels !== 'object' || labels === null || Object.keys(labels).length > 0) {
        throw new TypeError(`Expected no labels for metric "${metric}", got ${describe(labels)}`);
      }
      return this.unlabelled(metric);
    }
    if (typeof labels !== 'object' || labels === null) {
      throw new TypeError(
        `Expected labels {${names.join(', ')}} for metric "${metric}", got ${describe(labels)}`,
      );
    }
    let node: Map<string, unknown> = this.#root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const v = labelValue(metric, names[i]!, labels[names[i]!]);
      let next = node.get(v) as Map<string, unknown> | undefined;
      if (next === undefined) node.set(v, (next = new Map()));
      node = next;
    }
    const v = labelValue(metric, names[last]!, labels[names[last]!]);
    const found = node.get(v) as S | undefined;
    if (found !== undefined) return found;
    // A new series: now also reject extra label names (checked once per series, not per call).
    if (Object.keys(labels).length !== names.length) {
      throw new TypeError(
        `Expected exactly the labels {${names.join(', ')}} for metric "${metric}", got {${Object.keys(labels).join(', ')}}`,
      );
    }
    const values: Record<string, string> = {};
    const parts: string[] = [];
    for (const n of names) {
      const value = String(labels[n]);
      values[n] = value;
      parts.push(`${n}="${escapeLabelValue(value)}"`);
    }
    const series = this.#create({ labels: Object.freeze(values), rendered: parts.join(',') });
    node.set(v, series);
    this.#all.push(series);
    return series;
  }

  /** Every series, in creation order. */
  all(): readonly S[] {
    return this.#all;
  }
}

function labelValue(metric: string, name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new TypeError(
    `Expected label "${name}" of metric "${metric}" to be a string or number, got ${describe(v)}`,
  );
}
