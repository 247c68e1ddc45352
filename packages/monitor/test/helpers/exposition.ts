// A strict parser of the Prometheus text exposition format (0.0.4), used as the validity
// oracle: every line must be a HELP, a TYPE or a sample, label values properly escaped.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (\\S+)$`);
const ONE_LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

export function parseExposition(text: string): Parsed {
  const out: Parsed = { help: new Map(), type: new Map(), samples: [] };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m = /^# HELP (\S+) (.*)$/.exec(line);
    if (m) {
      out.help.set(
        m[1]!,
        m[2]!.replace(/\\(\\|n)/g, (_, c) => (c === 'n' ? '\n' : '\\')),
      );
      continue;
    }
    m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) {
      out.type.set(m[1]!, m[2]!);
      continue;
    }
    m = SAMPLE.exec(line);
    if (!m) throw new Error(`Invalid exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(ONE_LABEL)) {
      labels[l[1]!] = l[2]!.replace(/\\(\\|"|n)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    const raw = m[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN')
      throw new Error(`Invalid value in ${JSON.stringify(line)}`);
    out.samples.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Samples as sorted, comparable strings. */
export function sampleSet(p: Parsed): string[] {
  return p.samples
    .map(
      (s) =>
        `${s.name}{${Object.keys(s.labels)
          .sort()
          .map((k) => `${k}=${JSON.stringify(s.labels[k])}`)
          .join(',')}} ${s.value}`,
    )
    .sort();
}
