import { defineScript } from "./run-script.js";

/**
 * Check-all-then-increment-all, for a list of items in order, in one atomic script.
 *
 * KEYS: the counters' Redis keys. ARGV: item count, then per item its counter count `m`
 * followed by `m` triples (1-based KEYS index, limit, TTL seconds).
 * Returns one entry per item: `{1}` when it fit (every counter incremented), or `{0, used…}`
 * with each of its counters' current value when one limit would be exceeded (nothing
 * incremented). Items later in the list see the increments of earlier ones, so N concurrent
 * writers never push a counter past its limit.
 */
export const CONSUME_SCRIPT = defineScript(`
local n = tonumber(ARGV[1])
local pos = 2
local out = {}
for i = 1, n do
  local m = tonumber(ARGV[pos])
  pos = pos + 1
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
    out[i] = {1}
  else
    local r = {0}
    for j = 1, m do r[j + 1] = used[j] end
    out[i] = r
  end
  pos = pos + m * 3
end
return out
`);
