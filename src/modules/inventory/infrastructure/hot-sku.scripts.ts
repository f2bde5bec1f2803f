/**
 * Lua scripts of the hot-SKU gate. Each runs atomically in Redis, so a check and its decrement
 * can never interleave with another caller's. Time comes from Redis (TIME), not from the
 * callers, so admissions from many processes share one clock.
 *
 * Keys per SKU: `tokens:<sku>` (the units the gate may still admit; exists only while the SKU is
 * hot) and `adm:<sku>` (sorted set of admissions not yet settled, member `<qty>:<reference>`,
 * score = admission time in ms). Per reference: `ref:<reference>` (a reservation for it may
 * exist: a retry skips the gate so it can find it in PostgreSQL even when sold out).
 */

const NOW_MS = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: ref, then tokens_i, adm_i per line. ARGV: reference, refTtlMs, then qty_i per line.
 * Returns {-1} reference seen (skip the gate), {2} no hot line, {0, i, tokens} line i refused,
 * {1, i...} admitted: those hot lines were decremented and recorded as admissions.
 */
export const ADMIT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {-1} end
local n = (#KEYS - 1) / 2
local hot = {}
for i = 1, n do
  local t = redis.call('GET', KEYS[2 * i])
  if t then
    local q = tonumber(ARGV[2 + i])
    if tonumber(t) < q then return {0, i, tonumber(t)} end
    hot[#hot + 1] = i
  end
end
if #hot == 0 then return {2} end
${NOW_MS}
for _, i in ipairs(hot) do
  local q = tonumber(ARGV[2 + i])
  redis.call('DECRBY', KEYS[2 * i], q)
  redis.call('ZADD', KEYS[2 * i + 1], now, q .. ':' .. ARGV[1])
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
local out = {1}
for _, i in ipairs(hot) do out[#out + 1] = i end
return out`;

/**
 * After the database step. KEYS: ref, then tokens_i, adm_i per admitted line.
 * ARGV: reference, outcome ('reserved' | 'existing' | 'refused'), then qty_i.
 * The admission record goes in every case; the tokens go back unless the database reserved them.
 */
export const SETTLE_SCRIPT = `
local n = (#KEYS - 1) / 2
for i = 1, n do
  local q = tonumber(ARGV[2 + i])
  redis.call('ZREM', KEYS[2 * i + 1], q .. ':' .. ARGV[1])
  if ARGV[2] ~= 'reserved' and redis.call('EXISTS', KEYS[2 * i]) == 1 then
    redis.call('INCRBY', KEYS[2 * i], q)
  end
end
if ARGV[2] == 'refused' then redis.call('DEL', KEYS[1]) end
return 1`;

/** Stock given back (release, expiry). KEYS: tokens_i; ARGV: qty_i. Only SKUs still hot. */
export const GIVE_BACK_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('INCRBY', KEYS[i], tonumber(ARGV[i])) end
end
return 1`;

/**
 * Sets one SKU's tokens from PostgreSQL. KEYS: tokens, adm. ARGV: available, graceMs, then the
 * references whose reservation the database already holds. Admissions older than the grace
 * period are dropped (their process died between admission and database step); the others,
 * unless already in the database, are in flight: tokens = available - in flight.
 * Returns {tokens, inFlight}.
 */
export const RECONCILE_SCRIPT = `
${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[2])))
local done = {}
for i = 3, #ARGV do done[ARGV[i]] = true end
local inflight = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local sep = string.find(m, ':', 1, true)
  local q = tonumber(string.sub(m, 1, sep - 1))
  if done[string.sub(m, sep + 1)] then redis.call('ZREM', KEYS[2], m) else inflight = inflight + q end
end
local tokens = tonumber(ARGV[1]) - inflight
if tokens < 0 then tokens = 0 end
redis.call('SET', KEYS[1], tokens)
return {tokens, inflight}`;
