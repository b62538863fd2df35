#!/usr/bin/env bash
# GET /users/me and POST /auth/login under wrk, on SQLite and on PostgreSQL, in one run
# with the same settings. Needs wrk (apt-get install wrk) and PostgreSQL 15 (scripts/bootstrap).
#   bench/wrk_backends.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
duration="${2:-10s}"
connections="${3:-32}"
bin="$(realpath "$build/gatehouse")"
work="$(mktemp -d)"
state="$work/pg.env"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-test-cluster stop "$state" || true
  rm -rf "$work"
}
trap cleanup EXIT

scripts/pg-test-cluster start "$state"
# shellcheck disable=SC1090
. "$state"
pg_base="postgresql://$GATEHOUSE_TEST_PG_USER:$GATEHOUSE_TEST_PG_PASSWORD@$GATEHOUSE_TEST_PG_HOST:$GATEHOUSE_TEST_PG_PORT"
"$GATEHOUSE_TEST_PG_BIN/psql" -X -q -d "$pg_base/postgres" -c "CREATE DATABASE bench"

password='Str0ngP@ss!'
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.com","password":"$password"}'
LUA

run_backend() {
  local name="$1" url="$2" port="$3"
  local dir="$work/$name"
  mkdir -p "$dir"
  export DATABASE_URL="$url" PORT="$port" HOST=127.0.0.1 THREADS=2 RATE_LIMIT_REQUESTS=0 \
    LOG_LEVEL=error SECRET_KEY=bench-secret-key-0123456789abcdefghijklmnopqrstuv \
    LOGIN_MAX_FAILURES=1000
  (cd "$dir" && "$bin" migrate up >/dev/null)
  (cd "$dir" && exec "$bin" serve >"$dir/server.log" 2>&1) &
  pids+=("$!")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.1; done
  curl -sf -X POST "http://127.0.0.1:$port/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" >/dev/null
  local token
  token="$(curl -sf -X POST "http://127.0.0.1:$port/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  echo "=== $name: GET /users/me"
  wrk -t2 -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/users/me" | grep -E "Latency|Requests/sec|Non-2xx|  50%|  99%"
  echo "=== $name: POST /auth/login"
  wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/login.lua" \
    "http://127.0.0.1:$port/auth/login" | grep -E "Latency|Requests/sec|Non-2xx|  50%|  99%"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
run_backend sqlite "sqlite:///$work/sqlite/bench.db" "$(free_port)"
run_backend postgres "$pg_base/bench" "$(free_port)"
