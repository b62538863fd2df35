"""Counts the instructions gatehouse spends per request with callgrind: a repeatable
figure even on a busy machine. Starts gatehouse under valgrind (one io thread, one
database thread), seeds it, warms the endpoint up, zeroes the counters, sends N requests
on one keep-alive connection and dumps the profile.

    python3 -m bench.harness.profile BINARY OUT_DIR [ENDPOINT ...]
ENDPOINT is one of live, health, me, list, refresh (default: all), N is BENCH_PROFILE_N.
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

from . import procs, seed, servers

N = int(os.environ.get("BENCH_PROFILE_N", "2000"))
# As many users as bench/run creates, so that the page of users is a whole page.
USERS = int(os.environ.get("BENCH_USERS", "50"))
# The dummy password hash is made in the background after start-up; under valgrind it
# takes seconds, and must be over before counting starts.
BACKGROUND_SECONDS = 8


def requests_for(name, seeded):
    user = {"Authorization": f"Bearer {seeded.user_access}"}
    admin = {"Authorization": f"Bearer {seeded.admin_access}"}
    if name == "live":
        return lambda: ("GET", "/health/live", None, {})
    if name == "health":
        return lambda: ("GET", "/health", None, {})
    if name == "me":
        return lambda: ("GET", "/users/me", None, user)
    if name == "list":
        return lambda: ("GET", "/users/?limit=50", None, admin)
    if name == "refresh":
        tokens = seeded.refresh_tokens

        def next_refresh():
            return ("POST", "/auth/refresh", json.dumps({"refresh_token": tokens.pop()}),
                    {"Content-Type": "application/json"})
        return next_refresh
    raise SystemExit(f"unknown endpoint {name}")


def send(conn, make, count, tokens=None):
    for _ in range(count):
        method, path, body, headers = make()
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        data = res.read()
        if res.status != 200:
            raise RuntimeError(f"{method} {path}: {res.status} {data[:200]!r}")
        if tokens is not None and path == "/auth/refresh":
            tokens.append(json.loads(data)["refresh_token"])


def main():
    binary, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    names = sys.argv[3:] or ["live", "health", "me", "list", "refresh"]
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gatehouse-profile-") as workdir:
        g = servers.Gatehouse(binary, f"sqlite:///{workdir}/p.db", workdir, "gatehouse")
        g.env.update(THREADS="1", DB_THREADS="1", PASSWORD_HASH_THREADS="1")
        g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
        g.start()  # seeding (Argon2id) runs outside valgrind: far quicker
        seeded = seed.seed(g.port, USERS, 8)
        seeded.admin_access = seed.admin_token(g.port)
        g.stop()
        for name in names:
            profile(g, name, seeded, out_dir)


def profile(g, name, seeded, out_dir):
    out = os.path.join(out_dir, f"callgrind.{name}")
    g.proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--instr-atstart=no",
         g.binary, "serve"], env=dict(g.env, USER=VG_USER), cwd=g.dir, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        procs.wait_until_up(g.port, "/health/live", g.proc, timeout=120)
        time.sleep(BACKGROUND_SECONDS)
        conn = http.client.HTTPConnection("127.0.0.1", g.port, timeout=60)
        make = requests_for(name, seeded)
        tokens = seeded.refresh_tokens if name == "refresh" else None
        send(conn, make, 50, tokens)  # warm-up: caches, first-use allocations
        control(g.proc.pid, "on", g.env["HOST"])
        send(conn, make, N, tokens)
        control(g.proc.pid, "off", g.env["HOST"])
        conn.close()
    finally:
        g.stop()
    total = instructions(out)
    print(f"{name}: {total / N:,.0f} instructions per request ({N} requests) -> {out}")


# vgdb, which callgrind_control talks through, names its pipes after $USER and $HOST: they
# must be the same on both sides (gatehouse's HOST is its listen address, which will do).
VG_USER = os.environ.get("USER") or "bench"


def control(pid, state, host):
    subprocess.run(["callgrind_control", "-i", state, str(pid)], check=True,
                   env=dict(os.environ, USER=VG_USER, HOST=host), stdout=subprocess.DEVNULL)


def instructions(path):
    """The Ir total of a callgrind output file (its "totals:" line)."""
    with open(path) as fh:
        for line in fh:
            if line.startswith("totals:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
