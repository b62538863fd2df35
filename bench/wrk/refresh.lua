-- POST /auth/refresh with rotation: every answer's new refresh token goes back into the
-- thread's pool and is spent by a later request, as a real client would do (gatehouse
-- treats a reused token as theft). BENCH_TOKENS_FILE holds one refresh token per line,
-- at least one per connection; setup() deals them out to the threads
-- (BENCH_WRK_THREADS, wrk's -t).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local all = {}
for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
  if #line > 0 then all[#all + 1] = line end
end
local thread_count = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
local dealt = 0

-- Runs in the main state once per thread, before that thread's init(): thread k gets
-- every token whose index is k modulo the thread count.
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
  return wrk.format("POST", "/auth/refresh", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then return end
  local token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
  if token then
    pool[#pool + 1] = token
    last = token
  end
end
