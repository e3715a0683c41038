-- wrk script for driving a forward proxy: every request is sent in absolute form
-- (GET http://host:port/path HTTP/1.1) to the address wrk connects to, i.e. the proxy.
--   SCHOOLGATE_TARGET       the absolute URL to request, e.g. http://127.0.0.1:18180/1k
--   SCHOOLGATE_TARGET_HOST  the Host header, e.g. 127.0.0.1:18180
-- The request is built once (no request() function), so the script costs wrk nothing per request.
local target = os.getenv("SCHOOLGATE_TARGET")
local host = os.getenv("SCHOOLGATE_TARGET_HOST")
if target == nil or host == nil then
  error("set SCHOOLGATE_TARGET and SCHOOLGATE_TARGET_HOST")
end
wrk.path = target
wrk.headers["Host"] = host
