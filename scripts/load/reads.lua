-- wrk script of scripts/load.sh: requests the paths of a file (one per line) in turn,
-- counts the answers by status class in every thread, and prints one summary line
-- that the script reads:
--   wrk -s scripts/load/reads.lua URL -- PATHS_FILE
-- RESULT requests=… rps=… p50_ms=… p99_ms=… s2xx=… s3xx=… s4xx=… s5xx=… errors=…
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

local paths = {}
local i = 0
s2, s3, s4, s5 = 0, 0, 0, 0
first5 = ""

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- Each thread starts at another place in the list.
  i = math.random(#paths) - 1
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status >= 500 then
    s5 = s5 + 1
    if first5 == "" then first5 = status .. " " .. paths[i] end
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end

function done(summary, latency, requests)
  local c2, c3, c4, c5, f5 = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    c2 = c2 + t:get("s2")
    c3 = c3 + t:get("s3")
    c4 = c4 + t:get("s4")
    c5 = c5 + t:get("s5")
    if f5 == "" then f5 = t:get("first5") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "s2xx=%d s3xx=%d s4xx=%d s5xx=%d connect=%d read=%d write=%d timeout=%d non2xx3xx=%d first5xx=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, c2, c3, c4, c5, e.connect, e.read, e.write, e.timeout, e.status,
    (f5 == "" and "-" or f5:gsub(" ", "_"))))
end
