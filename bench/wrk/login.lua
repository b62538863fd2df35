-- POST /auth/login, cycling through the seeded users (BENCH_USERS of them, emails
-- bench-user-N@example.com, one shared password), each thread from its own offset.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local users = tonumber(os.getenv("BENCH_USERS") or "50")
local password = os.getenv("BENCH_PASSWORD")
local next_thread = 0
local n = 0

function setup(thread)
  thread:set("offset", next_thread * 7)
  next_thread = next_thread + 1
end

function init(args)
  n = offset or 0
end

function request()
  n = n + 1
  local body = string.format('{"email":"bench-user-%d@example.com","password":"%s"}',
                             n % users, password)
  return wrk.format("POST", "/auth/login", {["Content-Type"] = "application/json"}, body)
end
