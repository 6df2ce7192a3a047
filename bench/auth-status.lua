-- wrk script: counts 2xx and other answers; prints requests/s, counts and p99 latency (ms).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local k, o = 0, 0
  for _, t in ipairs(threads) do
    k = k + t:get("ok")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT %.1f %d %d %.2f\n", summary.requests / (summary.duration / 1e6), k, o, latency:percentile(99) / 1000))
end
