-- POST /auth/register, every request a new address: reg-<run>-<thread>-<n>@example.com,
-- <run> from BENCH_RUN_ID (a run against a database that already holds a run's addresses
-- needs another one), one shared password (BENCH_PASSWORD).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local run = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local password = os.getenv("BENCH_PASSWORD")
local next_thread = 0
local n = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function request()
  n = n + 1
  local body = string.format('{"email":"reg-%s-%d-%d@example.com","password":"%s"}',
                             run, thread_id or 0, n, password)
  return wrk.format("POST", "/auth/register", {["Content-Type"] = "application/json"}, body)
end
