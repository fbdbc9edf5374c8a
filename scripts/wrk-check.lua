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

