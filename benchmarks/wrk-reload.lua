-- wrk script for reload-under-load.sh: drives a forward proxy with absolute-form requests
-- (GET http://host:port/path HTTP/1.1) cycling over a fixed list of URLs, and prints one
-- machine-readable summary line when the run ends.
--   SCHOOLGATE_URLS   space-separated absolute http:// URLs, e.g.
--                     "http://127.0.0.1:18181/1k http://localhost:18181/4k"
--   SCHOOLGATE_LABEL  a word naming this run in the summary line (default: run)
-- The requests are formatted once in init(); request() only returns the next prebuilt string.
local requests = {}
local count = 0
local next_index = 0

function init(args)
  local urls = os.getenv("SCHOOLGATE_URLS")
  if urls == nil or urls == "" then
    error("set SCHOOLGATE_URLS to space-separated absolute URLs")
  end
  for url in string.gmatch(urls, "%S+") do
    local host = string.match(url, "^http://([^/]+)")
    if host == nil then
      error("SCHOOLGATE_URLS: '" .. url .. "' (expected: an absolute http:// URL)")
    end
    count = count + 1
    requests[count] = wrk.format("GET", url, { ["Host"] = host })
  end
end

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

-- One line: requests, non-2xx/3xx answers, socket errors by kind, latency in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SUMMARY label=%s requests=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d "
      .. "p50_us=%d p99_us=%d p999_us=%d max_us=%d duration_us=%d\n",
    os.getenv("SCHOOLGATE_LABEL") or "run", summary.requests, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    summary.duration))
end
