-- wrk reporter for bench/gateway-proxy.sh: one JSON line with throughput, latency percentiles (µs) and errors.
-- The request carries COOKIE (from the environment) for every target alike, as a browser would.
local cookie = os.getenv("COOKIE")
if cookie and #cookie > 0 then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"errors":%d,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, errors, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
