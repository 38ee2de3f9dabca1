-- Shared by every scenario: count answers by status in each thread, and at the end print one
-- line "BENCH_JSON {...}" with latency percentiles (microseconds), totals and status counts.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

statuses = {}
cache_hits = 0
cache_misses = 0

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local cache = headers["X-Cache"]
  if cache == "hit" then
    cache_hits = cache_hits + 1
  elseif cache == "miss" then
    cache_misses = cache_misses + 1
  end
end

local function json_object(map)
  local parts = {}
  for key, value in pairs(map) do
    table.insert(parts, string.format('"%s":%s', key, tostring(value)))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local counts = {}
  local hits, misses = 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + (thread:get("cache_hits") or 0)
    misses = misses + (thread:get("cache_misses") or 0)
    for code, n in pairs(thread:get("statuses") or {}) do
      counts[tostring(code)] = (counts[tostring(code)] or 0) + n
    end
  end
  local errors = summary.errors
  local out = {
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    p50_us = latency:percentile(50),
    p90_us = latency:percentile(90),
    p99_us = latency:percentile(99),
    max_us = latency.max,
    mean_us = string.format("%.1f", latency.mean),
    connect_errors = errors.connect,
    read_errors = errors.read,
    write_errors = errors.write,
    timeouts = errors.timeout,
    statuses = json_object(counts),
    cache_hits = hits,
    cache_misses = misses,
  }
  io.write("BENCH_JSON " .. json_object(out) .. "\n")
end
