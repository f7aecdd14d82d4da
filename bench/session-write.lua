-- wrk script: every request writes a fresh attribute into one of the existing sessions listed in the
-- file given after "--" (one session id per line), round robin.
local ids = {}
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
end

function request()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  return wrk.format("GET", "/session-demo/session.json?name=k&value=" .. n, { ["Cookie"] = "JSESSIONID=" .. id })
end
