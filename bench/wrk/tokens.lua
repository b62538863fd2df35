-- GET of the URL given on wrk's command line, each request with the next access token of
-- BENCH_ACCESS_FILE (one per line) as its bearer: more distinct tokens than gatehouse
-- remembers per thread (services/verified_tokens.hpp) make every check a full signature check.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local all = {}
for line in io.lines(os.getenv("BENCH_ACCESS_FILE")) do
  if #line > 0 then all[#all + 1] = "Bearer " .. line end
end
local next_index = 0

function init(args)
  -- Each thread starts at another place in the list.
  next_index = math.random(#all) - 1
end

function request()
  next_index = next_index % #all + 1
  return wrk.format("GET", nil, {["Authorization"] = all[next_index]})
end
