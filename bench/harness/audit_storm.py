"""bench/audit's driver: a storm of logins with wrong passwords (every attempt a failure
event of the audit log) against gatehouse with the audit log on and off, in turns, on SQLite
and on a throw-away PostgreSQL; prints the logins per second of each and their ratio, and
writes bench/results/audit-<time>.{md,json}."""
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from . import postgres, procs, seed, servers, wrk

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
ROUNDS = int(os.environ.get("AUDIT_ROUNDS", 3))
USERS = int(os.environ.get("BENCH_USERS", 50))
CONNECTIONS = 16
DATABASES = os.environ.get("AUDIT_DATABASES", "sqlite,postgres").split(",")
# The failed-login throttles would answer most of a storm with a fast 429; raised (to their
# maxima; the tight one, 1,000 per 15 minutes, outlasts a run of 50 users) so that
# every attempt is a full password check and a failure event, the case that costs most.
UNTHROTTLED = {"LOGIN_MAX_FAILURES": "1000", "LOGIN_MAX_FAILURES_PER_ACCOUNT": "1000000",
               "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000"}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def metric(port, name, labels=""):
    _, body = procs.http_get(port, "/metrics")
    text = body.decode() if isinstance(body, bytes) else body
    m = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def storm(binary, url, workdir, name, audit_on, first):
    g = servers.Gatehouse(binary, url, workdir, name)
    g.env.update(UNTHROTTLED, AUDIT_ENABLED="true" if audit_on else "false")
    if first:
        g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    g.start()
    try:
        if first:
            seed.seed(g.port, USERS, 0)
        r = wrk.run(g.port, "/auth/login", "login.lua", SECONDS, connections=CONNECTIONS,
                    env_extra={"BENCH_USERS": str(USERS), "BENCH_PASSWORD": "not-the-password"})
        r["events"] = metric(g.port, "gatehouse_audit_events_total",
                             '{type="auth.login",outcome="failure"}')
        r["dropped"] = metric(g.port, "gatehouse_audit_dropped_total")
        return r
    finally:
        g.stop()


def one_database(binary, url, workdir, kind):
    runs = {"on": [], "off": []}
    for i in range(ROUNDS):
        for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):
            log(f"{kind}: round {i + 1}, audit {mode}")
            runs[mode].append(storm(binary, url, workdir, f"{kind}-{i}-{mode}", mode == "on",
                                    first=not runs["on"] and not runs["off"]))
    return runs


def load():
    return os.getloadavg()[0]


def table(results):
    lines = ["| database | audit on: logins/s (median of rounds) | audit off | ratio on/off | "
             "p99 on | p99 off | failure events recorded per round | dropped |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, runs in results.items():
        on = statistics.median(r["rps"] for r in runs["on"])
        off = statistics.median(r["rps"] for r in runs["off"])
        p99_on = statistics.median(r["p99_us"] for r in runs["on"]) / 1000
        p99_off = statistics.median(r["p99_us"] for r in runs["off"]) / 1000
        events = ", ".join(f"{r['events']:.0f}" for r in runs["on"])
        dropped = sum(r["dropped"] for r in runs["on"])
        lines.append(f"| {kind} | {on:,.1f} | {off:,.1f} | {on / off:.3f} | {p99_on:.0f} ms | "
                     f"{p99_off:.0f} ms | {events} | {dropped:.0f} |")
    return "\n".join(lines)


def main():
    binary = os.path.abspath(sys.argv[1])
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    start_load = load()
    results = {}
    with tempfile.TemporaryDirectory(prefix="gh-audit-bench-") as workdir:
        if "sqlite" in DATABASES:
            results["SQLite"] = one_database(binary, f"sqlite:///{workdir}/audit.db", workdir,
                                             "sqlite")
        if "postgres" in DATABASES:
            cluster = postgres.Cluster(os.path.join(REPO, "scripts/pg-test-cluster"), workdir)
            cluster.start()
            try:
                cluster.create_database("audit_bench")
                results["PostgreSQL"] = one_database(binary, cluster.url("audit_bench"), workdir,
                                                     "postgres")
            finally:
                cluster.stop()
    head = (f"Run of {stamp} on commit {commit}, {os.cpu_count()} cores, load average "
            f"{start_load:.2f} at start and {load():.2f} at end; wrk -t2 -c{CONNECTIONS}, "
            f"{SECONDS} s per round, {ROUNDS} rounds per mode taken in turns, {USERS} users, "
            f"every login with a wrong password.")
    md = head + "\n\n" + table(results) + "\n"
    os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
    with open(os.path.join(BENCH, "results", f"audit-{stamp}.md"), "w") as f:
        f.write(md)
    with open(os.path.join(BENCH, "results", f"audit-{stamp}.json"), "w") as f:
        json.dump({"commit": commit, "results": results}, f, indent=1)
    print(md)


if __name__ == "__main__":
    main()
