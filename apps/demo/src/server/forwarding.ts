/**
 * Authenticated forwarding between the nodes of a `--peers` cluster. A node that forwards a
 * request to the key's owner signs it with the cluster secret:
 *
 *   x-perf-kv-forwarded: <unix ms>.<hex HMAC-SHA256(secret, "<ms>\n<METHOD>\n<path>\n<query>\n<sha256(body)>")>
 *
 * The owner serves a request as forwarded (from its own storage, never routed again) only when
 * the signature verifies and the timestamp is within ±FORWARD_WINDOW_MS of its clock; any
 * other value of the header is refused (403). A client cannot forge it without the secret.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const FORWARDED = 'x-perf-kv-forwarded';
/** How far a forwarded request's timestamp may be from the owner's clock (replay window). */
export const FORWARD_WINDOW_MS = 30_000;

function mac(
  secret: string,
  ms: string,
  method: string,
  path: string,
  query: string,
  body: Uint8Array,
): string {
  const digest = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret)
    .update(`${ms}\n${method}\n${path}\n${query}\n${digest}`)
    .digest('hex');
}

/** The header value for a request this node forwards. `path` is unencoded, `query` raw. */
export function signForward(
  secret: string,
  method: string,
  path: string,
  query: string,
  body: Uint8Array,
  now = Date.now(),
): string {
  const ms = String(now);
  return `${ms}.${mac(secret, ms, method, path, query, body)}`;
}

/** True when `value` is a valid, fresh signature of this request. */
export function verifyForward(
  secret: string,
  value: string,
  method: string,
  path: string,
  query: string,
  body: Uint8Array,
  now = Date.now(),
): boolean {
  if (secret === '') return false;
  const dot = value.indexOf('.');
  if (dot <= 0) return false;
  const ms = value.slice(0, dot);
  const t = Number(ms);
  if (!Number.isSafeInteger(t) || Math.abs(now - t) > FORWARD_WINDOW_MS) return false;
  const expected = Buffer.from(mac(secret, ms, method, path, query, body), 'hex');
  const got = Buffer.from(value.slice(dot + 1), 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
