-- GET of the URL given on wrk's command line (headers come from -H).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
