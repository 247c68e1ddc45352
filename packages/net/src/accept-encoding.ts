import type { ContentEncoding } from './types.js';

/**
 * Picks the content coding for a response from a request's `Accept-Encoding` header
 * (RFC 9110 §12.5.3): the highest q-value wins; ties go to the order of `available` (the
 * server's preference). Returns `'identity'` when nothing better is accepted, and `null` when
 * even identity is refused (`identity;q=0` or `*;q=0` without identity): answer 406 then.
 *
 * @param header - The request's `Accept-Encoding` value (missing means "anything").
 * @param available - Codings the server can produce, most preferred first.
 */
export function negotiateEncoding(
  header: string | string[] | undefined,
  available: readonly ContentEncoding[],
): ContentEncoding | null {
  if (header === undefined) return 'identity';
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') {
        const n = Number(v?.trim());
        weight = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 0;
      }
    }
    // A coding listed twice keeps its highest weight: lenient, never refuses by accident.
    q.set(name, Math.max(weight, q.get(name) ?? 0));
  }
  const star = q.get('*');
  let best: ContentEncoding | null = null;
  let bestQ = 0;
  for (const coding of available) {
    if (coding === 'identity') continue;
    const weight = q.get(coding) ?? star ?? 0;
    if (weight > bestQ) {
      best = coding;
      bestQ = weight;
    }
  }
  if (best !== null) return best;
  const identity = q.get('identity') ?? (star !== undefined ? star : 1);
  return identity > 0 ? 'identity' : null;
}
