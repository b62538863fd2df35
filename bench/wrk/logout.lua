-- POST /auth/logout, every request spending one live session's refresh token from
-- BENCH_TOKENS_FILE (one per line), dealt out to the threads (BENCH_WRK_THREADS, wrk's -t)
-- as refresh.lua does. A thread that runs out sends its last token again: that answer is
-- a 401 and shows in the non-2xx count, so a run that outlasts its tokens cannot pass for
-- a good one.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local all = {}
for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
  if #line > 0 then all[#all + 1] = line end
end
local thread_count = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
local dealt = 0

function setup(thread)
  dealt = dealt + 1
  local part = {}
  for i = dealt, #all, thread_count do part[#part + 1] = all[i] end
  thread:set("tokens", table.concat(part, "\n"))
end

local pool = {}
local last = ""

function init(args)
  for line in string.gmatch(tokens or "", "[^\n]+") do pool[#pool + 1] = line end
  last = pool[1] or ""
end

function request()
  local token = table.remove(pool) or last
  local body = string.format('{"refresh_token":"%s"}', token)
  return wrk.format("POST", "/auth/logout", {["Content-Type"] = "application/json"}, body)
end
