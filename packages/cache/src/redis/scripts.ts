/**
 * The Lua scripts of the Redis tier. Each runs atomically in Redis, so a write's version and
 * its value land together, and a miss reads the entry and takes the lock in one round trip.
 * Reads of present keys are plain GET/MGET.
 */
import { createHash } from 'node:crypto';
import type { RedisArgument, RedisClient } from './client.js';

export interface Script {
  readonly lua: string;
  readonly sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * KEYS[1] = version counter, KEYS[2..] = entries. ARGV[1..3] = channel, head, tail of the bus
 * message announcing the write (channel '' = none): `head .. version .. tail` is PUBLISHed in
 * the same step, so the write and its invalidation cost one round trip. Then (px, body) per
 * entry, px '0' = no expiry. One INCR versions the whole batch.
 */
export const WRITE = script(`local v = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local px = ARGV[2 * i]
  local body = 'pc1:' .. v .. ':' .. ARGV[2 * i + 1]
  if px == '0' then redis.call('SET', KEYS[i], body)
  else redis.call('SET', KEYS[i], body, 'PX', px) end
end
if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2] .. v .. ARGV[3]) end
return v`);

/** KEYS[1] = version counter, KEYS[2..] = entries to delete; ARGV as WRITE's first three. */
export const DELETE = script(`local v = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do redis.call('UNLINK', KEYS[i]) end
if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2] .. v .. ARGV[3]) end
return v`);

/**
 * KEYS[1] = lock, KEYS[2] = entry; ARGV = token, px. Returns {state, value}: state 2 = the
 * entry is fresh (no lock taken), 1 = lock taken, 0 = another holder has it. Fresh means its
 * logical expiry (the header's staleAt) is 0 or later than Redis's clock (TIME).
 */
export const LOCK = script(`local v = redis.call('GET', KEYS[2])
if v then
  local s = tonumber(string.match(v, '^pc1:%d+:(%d+):'))
  if s then
    local t = redis.call('TIME')
    if s == 0 or s > t[1] * 1000 + math.floor(t[2] / 1000) then return {2, v} end
  end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, v} end
return {0, v}`);

/**
 * KEYS = entries found by one SCAN step; ARGV[1] = the version of the invalidateAll. Deletes
 * the entries written before it (and anything that is not an entry of ours), so a write that
 * lands while the scan runs survives it.
 */
export const CLEAR = script(`local n = 0
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  local ver = v and tonumber(string.match(v, '^pc1:(%d+):'))
  if v and (not ver or ver < tonumber(ARGV[1])) then
    redis.call('UNLINK', KEYS[i])
    n = n + 1
  end
end
return n`);

/** Compare-and-delete: releases the lock only for the token that holds it. */
export const UNLOCK =
  script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/**
 * EVALSHA, falling back to EVAL (which also caches the script) when Redis does not know the
 * script: on first use, and after a restart flushed the script cache.
 */
export async function run(
  client: RedisClient,
  s: Script,
  keys: readonly string[],
  args: readonly RedisArgument[],
  buffers = false,
): Promise<unknown> {
  const send = buffers ? client.callBuffer.bind(client) : client.call.bind(client);
  try {
    return await send('EVALSHA', s.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
    return send('EVAL', s.lua, keys.length, ...keys, ...args);
  }
}
