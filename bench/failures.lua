-- wrk script for front.sh's kill -9 round: counts responses by status code and by the node that
-- answered ("Hello from NODE" in /session-demo/hello's body; "front" for any other body, e.g. an error
-- page from the front itself) and prints, after wrk's own report,
--   statuses: 200=N 502=M ...
--   nodes: node1=N node2=M ...
-- wrk itself reports "Non-2xx or 3xx responses" (status > 399) and "Socket errors: connect, read,
-- write, timeout"; front.sh parses both.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  nodes = {}
end

function response(status, headers, body)
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
  local node = body and string.match(body, "Hello from (%S+)") or "front"
  nodes[node] = (nodes[node] or 0) + 1
end

local function line(label, counts)
  local keys = {}
  for k in pairs(counts) do table.insert(keys, k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. "=" .. counts[k]) end
  io.write(label .. ": " .. table.concat(parts, " ") .. "\n")
end

function done(summary, latency, requests)
  local s, n = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses") or {}) do s[k] = (s[k] or 0) + v end
    for k, v in pairs(t:get("nodes") or {}) do n[k] = (n[k] or 0) + v end
  end
  line("statuses", s)
  line("nodes", n)
end
