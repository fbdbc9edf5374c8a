-- wrk script for POST /api/posts/check: cycles through the check bodies in the file named by WRK_BODIES (one JSON
-- document per line, as `PostGate.Load bodies` writes them), each request made up once in init. WRK_PATH is the
-- path and query (default /api/posts/check?mode=preview); WRK_API_KEY, when set, is sent as X-Api-Key.
-- Only preview runs fit this client: a logged check of a body sent again is an idempotent replay, not a new decision.
local requests = {}
local next_request = 0

function init(args)
  local path = os.getenv("WRK_PATH") or "/api/posts/check?mode=preview"
  local headers = { ["Content-Type"] = "application/json" }
  local key = os.getenv("WRK_API_KEY")
  if key and key ~= "" then
    headers["X-Api-Key"] = key
  end

  local file = assert(io.open(assert(os.getenv("WRK_BODIES"), "WRK_BODIES is not set"), "r"))
  for line in file:lines() do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("POST", path, headers, line)
    end
  end
  file:close()
  assert(#requests > 0, "no bodies in " .. os.getenv("WRK_BODIES"))
  -- NOTE: each thread starts at its own place in the list, so threads do not send the same bodies in step.
  next_request = math.random(#requests) - 1
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end


-- At the end, one line of JSON in the shape of PostGate.Load's results (scripts/load.sh reads it). wrk counts an
-- answer other than 2xx or 3xx as a status error; timeouts and socket errors are errors too.
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"mode":"%s","client":"wrk","connections":%d,"seconds":%.3f,"requests":%d,"errors":%d,' ..
    '"errorsByStatus":{"non-2xx/3xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d},"flagged":0,' ..
    '"perSecond":%.1f,"meanMs":%.3f,"p50Ms":%.3f,"p90Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f,"completedBySecond":[]}\n',
    os.getenv("WRK_MODE") or "preview", tonumber(os.getenv("WRK_CONNECTIONS") or "0"), seconds, summary.requests, errors,
    e.status, e.connect, e.read, e.write, e.timeout,
    summary.requests / seconds, latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
