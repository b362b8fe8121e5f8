import { defineScript } from "./run-script.js";

/**
 * Check-all-then-increment-all, for a list of items in order, in one atomic script, each item
 * counted at most once per event.
 *
 * KEYS: the counters' Redis keys and the items' "counted" markers. ARGV: whether a missing
 * counter must be rebuilt first (1) or starts at 0 (0), item count, then per item its marker's
 * 1-based KEYS index (0: none) and marker TTL seconds, its counter count `m`, and `m` triples
 * (1-based KEYS index, limit, TTL seconds).
 * Returns `{{-1, index…}}` — nothing counted — when rebuilding is asked for and the counters at
 * those KEYS indexes do not exist (lost with Redis, or a new window); otherwise one entry per item: `{1}` when it fit (every counter incremented) or was already
 * counted for its event (a retried batch: nothing incremented again), or `{0, used…}` with each of
 * its counters' current value when one limit would be exceeded (nothing incremented). Items
 * later in the list see the increments of earlier ones, so N concurrent writers never push a
 * counter past its limit.
 */
export const CONSUME_SCRIPT = defineScript(`
local n = tonumber(ARGV[2])
if ARGV[1] == '1' then
  local missing = {-1}
  local pos = 3
  for i = 1, n do
    local m = tonumber(ARGV[pos + 2])
    for j = 0, m - 1 do
      local k = tonumber(ARGV[pos + 3 + j * 3])
      if redis.call('EXISTS', KEYS[k]) == 0 then missing[#missing + 1] = k end
    end
    pos = pos + 3 + m * 3
  end
  if #missing > 1 then return {missing} end
end
local pos = 3
local out = {}
for i = 1, n do
  local marker = tonumber(ARGV[pos])
  local markerTtl = tonumber(ARGV[pos + 1])
  local m = tonumber(ARGV[pos + 2])
  pos = pos + 3
  if marker > 0 and redis.call('EXISTS', KEYS[marker]) == 1 then
    out[i] = {1}
  else
    local used = {}
    local fits = true
    for j = 0, m - 1 do
      local v = tonumber(redis.call('GET', KEYS[tonumber(ARGV[pos + j * 3])]) or '0')
      used[j + 1] = v
      if v + 1 > tonumber(ARGV[pos + j * 3 + 1]) then fits = false end
    end
    if fits then
      for j = 0, m - 1 do
        local key = KEYS[tonumber(ARGV[pos + j * 3])]
        if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, tonumber(ARGV[pos + j * 3 + 2])) end
      end
      if marker > 0 then redis.call('SET', KEYS[marker], '1', 'EX', markerTtl) end
      out[i] = {1}
    else
      local r = {0}
      for j = 1, m do r[j + 1] = used[j] end
      out[i] = r
    end
  end
  pos = pos + m * 3
end
return out
`);
