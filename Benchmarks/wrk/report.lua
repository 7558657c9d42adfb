-- Prints one JSON line with what bench.py reads: counts, errors and latency percentiles (µs).
-- Optional request shaping from the environment, so one script serves every scenario:
--   BENCH_METHOD, BENCH_BODY, BENCH_HEADERS ("Name: value" lines separated by "\n"), and
--   BENCH_VARY_CLIENT=1, which gives each request its own X-Forwarded-For address (many residents
--   behind the county's reverse proxy, so per-client rate limits apply as they would in real use).

local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local vary_client = os.getenv("BENCH_VARY_CLIENT") == "1"
local headers = {}
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end
local counter = 0

if vary_client then
  -- A request built per call costs the client CPU, so only this scenario pays for it.
  request = function()
    counter = counter + 1
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
      math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256)
    return wrk.format(method, nil, headers, body)
  end
else
  wrk.method = method
  wrk.body = body
  for name, value in pairs(headers) do wrk.headers[name] = value end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
