-- wrk script for run.sh: POSTs the JSON body in $LOAD_BODY_FILE, with "Authorization: Bearer $LOAD_TOKEN"
-- when LOAD_TOKEN is set (or a token from $LOAD_TOKENS_FILE per request), and prints one machine-readable
-- line at the end:
--   RESULT requests=N duration_us=N non2xx=N socket_errors=N p50_us=N p90_us=N p99_us=N max_us=N
local file = assert(io.open(assert(os.getenv("LOAD_BODY_FILE"), "LOAD_BODY_FILE is not set"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("LOAD_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- With LOAD_TOKENS_FILE (one token per line, run.sh --tokens N), each request takes the next token in
-- turn: N clients instead of one, so token caches and per-client limits see N keys.
local tokens_file = os.getenv("LOAD_TOKENS_FILE")
if token ~= nil and token ~= "" and tokens_file ~= nil and tokens_file ~= "" then
  local tokens = {}
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
  local next_token = 0
  request = function()
    next_token = next_token % #tokens + 1
    wrk.headers["Authorization"] = "Bearer " .. tokens[next_token]
    return wrk.format()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
