-- wrk script: every request logs in a new user through the login form (as hubtraf does), and counts the answers.
-- Environment: XSRF (a valid anonymous _xsrf token), PASSWORD, PREFIX (user-name prefix).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  found, other = 0, 0
end

function request()
  counter = counter + 1
  local name = os.getenv("PREFIX") .. "-" .. thread_id .. "-" .. counter
  local body = "username=" .. name .. "&password=" .. os.getenv("PASSWORD") .. "&_xsrf=" .. os.getenv("XSRF")
  return wrk.format("POST", "/hub/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "_xsrf=" .. os.getenv("XSRF"),
  }, body)
end

function response(status, headers, body)
  if status == 302 then found = found + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local f, o = 0, 0
  for _, t in ipairs(threads) do
    f = f + t:get("found")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT %.1f %d %d %.2f\n", summary.requests / (summary.duration / 1e6), f, o, latency:percentile(99) / 1000))
end
